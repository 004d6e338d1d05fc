/**
 * Decides whether a subject may act on a folder, from the folder's access bindings and the role
 * catalogue. The bootstrap credential may do everything; every authenticated caller may read
 * images in the system folder. Grants are cached per subject and folder for a few seconds (this
 * runs on every RPC) and dropped at once when bindings change in this process.
 *
 *   if (!(await authorizer.allowed(subject, folderId, 'vdi.images', 'write'))) throw ...;
 *   const held = await authorizer.grantsOn(subject, folderId);   // for "grant only what you hold"
 */
import type { Store } from '../store.js';
import type { Clock } from '../../clock.js';
import type { Subject } from './subject.js';
import { ALL_AUTHENTICATED_USERS } from './subject.js';
import { allows, SYSTEM_FOLDER_READABLE, type Family, type Grant, type Level } from './permissions.js';
import { grantsOf } from './roles.js';

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const EVERYTHING: ReadonlySet<Grant> = new Set<Grant>(['*.read', '*.write', '*.admin']);

export class Authorizer {
  private readonly cache = new Map<string, { grants: ReadonlySet<Grant>; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly systemFolderId: string,
  ) {}

  async allowed(subject: Subject, folderId: string, family: Family | null, level: Level): Promise<boolean> {
    if (subject.type === 'BOOTSTRAP') return true;
    if (level === 'read' && folderId === this.systemFolderId && family !== null && SYSTEM_FOLDER_READABLE.includes(family)) {
      return true;
    }
    return allows(await this.grantsOn(subject, folderId), family, level);
  }

  /** Everything the subject's bindings on the folder grant (bootstrap: everything). */
  async grantsOn(subject: Subject, folderId: string): Promise<ReadonlySet<Grant>> {
    if (subject.type === 'BOOTSTRAP') return EVERYTHING;
    const key = `${subject.id}\n${folderId}`;
    const now = this.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.grants;
    const roles = await this.store.read((tx) => tx.accessBindings.rolesOf(folderId, [subject.id, ALL_AUTHENTICATED_USERS]));
    const grants = grantsOf(roles);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { grants, until: now + CACHE_TTL_MS });
    return grants;
  }

  /** Called after access bindings change (or a subject is deleted). */
  invalidate(): void {
    this.cache.clear();
  }
}
