/**
 * Waiting on a condition instead of sleeping and hoping: `waitFor` polls until the probe gives a
 * value (anything but undefined, null or false) and fails with what it waited for once the
 * deadline passes; `assertHolds` is the one sanctioned fixed wait, for proving that something
 * does NOT happen within a bounded window.
 *
 *   const line = await waitFor(() => server.logs.find((l) => l['msg'] === 'rpc'), { what: 'the rpc log line' });
 *   await assertHolds(() => hook.accepted.length === 0, { forMs: 500, what: 'the webhook accepts nothing' });
 */

export interface WaitOptions {
  /** Says what is awaited; the timeout error starts with it. */
  what: string;
  /** Default 15 s: generous, since a failing wait only costs time when something is broken. */
  timeoutMs?: number;
  /** Poll period; default 20 ms. */
  intervalMs?: number;
  /** Describes the state at the deadline, for the error message. */
  detail?: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it yields a value other than undefined, null or false, and returns it. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: WaitOptions): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined && got !== null && got !== false) return got;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what}${opts.detail ? `: ${opts.detail()}` : ''}`);
    }
    await sleep(opts.intervalMs ?? 20);
  }
}

export interface HoldOptions {
  /** Says what must stay true; the failure message starts with it. */
  what: string;
  /** Length of the window. A negative can never be proven; this bounds how long we look. */
  forMs: number;
  intervalMs?: number;
}

/**
 * Checks `condition` throughout a window of `forMs` and fails as soon as it turns false. Use it
 * only where a test proves an absence (no second event, no delivery); everything else waits FOR
 * its event with `waitFor`.
 */
export async function assertHolds(condition: () => boolean | Promise<boolean>, opts: HoldOptions): Promise<void> {
  const end = Date.now() + opts.forMs;
  for (;;) {
    if (!(await condition())) throw new Error(`${opts.what}: no longer true after ${opts.forMs - (end - Date.now())} of ${opts.forMs} ms`);
    if (Date.now() >= end) return;
    await sleep(Math.min(opts.intervalMs ?? 20, Math.max(0, end - Date.now())));
  }
}
