/**
 * Expected REST outcomes and main errors of ApiEndpointService, in the form of route-cases.ts
 * and route-errors.ts. Both RPCs answer without a credential: a client asks where the APIs
 * are before it has a token.
 */
import assert from 'node:assert/strict';
import type { Expected, Fixtures } from './route-cases.js';
import { invalid, notFound, type ExpectedError } from './route-errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const EP = '/yandex.cloud.endpoint.ApiEndpointService';
/** The test server listens on 127.0.0.1, which is what it answers. */
const ADDRESS = /^127\.0\.0\.1:\d+$/;

export const endpointOutcomes: Record<string, (fx: Fixtures) => Promise<Expected> | Expected> = {
  [`${EP}/Get`]: () => ({
    request: { apiEndpointId: 'clouddesktops' },
    token: null,
    status: 200,
    check: (b) => {
      assert.deepEqual(Object.keys(b).sort(), ['address', 'id']);
      assert.equal(b.id, 'clouddesktops');
      assert.match(b.address, ADDRESS);
    },
  }),
  [`${EP}/List`]: (fx) => ({
    request: { pageSize: '2' },
    token: null,
    status: 200,
    check: async (b) => {
      assert.deepEqual(b.endpoints.map((e: Json) => e.id), ['clouddesktops', 'compute']);
      assert.equal(b.nextPageToken, '2');
      const rest = await fx.restAs(null).get(`/endpoints?pageToken=${b.nextPageToken}`);
      assert.deepEqual(rest.json.endpoints.map((e: Json) => e.id), ['endpoint', 'iam', 'operation', 'resource-manager']);
      assert.equal(rest.json.nextPageToken, undefined);
    },
  }),
};

export const endpointErrors: Record<string, (fx: Fixtures) => ExpectedError[]> = {
  [`${EP}/Get`]: () => [notFound({ apiEndpointId: 'storage' }, 'Api endpoint storage not found')],
  [`${EP}/List`]: () => [
    invalid({ pageToken: 'garbage' }, 'page_token', /not a page token of this list/),
    invalid({ pageSize: '-1' }, 'page_size', /must not be negative/),
  ],
};
