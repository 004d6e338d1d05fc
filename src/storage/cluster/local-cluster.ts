/**
 * The cluster of one process (the embedded store): notices go straight to this process's
 * handlers, exclusive sections queue behind each other, this process leads everything, and
 * secrets are files in the data dir (0600), as they always were.
 *
 *   const cluster = new LocalCluster(dataDir);
 */
import { join } from 'node:path';
import type { ChangeFeed, Cluster } from '../../domain/cluster.js';
import { loadSecret } from '../../secrets.js';
import { loggers } from '../../logger.js';

/** Handlers by topic; shared by the local and the PostgreSQL feed. */
export class LocalFeed implements ChangeFeed {
  private readonly handlers = new Map<string, Set<(payload: string | undefined) => void>>();

  async publish(topic: string, payload: string): Promise<void> {
    this.deliver(topic, payload);
  }

  subscribe(topic: string, handler: (payload: string | undefined) => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  deliver(topic: string, payload: string | undefined): void {
    for (const h of this.handlers.get(topic) ?? []) {
      try {
        h(payload);
      } catch (err) {
        loggers.server.warn({ err, topic }, 'a change notice could not be handled');
      }
    }
  }

  /** Notices may have been missed: every handler drops what it caches. */
  gap(): void {
    for (const topic of this.handlers.keys()) this.deliver(topic, undefined);
  }
}

export class LocalCluster implements Cluster {
  readonly shared = false;
  readonly feed = new LocalFeed();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly dataDir: string) {}

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    this.tails.set(name, run);
    return run;
  }

  async leads(): Promise<boolean> {
    return true;
  }

  async secret(name: string): Promise<Buffer> {
    return loadSecret(join(this.dataDir, name));
  }

  async close(): Promise<void> {}
}
