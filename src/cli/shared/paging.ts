/**
 * Every page of a List call, up to `--limit`: the loop each `list*` command shares.
 *
 *   const desktops = await allPages(o.limit, (pageToken, pageSize) =>
 *     ctx.api.call(DesktopService.method.list, { folderId, pageToken, pageSize }).then((p) => [p.desktops, p.nextPageToken]));
 */
import { parseLimit } from './refs.js';

export async function allPages<T>(limitText: string | undefined, page: (pageToken: string, pageSize: bigint) => Promise<[T[], string]>): Promise<T[]> {
  const limit = parseLimit(limitText);
  const out: T[] = [];
  let pageToken = '';
  do {
    const [items, next] = await page(pageToken, BigInt(limit ?? 0));
    out.push(...items);
    pageToken = next;
  } while (pageToken !== '' && (limit === undefined || out.length < limit));
  return limit === undefined ? out : out.slice(0, limit);
}
