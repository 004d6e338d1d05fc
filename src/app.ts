/**
 * Composition root: a list of modules and a fixed sequence of phases.
 *
 *   open adapters → build modules → jobs → start → recover → register → seal → listen
 *
 * Each module is given just the services it uses; the static parts list (resources.ts) feeds
 * the hubs: the store's tables, the wire registry, the authorization table, the audit catalogue.
 *
 *   const app = await startApp(config);
 *   ...
 *   await app.stop();
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type http from 'node:http';
import type { Config } from './config/config.js';
import { systemClock, type Clock } from './clock.js';
import { flushLogs, loggers } from './logger.js';
import { AesGcmBox } from './secrets.js';
import { newId } from './ids.js';
import { secureDataDir } from './data-dir.js';
import { holdDataDirLock } from './data-dir-lock.js';
import { STAGES, type Module } from './module.js';
import { DESCRIPTORS, RESPONSES, SERVICES, STORAGE } from './resources.js';
import { openStore } from './storage/open-store.js';
import { openBlobStore } from './blobs/open-blob-store.js';
import { StreamingImageImporter } from './blobs/image-importer.js';
import { BlobCollector } from './domain/blobs/collector.js';
import { OperationRunner } from './domain/operation/runner.js';
import { Operations } from './domain/operation/operations.js';
import { AuditCatalog } from './domain/audit/event-types.js';
import { OperationWire } from './api/operation-wire.js';
import { authzTable } from './api/authz/table.js';
import { auditEventTypes } from './api/audit-events.js';
import { auditModule } from './modules/audit.js';
import { idempotencyModule } from './modules/idempotency.js';
import { authModule } from './modules/auth.js';
import { listingModule } from './modules/listing.js';
import { operationModule } from './resources/operation/module.js';
import { desktopImageModule } from './resources/desktop-image/module.js';
import { computeImageModule } from './resources/compute-image/module.js';
import { serviceAccountModule } from './resources/service-account/module.js';
import { keyModule } from './resources/key/module.js';
import { iamTokenModule } from './resources/iam-token/module.js';
import { accessBindingModule } from './resources/access-binding/module.js';
import { roleModule } from './resources/role/module.js';
import { desktopModule } from './resources/desktop/module.js';
import { desktopGroupModule } from './resources/desktop-group/module.js';
import { openRuntime } from './runtimes/open-runtime.js';
import { endpointModule } from './resources/endpoint/module.js';
import { emulatorModule, type EmulatorModule } from './modules/emulator/emulator.js';
import { Router } from './transport/rpc.js';
import { createGrpcServer } from './transport/grpc-server.js';
import { startListener, type Listener } from './transport/listener.js';
import { createHttpHandler } from './transport/http-handler.js';
import { loadStaticSite } from './transport/static-site.js';
import { addHealthService } from './transport/health.js';
import { addReflectionService, reflectionServices } from './transport/reflection.js';
import { Metrics } from './metrics/prometheus.js';
import { metricsRoute, serveMetrics, type MetricsServer } from './metrics/endpoint.js';
import type { HttpRoute } from './transport/http-handler.js';

export interface App {
  readonly port: number;
  readonly router: Router;
  stop(): Promise<void>;
}

const HOUSEKEEPING_MS = 60_000;
/** The built web console: `npm run build` writes it to dist/console, beside dist/src/app.js. */
const CONSOLE_DIR = resolve(import.meta.dirname, '../console');

export async function startApp(config: Config, clock: Clock = systemClock): Promise<App> {
  // Open adapters.
  secureDataDir(config.dataDir); // 0700 / no group-other bits, before anything is written
  // The embedded store's data dir is this process's alone while it runs (migrate and restore check).
  const dirLock = config.database ? undefined : holdDataDirLock(config.dataDir);

  // The cluster: what replicas on one database share (change feed, locks, secrets); this process alone on SQLite.
  const { store, cluster } = await openStore(config, STORAGE);
  const replicaId = newId('rep');
  const blobs = await openBlobStore(config, { holdsDataDirLock: dirLock !== undefined });
  const metrics = config.metrics.mode === 'off' ? undefined : new Metrics();
  const streaming = new StreamingImageImporter(blobs, config.importer);
  const importer = metrics ? metrics.meter(streaming) : streaming;
  const runtime = openRuntime(config.desktops, clock, { dataDir: config.dataDir, shutdownGraceMs: config.shutdownGraceMs, blobs, importer });

  // Build modules: shared services first, then each part with just what it uses.
  const collector = new BlobCollector(store, blobs);
  const box = new AesGcmBox(await cluster.secret('import-uri.key'));
  const runner = new OperationRunner(store, clock, { replicaId, leaseMs: config.operationLeaseMs, shared: cluster.shared, feed: cluster.feed });
  const wire = new OperationWire(RESPONSES, SERVICES.map((s) => s.service));
  const listing = listingModule({ store, clock, pageTokenKey: await cluster.secret('page-token.key') });
  const { pager } = listing;
  const operations = new Operations(store, runner, pager);
  const audit = auditModule({ store, clock, config: config.audit, catalog: new AuditCatalog(auditEventTypes(SERVICES), DESCRIPTORS), anyTypes: wire.anyTypes,
    delivers: () => cluster.leads('audit-delivery'), onDeliveryFailure: metrics?.deliveryFailed,
  });
  const auth = authModule({
    store, clock, dataDir: config.dataDir, bootstrapToken: config.bootstrapToken, systemFolderId: config.systemFolderId,
    descriptors: DESCRIPTORS, table: authzTable(SERVICES), trustProxy: config.trustProxy, authFailureLimit: config.authFailureLimit,
    feed: cluster.feed,
  });
  const { tokens, authorizer, throttling } = auth;
  const recordChange = audit.log.recorder();
  const desktops = desktopModule({
    store, clock, runner, operations, pager, collector, runtime, recordChange, wire, quota: config.quotas.desktops,
  });
  let boundPort = config.listen.port; // the real one once listening (the flag may say 0)
  const modules: Module[] = [
    listing,
    audit,
    auth,
    idempotencyModule({ store, clock, ttlMs: config.idempotencyTtlMs, wire }),
    operationModule({ operations, wire, retentionMs: config.operationRetentionMs }),
    computeImageModule({
      store, clock, runner, operations, pager, collector, importer, wire, imports: config.importer, quota: config.quotas.computeImages, box,
    }),
    desktopImageModule({
      store, clock, runner, pager, blobs, collector, importer, wire,
      systemFolderId: config.systemFolderId, systemImagesDir: config.systemImagesDir, quota: config.quotas.desktopImages, runtime,
      exclusive: (name, fn) => cluster.exclusive(name, fn),
    }),
    desktops,
    desktopGroupModule({ store, clock, runner, operations, pager, collector, authorizer, wire, systemFolderId: config.systemFolderId, desktops }),
    serviceAccountModule({ store, clock, runner, pager, tokens, authorizer, wire }),
    keyModule({ store, clock, runner, pager, tokens, recordChange, wire }),
    iamTokenModule({ tokens, throttling, wire }),
    accessBindingModule({ store, runner, pager, authorizer, wire }),
    roleModule({ pager, wire }),
    endpointModule({ where: () => ({ publicAddress: config.publicAddress, host: config.listen.host, port: boundPort }), wire }),
  ];

  // Test controls under /_clouddesk/ (off: those paths are unknown, 404).
  const emulator: EmulatorModule | undefined = config.emulator
    ? emulatorModule({ store, blobs, collector, runner, bootstrap: auth.bootstrap, dataDir: config.dataDir, modules: () => modules })
    : undefined;
  if (emulator) modules.push(emulator);

  // Jobs, and what commits with every operation (hooks run before recovery finishes anything).
  for (const m of modules) {
    if (m.jobs) runner.registerAll(m.jobs);
    if (m.hooks?.accept) runner.onAccept(m.hooks.accept);
    if (m.hooks?.finish) runner.onFinish(m.hooks.finish);
  }

  if (metrics) {
    runner.observe(metrics.operations);
    metrics.watch({
      runningOperations: () => runner.runningCount,
      auditBacklog: async () => ({
        ...Object.fromEntries(config.audit.sinks.map((s) => [s, 0])), // a configured sink with nothing waiting shows 0
        ...(await store.read((tx) => tx.auditOutbox.pendingBySink())),
      }),
      blobUsage: () => blobs.usage(),
    });
  }

  // Start: what a crash left first (unreferenced blobs, temp files), then each module.
  await collector.sweep();
  const stopBlobHousekeeping = collector.startBackground();
  for (const m of modules) await m.start?.();

  // Recover unfinished operations.
  const recovered = await runner.recover(); // and from now on, take over what other replicas leave
  if (recovered > 0) loggers.server.info({ recovered }, 'recovered unfinished operations');

  // Register: guards, interceptors by stage, handlers.
  const router = new Router();
  if (metrics) router.observe(metrics.rpc);
  for (const m of modules) if (m.guard) router.guard(m.guard);
  for (const stage of STAGES) for (const m of modules) if (m.interceptors?.[stage]) router.use(m.interceptors[stage]);
  for (const m of modules) m.register?.(router);

  // Seal: checks against the whole router (an RPC without a rule or an audit event stops start-up).
  for (const m of modules) m.seal?.(router);

  const housekeeping = setInterval(() => {
    const now = clock.now();
    void store
      .transact(async (tx) => {
        for (const m of modules) await m.housekeeping?.(tx, now);
      })
      .catch((err: unknown) => loggers.store.warn({ err }, 'housekeeping failed'));
  }, HOUSEKEEPING_MS);
  housekeeping.unref();

  // Listen.
  const grpcServer = createGrpcServer(router);
  let stopped = false;
  // Discovery beside the Router's services: gRPC health reports SERVING until stop() begins (the
  // store is closed only after that), the same test as /readyz; reflection describes them all.
  const serving = (): boolean => !stopped;
  const routes: HttpRoute[] = [];
  if (metrics && config.metrics.mode === 'same') routes.push(metricsRoute(metrics));
  if (emulator) routes.push(emulator.route);
  const httpHandler: http.RequestListener = createHttpHandler({ router, anyTypes: wire.anyTypes, ready: serving, site: loadStaticSite('/console', CONSOLE_DIR), routes });
  const health = addHealthService(grpcServer, { serving, services: [...router.services(), ...reflectionServices] });
  addReflectionService(grpcServer, [...router.services(), health.service]);
  const listener: Listener = await startListener({
    host: config.listen.host,
    port: config.listen.port,
    tls: config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined,
    grpc: grpcServer,
    http: httpHandler,
  });
  boundPort = listener.port;
  const metricsServer: MetricsServer | undefined =
    metrics && config.metrics.mode === 'listen' ? await serveMetrics(metrics, config.metrics.host, config.metrics.port) : undefined;
  loggers.server.info(
    { address: listener.address, port: listener.port, tls: Boolean(config.tls), dataDir: config.dataDir, replicaId },
    'clouddesk listening',
  );
  flushLogs();

  return {
    port: listener.port,
    router,
    async stop() {
      if (stopped) return;
      stopped = true;
      health.shutdown(); // watchers hear NOT_SERVING; their streams end so the drain is not held
      clearInterval(housekeeping);
      stopBlobHousekeeping();
      await listener.close(config.shutdownGraceMs);
      await metricsServer?.close();
      await runner.stop();
      for (const m of [...modules].reverse()) await m.stop?.();
      await cluster.close();
      await store.close();
      dirLock?.release();
      loggers.server.info('clouddesk stopped');
    },
  };
}
