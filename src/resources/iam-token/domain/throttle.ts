/**
 * Throttling of failed authentication per client address. 50 failures (a wrong bearer token,
 * a refused JWT exchange) within 10 s put the address under a penalty: its failed attempts are
 * answered RESOURCE_EXHAUSTED for 10 s; a new penalty soon after the last one is twice as long,
 * up to 5 minutes. The credential is checked first, so a valid one is never throttled or slowed
 * (a penalised address shares its NAT with well-behaved clients); what the penalty bounds is
 * the noise and work of a flood, and it tells a guessing client to stop. The state is a bounded
 * in-memory map of this process: O(1) per attempt.
 *
 *   const throttle = new AuthThrottle(clock);
 *   const subject = await throttle.attempt(() => address, () => authentication.subjectOf(token));
 */
import type { Clock } from '../../../clock.js';
import { ResourceExhaustedError, UnauthenticatedError } from '../../../domain/errors.js';

export interface ThrottleLimits {
  /** 0: no throttling. */
  failures: number; windowMs: number; firstPenaltyMs: number; maxPenaltyMs: number; repeatWithinMs: number; maxAddresses: number;
}

export const THROTTLE: Readonly<ThrottleLimits> = Object.freeze({
  failures: 50,
  windowMs: 10_000,
  firstPenaltyMs: 10_000,
  maxPenaltyMs: 5 * 60_000,
  /** A penalty that starts within this time after the last one ended is a repeat. */
  repeatWithinMs: 10 * 60_000,
  maxAddresses: 10_000,
});

interface State {
  windowStart: number;
  failures: number;
  penaltyUntil: number;
  penaltyMs: number;
}

export class AuthThrottle {
  private readonly byAddress = new Map<string, State>();

  constructor(private readonly clock: Clock, private readonly limits: Readonly<ThrottleLimits> = THROTTLE) {}

  /**
   * Runs one authentication; an UnauthenticatedError counts against the caller's address. One
   * that answers at once is answered at once (a value returned, a refusal thrown); a promise
   * comes back as a promise.
   */
  attempt<T>(address: () => string, authenticate: () => T | Promise<T>): T | Promise<T> {
    let out: T | Promise<T>;
    try {
      out = authenticate();
    } catch (err) {
      throw this.counted(err, address);
    }
    return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(this.counted(err, address))) : out;
  }

  /** `err`, once counted if it is a refusal; RESOURCE_EXHAUSTED is thrown instead while penalised. */
  private counted(err: unknown, address: () => string): unknown {
    if (err instanceof UnauthenticatedError && this.limits.failures > 0) this.failed(address());
    return err;
  }

  /** Counts a failure; throws RESOURCE_EXHAUSTED while the address is penalised. */
  failed(address: string): void {
    const now = this.clock.now().getTime();
    const s = this.stateOf(address, now);
    if (s.penaltyUntil > now) {
      const seconds = Math.ceil((s.penaltyUntil - now) / 1000);
      throw new ResourceExhaustedError(`Too many failed authentication attempts from this address; retry in ${seconds} s`);
    }
    if (now - s.windowStart >= this.limits.windowMs) {
      s.windowStart = now;
      s.failures = 0;
    }
    s.failures += 1;
    if (s.failures < this.limits.failures) return;
    const repeat = s.penaltyMs > 0 && now - s.penaltyUntil < this.limits.repeatWithinMs;
    s.penaltyMs = repeat ? Math.min(s.penaltyMs * 2, this.limits.maxPenaltyMs) : this.limits.firstPenaltyMs;
    s.penaltyUntil = now + s.penaltyMs;
    s.failures = 0;
  }

  private stateOf(address: string, now: number): State {
    const known = this.byAddress.get(address);
    if (known) return known;
    if (this.byAddress.size >= this.limits.maxAddresses) this.evict(now);
    const s: State = { windowStart: now, failures: 0, penaltyUntil: 0, penaltyMs: 0 };
    this.byAddress.set(address, s);
    return s;
  }

  /**
   * Forgets addresses with nothing left to remember, then the oldest ones until a tenth of the
   * room is free, so that a spray of addresses costs O(1) per attempt on average.
   */
  private evict(now: number): void {
    for (const [address, s] of this.byAddress) {
      const idle = now - s.windowStart >= this.limits.windowMs && now - s.penaltyUntil >= this.limits.repeatWithinMs;
      if (idle) this.byAddress.delete(address);
    }
    for (const address of this.byAddress.keys()) {
      if (this.byAddress.size < this.limits.maxAddresses * 0.9) break;
      this.byAddress.delete(address);
    }
  }
}
