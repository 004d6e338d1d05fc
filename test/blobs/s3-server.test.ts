/**
 * The server with `--blob-store s3://…` against an S3-compatible server on loopback (s3rver, a
 * test double for Yandex Object Storage, MinIO and AWS S3): import → copy → delete, with the
 * blob's object under the prefix while an image uses it and gone within 20 s after the last.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { waitFor } from '../harness/wait.js';
import { S3RVER_ENV, startS3rver, type S3rverFixture } from '../../src/blobs/s3rver-fixture.js';

const BUCKET = 'clouddesk-images';
const PREFIX = 'site-a/blobs';

let s3: S3rverFixture;
let client: S3Client;
let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;

before(async () => {
  s3 = await startS3rver(BUCKET);
  client = new S3Client({ region: 'ru-central1', endpoint: s3.endpoint, forcePathStyle: true });
  server = await startServer({
    args: ['--blob-store', `s3://${BUCKET}/${PREFIX}/`, '--s3-endpoint', s3.endpoint],
    env: S3RVER_ENV,
  });
  sdk = sdkFor(server);
  src = await startImageSource();
});

after(async () => {
  sdk.close();
  client.destroy();
  await src.close();
  await server.cleanup();
  await s3.stop();
});

async function bucketKeys(): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

describe('blob store on S3 (s3rver)', () => {
  it('keeps the image under the prefix while used and removes it within 20 s after the last delete', async () => {
    const created = await waitDone(sdk, await sdk.images.create({ folderId: 'src', name: 'base', uri: src.url('/raw?size=3145728&seed=5') }));
    assert.equal(created.error, undefined);
    const image = compute.image.Image.decode(created.response!.value);
    assert.equal(image.storageSize, 3145728);

    const keys = await bucketKeys();
    assert.equal(keys.length, 1, `one object: ${keys.join(', ')}`);
    assert.match(keys[0]!, new RegExp(`^${PREFIX}/[0-9a-f]{64}$`));
    assert.equal(existsSync(join(server.dataDir, 'blobs')), false, 'no local blob directory');

    const copied = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'desk', name: 'win', imageId: image.id }));
    assert.equal(copied.error, undefined);
    const desktopImage = cloudDesktop.desktopImage.DesktopImage.decode(copied.response!.value);
    assert.deepEqual(await bucketKeys(), keys, 'a copy shares the object');

    await waitDone(sdk, await sdk.images.delete({ imageId: image.id }));
    assert.deepEqual(await bucketKeys(), keys, 'the desktop image still uses it');

    const deleted = Date.now();
    await waitDone(sdk, await sdk.desktopImages.delete({ imageId: desktopImage.id }));
    await waitFor(async () => (await bucketKeys()).length === 0, { what: 'the object removed', timeoutMs: 20_000 });
    assert.ok(Date.now() - deleted < 20_000);
  });
});
