/**
 * A plain `fetch` client for the REST tests, authenticated as the bootstrap admin unless told
 * otherwise. Answers keep status, headers, raw text and the parsed JSON.
 *
 *   const rest = restFor(server);
 *   const res = await rest.get('/cloud-desktop/v1/images?folderId=f');
 *   assert.equal(res.status, 200);
 *   const done = await rest.waitDone(res.json);
 */
import assert from 'node:assert/strict';
import { waitFor } from '../harness/wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface RestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Json;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Rest {
  readonly base: string;
  request(verb: string, path: string, opts?: RequestOptions): Promise<RestResponse>;
  get(path: string, opts?: RequestOptions): Promise<RestResponse>;
  post(path: string, body?: unknown, opts?: RequestOptions): Promise<RestResponse>;
  patch(path: string, body?: unknown, opts?: RequestOptions): Promise<RestResponse>;
  delete(path: string, opts?: RequestOptions): Promise<RestResponse>;
  /** Polls GET /operations/{id} until done; fails the test after timeoutMs. */
  waitDone(op: { id: string; done?: boolean }, timeoutMs?: number): Promise<Json>;
}

export function restFor(server: { port: number; token: string }, token: string | null = server.token): Rest {
  const base = `http://127.0.0.1:${server.port}`;
  const request = async (verb: string, path: string, opts: RequestOptions = {}): Promise<RestResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (token !== null) headers['authorization'] ??= `Bearer ${token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + path, { method: verb, headers, body });
    const text = await res.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  const rest: Rest = {
    base,
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
    delete: (path, opts) => request('DELETE', path, opts),
    async waitDone(op, timeoutMs = 20_000) {
      if (op.done) return op;
      return waitFor(
        async () => {
          const res = await request('GET', `/operations/${op.id}`);
          assert.equal(res.status, 200, res.text);
          return res.json.done ? (res.json as Json) : undefined;
        },
        { what: `operation ${op.id} to be done`, timeoutMs },
      );
    },
  };
  return rest;
}

/** Asserts an error answer: HTTP status, google.rpc.Status code and a message pattern. */
export function assertStatus(res: RestResponse, httpStatus: number, code: number, message?: RegExp): void {
  assert.equal(res.status, httpStatus, `HTTP ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.json.code, code, res.text);
  assert.equal(typeof res.json.message, 'string');
  assert.ok(Array.isArray(res.json.details), 'details is a list');
  if (message) assert.match(res.json.message, message);
  const info = res.json.details.find((d: Json) => d['@type'] === 'type.googleapis.com/google.rpc.RequestInfo');
  assert.equal(info?.requestId, res.headers.get('x-request-id'), 'RequestInfo carries the x-request-id');
}

/** The BadRequest field violations of an error answer, as `field: description` lines. */
export function violationsOf(res: RestResponse): string[] {
  const bad = res.json?.details?.find((d: Json) => d['@type'] === 'type.googleapis.com/google.rpc.BadRequest');
  return (bad?.fieldViolations ?? []).map((v: Json) => `${v.field}: ${v.description}`);
}
