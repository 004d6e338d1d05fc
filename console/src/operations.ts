/**
 * Operations this browser session started, each polled with `GET /operations/{id}` until it is
 * done. Views subscribe to re-render while an operation runs; `track` resolves with the final
 * operation, so a view can refresh its list when the work has ended. `follow` is what a form
 * wants: it throws unless the operation ended without an error.
 *
 *   await tracker.follow(api.send('DELETE', `/cloud-desktop/v1/images/${id}`), 'Delete image').finally(reload);
 */
import { Api, describeError, type Operation } from './api';

export interface Tracked {
  label: string;
  op: Operation;
  /** Why polling stopped before the operation ended (the server went away, the token expired). */
  pollError?: string;
}

const POLL_MS = 500;

export class OperationTracker {
  private items: Tracked[] = [];
  private listeners = new Set<() => void>();

  constructor(private readonly api: Api) {}

  list(): readonly Tracked[] {
    return this.items;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Follows the operation to its end. Resolves with the operation only when it is done without an
   * error; throws its error when it failed, and throws when polling stopped before it was done (its
   * outcome is unknown, so it is not reported as a success).
   */
  async follow(started: Operation | Promise<Operation>, label: string): Promise<Operation> {
    const item = await this.poll(await started, label);
    if (item.op.error) throw new Error(item.op.error.message);
    if (item.pollError || !item.op.done) {
      throw new Error(`Lost track of operation ${item.op.id} (${label}); its outcome is unknown: ${item.pollError ?? 'polling stopped'}`);
    }
    return item.op;
  }

  private async poll(op: Operation, label: string): Promise<Tracked> {
    const item: Tracked = { label, op };
    this.items = [item, ...this.items];
    this.emit();
    while (!item.op.done) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      try {
        item.op = await this.api.get<Operation>(`/operations/${encodeURIComponent(op.id)}`);
      } catch (err) {
        item.pollError = describeError(err);
        this.emit();
        return item;
      }
      this.emit();
    }
    return item;
  }

  private emit(): void {
    this.items = [...this.items];
    for (const fn of this.listeners) fn();
  }
}

export type OpState = 'running' | 'done' | 'failed' | 'unknown';

export function stateOf(t: { op: Operation; pollError?: string }): OpState {
  if (t.pollError) return 'unknown';
  if (!t.op.done) return 'running';
  return t.op.error ? 'failed' : 'done';
}
