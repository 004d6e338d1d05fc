/** Operation kinds and specs of desktops (the descriptions are ours, docs/decisions.md point 8). */
import type { OperationSpec } from '../../../domain/operation/runner.js';
import { DESKTOP } from './desktop.js';

export const DESKTOP_KIND = {
  create: 'desktop.create',
  start: 'desktop.start',
  stop: 'desktop.stop',
  restart: 'desktop.restart',
  update: 'desktop.update',
  updateProperties: 'desktop.update-properties',
  delete: 'desktop.delete',
} as const;

const META = 'yandex.cloud.clouddesktop.v1.api.';
const spec = (kind: string, description: string, metadata: string): OperationSpec => ({
  kind, description, resource: DESKTOP, metadataType: `${META}${metadata}`, metadataId: 'desktopId',
});

export const DESKTOP_OPS = {
  create: spec(DESKTOP_KIND.create, 'Create desktop', 'CreateDesktopMetadata'),
  start: spec(DESKTOP_KIND.start, 'Start desktop', 'StartDesktopMetadata'),
  stop: spec(DESKTOP_KIND.stop, 'Stop desktop', 'StopDesktopMetadata'),
  restart: spec(DESKTOP_KIND.restart, 'Restart desktop', 'RestartDesktopMetadata'),
  update: spec(DESKTOP_KIND.update, 'Update desktop', 'UpdateDesktopMetadata'),
  updateProperties: spec(DESKTOP_KIND.updateProperties, 'Update desktop properties', 'UpdateDesktopPropertiesMetadata'),
  delete: spec(DESKTOP_KIND.delete, 'Delete desktop', 'DeleteDesktopMetadata'),
};
