/**
 * Decides whether a subject may act somewhere, from the access bindings on the scopes that
 * contain the resource (its folder, and for a desktop or a group, the group) and the role
 * catalogue. The bootstrap credential may do everything; every authenticated caller may read
 * images in the system folder. Grants are cached per subject and scopes for a few seconds (this
 * runs on every RPC) and dropped at once when bindings change, on every replica: the changing
 * transaction announces it, and every replica hears it when it commits.
 *
 *   const scopes = [{ type: 'folder', id: folderId }];
 *   if (!(await authorizer.allowed(subject, scopes, 'vdi.images', 'write'))) throw ...;
 *   const held = await authorizer.grantsOn(subject, scopes);   // for "grant only what you hold"
 */
import type { Repos, Store } from '../store.js';
import type { Clock } from '../../clock.js';
import type { Subject } from './subject.js';
import { ALL_AUTHENTICATED_USERS } from './subject.js';
import { allows, SYSTEM_FOLDER_READABLE, type Family, type Grant, type Level } from './permissions.js';
import { grantsOf } from './roles.js';
import type { ChangeFeed } from '../cluster.js';

const CHANGED_TOPIC = 'iam.bindings';

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const EVERYTHING: ReadonlySet<Grant> = new Set<Grant>(['*.read', '*.write', '*.admin', '*.use']);

/** A resource a role can be bound on: `{ type: 'folder', id }`, `{ type: 'desktopGroup', id }`. */
export interface Scope {
  readonly type: string;
  readonly id: string;
}

export const FOLDER = 'folder';

export const folderScope = (folderId: string): Scope => ({ type: FOLDER, id: folderId });

export class Authorizer {
  private readonly cache = new Map<string, { grants: ReadonlySet<Grant>; until: number }>();
  /** Bumped by every invalidation: grants read across one are not cached. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly systemFolderId: string,
    feed?: ChangeFeed,
  ) {
    feed?.subscribe(CHANGED_TOPIC, () => this.clear());
  }

  /** `scopes` start with the folder; the rest are resources inside it (a desktop group). */
  async allowed(subject: Subject, scopes: readonly Scope[], family: Family | null, level: Level): Promise<boolean> {
    if (subject.type === 'BOOTSTRAP') return true;
    const folder = scopes[0];
    if (level === 'read' && folder?.id === this.systemFolderId && family !== null && SYSTEM_FOLDER_READABLE.includes(family)) {
      return true;
    }
    return allows(await this.grantsOn(subject, scopes), family, level);
  }

  /** Everything the subject's bindings on the scopes grant (bootstrap: everything). */
  async grantsOn(subject: Subject, scopes: readonly Scope[]): Promise<ReadonlySet<Grant>> {
    if (subject.type === 'BOOTSTRAP') return EVERYTHING;
    const key = `${subject.id}\n${scopes.map((s) => `${s.type}:${s.id}`).join('\n')}`;
    const now = this.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.grants;
    const generation = this.generation;
    const roles = await this.store.read((tx) => tx.accessBindings.rolesOf(scopes, [subject.id, ALL_AUTHENTICATED_USERS]));
    const grants = grantsOf(roles);
    if (generation !== this.generation) return grants;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { grants, until: now + CACHE_TTL_MS });
    return grants;
  }

  private clear(): void {
    this.generation++;
    this.cache.clear();
  }

  /** Inside a transaction that changes access bindings (or deletes a subject): every replica drops its grants when it commits. */
  announce(tx: Repos): Promise<void> {
    return tx.clusterNotices.publish(CHANGED_TOPIC, '');
  }
}
