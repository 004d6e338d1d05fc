import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TempFileSink } from './temp-file-sink.js';

describe('TempFileSink', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'clouddesk-sink-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  // Chunks of uneven sizes, some of them larger than what a gathering sink holds before it waits.
  const chunks = [1, 70_000, 3, 2_000_000, 65_536, 17, 1_500_000, 4096].map((n) => randomBytes(n));
  const all = Buffer.concat(chunks);
  const sha256 = createHash('sha256').update(all).digest('hex');

  for (const gather of [false, true]) {
    it(`writes and hashes every byte in order${gather ? ', gathering' : ''}`, async () => {
      const path = join(dir, `out-${gather}`);
      const fh = await open(path, 'wx');
      const sink = new TempFileSink(fh, { gather });
      // Each write awaited, as writeChecked does; a gathering sink answers before the bytes are written.
      for (const c of chunks) await sink.write(c);
      assert.deepEqual(await sink.finish(), { sha256, size: all.length });
      await fh.close();
      assert.ok((await readFile(path)).equals(all));
    });
  }

  it('fails a gathering write, or the finish, with the typed error of the file system', async () => {
    const path = join(dir, 'read-only');
    await writeFile(path, '');
    const fh = await open(path, 'r'); // every write fails with EBADF
    const sink = new TempFileSink(fh, { gather: true });
    const failure = { name: 'InternalError', message: 'blob store I/O error (EBADF)' };
    await assert.rejects(async () => {
      for (const c of chunks) await sink.write(c);
      await sink.finish();
    }, failure);
    await sink.settle();
    await fh.close();
  });
});
