/**
 * One blob being written to S3: chunks are hashed and streamed into a multipart upload of a temp
 * key (lib-storage's Upload holds at most `queueSize` parts in memory), and `commit` copies the
 * object to `<prefix>/<sha256>` and deletes the temp key. S3 has no rename; a copy is the one
 * way to make an object appear under a name chosen after its bytes were sent.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, UploadPartCopyCommand,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { InternalError } from '../domain/errors.js';
import type { BlobWriter, CommittedBlob } from '../domain/blobs/blob-store.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Error } from './s3-errors.js';

export interface S3WriterTuning {
  /** Bytes per uploaded part (at least 5 MiB; 10 000 parts at most make one object). */
  partSize: number;
  /** Objects larger than this are copied part by part (S3 copies at most 5 GiB in one request). */
  copyPartSize: number;
}

/** What a writer needs of its store (S3BlobStore). */
export interface S3Target {
  readonly client: S3Client;
  readonly bucket: string;
  keyOf(sha256: string): string;
  /** The object's size, or undefined when there is none. */
  head(key: string): Promise<number | undefined>;
  deleteKey(key: string): Promise<void>;
}

export class S3BlobWriter implements BlobWriter {
  private readonly hash = createHash('sha256');
  private readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });
  private readonly upload: Upload;
  private readonly done: Promise<unknown>;
  private state: 'open' | 'failed' | 'committed' | 'aborted' = 'open';
  private bytes = 0;

  constructor(private readonly store: S3Target, private readonly tempKey: string, private readonly tuning: S3WriterTuning) {
    this.upload = new Upload({
      client: store.client,
      params: { Bucket: store.bucket, Key: tempKey, Body: this.body },
      partSize: tuning.partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    this.done = this.upload.done();
    this.done.catch(() => undefined); // observed by write/commit/abort
  }

  get size(): number {
    return this.bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.state !== 'open') throw new InternalError(`blob writer is ${this.state}`);
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.body.write(chunk)) return;
    // Backpressure: wait until the upload takes more, or fails.
    try {
      await Promise.race([once(this.body, 'drain'), this.done.then(() => Promise.reject(new Error('upload ended early')))]);
    } catch (err) {
      this.state = 'failed';
      throw s3Error(err, this.store.bucket);
    }
  }

  async commit(): Promise<CommittedBlob> {
    if (this.state !== 'open') throw new InternalError(`blob writer is ${this.state}`);
    this.state = 'failed'; // until the copy below succeeds; abort() then cleans up
    const sha256 = this.hash.digest('hex');
    try {
      this.body.end();
      await this.done;
      const finalKey = this.store.keyOf(sha256);
      if ((await this.store.head(finalKey)) === undefined) await this.copy(finalKey);
      await this.store.deleteKey(this.tempKey);
    } catch (err) {
      await this.abort().catch(() => undefined);
      throw s3Error(err, this.store.bucket);
    }
    this.state = 'committed';
    return { sha256, size: this.bytes };
  }

  async abort(): Promise<void> {
    if (this.state === 'committed' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.upload.abort().catch(() => undefined);
    this.body.destroy();
    await this.done.catch(() => undefined);
    // The upload may have finished before the abort; if this delete fails, sweepTemp removes it later.
    await this.store.deleteKey(this.tempKey);
  }

  private async copy(finalKey: string): Promise<void> {
    const { client, bucket } = this.store;
    const source = `${bucket}/${this.tempKey.split('/').map(encodeURIComponent).join('/')}`;
    if (this.bytes <= this.tuning.copyPartSize) {
      await client.send(new CopyObjectCommand({ Bucket: bucket, Key: finalKey, CopySource: source }));
      return;
    }
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: finalKey }));
    try {
      const parts: { ETag?: string; PartNumber: number }[] = [];
      for (let start = 0, n = 1; start < this.bytes; start += this.tuning.copyPartSize, n++) {
        const end = Math.min(start + this.tuning.copyPartSize, this.bytes) - 1;
        const res = await client.send(new UploadPartCopyCommand({
          Bucket: bucket, Key: finalKey, UploadId, PartNumber: n, CopySource: source, CopySourceRange: `bytes=${start}-${end}`,
        }));
        parts.push({ ETag: res.CopyPartResult?.ETag, PartNumber: n });
      }
      await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: finalKey, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: finalKey, UploadId })).catch(() => undefined);
      throw err;
    }
  }
}
