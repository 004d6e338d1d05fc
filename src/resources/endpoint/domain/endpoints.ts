/**
 * Endpoint discovery: which APIs clouddesk serves and the one address they share. The SDKs and
 * yc ask ApiEndpointService first and then dial the address of each API, so the answer must be
 * an address the client can reach: the configured public address, else the listen address,
 * else (listening on every interface) the host the client itself used.
 *
 *   endpointAddress({ publicAddress: undefined, host: '0.0.0.0', port: 50051 }, 'desk.lan:50051')  // 'desk.lan:50051'
 */
import { InvalidArgumentError, NotFoundError } from '../../../domain/errors.js';

/** The ids of the services clouddesk serves, as Yandex Cloud names them. */
export const ENDPOINT_IDS = ['clouddesktops', 'compute', 'endpoint', 'iam', 'operation', 'resource-manager'] as const;

export interface ApiEndpoint {
  readonly id: string;
  readonly address: string;
}

export interface Where {
  readonly publicAddress?: string;
  /** The listen host and the bound port (the listen port may be 0). */
  readonly host: string;
  readonly port: number;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** `authority`: the `:authority` (gRPC) or Host (REST) the client sent, if any. */
export function endpointAddress(where: Where, authority: string | undefined): string {
  if (where.publicAddress) return where.publicAddress;
  if (!WILDCARD.has(where.host)) return hostPort(where.host, where.port);
  if (authority) return /:\d+$/.test(authority) ? authority : `${authority}:${where.port}`;
  return hostPort('localhost', where.port);
}

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function getEndpoint(id: string, address: string): ApiEndpoint {
  if (!(ENDPOINT_IDS as readonly string[]).includes(id)) throw new NotFoundError(`Api endpoint ${id} not found`);
  return { id, address };
}

/** A page of the endpoints; the page token is the offset of the next one, in decimal. */
export function listEndpoints(address: string, pageSize: number, pageToken: string): { endpoints: ApiEndpoint[]; nextPageToken: string } {
  if (pageSize < 0) throw InvalidArgumentError.field('page_size', 'must not be negative');
  let offset = 0;
  if (pageToken !== '') {
    offset = /^\d{1,4}$/.test(pageToken) ? Number(pageToken) : NaN;
    if (!(offset <= ENDPOINT_IDS.length)) {
      throw InvalidArgumentError.field('page_token', 'not a page token of this list');
    }
  }
  const size = pageSize === 0 ? ENDPOINT_IDS.length : pageSize;
  const ids = ENDPOINT_IDS.slice(offset, offset + size);
  const next = offset + size < ENDPOINT_IDS.length ? String(offset + size) : '';
  return { endpoints: ids.map((id) => ({ id, address })), nextPageToken: next };
}
