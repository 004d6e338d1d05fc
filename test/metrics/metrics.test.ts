/**
 * /metrics against the real server: scraped after gRPC and REST traffic and an import, parsed
 * with a real Prometheus text parser; served without a token; `--metrics off` and
 * `--metrics HOST:PORT` move or remove it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import parse, { type Family } from 'parse-prometheus-text-format';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';

const GET = '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Get';

async function scrape(port: number): Promise<Family[]> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

function family(families: Family[], name: string): Family {
  const f = families.find((x) => x.name === name);
  assert.ok(f, `metric ${name} is missing`);
  return f;
}

function sample(f: Family, labels: Record<string, string>) {
  return f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

describe('/metrics', () => {
  let server: RunningServer;
  let sdk: SdkClients;
  let src: ImageSource;

  before(async () => {
    server = await startServer();
    sdk = sdkFor(server);
    src = await startImageSource();
  });
  after(async () => {
    sdk.close();
    await src.close();
    await server.cleanup();
  });

  it('counts RPCs of both protocols by full method, operations, imports and blobs', async () => {
    const op = await waitDone(sdk, await sdk.images.create({ folderId: 'm', name: 'base', uri: src.url(`/qcow2?virtual=${1024 ** 3}`) }));
    const copied = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'm', name: 'd', imageId: compute.image.Image.decode(op.response.value).id }));
    assert.ok(copied.done);
    await assert.rejects(sdk.desktopImages.get({ imageId: 'e3vnothere0000000000' }));
    const auth = { authorization: `Bearer ${server.token}` };
    const rest = await fetch(`http://127.0.0.1:${server.port}/cloud-desktop/v1/images/e3vnothere0000000000`, { headers: auth });
    assert.equal(rest.status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/no/such/path`)).status, 404);

    const m = await scrape(server.port);
    const rpc = family(m, 'clouddesk_rpc_total');
    assert.equal(rpc.type, 'COUNTER');
    assert.equal(sample(rpc, { method: GET, code: 'NOT_FOUND', protocol: 'grpc' })?.value, '1');
    assert.equal(sample(rpc, { method: GET, code: 'NOT_FOUND', protocol: 'rest' })?.value, '1');
    assert.equal(sample(rpc, { method: 'unmatched', code: 'NOT_FOUND', protocol: 'rest' })?.value, '1');
    // The parser folds a histogram's label sets into one sample (it keeps buckets, count, sum of
    // unlabelled ones only), so only its type and shape are checked here; the counts above are the
    // same observations.
    const latency = family(m, 'clouddesk_rpc_duration_seconds');
    assert.equal(latency.type, 'HISTOGRAM');
    assert.ok(latency.metrics[0]?.buckets?.['+Inf']);

    const started = family(m, 'clouddesk_operations_started_total');
    assert.equal(sample(started, { kind: 'desktop-image.copy' })?.value, '1');
    const finished = family(m, 'clouddesk_operations_finished_total');
    assert.equal(sample(finished, { kind: 'desktop-image.copy', outcome: 'done' })?.value, '1');
    assert.equal(family(m, 'clouddesk_operations_running').metrics[0]?.value, '0');

    const bytes = Number(sample(family(m, 'clouddesk_import_bytes_total'), { source: 'url' })?.value);
    assert.ok(bytes > 0, 'imported bytes counted');
    assert.equal(family(m, 'clouddesk_import_duration_seconds').type, 'HISTOGRAM');
    assert.ok(Number(family(m, 'clouddesk_blob_store_bytes').metrics[0]?.value) >= bytes);
    assert.ok(Number(family(m, 'clouddesk_blob_store_blobs').metrics[0]?.value) >= 1);
    assert.ok(sample(family(m, 'clouddesk_audit_outbox_backlog'), { sink: 'file' }));
    family(m, 'process_cpu_user_seconds_total');
    family(m, 'nodejs_heap_size_used_bytes');
  });
});

describe('--metrics', () => {
  it('off: /metrics is an unknown path', async () => {
    const server = await startServer({ args: ['--metrics', 'off'] });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 404);
    } finally {
      await server.cleanup();
    }
  });

  it('HOST:PORT: served there, not on the API port', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = await startServer({ args: ['--metrics', `127.0.0.1:${port}`] });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 404);
      family(await scrape(port), 'clouddesk_rpc_total');
    } finally {
      await server.cleanup();
    }
  });
});
