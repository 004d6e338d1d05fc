/** Page tokens at run time: the pager (its key in the data dir) and purging expired cursors. */
import { join } from 'node:path';
import type { Module } from '../module.js';
import type { Store } from '../domain/store.js';
import type { Clock } from '../clock.js';
import { Pager } from '../domain/listing/pager.js';
import { loadSecret } from '../secrets.js';

export interface ListingModule extends Module {
  readonly pager: Pager;
}

export function listingModule(d: { store: Store; clock: Clock; dataDir: string }): ListingModule {
  return {
    name: 'listing',
    pager: new Pager(d.store, d.clock, loadSecret(join(d.dataDir, 'page-token.key'))),
    async housekeeping(tx, now) {
      await tx.pageCursors.purgeExpired(now);
    },
  };
}
