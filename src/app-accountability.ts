/**
 * Wires audit events, idempotency keys and quotas into the app (app.ts calls this before it
 * recovers operations, so events of operations failed at start-up are written too). Starts
 * the audit delivery loop at once: events committed before a crash go out after restart.
 *
 *   const acc = startAccountability({ store, clock, runner, config });
 *   router.use(acc.auditContext);  router.use(auth);  router.use(acc.idempotency);
 *   acc.assertAudited(router);  ...  await acc.housekeeping(tx, now);  ...  await acc.stop();
 */
import type { Config } from './config/config.js';
import type { Clock } from './clock.js';
import type { Repos, Store } from './storage/store.js';
import type { OperationRunner } from './domain/operation/runner.js';
import type { Interceptor, Router } from './transport/rpc.js';
import { AuditLog } from './domain/audit/audit-log.js';
import { AuditDelivery } from './domain/audit/delivery.js';
import { assertAudited } from './domain/audit/event-types.js';
import { IdempotencyKeys } from './domain/idempotency/idempotency-keys.js';
import { DesktopImageQuota } from './domain/quota/desktop-image-quota.js';
import { createAuditSinks } from './audit-sinks/index.js';
import { auditContext } from './api/interceptors/audit-context.js';
import { idempotency, isMutating } from './api/interceptors/idempotency.js';
import { loggers } from './logger.js';

export interface Accountability {
  /** For the IAM use cases: `audit.record(tx, caller, ...)` for changes without an Operation. */
  readonly audit: AuditLog;
  readonly desktopImageQuota: DesktopImageQuota;
  /** Register first. */
  readonly auditContext: Interceptor;
  /** Register after authentication. */
  readonly idempotency: Interceptor;
  /** Throws when a served mutating RPC has no audit event type. */
  assertAudited(router: Router): void;
  /** Inside the periodic housekeeping transaction. */
  housekeeping(tx: Repos, now: Date): Promise<void>;
  stop(): Promise<void>;
}

export async function startAccountability(deps: { store: Store; clock: Clock; runner: OperationRunner; config: Config }): Promise<Accountability> {
  const { store, clock, runner, config } = deps;
  const sinks = createAuditSinks(config.audit);
  const delivery = new AuditDelivery(store, sinks, { retryMaxMs: config.audit.retryMaxMs });
  const audit = new AuditLog(store, clock, sinks.map((s) => s.name), () => delivery.wake());
  const keys = new IdempotencyKeys(store, clock, { ttlMs: config.idempotencyTtlMs });

  runner.onAccept((tx, op, caller, details) => audit.started(tx, op, caller, details));
  runner.onAccept(async (tx, op, caller) => {
    if (caller.idempotency) await keys.bind(tx, caller.idempotency, op.id);
  });
  runner.onFinish((tx, op, outcome) => audit.finished(tx, op, outcome));

  const waiting = await store.read((tx) => tx.auditOutbox.pendingBySink());
  for (const [sink, count] of Object.entries(waiting)) {
    if (!sinks.some((s) => s.name === sink)) {
      loggers.server.warn({ sink, count }, 'audit events wait for a sink that is not configured; they are kept until it is');
    }
  }
  delivery.start();

  return {
    audit,
    desktopImageQuota: new DesktopImageQuota(config.quotas.desktopImages, config.systemFolderId),
    auditContext: auditContext(audit),
    idempotency: idempotency(keys),
    assertAudited(router) {
      assertAudited(router.methods().filter((m) => m.handler && isMutating(m.method)).map((m) => m.path));
    },
    async housekeeping(tx, now) {
      await tx.idempotencyKeys.purgeExpired(now);
      await tx.auditOutbox.prune(new Date(now.getTime() - config.audit.retentionMs));
    },
    stop: () => delivery.stop(),
  };
}
