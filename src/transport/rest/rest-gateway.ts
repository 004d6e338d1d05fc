/**
 * The REST/JSON gateway: one generic transcoder in front of `Router.dispatch`, so REST and gRPC
 * share validation, interceptors (auth), handlers, logging and error mapping.
 *
 *   const rest = createRestGateway(router, anyTypes); // route table built here, at start-up
 *   await rest(req, res, { requestId, traceId });    // always answers
 *
 * Answers: 200 with the proto3 JSON of the response; errors as google.rpc.Status JSON with the
 * HTTP status of status.ts. No route for the path: 404, code NOT_FOUND. A path that exists for
 * other HTTP methods: 405 with `Allow`, code UNIMPLEMENTED (as grpc-gateway does). Transcoding
 * problems (bad JSON, unknown field, bad path escape, body over 1 MiB) are INVALID_ARGUMENT,
 * answered 400 (413 for the size) before the handler runs.
 */
import type http from 'node:http';
import { create, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import type { CallContext, Router } from '../rpc.js';
import { InvalidArgumentError, NotFoundError, UnimplementedError } from '../../domain/errors.js';
import { loggers } from '../../logger.js';
import { codeName, toStatus } from '../status.js';
import { ContextValues } from '../context-values.js';
import { buildRouteTable, type Route } from './route-table.js';
import { MalformedPathError } from './path-template.js';
import { BodyTooLargeError, discardRest, MAX_BODY_BYTES, readJsonBody } from './body.js';
import { requestMessage } from './request-message.js';
import { DecodedGets } from './decoded-gets.js';
import { jsonRegistry } from './json-registry.js';
import { jsonWriter, sendMessage, sendStatus, type RequestIds } from './response.js';

export type RestGateway = (req: http.IncomingMessage, res: http.ServerResponse, ids: RequestIds) => Promise<void>;

export function createRestGateway(router: Router, anyTypes: Registry, maxBodyBytes = MAX_BODY_BYTES): RestGateway {
  const table = buildRouteTable(router.methods());
  const registry = jsonRegistry(router.services(), anyTypes);
  const json = jsonWriter(registry);
  const gets = new DecodedGets();
  return async (req, res, ids) => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const verb = req.method ?? 'GET';
    const started = performance.now();
    let route: Route | undefined;
    let dispatched = false;
    let allow: string[] | undefined;
    try {
      const hit = table.match(verb, path);
      if (hit.kind === 'none') throw new NotFoundError(`Path ${path} not found`);
      if (hit.kind === 'wrong-verb') {
        allow = hit.allow;
        throw new UnimplementedError(`Method ${verb} is not allowed for ${path}; allowed: ${allow.join(', ')}`);
      }
      route = hit.route;
      // A GET has no body: its URL alone makes its request, so a repeated one is decoded once.
      const get = verb === 'GET' && route.body === '';
      let request = get ? gets.get(raw) : undefined;
      if (request === undefined) {
        const body = route.body === '' ? undefined : await readJsonBody(req, maxBodyBytes);
        request = requestMessage(route, hit.params, new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)), body, registry);
        if (get) request = gets.keep(raw, request);
      }
      dispatched = true;
      const out = await router.dispatch(route.call, request, new RestCallContext(req, res, route.call.path, ids));
      respond(res, route, out, json, ids);
    } catch (err) {
      const mapped = err instanceof MalformedPathError ? new InvalidArgumentError([], err.message) : err;
      const status = toStatus(mapped, ids.requestId);
      if (!dispatched) {
        logUndispatched(route, `${verb} ${path}`, status.code, ids, started);
        // No route: one label for all unknown paths, so a scan cannot grow the label set.
        const seconds = (performance.now() - started) / 1000;
        router.report({ method: route?.call.path ?? 'unmatched', protocol: 'rest', code: codeName(status.code), seconds });
      }
      const tooLarge = mapped instanceof BodyTooLargeError;
      // 413 goes out now; the connection closes once the client has finished sending (body.ts).
      const httpStatus = allow ? 405 : tooLarge ? 413 : undefined;
      sendStatus(res, status, ids, { httpStatus, allow, endAfter: tooLarge ? discardRest(req) : undefined });
    }
  };
}

function respond(res: http.ServerResponse, route: Route, out: Message, json: (schema: DescMessage, msg: Message) => string | Buffer, ids: RequestIds): void {
  const output = route.call.method.output;
  if (route.responseBody === '') return sendMessage(res, json(output, out), ids);
  const field = output.fields.find((f) => f.name === route.responseBody)!;
  if (field.fieldKind !== 'message') throw new Error(`response_body ${field.name}: only message fields are supported`);
  const value = reflect(output, out).get(field) as { message: Message } | undefined;
  sendMessage(res, json(field.message, value?.message ?? create(field.message)), ids);
}

/**
 * One call's context. A class, not an object literal with getters: it is made for every call,
 * and what only some calls read (user agent, abort signal) is worked out on first read.
 */
class RestCallContext implements CallContext {
  readonly protocol = 'rest';
  readonly requestId: string;
  readonly traceId: string;
  /** Taken now: a socket that closes mid-call no longer knows its peer. */
  readonly peer: string;
  readonly values = new ContextValues();
  private abort: AbortController | undefined;

  constructor(private readonly req: http.IncomingMessage, private readonly res: http.ServerResponse, readonly method: string, ids: RequestIds) {
    this.requestId = ids.requestId;
    this.traceId = ids.traceId;
    this.peer = `${req.socket.remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`;
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  get userAgent(): string {
    return this.header('user-agent') ?? '';
  }

  /**
   * Made only when a handler asks for it (Copy, imports), as on the gRPC side: a controller and
   * a 'close' listener per request showed in the REST Get profile.
   */
  get signal(): AbortSignal {
    if (!this.abort) {
      const controller = (this.abort = new AbortController());
      // 'close' without a finished response means the client went away mid-call.
      const onClose = () => this.res.writableFinished || controller.abort();
      if (this.res.closed) onClose();
      else this.res.once('close', onClose);
    }
    return this.abort.signal;
  }
}

/** One log line for a call that never reached `Router.dispatch` (which logs its own). */
function logUndispatched(route: Route | undefined, call: string, code: number, ids: RequestIds, started: number): void {
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  loggers.rpc.info(
    { method: route?.call.path, http: call, protocol: 'rest', code: codeName(code), durationMs, requestId: ids.requestId },
    route ? 'rpc' : 'rest: no route',
  );
}
