/**
 * Endpoint discovery (ApiEndpointService) through the official SDK client and over REST, with
 * no credential: the APIs clouddesk serves, at the address the client can reach — the listen
 * address, the host the client dialled when listening on every interface, or --public-address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkClients } from '../harness/sdk.js';
import { rejectsWith } from '../harness/assert-error.js';

const IDS = ['clouddesktops', 'compute', 'endpoint', 'iam', 'operation', 'resource-manager'];

/** node:http rather than fetch: fetch will not send a Host header of our choosing. */
function restJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    }).on('error', reject);
  });
}

describe('ApiEndpointService', () => {
  let local: RunningServer;
  let wildcard: RunningServer;
  let published: RunningServer;

  before(async () => {
    [local, wildcard, published] = await Promise.all([
      startServer(),
      startServer({ args: ['--listen', '0.0.0.0:0'] }),
      startServer({ args: ['--public-address', 'desk.example.com:443'] }),
    ]);
  });

  after(async () => {
    await Promise.all([local, wildcard, published].map((s) => s.cleanup()));
  });

  it('lists and gets the APIs at the listen address, without a token (SDK client)', async () => {
    const sdk = sdkClients(local.address); // no authorization header
    try {
      const all = await sdk.endpoints.list({});
      assert.deepEqual(all.endpoints.map((e: { id: string }) => e.id), IDS);
      for (const e of all.endpoints) assert.equal(e.address, local.address);
      assert.equal(all.nextPageToken, '');
      const page = await sdk.endpoints.list({ pageSize: 4 });
      assert.equal(page.endpoints.length, 4);
      const rest = await sdk.endpoints.list({ pageToken: page.nextPageToken });
      assert.deepEqual(rest.endpoints.map((e: { id: string }) => e.id), ['operation', 'resource-manager']);
      assert.deepEqual(await sdk.endpoints.get({ apiEndpointId: 'compute' }), { id: 'compute', address: local.address });
      await rejectsWith(sdk.endpoints.get({ apiEndpointId: 'storage' }), 5, /Api endpoint storage not found/);
    } finally {
      sdk.close();
    }
  });

  it('answers over REST without a token', async () => {
    const all = await restJson(`http://${local.address}/endpoints`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.endpoints.map((e: { id: string }) => e.id), IDS);
    const one = await restJson(`http://${local.address}/endpoints/iam`);
    assert.deepEqual(one, { status: 200, body: { id: 'iam', address: local.address } });
  });

  it('listening on 0.0.0.0, answers the host the client used', async () => {
    const sdk = sdkClients(`localhost:${wildcard.port}`);
    try {
      assert.equal((await sdk.endpoints.get({ apiEndpointId: 'iam' })).address, `localhost:${wildcard.port}`);
    } finally {
      sdk.close();
    }
    const rest = await restJson(`http://127.0.0.1:${wildcard.port}/endpoints/iam`, { host: `desk.lan:${wildcard.port}` });
    assert.equal(rest.body.address, `desk.lan:${wildcard.port}`);
  });

  it('answers --public-address when it is set', async () => {
    const sdk = sdkClients(published.address);
    try {
      const all = await sdk.endpoints.list({});
      assert.deepEqual([...new Set(all.endpoints.map((e: { address: string }) => e.address))], ['desk.example.com:443']);
    } finally {
      sdk.close();
    }
    assert.equal((await restJson(`http://${published.address}/endpoints/compute`)).body.address, 'desk.example.com:443');
  });
});
