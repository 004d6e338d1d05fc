/**
 * Operations this browser session started, each polled with `GET /operations/{id}` until it is
 * done. Views subscribe to re-render while an operation runs; `track` resolves with the final
 * operation, so a view can refresh its list when the work has ended.
 *
 *   const op = await tracker.track(await api.send('DELETE', `/cloud-desktop/v1/images/${id}`), 'Delete image');
 *   if (!op.error) reload();
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

  async track(op: Operation, label: string): Promise<Operation> {
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
        return item.op;
      }
      this.emit();
    }
    return item.op;
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
