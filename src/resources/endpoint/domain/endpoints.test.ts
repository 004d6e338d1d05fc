import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../../../domain/errors.js';
import { ENDPOINT_IDS, endpointAddress, listEndpoints } from './endpoints.js';

describe('endpointAddress', () => {
  it('prefers the public address, then a specific listen address, then the client\'s authority', () => {
    assert.equal(endpointAddress({ publicAddress: 'desk.example.com:443', host: '127.0.0.1', port: 1 }, 'x:2'), 'desk.example.com:443');
    assert.equal(endpointAddress({ host: '10.0.0.5', port: 50051 }, 'desk.lan:50051'), '10.0.0.5:50051');
    assert.equal(endpointAddress({ host: '::1', port: 50051 }, undefined), '[::1]:50051');
    assert.equal(endpointAddress({ host: '0.0.0.0', port: 50051 }, 'desk.lan:8443'), 'desk.lan:8443');
    assert.equal(endpointAddress({ host: '::', port: 50051 }, 'desk.lan'), 'desk.lan:50051');
    assert.equal(endpointAddress({ host: '0.0.0.0', port: 50051 }, undefined), 'localhost:50051');
  });
});

describe('listEndpoints', () => {
  it('pages by offset and refuses a foreign token or a negative size, naming the field', () => {
    const first = listEndpoints('a:1', 4, '');
    assert.equal(first.endpoints.length, 4);
    const rest = listEndpoints('a:1', 4, first.nextPageToken);
    assert.deepEqual([...first.endpoints, ...rest.endpoints].map((e) => e.id), [...ENDPOINT_IDS]);
    assert.equal(rest.nextPageToken, '');
    for (const [size, token, field] of [[-1, '', 'page_size'], [0, 'abc', 'page_token'], [0, '99', 'page_token']] as const) {
      assert.throws(() => listEndpoints('a:1', size, token), (e: unknown) => e instanceof InvalidArgumentError && e.violations[0]!.field === field);
    }
  });
});
