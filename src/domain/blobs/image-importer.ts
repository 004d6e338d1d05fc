/**
 * The importer port: brings image bytes into the blob store, checking their size and format on
 * the way, and commits only a complete, valid image. blobs/import-url.ts implements it over
 * http(s) and files; the domain never knows how bytes travel.
 *
 *   const image = await importer.fromUrl(uri, signal);      // Compute ImageService.Create
 *   const seeded = await importer.fromFile(path);           // system images at start-up
 */
export type ImageFormat = 'raw' | 'qcow2';

export interface ImportedImage {
  sha256: string;
  /** Bytes stored (storage_size). */
  size: number;
  format: ImageFormat;
  /** Size of the disk the image needs (min_disk_size). */
  virtualSize: bigint;
}

export interface ImageImporter {
  fromUrl(url: string, signal: AbortSignal): Promise<ImportedImage>;
  fromFile(path: string): Promise<ImportedImage>;
}
