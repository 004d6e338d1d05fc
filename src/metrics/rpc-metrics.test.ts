import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, type OpenMetricsContentType, type RegistryContentType } from 'prom-client';
import { RpcMetrics } from './rpc-metrics.js';

const GET = '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Get';

/** The value of the one line that starts with `prefix` (a sample name with its labels). */
function line(text: string, prefix: string): string {
  const found = text.split('\n').filter((l) => l.startsWith(`${prefix} `));
  assert.equal(found.length, 1, `one line ${prefix} in\n${text}`);
  return found[0]!.slice(prefix.length + 1);
}

function setUp(contentType?: OpenMetricsContentType): { rpc: RpcMetrics; registry: Registry<RegistryContentType> } {
  const registry = new Registry<RegistryContentType>();
  if (contentType) registry.setContentType(contentType);
  const rpc = new RpcMetrics([0.001, 0.01, 0.1]);
  rpc.register(registry);
  return { rpc, registry };
}

describe('RpcMetrics', () => {
  it('renders the counter and a cumulative histogram per method, code and protocol', async () => {
    const { rpc, registry } = setUp();
    // A value equal to a bound counts in that bound's bucket, as Prometheus's `le` says.
    for (const seconds of [0.0004, 0.001, 0.005, 0.5]) rpc.record({ method: GET, protocol: 'grpc', code: 'OK', seconds });
    rpc.record({ method: GET, protocol: 'rest', code: 'NOT_FOUND', seconds: 0.02 });
    const text = await registry.metrics();

    assert.match(text, /^# TYPE clouddesk_rpc_total counter$/m);
    assert.match(text, /^# TYPE clouddesk_rpc_duration_seconds histogram$/m);
    const grpcOk = `method="${GET}",code="OK",protocol="grpc"`;
    const restMissing = `method="${GET}",code="NOT_FOUND",protocol="rest"`;
    assert.equal(line(text, `clouddesk_rpc_total{${grpcOk}}`), '4');
    assert.equal(line(text, `clouddesk_rpc_total{${restMissing}}`), '1');
    const buckets = ['0.001', '0.01', '0.1', '+Inf'].map((le) => line(text, `clouddesk_rpc_duration_seconds_bucket{${grpcOk},le="${le}"}`));
    assert.deepEqual(buckets, ['2', '3', '3', '4']);
    assert.equal(Number(line(text, `clouddesk_rpc_duration_seconds_sum{${grpcOk}}`)), 0.0004 + 0.001 + 0.005 + 0.5);
    assert.equal(line(text, `clouddesk_rpc_duration_seconds_count{${grpcOk}}`), '4');
    assert.equal(line(text, `clouddesk_rpc_duration_seconds_bucket{${restMissing},le="0.01"}`), '0');
    assert.equal(line(text, `clouddesk_rpc_duration_seconds_bucket{${restMissing},le="0.1"}`), '1');
  });

  it('is named as OpenMetrics wants when the registry renders that, and forgets on resetMetrics', async () => {
    const { rpc, registry } = setUp(Registry.OPENMETRICS_CONTENT_TYPE);
    rpc.record({ method: GET, protocol: 'grpc', code: 'OK', seconds: 0.002 });
    const open = await registry.metrics();
    assert.match(open, /^# TYPE clouddesk_rpc counter$/m);
    assert.equal(line(open, `clouddesk_rpc_total{method="${GET}",code="OK",protocol="grpc"}`), '1');

    registry.resetMetrics();
    const after = await registry.metrics();
    assert.doesNotMatch(after, /method=/);
    rpc.record({ method: GET, protocol: 'grpc', code: 'OK', seconds: 0.002 });
    assert.match(await registry.metrics(), /clouddesk_rpc_total\{[^}]*\} 1$/m);
  });
});
