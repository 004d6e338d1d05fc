/**
 * System images (docs/decisions.md point 12): desktop images in the configured system folder,
 * seeded at start-up from the image files (qcow2 or raw) of a directory. Each file becomes one
 * ACTIVE image named after the file (without its extension); a name already present is kept,
 * so restarts do not duplicate. Users read them; Update and Delete are FAILED_PRECONDITION.
 *
 * What an operator can rely on (docs/security.md): only regular files are read; a symbolic link
 * is skipped with a warning (it may point anywhere on the host). A file whose name (without
 * extension) is not 1-50 characters of letters, digits, `.`, `_` and `-` starting with a letter
 * or digit is skipped with a warning, never renamed: normalising could make two files one name.
 * A file that cannot be imported stops start-up with an error naming it.
 *
 *   await seedSystemImages({ dir: '/srv/images', folderId: 'standard-images', ... });
 */
import { readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Store } from '../../../domain/store.js';
import type { ImageImporter } from '../../../domain/blobs/image-importer.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { idFor } from '../../../domain/resource.js';
import type { Clock } from '../../../clock.js';
import { loggers } from '../../../logger.js';
import { DESKTOP_IMAGE } from './desktop-image.js';

export interface SeedOptions {
  dir: string;
  folderId: string;
  store: Store;
  importer: ImageImporter;
  collector: BlobCollector;
  clock: Clock;
}

const IMAGE_FILE = /\.(qcow2|img|raw)$/i;
const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;

export async function seedSystemImages(o: SeedOptions): Promise<number> {
  const entries = readdirSync(o.dir, { withFileTypes: true }).filter((e) => IMAGE_FILE.test(e.name));
  for (const e of entries) {
    if (e.isSymbolicLink()) loggers.server.warn({ file: e.name, dir: o.dir }, 'system image skipped: symbolic links are not followed');
  }
  const files = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  let added = 0;
  for (const file of files) {
    const name = basename(file, extname(file));
    if (!IMAGE_NAME.test(name)) {
      loggers.server.warn({ file: JSON.stringify(file), dir: o.dir }, 'system image skipped: the name must be 1-50 letters, digits, ".", "_" or "-"');
      continue;
    }
    const existing = await o.store.read((tx) =>
      tx.desktopImages.list({ folderId: o.folderId, filter: [{ field: 'name', op: '=', values: [name] }], order: [{ field: 'id', desc: false }], limit: 1 }),
    );
    if (existing.items.length > 0) continue;
    await o.collector.guard(async () => {
      const imported = await o.importer.fromFile(join(o.dir, file)).catch((err: unknown) => {
        throw new Error(`system image ${join(o.dir, file)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      await o.store.transact((tx) =>
        tx.desktopImages.insert({
          id: idFor(DESKTOP_IMAGE),
          folderId: o.folderId,
          name,
          description: `System image from ${file}`,
          labels: {},
          status: 'ACTIVE',
          createdAt: o.clock.now(),
          storageSize: imported.size,
          minDiskSize: Number(imported.virtualSize),
          blobSha256: imported.sha256,
          sourceId: '',
        }),
      );
    });
    added++;
    loggers.server.info({ file, name, folderId: o.folderId }, 'system image seeded');
  }
  return added;
}
