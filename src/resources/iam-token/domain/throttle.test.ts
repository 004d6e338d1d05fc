import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthThrottle, THROTTLE } from './throttle.js';
import { ResourceExhaustedError, UnauthenticatedError } from '../../../domain/errors.js';

let now = 0;
const clock = { now: () => new Date(now) };
const wrong = () => Promise.reject(new UnauthenticatedError('The token is invalid or has expired'));
const right = () => Promise.resolve('subject');
const exhausted = (e: unknown) => e instanceof ResourceExhaustedError && /retry in \d+ s/.test(e.message);
const unauthenticated = (e: unknown) => e instanceof UnauthenticatedError;

async function fail(t: AuthThrottle, address: string, times: number) {
  for (let i = 0; i < times; i++) await assert.rejects(t.attempt(() => address, wrong), unauthenticated);
}

describe('AuthThrottle', () => {
  it('counts a check that refuses at once as one that rejects, and passes an answer given at once as it is', async () => {
    now = 1_000_000;
    const t = new AuthThrottle(clock);
    const wrongNow = (): string => {
      throw new UnauthenticatedError('The token is invalid or has expired');
    };
    for (let i = 0; i < 49; i++) assert.throws(() => t.attempt(() => 'c', wrongNow), unauthenticated);
    await assert.rejects(t.attempt(() => 'c', wrong), unauthenticated); // the 50th, counted alike
    assert.throws(() => t.attempt(() => 'c', wrongNow), exhausted);
    assert.equal(t.attempt(() => 'c', () => 'subject'), 'subject'); // not a promise
  });

  it('penalises an address after 50 failures in 10 s, never a valid credential, and doubles repeats up to 5 min', async () => {
    now = 1_000_000;
    const t = new AuthThrottle(clock);
    await fail(t, 'a', 49);
    await assert.rejects(t.attempt(() => 'a', wrong), unauthenticated); // the 50th still says why
    await assert.rejects(t.attempt(() => 'a', wrong), exhausted);
    await fail(t, 'b', 1); // other addresses are not affected
    assert.equal(await t.attempt(() => 'a', right), 'subject'); // a valid credential passes
    let penalty: number = THROTTLE.firstPenaltyMs;
    for (let round = 0; round < 7; round++) {
      now += penalty - 1;
      await assert.rejects(t.attempt(() => 'a', wrong), exhausted);
      now += 1;
      await fail(t, 'a', 50);
      await assert.rejects(t.attempt(() => 'a', wrong), exhausted);
      penalty = Math.min(penalty * 2, THROTTLE.maxPenaltyMs);
    }
    assert.equal(penalty, THROTTLE.maxPenaltyMs);
    now += penalty + THROTTLE.repeatWithinMs; // quiet long enough: the next penalty is short again
    await fail(t, 'a', 50);
    now += THROTTLE.firstPenaltyMs;
    await assert.rejects(t.attempt(() => 'a', wrong), unauthenticated);
  });

  it('counts failures within the window only', async () => {
    now = 5_000_000;
    const t = new AuthThrottle(clock);
    await fail(t, 'a', 49);
    now += THROTTLE.windowMs;
    await fail(t, 'a', 49);
    await assert.rejects(t.attempt(() => 'a', wrong), unauthenticated);
  });

  it('keeps a bounded number of addresses', async () => {
    now = 9_000_000;
    const t = new AuthThrottle(clock, { ...THROTTLE, maxAddresses: 100 });
    for (let i = 0; i < 1000; i++) await fail(t, `10.0.${i >> 8}.${i & 255}`, 1);
    assert.ok((t as unknown as { byAddress: Map<string, unknown> }).byAddress.size <= 100);
  });
});
