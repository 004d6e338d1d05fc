/**
 * A local HTTP endpoint for the webhook sink: answers 500 while `failing`, else 200, and keeps
 * every event it accepted (duplicates included, as at-least-once delivery allows).
 *
 *   const hook = await startWebhookReceiver();  hook.failing = true;  ...  hook.url
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Event } from './audit-files.js';

export interface WebhookReceiver {
  readonly url: string;
  failing: boolean;
  /** Events of accepted POSTs, in arrival order. */
  readonly accepted: Event[];
  /** POSTs answered 500. */
  refused: number;
  /** Anything odd about a request (method, content type, body not a JSON array). */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = { failing: false, accepted: [] as Event[], refused: 0, problems: [] as string[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') receiver.problems.push(`method ${req.method}`);
      if (req.headers['content-type'] !== 'application/json') receiver.problems.push(`content-type ${req.headers['content-type']}`);
      if (receiver.failing) {
        receiver.refused++;
        res.writeHead(500).end('down');
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        if (!Array.isArray(body)) throw new Error('not an array');
        receiver.accepted.push(...(body as Event[]));
      } catch (err) {
        receiver.problems.push(`body: ${String(err)}`);
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/audit`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
