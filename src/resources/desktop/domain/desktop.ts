/**
 * Desktops. clouddesk does not run desktops yet, so no desktop exists: every id is unknown,
 * and CopyFromDesktop answers NOT_FOUND for it. The descriptor is here so that rules can name
 * desktops already, and the desktops work fills in this folder.
 */
import type { ResourceDescriptor } from '../../../domain/resource.js';

export const DESKTOP: ResourceDescriptor<never> = {
  kind: 'desktop',
  label: 'desktop',
  idPrefix: 'e3v',
  family: 'vdi.images',
  locate: async () => undefined,
};
