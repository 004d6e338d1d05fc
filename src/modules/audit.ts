/**
 * The audit part at run time: events written into the outbox in the transaction of their
 * change (the runner's accept and finish hooks; the `context` interceptor for calls refused
 * before any Operation), delivered by a loop that starts with the server, so events committed
 * just before a crash go out after restart.
 *
 *   const audit = auditModule({ store, clock, config: config.audit, catalog, anyTypes });
 *   audit.log.record(tx, caller, { folderId, details });   // a change without an Operation
 */
import type { Registry } from '@bufbuild/protobuf';
import type { Module } from '../module.js';
import type { Store } from '../domain/store.js';
import type { Clock } from '../clock.js';
import type { AuditConfig } from '../config/accountability.js';
import { AuditLog } from '../domain/audit/audit-log.js';
import { AuditDelivery } from '../domain/audit/delivery.js';
import type { AuditCatalog } from '../domain/audit/event-types.js';
import { createAuditSinks } from '../audit-sinks/index.js';
import { auditContext } from '../api/interceptors/audit-context.js';
import { isMutating } from '../api/interceptors/idempotency.js';
import { loggers } from '../logger.js';

export interface AuditModule extends Module {
  readonly log: AuditLog;
}

export function auditModule(d: {
  store: Store; clock: Clock; config: AuditConfig; catalog: AuditCatalog; anyTypes: Registry;
  /** Whether this replica is the one that delivers now (one at a time). */
  delivers: () => Promise<boolean>;
  /** Hears each failed hand-over to a sink (metrics). */
  onDeliveryFailure?: (sink: string) => void;
}): AuditModule {
  const sinks = createAuditSinks(d.config);
  const delivery = new AuditDelivery(d.store, sinks, { retryMaxMs: d.config.retryMaxMs, delivers: d.delivers, onFailure: d.onDeliveryFailure });
  const log = new AuditLog(d.store, d.clock, d.catalog, sinks.map((s) => s.name), () => delivery.wake());
  return {
    name: 'audit',
    log,
    hooks: {
      accept: (tx, op, caller, details, endsNow) => log.started(tx, op, caller, details, endsNow),
      finish: (tx, op, outcome) => log.finished(tx, op, outcome),
    },
    interceptors: { context: auditContext(log, d.catalog, d.anyTypes) },
    seal(router) {
      d.catalog.assertAudited(router.methods().filter((m) => m.handler && isMutating(m.method)).map((m) => m.path));
    },
    async housekeeping(tx, now) {
      await tx.auditOutbox.prune(new Date(now.getTime() - d.config.retentionMs));
    },
    async start() {
      const waiting = await d.store.read((tx) => tx.auditOutbox.pendingBySink());
      for (const [sink, count] of Object.entries(waiting)) {
        if (!sinks.some((s) => s.name === sink)) {
          loggers.server.warn({ sink, count }, 'audit events wait for a sink that is not configured; they are kept until it is');
        }
      }
      delivery.start();
    },
    stop: () => delivery.stop(),
  };
}
