/**
 * Reads and parses a JSON request body, bounded in size.
 *
 *   const body = await readJsonBody(req, MAX_BODY_BYTES);   // undefined when empty
 *
 * Any content type is read as JSON: `curl -d '{...}'` sends form-urlencoded unless told
 * otherwise, and the API takes no other body format. A body over the limit is 413 with an
 * INVALID_ARGUMENT Status (see BodyTooLargeError); JSON that does not parse, is not UTF-8 or
 * repeats a key is INVALID_ARGUMENT naming the problem (strict-json.ts); whitespace only counts
 * as no body.
 *
 *   sendStatus(res, status, ids, { httpStatus: 413, endAfter: discardRest(req) });   // lingering close
 */
import type http from 'node:http';
import { CancelledError, InvalidArgumentError } from '../../domain/errors.js';
import { REST_DISCARD_MAX_BYTES, REST_DISCARD_MAX_MS } from '../limits.js';
import { parseStrictJson } from './strict-json.js';

/** Request bodies are small JSON objects; 1 MiB leaves room for large label and binding lists. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** INVALID_ARGUMENT, but answered with HTTP 413 rather than the table's 400. */
export class BodyTooLargeError extends InvalidArgumentError {
  constructor(limit: number) {
    super([], `Request body is larger than ${limit} bytes`);
  }
}

export async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  return parseStrictJson(await readBytes(req, limit));
}

// Events rather than `for await`: leaving an async iterator early destroys the request, and with
// it the socket the 413 answer has to go out on. The rest of an oversized body is discarded.
function readBytes(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(limit));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // A client that goes away mid-body is not our fault: CANCELLED, logged at info, not INTERNAL.
    const gone = () => reject(new CancelledError('The client closed the connection before sending the whole request body'));
    req.once('error', gone);
    req.once('close', gone);
  });
}

/**
 * Reads and throws away what is left of a request body; resolves once it has all arrived, or
 * after maxBytes more or maxMs, whichever comes first (then the caller closes the connection).
 */
export function discardRest(req: http.IncomingMessage, maxBytes = REST_DISCARD_MAX_BYTES, maxMs = REST_DISCARD_MAX_MS): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) done();
    };
    const timer = setTimeout(done, maxMs);
    timer.unref();
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
  });
}
