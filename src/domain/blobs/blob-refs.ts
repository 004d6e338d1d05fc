/**
 * Which blobs are still referenced. Any table can hold blob references (images, and the disks
 * of desktops); the storage adapter answers over all of them, from the tables that declare a
 * blob column.
 */
export interface BlobRefRepo {
  /** True when any row still references the blob. */
  isReferenced(sha256: string): Promise<boolean>;
  allReferenced(): Promise<Set<string>>;
}

declare module '../store.js' {
  interface Repos {
    blobRefs: BlobRefRepo;
  }
}
