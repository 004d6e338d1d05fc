/**
 * Emulator state archives: a tar stream of `clouddesk.db` (a consistent copy of the embedded
 * database) and `blobs/<sha256>` for every blob it references. `save` writes one to a stream;
 * `load` reads one, stores its blobs (each checked against its name), then swaps the
 * database's rows for the archive's in one transaction. Embedded store only.
 *
 *   await state.save(res);              // GET /_clouddesk/state
 *   await state.load(req, swap);        // PUT /_clouddesk/state
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import tar from 'tar-stream';
import { InvalidArgumentError, UnavailableError } from '../../domain/errors.js';
import { BLOB_TABLES } from '../../resources.js';
import { referencedBlobs } from '../../storage/sqlite/snapshot.js';
import type { Store, StoreAdmin } from '../../domain/store.js';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import type { BlobCollector } from '../../domain/blobs/collector.js';

const DB_ENTRY = 'clouddesk.db';
const BLOB_ENTRY = /^blobs\/([0-9a-f]{64})$/;
/** Snapshots taken before giving up when deletes keep taking blobs a snapshot names. */
const SNAPSHOT_ATTEMPTS = 3;

export class StateArchive {
  constructor(
    private readonly store: Store & StoreAdmin,
    private readonly blobs: BlobStore,
    private readonly collector: BlobCollector,
    private readonly tempRoot: string,
  ) {}

  /**
   * The archive names exactly the blobs its database references: pinned before the snapshot
   * (what exists then stays), and the snapshot's own references pinned after it; one that a
   * delete took in between makes the snapshot stale, so it is taken again.
   */
  async save(out: Writable): Promise<void> {
    const dir = await mkdtemp(join(this.tempRoot, 'state-'));
    const unpins: (() => void)[] = [];
    try {
      const file = join(dir, DB_ENTRY);
      let sizes: Map<string, number> | undefined;
      for (let attempt = 0; !sizes; attempt++) {
        if (attempt === SNAPSHOT_ATTEMPTS) throw new UnavailableError('state is changing too fast to save; try again');
        for (const sha of await this.store.read((tx) => tx.blobRefs.allReferenced())) unpins.push(this.collector.pin(sha));
        await this.store.snapshot(file);
        const shas = [...(await referencedBlobs(file, BLOB_TABLES))].sort();
        for (const sha of shas) unpins.push(this.collector.pin(sha));
        sizes = await this.sizesOf(shas);
      }
      const pack = tar.pack();
      const sent = pipeline(pack, out);
      await addFile(pack, DB_ENTRY, file);
      for (const [sha, size] of sizes) await addStream(pack, `blobs/${sha}`, size, this.blobs.openRead(sha));
      pack.finalize();
      await sent;
    } finally {
      for (const u of unpins) u();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Each blob's size, or undefined when one is gone. */
  private async sizesOf(shas: readonly string[]): Promise<Map<string, number> | undefined> {
    const sizes = new Map<string, number>();
    for (const sha of shas) {
      if (!(await this.blobs.has(sha))) return undefined;
      sizes.set(sha, await this.blobs.size(sha));
    }
    return sizes;
  }

  /** Stores the archive's blobs, then calls `swap(dbFile)`, which must replace the rows. */
  async load(input: Readable, swap: (dbFile: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(this.tempRoot, 'state-'));
    const unpins: (() => void)[] = [];
    try {
      const file = join(dir, DB_ENTRY);
      let sawDb = false;
      const extract = tar.extract();
      const reading = pipeline(input, extract).catch((err: unknown) => {
        throw InvalidArgumentError.field('state', `not a clouddesk state archive: ${(err as Error).message}`);
      });
      for await (const entry of extract) {
        const name = entry.header.name;
        const blob = BLOB_ENTRY.exec(name);
        if (name === DB_ENTRY) {
          await pipeline(entry, createWriteStream(file, { mode: 0o600 }));
          sawDb = true;
        } else if (blob) {
          unpins.push(this.collector.pin(blob[1]!));
          await this.storeBlob(blob[1]!, entry);
        } else {
          throw InvalidArgumentError.field('state', `unexpected archive entry ${JSON.stringify(name)}`);
        }
      }
      await reading;
      if (!sawDb) throw InvalidArgumentError.field('state', `the archive has no ${DB_ENTRY}`);
      await swap(file);
    } finally {
      for (const u of unpins) u();
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async storeBlob(sha: string, entry: Readable): Promise<void> {
    if (await this.blobs.has(sha)) {
      entry.resume();
      return;
    }
    const writer = await this.blobs.begin();
    try {
      for await (const chunk of entry) await writer.write(chunk as Uint8Array);
      const committed = await writer.commit();
      if (committed.sha256 !== sha) {
        await this.collector.collect(committed.sha256);
        throw InvalidArgumentError.field('state', `blob ${sha} does not match its content`);
      }
    } catch (err) {
      await writer.abort().catch(() => undefined);
      throw err;
    }
  }
}

async function addFile(pack: tar.Pack, name: string, file: string): Promise<void> {
  await addStream(pack, name, (await stat(file)).size, createReadStream(file));
}

function addStream(pack: tar.Pack, name: string, size: number, source: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = pack.entry({ name, size, mode: 0o600 }, (err) => (err ? reject(err) : resolve()));
    source.on('error', reject).pipe(entry);
  });
}
