/**
 * Audit events to standard output, one JSON object per line, for container log collectors.
 * They share stdout with the server's JSON logs; an event line is told apart by `event_id`.
 */
import type { AuditSink } from '../domain/audit/delivery.js';

export class StdoutSink implements AuditSink {
  readonly name = 'stdout';

  deliver(events: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      process.stdout.write(`${events.join('\n')}\n`, (err) => (err ? reject(err) : resolve()));
    });
  }
}
