/** Builds the configured audit sinks (config `audit.sinks`). */
import type { AuditSink } from '../domain/audit/delivery.js';
import type { Config } from '../config/config.js';
import { JsonlFileSink } from './jsonl-file-sink.js';
import { StdoutSink } from './stdout-sink.js';
import { WebhookSink } from './webhook-sink.js';

export function createAuditSinks(audit: Config['audit']): AuditSink[] {
  return audit.sinks.map((name) => {
    switch (name) {
      case 'file':
        return new JsonlFileSink(audit.dir);
      case 'stdout':
        return new StdoutSink();
      case 'webhook':
        return new WebhookSink({ url: audit.webhook!.url, ...(audit.webhook!.token ? { token: audit.webhook!.token } : {}) });
    }
  });
}
