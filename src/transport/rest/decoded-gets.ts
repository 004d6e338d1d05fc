/**
 * The decoded requests of recent GETs, by URL. A poller, a console or a script repeating a GET
 * (a List page, a Get) has its query string and path mapped to a message once; the calls after
 * share that message, frozen, as every stage only reads its request (validation, interceptors,
 * handlers). Mapping the query (URLSearchParams, the JSON of its fields, fromJson) was about 4 %
 * of a REST List's CPU (bench/RESULTS.md, ninth session).
 *
 *   const gets = new DecodedGets();
 *   const request = gets.get(req.url) ?? gets.keep(req.url, requestMessage(route, params, query, undefined, registry));
 *
 * A URL that does not decode throws each time: only messages are kept. Bounded in count and in
 * the length of the URLs kept, so a client cannot grow it.
 */
import type { Message } from '@bufbuild/protobuf';
import { deepFreeze } from '../../domain/deep-freeze.js';
import { Recent } from '../../domain/recent.js';

export const RECENT_GETS = 1024;
/** Longer URLs are decoded every time (they are rare, and each would hold its own text). */
export const MAX_KEPT_URL = 512;

export class DecodedGets {
  private readonly byUrl: Recent<string, Message>;

  constructor(max = RECENT_GETS) {
    this.byUrl = new Recent(max);
  }

  get(url: string): Message | undefined {
    return this.byUrl.get(url);
  }

  /** `msg`, frozen and kept for `url`; a URL too long to keep gets its message back as it is. */
  keep(url: string, msg: Message): Message {
    return url.length > MAX_KEPT_URL ? msg : this.byUrl.keep(url, deepFreeze(msg));
  }

  get size(): number {
    return this.byUrl.size;
  }
}
