/**
 * The Prometheus adapter: every clouddesk metric, on one prom-client registry. The rest of the
 * program never sees prom-client: the composition root connects these counters to the Router's
 * RPC observer, the runner's operation observer, the audit delivery's failure callback and an
 * importer decorator; gauges read their values when scraped.
 *
 *   const metrics = new Metrics();
 *   router.observe(metrics.rpc);  runner.observe(metrics.operations);
 *   metrics.watch({ runningOperations: () => runner.runningCount, ... });
 *   res.end(await metrics.render());
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RpcObserver } from '../transport/rpc.js';
import type { OperationObserver } from '../domain/operation/observer.js';
import type { ImageImporter, ImportedImage } from '../domain/blobs/image-importer.js';
import { RpcMetrics } from './rpc-metrics.js';

/** Where scraped gauges read from. */
export interface MetricSources {
  runningOperations(): number;
  /** Events waiting per audit sink. */
  auditBacklog(): Promise<Record<string, number>>;
  /** Bytes and count of the blob store (may be slow: cached between scrapes). */
  blobUsage(): Promise<{ bytes: number; count: number }>;
}

const BLOB_USAGE_CACHE_MS = 10_000;

export class Metrics {
  readonly registry = new Registry();
  /** clouddesk_rpc_total and clouddesk_rpc_duration_seconds, counted without prom-client's label hashing. */
  private readonly rpcMetrics = new RpcMetrics([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  private readonly opsStarted = new Counter({
    name: 'clouddesk_operations_started_total', help: 'Operations started, by kind',
    labelNames: ['kind'] as const, registers: [this.registry],
  });
  private readonly opsFinished = new Counter({
    name: 'clouddesk_operations_finished_total', help: 'Operations finished, by kind and outcome (done, failed, cancelled)',
    labelNames: ['kind', 'outcome'] as const, registers: [this.registry],
  });
  private readonly importBytes = new Counter({
    name: 'clouddesk_import_bytes_total', help: 'Image bytes imported into the blob store, by source (url, file)',
    labelNames: ['source'] as const, registers: [this.registry],
  });
  private readonly importSeconds = new Histogram({
    name: 'clouddesk_import_duration_seconds', help: 'Image import duration, by source and outcome (ok, error)',
    labelNames: ['source', 'outcome'] as const, registers: [this.registry],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21600],
  });
  private readonly deliveryFailures = new Counter({
    name: 'clouddesk_audit_delivery_failures_total', help: 'Failed hand-overs of audit events to a sink, by sink',
    labelNames: ['sink'] as const, registers: [this.registry],
  });

  constructor() {
    this.rpcMetrics.register(this.registry);
    collectDefaultMetrics({ register: this.registry });
  }

  readonly rpc: RpcObserver = (e) => this.rpcMetrics.record(e);

  readonly operations: OperationObserver = {
    started: (op) => this.opsStarted.inc({ kind: op.kind }),
    finished: (op, outcome) => this.opsFinished.inc({ kind: op.kind, outcome }),
  };

  readonly deliveryFailed = (sink: string): void => {
    this.deliveryFailures.inc({ sink });
  };

  /** The importer, timed and counted. */
  meter(importer: ImageImporter): ImageImporter {
    const timed = async (source: 'url' | 'file', run: () => Promise<ImportedImage>): Promise<ImportedImage> => {
      const end = this.importSeconds.startTimer({ source });
      try {
        const image = await run();
        this.importBytes.inc({ source }, image.size);
        end({ outcome: 'ok' });
        return image;
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    };
    return {
      fromUrl: (url, signal) => timed('url', () => importer.fromUrl(url, signal)),
      fromFile: (path) => timed('file', () => importer.fromFile(path)),
    };
  }

  /** Gauges that read their sources when scraped. */
  watch(sources: MetricSources): void {
    const registers = [this.registry];
    new Gauge({
      name: 'clouddesk_operations_running', help: 'Operations whose jobs run in this process now', registers,
      collect() {
        this.set(sources.runningOperations());
      },
    });
    new Gauge({
      name: 'clouddesk_audit_outbox_backlog', help: 'Audit events not yet delivered, by sink', labelNames: ['sink'] as const, registers,
      async collect() {
        this.reset();
        for (const [sink, n] of Object.entries(await sources.auditBacklog())) this.set({ sink }, n);
      },
    });
    const usage = cached(sources.blobUsage, BLOB_USAGE_CACHE_MS);
    new Gauge({
      name: 'clouddesk_blob_store_bytes', help: 'Bytes held in the blob store', registers,
      async collect() {
        this.set((await usage()).bytes);
      },
    });
    new Gauge({
      name: 'clouddesk_blob_store_blobs', help: 'Blobs held in the blob store', registers,
      async collect() {
        this.set((await usage()).count);
      },
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** One computation shared by the gauges of a scrape, and reused for `ms`. */
function cached<T>(fn: () => Promise<T>, ms: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > ms) {
      const value = fn();
      last = { at: now, value };
      value.catch(() => (last = undefined));
    }
    return last.value;
  };
}
