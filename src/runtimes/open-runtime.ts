/**
 * Chooses the desktop runtime from the configuration (`--desktop-runtime`): simulated (the
 * default, boots nothing) or qemu (real machines; refused at start-up when QEMU is missing).
 *
 *   const runtime = openRuntime(config.desktops, clock, { dataDir, shutdownGraceMs, blobs, importer });
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config/config.js';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import type { ImageImporter } from '../domain/blobs/image-importer.js';
import type { DesktopRuntime } from '../resources/desktop/domain/runtime.js';
import { SimulatedRuntime } from './simulated-runtime.js';
import { QemuRuntime } from './qemu/qemu-runtime.js';

/** `--desktop-*` settings, as the configuration reads them. */
export type RuntimeConfig = Config['desktops'];

export function openRuntime(
  config: RuntimeConfig,
  clock: Clock,
  deps: { dataDir: string; shutdownGraceMs: number; blobs: BlobStore; importer: ImageImporter },
): DesktopRuntime {
  switch (config.runtime) {
    case 'simulated':
      return new SimulatedRuntime({ transitionMs: config.transitionMs, rdpHost: config.rdpHost }, clock);
    case 'qemu':
      return QemuRuntime.open({ ...config, dataDir: deps.dataDir, shutdownGraceMs: deps.shutdownGraceMs }, deps);
  }
}
