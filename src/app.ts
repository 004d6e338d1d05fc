/**
 * Composition root: opens the store and the blob store, recovers what a crash left, wires the
 * domain services into the API, and starts the one-port listener.
 *
 *   const app = await startApp(config);
 *   ...
 *   await app.stop();
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { loadSecret } from './secrets.js';
import { join } from 'node:path';
import type http from 'node:http';
import type { Config } from './config/config.js';
import { systemClock, type Clock } from './clock.js';
import { flushLogs, loggers } from './logger.js';
import { SqliteStore } from './storage/sqlite/sqlite-store.js';
import type { Store } from './storage/store.js';
import { DiskBlobStore } from './blobs/disk-blob-store.js';
import { BlobCollector } from './domain/blobs/collector.js';
import { OperationRunner } from './domain/operation/runner.js';
import { Operations } from './domain/operation/operations.js';
import { Pager } from './domain/listing/pager.js';
import { DesktopImages, KIND } from './domain/desktop-image/desktop-images.js';
import { desktopImageJobs } from './domain/desktop-image/jobs.js';
import { seedSystemImages } from './domain/desktop-image/system-images.js';
import { COMPUTE_KIND, ComputeImages } from './domain/compute-image/compute-images.js';
import { computeImageJobs } from './domain/compute-image/jobs.js';
import { Router } from './transport/rpc.js';
import { createGrpcServer } from './transport/grpc-server.js';
import { startListener, type Listener } from './transport/listener.js';
import { createHttpHandler } from './transport/http-handler.js';
import { addHealthService } from './transport/health.js';
import { addReflectionService, reflectionServices } from './transport/reflection.js';
import { registerDesktopImageService } from './api/desktop-image-service/index.js';
import { registerOperationService } from './api/operation-service/index.js';
import { registerImageService } from './api/image-service/index.js';
import { startAccountability } from './app-accountability.js';
import { startIam } from './app-iam.js';

export interface App {
  readonly port: number;
  readonly router: Router;
  stop(): Promise<void>;
}

export async function startApp(config: Config, clock: Clock = systemClock): Promise<App> {
  mkdirSync(config.dataDir, { recursive: true });
  const store: Store = await SqliteStore.open(join(config.dataDir, 'clouddesk.db'));
  const blobs = await DiskBlobStore.open(join(config.dataDir, 'blobs'));
  const collector = new BlobCollector(store, blobs);

  const runner = new OperationRunner(store, clock);
  const pager = new Pager(store, clock, loadSecret(join(config.dataDir, 'page-token.key')));
  runner.registerAll(KIND, desktopImageJobs(blobs, collector));
  runner.registerAll(COMPUTE_KIND, computeImageJobs(blobs, collector, config.importer));
  // Audit and idempotency hook into the runner before recovery finishes anything.
  const accountability = await startAccountability({ store, clock, runner, config });
  const iam = startIam({
    store, clock, runner, pager, config,
    recordChange: (tx, caller, change) => accountability.audit.record(tx, caller, change),
  });

  // Leftovers of a crash first: unreferenced blobs and temp files, then unfinished operations.
  await collector.sweep();
  if (config.systemImagesDir) {
    await seedSystemImages({
      dir: config.systemImagesDir, folderId: config.systemFolderId, store, blobs, collector, clock,
      maxBytes: config.importer.maxBytes, maxVirtualSize: config.importer.maxVirtualSize,
    });
  }
  const recovered = await runner.recover();
  if (recovered > 0) loggers.server.info({ recovered }, 'recovered unfinished operations');

  const router = new Router();
  // Authentication is a guard: it runs before validation and every interceptor. Then order
  // matters: the audit context first (it records refusals by everything after it), then
  // authorization, then idempotency (its keys are scoped by the subject).
  router.guard(iam.auth.authenticate);
  router.use(accountability.auditContext);
  router.use(iam.auth.authorize);
  router.use(accountability.idempotency);
  registerDesktopImageService(router, new DesktopImages(store, runner, pager, clock, config.systemFolderId, accountability.desktopImageQuota));
  registerImageService(router, new ComputeImages(store, runner, pager, clock));
  registerOperationService(router, new Operations(store, runner));
  iam.register(router);

  const housekeeping = setInterval(() => {
    const now = clock.now();
    void store
      .transact(async (tx) => {
        await tx.pageCursors.purgeExpired(now);
        await tx.operations.purgeFinished(new Date(now.getTime() - config.operationRetentionMs));
        await accountability.housekeeping(tx, now);
        await iam.housekeeping(tx, now);
      })
      .catch((err: unknown) => loggers.store.warn({ err }, 'housekeeping failed'));
  }, 60_000);
  housekeeping.unref();

  accountability.assertAudited(router);
  iam.auth.seal(router);
  const grpcServer = createGrpcServer(router);
  const httpHandler: http.RequestListener = createHttpHandler({ router, ready: () => serving() });
  let stopped = false;
  // Discovery beside the Router's services: gRPC health reports SERVING until stop() begins (the
  // store is closed only after that), the same test as /readyz; reflection describes them all.
  const serving = (): boolean => !stopped;
  const health = addHealthService(grpcServer, { serving, services: [...router.services(), ...reflectionServices] });
  addReflectionService(grpcServer, [...router.services(), health.service]);
  const listener: Listener = await startListener({
    host: config.listen.host,
    port: config.listen.port,
    tls: config.tls ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : undefined,
    grpc: grpcServer,
    http: httpHandler,
  });
  loggers.server.info(
    { address: listener.address, port: listener.port, tls: Boolean(config.tls), dataDir: config.dataDir },
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
      await listener.close(config.shutdownGraceMs);
      await runner.stop();
      await accountability.stop();
      await store.close();
      loggers.server.info('clouddesk stopped');
    },
  };
}
