/**
 * System images (docs/decisions.md point 12): desktop images in the configured system folder,
 * seeded at start-up from the image files (qcow2 or raw) of a directory. Each file becomes one
 * ACTIVE image named after the file (without its extension); a name already present is kept,
 * so restarts do not duplicate. Users read them; Update and Delete are FAILED_PRECONDITION.
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

export async function seedSystemImages(o: SeedOptions): Promise<number> {
  const files = readdirSync(o.dir, { withFileTypes: true })
    .filter((e) => e.isFile() && IMAGE_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
  let added = 0;
  for (const file of files) {
    const name = basename(file, extname(file)).slice(0, 50);
    const existing = await o.store.read((tx) =>
      tx.desktopImages.list({ folderId: o.folderId, filter: [{ field: 'name', op: '=', values: [name] }], order: [{ field: 'id', desc: false }], limit: 1 }),
    );
    if (existing.items.length > 0) continue;
    await o.collector.guard(async () => {
      const imported = await o.importer.fromFile(join(o.dir, file));
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
