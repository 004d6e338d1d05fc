/** What the DesktopImageService handlers need from the domain. */
import type { DesktopImages } from '../domain/desktop-images.js';

export interface Deps {
  readonly images: DesktopImages;
}

/** The permission family of desktop images. */
export const VDI = 'vdi.images';
