import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const LOGGER = new URL('./logger.js', import.meta.url).href;

/** Runs `body` in a fresh process that imported the logger as `log`; returns its stdout lines. */
function linesOf(body: string): Record<string, unknown>[] {
  const script = `const log = await import(${JSON.stringify(LOGGER)});\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('flushLogs on exit', () => {
  it('writes every line of a process that ends by itself, the batch in flight and the last one', () => {
    const lines = linesOf(`for (let i = 0; i < 5000; i++) log.loggers.server.info({ i }, 'line');`);
    assert.equal(lines.length, 5000);
    assert.deepEqual(lines.map((l) => l['i']), Array.from({ length: 5000 }, (_, i) => i));
  });
});

describe('drainLogs', () => {
  it('resolves once every batch handed over is written, so an explicit exit after it loses nothing', () => {
    const lines = linesOf(`
      for (let i = 0; i < 20000; i++) log.loggers.server.info({ i }, 'line');
      await new Promise((r) => setImmediate(r)); // batches are in flight now
      for (let i = 20000; i < 40000; i++) log.loggers.server.info({ i }, 'line');
      const started = Date.now();
      await log.drainLogs();
      log.loggers.server.info({ drainedInMs: Date.now() - started }, 'drained');
      log.flushLogs();
      process.exit(0);
    `);
    assert.equal(lines.length, 40001);
    assert.deepEqual(lines.slice(0, 40000).map((l) => l['i']), Array.from({ length: 40000 }, (_, i) => i));
    assert.ok(Number(lines[40000]!['drainedInMs']) < 2000, 'drained by the writes, not by the time-out');
  });
});

describe('logRpc', () => {
  it('writes each call its line with the time the call ended, in the order of the calls', () => {
    const lines = linesOf(`
      log.logRpc('/a.S/Get', 'grpc', { code: 'OK', durationMs: 0.5, requestId: 'r1', subject: 's1' });
      const ended = new Date().toISOString();
      const spin = Date.now() + 20; while (Date.now() < spin) {} // the line is made later than this
      log.logRpc('/a.S/List', 'rest', { code: 'NOT_FOUND', durationMs: 1, requestId: 'r2', subject: undefined });
      setImmediate(() => setImmediate(() => console.log(JSON.stringify({ ended }))));
    `);
    const [first, second] = lines.filter((l) => l['msg'] === 'rpc');
    const ended = lines.find((l) => 'ended' in l)!['ended'] as string;
    assert.deepEqual(Object.keys(first!), ['level', 'time', 'service', 'logger', 'method', 'protocol', 'code', 'durationMs', 'requestId', 'subject', 'msg']);
    assert.equal(first!['method'], '/a.S/Get');
    assert.ok(String(first!['time']) <= ended, `${String(first!['time'])} is the call's time, not the writing's (after ${ended})`);
    assert.equal(second!['requestId'], 'r2');
    assert.equal('subject' in second!, false, 'no subject, no key');
  });

  it('keeps nothing for later when the rpc line is below the log level', () => {
    const lines = linesOf(`
      log.setLogLevel('warn');
      log.logRpc('/a.S/Get', 'grpc', { code: 'OK', durationMs: 0.1, requestId: 'quiet', subject: 's' });
      log.setLogLevel('info');
      log.logRpc('/a.S/Get', 'grpc', { code: 'OK', durationMs: 0.1, requestId: 'heard', subject: 's' });
    `);
    assert.deepEqual(lines.filter((l) => l['msg'] === 'rpc').map((l) => l['requestId']), ['heard']);
  });

  it('loses no pending line when the process exits before they are written', () => {
    const lines = linesOf(`
      for (let i = 0; i < 3; i++) log.logRpc('/a.S/Get', 'grpc', { code: 'OK', durationMs: 0.1, requestId: 'r' + i, subject: 's' });
      process.exit(0);
    `);
    assert.deepEqual(lines.filter((l) => l['msg'] === 'rpc').map((l) => l['requestId']), ['r0', 'r1', 'r2']);
  });
});
