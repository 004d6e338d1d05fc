/**
 * Injected faults of the emulator: "the operations of the next N calls of this method end with
 * this error (or wait this long)". An interceptor marks each call with its method (async local
 * storage); the runner asks `take()` once per operation it submits, in that call's context, so
 * a fault is spent only by a call that really started an operation.
 *
 *   const faults = new Faults();  faults.know(router.methods().map((m) => m.path));
 *   faults.add({ method: 'DesktopImageService.Copy', count: 1, code: 'INTERNAL', message: 'injected', delayMs: 0 });
 *   router.use(faults.interceptor);  runner.injectFaults(faults);
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { InjectedFault } from '../../domain/operation/observer.js';
import type { Interceptor } from '../../transport/rpc.js';
import { CODE_NAMES } from '../../transport/status.js';

/** A pending fault as the controls show it. */
export interface Fault {
  /** `Service.Rpc`, as in the wire contract. */
  readonly method: string;
  /** Calls left. */
  count: number;
  readonly code?: string;
  readonly message: string;
  readonly delayMs: number;
}

const MAX_DELAY_MS = 600_000;

export class Faults {
  private readonly pending: Fault[] = [];
  private readonly current = new AsyncLocalStorage<string>();
  /** `Service.Rpc` → `/package.Service/Rpc`. */
  private readonly paths = new Map<string, string>();

  /** Learns the router's methods (`/package.Service/Rpc`) once they are all registered. */
  know(paths: readonly string[]): void {
    for (const p of paths) {
      const m = /\/[^/]*?([^./]+)\/([^/]+)$/.exec(p);
      if (m) this.paths.set(`${m[1]}.${m[2]}`, p);
    }
  }

  readonly interceptor: Interceptor = (call, _req, _ctx, next) => this.current.run(call.path, next);

  list(): readonly Fault[] {
    return this.pending.map((f) => ({ ...f }));
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Checks a request body and stores the fault; INVALID_ARGUMENT names the bad field. */
  add(body: unknown): Fault {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw InvalidArgumentError.field('body', 'a JSON object is required');
    const b = body as Record<string, unknown>;
    const known = new Set(['method', 'count', 'code', 'message', 'delayMs']);
    for (const k of Object.keys(b)) if (!known.has(k)) throw InvalidArgumentError.field(k, 'unknown field');
    if (typeof b.method !== 'string' || !this.paths.has(b.method)) {
      throw InvalidArgumentError.field('method', 'a known Service.Rpc, e.g. DesktopImageService.Copy');
    }
    const count = b.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
      throw InvalidArgumentError.field('count', 'a whole number in 1..1000000');
    }
    if (b.code !== undefined && (typeof b.code !== 'string' || !(CODE_NAMES as readonly string[]).includes(b.code) || b.code === 'OK')) {
      throw InvalidArgumentError.field('code', 'a gRPC code name other than OK, e.g. INTERNAL');
    }
    const delayMs = b.delayMs ?? 0;
    if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
      throw InvalidArgumentError.field('delayMs', `a whole number of milliseconds in 0..${MAX_DELAY_MS}`);
    }
    if (b.code === undefined && delayMs === 0) throw InvalidArgumentError.field('code', 'required unless delayMs is given');
    if (b.message !== undefined && (typeof b.message !== 'string' || b.message.length > 1000)) {
      throw InvalidArgumentError.field('message', 'a string of at most 1000 characters');
    }
    const fault: Fault = {
      method: b.method, count, ...(b.code !== undefined ? { code: b.code as string } : {}),
      message: (b.message as string | undefined) ?? 'injected fault', delayMs,
    };
    this.pending.push(fault);
    return { ...fault };
  }

  /** Whether a fault waits for the current call's method (nothing is spent). */
  armed(): boolean {
    return this.indexForCurrentCall() >= 0;
  }

  /** The fault for the current call's method, spending one of its calls. */
  take(): InjectedFault | undefined {
    const i = this.indexForCurrentCall();
    if (i < 0) return undefined;
    const f = this.pending[i]!;
    if (--f.count === 0) this.pending.splice(i, 1);
    return { ...(f.code ? { code: (CODE_NAMES as readonly string[]).indexOf(f.code) } : {}), message: f.message, delayMs: f.delayMs };
  }

  private indexForCurrentCall(): number {
    const path = this.current.getStore();
    if (!path) return -1;
    return this.pending.findIndex((f) => this.paths.get(f.method) === path);
  }
}
