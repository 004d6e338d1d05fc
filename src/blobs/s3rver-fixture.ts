/**
 * An S3-compatible server for tests, on loopback with its files in a temp directory. s3rver is a
 * test double only: clouddesk's real targets are Yandex Object Storage, MinIO and AWS S3.
 *
 *   const s3 = await startS3rver('images');
 *   const store = new S3BlobStore({ ...s3.options, prefix: 'p' });
 *   await s3.stop();
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * s3rver runs in a child process: its ListObjectsV2 continuation tokens use DES, which Node 20's
 * OpenSSL 3 offers only with the legacy provider, a flag for that process alone. s3rver lacks
 * UploadPartCopy (how S3 copies objects over 5 GiB); a middleware in front of its routes adds it
 * from s3rver's own store, so the store's part-by-part copy runs against this double too.
 */
const LAUNCH = `
  const S3rver = require('s3rver');
  const [directory, bucket] = process.argv.slice(1);
  const app = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  app.middleware.unshift(async (ctx, next) => {
    const source = /^\\/?([^/]+)\\/(.+)$/.exec(decodeURIComponent(ctx.get('x-amz-copy-source')));
    const range = /^bytes=(\\d+)-(\\d+)$/.exec(ctx.get('x-amz-copy-source-range'));
    if (ctx.method !== 'PUT' || !ctx.query.uploadId || !source || !range) return next();
    const object = await app.store.getObject(source[1], source[2], { start: Number(range[1]), end: Number(range[2]) });
    if (!object) return (ctx.status = 404);
    const { md5 } = await app.store.putPart(ctx.path.split('/')[1], ctx.query.uploadId, ctx.query.partNumber, object.content);
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?><CopyPartResult><ETag>"' + md5 + '"</ETag>'
      + '<LastModified>' + new Date().toISOString() + '</LastModified></CopyPartResult>';
  });
  app.run().then(({ port }) => console.log(JSON.stringify({ port })));
`;

/** s3rver's fixed credentials; the SDK's default chain reads them from these variables. */
export const S3RVER_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;

export interface S3rverFixture {
  readonly endpoint: string;
  /** The files s3rver keeps: `<directory>/<bucket>/<key>._S3rver_object` per object. */
  readonly directory: string;
  readonly options: { bucket: string; region: string; endpoint: string };
  stop(): Promise<void>;
}

export async function startS3rver(bucket: string): Promise<S3rverFixture> {
  Object.assign(process.env, S3RVER_ENV);
  const directory = await mkdtemp(join(tmpdir(), 'clouddesk-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', LAUNCH, directory, bucket], {
    cwd: import.meta.dirname, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), exited.then(() => ['{}'])])) as string[];
  const port = Number((JSON.parse(line!) as { port?: number }).port);
  if (!port) throw new Error('s3rver did not start');
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    directory,
    options: { bucket, region: 'ru-central1', endpoint },
    async stop() {
      child.kill();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
