import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DesktopImageService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { ImageService } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { addressOf, maskSecrets } from './audit-context.js';
import { isMutating, requestHash } from './idempotency.js';
import { auditEventTypes } from '../audit-events.js';
import { SERVICES } from '../../resources.js';

describe('interceptor helpers', () => {
  it('tells mutating RPCs from their descriptors, and every served one has an audit event type', () => {
    const mutating = [...DesktopImageService.methods, ...ImageService.methods].filter(isMutating).map((m) => m.name);
    assert.deepEqual(mutating, ['Copy', 'CopyFromDesktop', 'Update', 'Delete', 'Create', 'Update', 'Delete', 'SetAccessBindings', 'UpdateAccessBindings']);
    const types = auditEventTypes(SERVICES);
    for (const m of DesktopImageService.methods.filter(isMutating)) assert.ok(types.get(`/${DesktopImageService.typeName}/${m.name}`));
  });

  it('hashes requests independently of map order', () => {
    assert.equal(requestHash({ a: 1, labels: { x: '1', y: '2' } }), requestHash({ labels: { y: '2', x: '1' }, a: 1 }));
    assert.notEqual(requestHash({ a: 1 }), requestHash({ a: 2 }));
  });

  it('reduces gRPC and REST peers to an address', () => {
    assert.equal(addressOf('ipv4:10.1.2.3:5000'), '10.1.2.3');
    assert.equal(addressOf('ipv6:[::1]:5000'), '::1');
    assert.equal(addressOf('::ffff:127.0.0.1:5000'), '127.0.0.1');
    assert.equal(addressOf('::1:5000'), '::1');
    assert.equal(addressOf('10.0.0.7:443'), '10.0.0.7');
    assert.equal(addressOf('unix:/tmp/s'), 'unix:/tmp/s');
  });

  it('masks credentials anywhere in request parameters', () => {
    assert.deepEqual(maskSecrets({ jwt: 'x', spec: { private_key: 'k', name: 'n' }, list: [{ iam_token: 't' }] }), {
      jwt: '***', spec: { private_key: '***', name: 'n' }, list: [{ iam_token: '***' }],
    });
  });
});
