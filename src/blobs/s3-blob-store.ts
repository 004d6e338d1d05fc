/**
 * BlobStore on an S3 bucket (Yandex Object Storage, MinIO, AWS S3), every object under one prefix:
 *
 *   <prefix>/<sha256>              committed blobs
 *   <prefix>/tmp/<ms>-<random>     blobs being written; swept when older than a bound
 *
 *   const blobs = new S3BlobStore({ bucket: 'images', prefix: 'clouddesk', region: 'ru-central1',
 *     endpoint: 'https://storage.yandexcloud.net' });
 *
 * A writer does not know the hash until the end, so bytes stream as a multipart upload to a temp
 * key and `commit` copies the finished object to its final key and deletes the temp key: a final
 * key only ever names a complete blob. Credentials come from the SDK's default chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles).
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand,
  ListObjectsV2Command, S3Client,
} from '@aws-sdk/client-s3';
import { InternalError, NotFoundError } from '../domain/errors.js';
import { isSha256, type BlobStore, type BlobWriter } from '../domain/blobs/blob-store.js';
import { isNotFound, isNotImplemented, s3Error } from './s3-errors.js';
import { S3BlobWriter, type S3WriterTuning } from './s3-blob-writer.js';

export interface S3BlobStoreOptions extends Partial<S3WriterTuning> {
  bucket: string;
  /** Key prefix without leading or trailing slashes; '' puts blobs at the bucket's root. */
  prefix: string;
  region: string;
  /** An S3-compatible endpoint; set, requests use path-style addressing. */
  endpoint?: string;
  /** Temp objects and unfinished uploads older than this are swept (default 24 h). */
  tempMaxAgeMs?: number;
}

const DAY_MS = 86_400_000;
const MIB = 1024 ** 2;
/** The default part: memory per upload is some six parts (measured, s3-import-memory.test.ts). */
const MIN_PART = 8 * MIB;

/** The smallest part size (whole MiB, at least 8) that fits `maxBytes` in S3's 10 000 parts, with room. */
export function partSizeFor(maxBytes: number): number {
  return Math.max(MIN_PART, Math.ceil(maxBytes / 9_000 / MIB) * MIB);
}

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly base: string;
  private readonly tempMaxAgeMs: number;
  private readonly tuning: S3WriterTuning;

  constructor(opts: S3BlobStoreOptions) {
    this.client = new S3Client({ region: opts.region, endpoint: opts.endpoint, forcePathStyle: opts.endpoint !== undefined });
    this.bucket = opts.bucket;
    this.base = opts.prefix ? `${opts.prefix}/` : '';
    this.tempMaxAgeMs = opts.tempMaxAgeMs ?? DAY_MS;
    this.tuning = { partSize: opts.partSize ?? MIN_PART, copyPartSize: opts.copyPartSize ?? 5 * 1024 ** 3 };
  }

  /** The final key of a blob; rejects anything that is not a hash, so no key escapes the prefix. */
  keyOf(sha256: string): string {
    if (!isSha256(sha256)) throw new InternalError(`invalid blob hash "${sha256}"`);
    return this.base + sha256;
  }

  /** The time in the name lets another process tell a stale temp key without a HEAD request. */
  private tempKey(): string {
    return `${this.base}tmp/${Date.now()}-${randomBytes(12).toString('hex')}`;
  }

  async begin(): Promise<BlobWriter> {
    return new S3BlobWriter(this, this.tempKey(), this.tuning);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.head(this.keyOf(sha256))) !== undefined;
  }

  async size(sha256: string): Promise<number> {
    const size = await this.head(this.keyOf(sha256));
    if (size === undefined) throw new NotFoundError(`Blob ${sha256} not found`);
    return size;
  }

  /** The object's size, or undefined when there is none. */
  async head(key: string): Promise<number | undefined> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw s3Error(err, this.bucket);
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.deleteKey(this.keyOf(sha256));
  }

  async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch((err: unknown) => {
      if (!isNotFound(err)) throw s3Error(err, this.bucket);
    });
  }

  async *list(): AsyncIterable<string> {
    for await (const obj of this.objects(this.base, '/')) {
      const name = obj.key.slice(this.base.length);
      if (isSha256(name)) yield name;
    }
  }

  /** From the listing's sizes: one request per 1,000 blobs, not one per blob. */
  async usage(): Promise<{ count: number; bytes: number }> {
    let count = 0;
    let bytes = 0;
    for await (const obj of this.objects(this.base, '/')) {
      if (!isSha256(obj.key.slice(this.base.length))) continue;
      count++;
      bytes += obj.size;
    }
    return { count, bytes };
  }

  /** Pages through ListObjectsV2, 1000 keys a request. */
  private async *objects(prefix: string, delimiter?: string): AsyncGenerator<{ key: string; size: number; modified?: Date }> {
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }))
        .catch((err: unknown) => {
          throw s3Error(err, this.bucket);
        });
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0, modified: o.LastModified };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  localPath(): null {
    return null; // Remote bytes: readers that need a file download them (runtimes/qemu/base-cache.ts).
  }

  openRead(sha256: string): Readable {
    const key = this.keyOf(sha256);
    const { client, bucket } = this;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((err: unknown) => {
        throw isNotFound(err) ? new NotFoundError(`Blob ${sha256} not found`) : s3Error(err, bucket);
      });
      // The body is a socket stream: bytes flow as the consumer reads them, never all in memory.
      for await (const chunk of res.Body as Readable) yield chunk as Uint8Array;
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  /** Uploads stream to the bucket: no local space bounds them. */
  async freeBytes(): Promise<number> {
    return Infinity;
  }

  /**
   * Removes temp objects, and multipart uploads never completed, older than the bound. A live
   * writer's temp object exists only between its upload and its commit (seconds), and its upload
   * is younger than the longest import, so the bound keeps other processes' writers safe.
   */
  async sweepTemp(): Promise<number> {
    const cutoff = Date.now() - this.tempMaxAgeMs;
    let removed = 0;
    for await (const obj of this.objects(`${this.base}tmp/`)) {
      const born = Number(/\/(\d+)-[0-9a-f]+$/.exec(obj.key)?.[1] ?? obj.modified?.getTime() ?? 0);
      if (born > cutoff) continue;
      await this.deleteKey(obj.key);
      removed++;
    }
    return removed + (await this.abortStaleUploads(cutoff));
  }

  private async abortStaleUploads(cutoff: number): Promise<number> {
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client
        .send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: `${this.base}tmp/`, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }))
        .catch((err: unknown) => {
          // Some S3-compatible servers (and test doubles) do not list uploads; a bucket lifecycle rule then cleans up.
          if (isNotImplemented(err)) return undefined;
          throw s3Error(err, this.bucket);
        });
      if (!page) return removed;
      for (const u of page.Uploads ?? []) {
        if (!u.Key || !u.UploadId || (u.Initiated?.getTime() ?? 0) > cutoff) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId })).catch(() => undefined);
        removed++;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.NextUploadIdMarker;
    } while (keyMarker);
    return removed;
  }
}
