/**
 * Reads the audit events a test server wrote to its JSON Lines files, and waits for them.
 *
 *   const events = await waitForEvents(dir, (evs) => evs.some((e) => e.response?.operation_id === op.id));
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata } from 'nice-grpc';
import { waitFor } from '../harness/wait.js';

// Events are checked field by field; the shape is the Audit Trails envelope.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Event = Record<string, any>;

export function readEvents(auditDir: string): Event[] {
  if (!existsSync(auditDir)) return [];
  const out: Event[] = [];
  for (const name of readdirSync(auditDir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(auditDir, name), 'utf8').split('\n')) {
      if (line.trim() !== '') out.push(JSON.parse(line) as Event);
    }
  }
  return out;
}

export async function waitForEvents(auditDir: string, done: (events: Event[]) => boolean, timeoutMs = 15_000): Promise<Event[]> {
  let events: Event[] = [];
  return waitFor(
    () => {
      events = readEvents(auditDir);
      return done(events) && events;
    },
    { what: `audit events in ${auditDir}`, timeoutMs, intervalMs: 25, detail: () => `have ${events.length}` },
  );
}

export function eventsOf(events: Event[], operationId: string): Event[] {
  return events.filter((e) => e.response?.operation_id === operationId);
}

/** Waits for the STARTED and the final event of `operationId`; returns them in that order. */
export async function operationEvents(auditDir: string, operationId: string): Promise<[Event, Event]> {
  const events = await waitForEvents(auditDir, (evs) => {
    const mine = eventsOf(evs, operationId);
    return mine.some((e) => e.event_status === 'STARTED') && mine.some((e) => e.event_status !== 'STARTED');
  });
  const mine = eventsOf(events, operationId);
  return [mine.find((e) => e.event_status === 'STARTED')!, mine.find((e) => e.event_status !== 'STARTED')!];
}

/** Call options carrying the bearer token plus extra metadata (nice-grpc replaces, not merges, metadata). */
export function withMetadata(token: string, extra: Record<string, string>): { metadata: Metadata } {
  const md = Metadata({ authorization: `Bearer ${token}` });
  for (const [k, v] of Object.entries(extra)) md.set(k, v);
  return { metadata: md };
}
