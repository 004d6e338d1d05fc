/** Small conversions shared by the wire bindings of every resource. */
import { create, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ListResult, ListRequest, PageRequest } from '../domain/listing/list-request.js';

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

/** The usual List request: folder, page, filter and order. */
export function listRequest(req: { folderId: string; pageSize: bigint; pageToken: string; filter?: string; orderBy?: string }): ListRequest {
  return { ...pageRequest(req), folderId: req.folderId, filter: req.filter ?? '', orderBy: req.orderBy ?? '' };
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
  return create(schema, { [field]: page.items.map(toWire), nextPageToken: page.nextPageToken } as unknown as MessageInitShape<S>);
}
