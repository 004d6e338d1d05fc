/**
 * Admits this process's write transactions: up to `limit` at once, or one alone. A transaction
 * that keeps losing conflicts runs alone on its next attempt, so under heavy contention (many
 * Copies into one folder) it cannot starve: nothing else of this process runs beside it, only
 * other replicas can still conflict with it. Waiters enter in arrival order, so a transaction
 * waiting to run alone is not overtaken.
 *
 *   const gate = new WriterGate(4);
 *   await gate.run(attempt > 2, () => once());
 */
interface Waiter {
  alone: boolean;
  enter: () => void;
}

export class WriterGate {
  private active = 0;
  private alone = false;
  private readonly queue: Waiter[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(alone: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.queue.length > 0 || !this.admits(alone)) {
      await new Promise<void>((enter) => this.queue.push({ alone, enter }));
    } else {
      this.take(alone);
    }
    try {
      return await fn();
    } finally {
      this.active--;
      if (alone) this.alone = false;
      this.admitWaiting();
    }
  }

  private admits(alone: boolean): boolean {
    return alone ? this.active === 0 : !this.alone && this.active < this.limit;
  }

  private take(alone: boolean): void {
    this.active++;
    if (alone) this.alone = true;
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.admits(this.queue[0]!.alone)) {
      const next = this.queue.shift()!;
      this.take(next.alone);
      next.enter();
    }
  }
}
