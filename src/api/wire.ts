/** Small conversions shared by the wire bindings of every resource. */
import { create, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ListResult, ListRequest, PageRequest } from '../domain/listing/list-request.js';
import { deepFreeze } from '../domain/deep-freeze.js';

export function ts(date: Date): Timestamp {
  return timestampFromDate(date);
}

/** The optional Timestamp of a nullable date. */
export function tsOrUndefined(date: Date | null | undefined): Timestamp | undefined {
  return date ? timestampFromDate(date) : undefined;
}

/** page_size and page_token of a List request, in domain terms (int64 → number). */
export function pageRequest(req: { pageSize: bigint; pageToken: string; filter?: string }): PageRequest {
  return { pageSize: Number(req.pageSize), pageToken: req.pageToken, ...(req.filter !== undefined && { filter: req.filter }) };
}

/**
 * The usual List request: folder, page, filter and order. Written out rather than as
 * `{ ...pageRequest(req), folderId, … }`: on Node 20, V8's optimised code gives an object made by
 * a spread followed by more keys a new hidden class on every call (bench/RESULTS.md, "Object
 * spread"), which cost a List about 7 µs and made the reads of the request downstream megamorphic.
 */
export function listRequest(req: { folderId: string; pageSize: bigint; pageToken: string; filter?: string; orderBy?: string }): ListRequest {
  return { pageSize: Number(req.pageSize), pageToken: req.pageToken, folderId: req.folderId, filter: req.filter ?? '', orderBy: req.orderBy ?? '' };
}

/**
 * A List response: the page's items on the wire under `field`, and the next page token.
 *
 *   return listResponse(ListDesktopImagesResponseSchema, 'desktopImages', page, desktopImageToWire);
 */
export function listResponse<S extends DescMessage, T>(
  schema: S,
  field: keyof MessageShape<S> & string,
  page: ListResult<T>,
  toWire: (item: T) => unknown,
): MessageShape<S> {
  const known = responses.get(page);
  if (known?.$typeName === schema.typeName) return known as MessageShape<S>;
  const msg = create(schema, { [field]: page.items.map(toWire), nextPageToken: page.nextPageToken } as unknown as MessageInitShape<S>);
  // A frozen result comes back for the same query while nothing changes (listing/list-request.ts):
  // its message is made and frozen once, and the transports encode it once.
  if (Object.isFrozen(page) && page.items.every((item) => Object.isFrozen(item))) responses.set(page, deepFreeze(msg));
  return msg;
}

const responses = new WeakMap<object, MessageShape<DescMessage>>();

/**
 * `toWire` made once per frozen row. The embedded store's row cache hands out the same frozen
 * row object until the row changes (a change is a new object), so its wire message is made
 * once, frozen in turn, and the transports reuse its encodings too (transport/encoded.ts). An
 * unfrozen row (PostgreSQL, or a row just written) is mapped as before. `toWire` must depend on
 * the row alone.
 *
 *   export const desktopImageToWire = memoWire((i: DesktopImage) => create(DesktopImageSchema, { ... }));
 */
export function memoWire<T extends object, W extends object>(toWire: (row: T) => W): (row: T) => W {
  const made = new WeakMap<T, W>();
  return (row) => {
    if (!Object.isFrozen(row)) return toWire(row);
    let wire = made.get(row);
    if (!wire) made.set(row, (wire = deepFreeze(toWire(row))));
    return wire;
  };
}
