/**
 * Writes REST answers: a message as proto3 JSON with HTTP 200, or any error as the
 * google.rpc.Status JSON `{code, message, details}` with the HTTP status of the one table in
 * status.ts (api-conventions §4, docs/decisions.md points 3 and 5).
 *
 * Every answer names its request: `x-request-id` and `x-server-trace-id` go out in the same
 * `writeHead` as the answer's own headers. Node writes headers given only to `writeHead` straight
 * out; once any `setHeader` has run it keeps them in a dictionary and walks it, which cost a
 * REST read about 1.5 µs (bench/RESULTS.md, "REST answers: the ids in the same writeHead").
 *
 *   sendMessage(res, json(OperationSchema, op), ids);  // json = jsonWriter(registry)
 *   sendError(res, err, ids);                           // e.g. 404 {"code":5,"message":"...","details":[...]}
 *   sendStatus(res, status, ids, { httpStatus: 405, allow: ['GET'] }); // with an Allow header
 */
import type http from 'node:http';
import { toJson, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import { StatusSchema, type Status } from '../../gen/google/rpc/status_pb.js';
import { httpStatusOf, STATUS_DETAIL_TYPES, toStatus } from '../status.js';
import { jsonEncoder } from '../encoded.js';

const EMPTY_TYPE_URL = 'type.googleapis.com/google.protobuf.Empty';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The ids of one HTTP request (transport/request-ids.ts), which its answer carries. */
export interface RequestIds {
  readonly requestId: string;
  readonly traceId: string;
}

/**
 * Writes messages as proto3 JSON with the Any fix-up below; the JSON of a frozen message is
 * written once and spliced into pages (transport/encoded.ts). One per registry.
 *
 *   const json = jsonWriter(registry);
 *   sendMessage(res, json(schema, msg));
 */
export function jsonWriter(registry: Registry): (schema: DescMessage, msg: Message) => string | Buffer {
  return jsonEncoder((schema, msg) => {
    const json = toJson(schema, msg as never, { registry });
    return JSON.stringify(mayHoldAny(schema) ? withEmptyValues(json) : json);
  });
}

/** A message's JSON (from a jsonWriter: text or UTF-8 bytes) with HTTP 200. */
export function sendMessage(res: http.ServerResponse, json: string | Buffer, ids: RequestIds): void {
  sendText(res, 200, json, ids);
}

export interface ErrorOptions {
  /** HTTP status to use instead of the table's (405, 413). */
  httpStatus?: number;
  /** Verbs for the Allow header of a 405. */
  allow?: string[];
  /**
   * The answer is written at once but ended only when this settles: with `Connection: close`,
   * ending closes the socket, which must wait until the client has stopped sending (a 413).
   */
  endAfter?: Promise<unknown>;
}

export function sendError(res: http.ServerResponse, err: unknown, ids: RequestIds, opts: ErrorOptions = {}): void {
  sendStatus(res, toStatus(err, ids.requestId), ids, opts);
}

export function sendStatus(res: http.ServerResponse, status: Status, ids: RequestIds, opts: ErrorOptions = {}): void {
  const httpStatus = opts.httpStatus ?? httpStatusOf(status.code);
  if (opts.allow) res.setHeader('allow', opts.allow.join(', '));
  if (httpStatus === 413) res.setHeader('connection', 'close');
  sendJson(res, httpStatus, withEmptyValues(toJson(StatusSchema, status, { registry: STATUS_DETAIL_TYPES })), ids, opts.endAfter);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, ids: RequestIds, endAfter?: Promise<unknown>): void {
  sendText(res, status, JSON.stringify(body), ids, endAfter);
}

function sendText(res: http.ServerResponse, status: number, text: string | Buffer, ids: RequestIds, endAfter?: Promise<unknown>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, [
    'content-type', JSON_TYPE,
    'content-length', String(Buffer.byteLength(text)),
    'x-request-id', ids.requestId,
    'x-server-trace-id', ids.traceId,
  ]);
  if (!endAfter) return void res.end(text);
  res.write(text);
  void endAfter.finally(() => res.end());
}

/**
 * protobuf-es writes an Any holding google.protobuf.Empty as `{"@type": ...}`; the proto3 JSON
 * of Yandex Cloud (Go protojson) treats Empty as a well-known type and writes
 * `{"@type": ".../google.protobuf.Empty", "value": {}}` (api-conventions §1.4). "@type" is moved
 * first, as protojson and the API docs print it.
 */
function withEmptyValues(json: unknown): unknown {
  // Called only for messages that may hold an Any (see mayHoldAny): a walk over a 100-image
  // page that changes nothing was a tenth of a REST List's time.
  if (Array.isArray(json)) return json.map(withEmptyValues);
  if (typeof json !== 'object' || json === null) return json;
  const obj = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof obj['@type'] === 'string') out['@type'] = obj['@type'];
  for (const [k, v] of Object.entries(obj)) if (k !== '@type') out[k] = withEmptyValues(v);
  if (out['@type'] === EMPTY_TYPE_URL && !('value' in out)) out['value'] = {};
  return out;
}

const anyReach = new WeakMap<DescMessage, boolean>();

/**
 * True when a message of this type may hold a google.protobuf.Any (or a Struct/Value, whose
 * JSON may carry an "@type" key) at any depth, i.e. when withEmptyValues could change its JSON.
 * For the others it is the identity: their only free-form keys are label keys, which the
 * validation requires to start with a letter. Worked out once per type.
 */
function mayHoldAny(schema: DescMessage): boolean {
  let known = anyReach.get(schema);
  if (known === undefined) anyReach.set(schema, (known = reachesAny(schema, new Set())));
  return known;
}

function reachesAny(schema: DescMessage, seen: Set<DescMessage>): boolean {
  if (ANY_LIKE.has(schema.typeName)) return true;
  if (seen.has(schema)) return false; // a cycle: the other fields decide
  seen.add(schema);
  return schema.fields.some((field) => {
    const inner = field.fieldKind === 'message' ? field.message : field.fieldKind === 'list' || field.fieldKind === 'map' ? field.message : undefined;
    return inner !== undefined && reachesAny(inner, seen);
  });
}

const ANY_LIKE = new Set(['google.protobuf.Any', 'google.protobuf.Struct', 'google.protobuf.Value', 'google.protobuf.ListValue']);
