/**
 * Audit events POSTed to an HTTP endpoint as one JSON array per batch (the layout Audit Trails
 * uses for bucket files). Any answer but 2xx, a network error or no answer within the timeout
 * fails the batch, and the delivery loop retries it with backoff; the receiver should accept
 * the same `event_id` twice (at-least-once delivery). The bearer token is sent, never logged.
 *
 *   const sink = new WebhookSink({ url: 'https://siem.example/audit', token: process.env.X });
 */
import type { AuditSink } from '../domain/audit/delivery.js';

export interface WebhookOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
}

export class WebhookSink implements AuditSink {
  readonly name = 'webhook';

  constructor(private readonly opts: WebhookOptions) {}

  async deliver(events: readonly string[], signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'clouddesk-audit' };
    if (this.opts.token) headers['authorization'] = `Bearer ${this.opts.token}`;
    const res = await fetch(this.opts.url, {
      method: 'POST',
      headers,
      body: `[${events.join(',')}]`,
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs ?? 10_000)]),
      redirect: 'error',
    });
    // Drain the body so the connection can be reused.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`webhook answered HTTP ${res.status}`);
  }
}
