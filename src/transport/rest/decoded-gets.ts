/**
 * The decoded requests of recent GETs, by URL. A poller, a console or a script repeating a GET
 * (a List page, a Get) has its query string and path mapped to a message once; the calls after
 * share that message, frozen, as every stage only reads its request (validation, interceptors,
 * handlers). Mapping the query (URLSearchParams, the JSON of its fields, fromJson) was about 4 %
 * of a REST List's CPU (bench/RESULTS.md, ninth session).
 *
 *   const gets = new DecodedGets();
 *   const request = gets.get(req.url, () => requestMessage(route, params, query, undefined, registry));
 *
 * A URL that does not decode throws each time: only messages are kept. Bounded in count and in
 * the length of the URLs kept, so a client cannot grow it.
 */
import type { Message } from '@bufbuild/protobuf';
import { deepFreeze } from '../../domain/deep-freeze.js';

export const RECENT_GETS = 1024;
/** Longer URLs are decoded every time (they are rare, and each would hold its own text). */
export const MAX_KEPT_URL = 512;

export class DecodedGets {
  private readonly byUrl = new Map<string, Message>();

  constructor(private readonly max = RECENT_GETS) {}

  get(url: string, decode: () => Message): Message {
    if (url.length > MAX_KEPT_URL) return decode();
    let msg = this.byUrl.get(url);
    if (msg === undefined) {
      msg = deepFreeze(decode());
      if (this.byUrl.size >= this.max) this.byUrl.delete(this.byUrl.keys().next().value!);
      this.byUrl.set(url, msg);
    }
    return msg;
  }

  get size(): number {
    return this.byUrl.size;
  }
}
