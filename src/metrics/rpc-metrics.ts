/**
 * The two RPC metrics, `clouddesk_rpc_total` and `clouddesk_rpc_duration_seconds`: counted per
 * (method, protocol, code) in plain numbers as calls finish, and handed to prom-client's
 * registry, which renders them with the others, only when it is scraped.
 *
 * prom-client's Counter.inc and Histogram.observe are made for any label set: each call checks
 * the labels, builds a key string from them (twice: once per metric) and finds the bucket by the
 * string of its bound. That was about 3.5 µs of the 8 µs the RPC layer spends on a gRPC Get
 * (bench/RESULTS.md, seventh session). Here the labels are known and few, so a call costs three
 * Map lookups of interned strings and a few additions.
 *
 *   const rpc = new RpcMetrics(BUCKETS);
 *   rpc.register(registry);
 *   router.observe((e) => rpc.record(e));
 */
import type { Metric, Registry, RegistryContentType } from 'prom-client';
import type { RpcEvent } from '../transport/rpc.js';

const TOTAL = 'clouddesk_rpc_total';
const SECONDS = 'clouddesk_rpc_duration_seconds';

interface Cell {
  readonly labels: { readonly method: string; readonly code: string; readonly protocol: string };
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; the last one is above every bound (+Inf). */
  readonly buckets: Float64Array;
}

/** One sample as prom-client's registry renders it. */
interface Sample {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

export class RpcMetrics {
  /** method → protocol → code → cell */
  private readonly cells = new Map<string, Map<string, Map<string, Cell>>>();

  constructor(private readonly bounds: readonly number[]) {}

  record(e: RpcEvent): void {
    let byProtocol = this.cells.get(e.method);
    if (byProtocol === undefined) this.cells.set(e.method, (byProtocol = new Map()));
    let byCode = byProtocol.get(e.protocol);
    if (byCode === undefined) byProtocol.set(e.protocol, (byCode = new Map()));
    let cell = byCode.get(e.code);
    if (cell === undefined) {
      cell = { labels: { method: e.method, code: e.code, protocol: e.protocol }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length + 1) };
      byCode.set(e.code, cell);
    }
    let i = 0;
    while (i < this.bounds.length && e.seconds > this.bounds[i]!) i++;
    cell.buckets[i]!++;
    cell.count++;
    cell.sum += e.seconds;
  }

  /** Adds both metrics to the registry, under the names and help texts above. */
  register(registry: Registry<RegistryContentType>): void {
    const reset = (): void => this.cells.clear();
    const total = new Exported(TOTAL, 'RPCs answered, by full gRPC method path, gRPC code and protocol', 'counter', reset, () =>
      this.all().map((c) => ({ labels: c.labels, value: c.count })),
    );
    const seconds = new Exported(
      SECONDS, 'RPC latency, by full gRPC method path, gRPC code and protocol', 'histogram', reset,
      () => this.all().flatMap((c) => this.histogram(c)),
    );
    // prom-client's type names its own four classes; its registry asks only for what Exported has.
    registry.registerMetric(total as unknown as Metric);
    registry.registerMetric(seconds as unknown as Metric);
  }

  private all(): Cell[] {
    const out: Cell[] = [];
    for (const byProtocol of this.cells.values()) for (const byCode of byProtocol.values()) out.push(...byCode.values());
    return out;
  }

  private histogram(c: Cell): Sample[] {
    const out: Sample[] = [];
    let below = 0;
    this.bounds.forEach((le, i) => {
      below += c.buckets[i]!;
      out.push({ labels: { ...c.labels, le }, value: below, metricName: `${SECONDS}_bucket` });
    });
    out.push(
      { labels: { ...c.labels, le: '+Inf' }, value: c.count, metricName: `${SECONDS}_bucket` },
      { labels: c.labels, value: c.sum, metricName: `${SECONDS}_sum` },
      { labels: c.labels, value: c.count, metricName: `${SECONDS}_count` },
    );
    return out;
  }
}

/** A metric as prom-client's registry uses one: its name, help, type, and its samples on demand. */
class Exported {
  readonly aggregator = 'sum';

  constructor(
    // The registry renames a counter when it renders OpenMetrics.
    public name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    /** Forgets every count (the registry's resetMetrics). */
    readonly reset: () => void,
    private readonly samples: () => Sample[],
  ) {}

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() });
  }
}
