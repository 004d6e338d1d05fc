/** Page tokens at run time: the pager (its key shared by every replica) and purging expired cursors. */
import type { Module } from '../module.js';
import type { Store } from '../domain/store.js';
import type { Clock } from '../clock.js';
import { Pager } from '../domain/listing/pager.js';

export interface ListingModule extends Module {
  readonly pager: Pager;
}

export function listingModule(d: { store: Store; clock: Clock; pageTokenKey: Buffer }): ListingModule {
  return {
    name: 'listing',
    pager: new Pager(d.store, d.clock, d.pageTokenKey),
    async housekeeping(tx, now) {
      await tx.pageCursors.purgeExpired(now);
    },
  };
}
