import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { WriterGate } from './writer-gate.js';

/** A task that records who runs beside it and ends when told. */
function task(log: string[], running: Set<string>, name: string) {
  let finish = () => {};
  const done = new Promise<void>((r) => (finish = r));
  const fn = async () => {
    running.add(name);
    log.push(`${name}:${[...running].sort().join(',')}`);
    await done;
    running.delete(name);
  };
  return { fn, finish };
}

describe('WriterGate', () => {
  it('admits up to the limit, then one alone with nothing beside it, in arrival order', async () => {
    const gate = new WriterGate(2);
    const log: string[] = [];
    const running = new Set<string>();
    const [a, b, solo, c] = ['a', 'b', 'solo', 'c'].map((n) => task(log, running, n)) as ReturnType<typeof task>[];
    const runs = [gate.run(false, a!.fn), gate.run(false, b!.fn), gate.run(true, solo!.fn), gate.run(false, c!.fn)];
    await tick();
    assert.deepEqual(log, ['a:a', 'b:a,b']);
    a!.finish();
    await tick();
    assert.deepEqual(log, ['a:a', 'b:a,b'], 'the solo waits for b; c waits behind the solo');
    b!.finish();
    await tick();
    assert.deepEqual(log.slice(2), ['solo:solo']);
    solo!.finish();
    await tick();
    assert.deepEqual(log.slice(3), ['c:c']);
    c!.finish();
    await Promise.all(runs);
  });

  it('frees the slot when the task throws', async () => {
    const gate = new WriterGate(1);
    await assert.rejects(gate.run(false, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await gate.run(true, async () => 'alone'), 'alone');
  });
});
