import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';

describe('blob store options', () => {
  it('defaults to <data-dir>/blobs and the ru-central1 region', () => {
    const config = loadConfig({ dataDir: '/srv/cd' });
    assert.equal(config.blobStore, undefined);
    assert.deepEqual(config.s3, { endpoint: undefined, region: 'ru-central1' });
  });

  it('takes an absolute path, a file:/// URL or s3://bucket/prefix, normalised', () => {
    const cases: [string, string][] = [
      ['/mnt/nfs/blobs/', '/mnt/nfs/blobs'],
      ['file:///mnt/nfs/blobs', '/mnt/nfs/blobs'],
      ['s3://images', 's3://images'],
      ['s3://images/', 's3://images'],
      ['s3://my.images-1/clouddesk/prod/', 's3://my.images-1/clouddesk/prod'],
    ];
    for (const [given, expected] of cases) assert.equal(loadConfig({ blobStore: given }).blobStore, expected, given);
    const s3 = loadConfig({ blobStore: 's3://b-1/p', s3Endpoint: 'http://127.0.0.1:9000', s3Region: 'us-east-1' }).s3;
    assert.deepEqual(s3, { endpoint: 'http://127.0.0.1:9000', region: 'us-east-1' });
  });

  it('names the flag and the variable for a bad value', () => {
    const label = '--blob-store / CLOUDDESK_BLOB_STORE';
    const bad: [string, RegExp][] = [
      ['relative/dir', /is not an absolute path, file:\/\/\/path or s3:\/\/bucket\/prefix/],
      ['http://host/x', /is not an absolute path/],
      ['file://server/share', /is not a local file:\/\/\/ URL/],
      ['s3://', /is not an absolute path/],
      ['s3://Bad_Bucket/p', /"Bad_Bucket" is not a bucket name/],
      ['s3://ab/p', /"ab" is not a bucket name/],
      ['s3://bucket/a//b', /prefix "a\/\/b" must be non-empty segments/],
      ['s3://bucket/a/../b', /prefix "a\/..\/b" must be non-empty segments/],
      ['s3://bucket/p?x=1', /is not an absolute path/],
    ];
    for (const [value, pattern] of bad) {
      assert.throws(() => loadConfig({ blobStore: value }), (err: Error) => {
        assert.equal(err.name, 'ConfigError');
        assert.ok(err.message.startsWith(`${label}: `), err.message);
        assert.match(err.message, pattern);
        return true;
      }, value);
    }
    assert.throws(() => loadConfig({ blobStore: 's3://b-1', s3Endpoint: 'ftp://x' }), /^ConfigError: --s3-endpoint \/ CLOUDDESK_S3_ENDPOINT: an http\(s\) URL without credentials/);
    assert.throws(() => loadConfig({ blobStore: 's3://b-1', s3Endpoint: 'http://k:s@x' }), /use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    assert.throws(() => loadConfig({ s3Endpoint: 'http://127.0.0.1:9000' }), /--s3-endpoint \/ CLOUDDESK_S3_ENDPOINT: only with an s3:\/\/ --blob-store/);
    assert.throws(() => loadConfig({ s3Region: 'EU West' }), /^ConfigError: --s3-region \/ CLOUDDESK_S3_REGION: 1-40 characters/);
  });
});
