import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { ApiError, InvalidArgumentError, ResourceExhaustedError, UnavailableError } from '../domain/errors.js';
import { errorFromWire, errorToWire } from './thread-errors.js';

/** Through a real MessagePort, as between the import thread and the main thread. */
function roundTrip(err: unknown): Error {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(errorToWire(err));
  const received = receiveMessageOnPort(port2)!.message as Parameters<typeof errorFromWire>[0];
  port1.close();
  return errorFromWire(received);
}

it('typed errors keep their class, message and violations across threads', () => {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const unavailable = roundTrip(new UnavailableError('uri: the source could not be fetched', { cause }));
  assert.ok(unavailable instanceof UnavailableError);
  assert.equal(unavailable.message, 'uri: the source could not be fetched');
  assert.equal((unavailable.cause as Error).message, cause.message);
  assert.equal((unavailable.cause as { code?: string }).code, 'ECONNREFUSED');

  const full = roundTrip(new ResourceExhaustedError("no space left on the blob store's disk"));
  assert.ok(full instanceof ResourceExhaustedError);
  assert.equal((full as ApiError).code, 8);

  const invalid = roundTrip(InvalidArgumentError.field('uri', 'image is empty'));
  assert.ok(invalid instanceof InvalidArgumentError);
  assert.deepEqual(invalid.violations, [{ field: 'uri', description: 'image is empty' }]);
  assert.equal(invalid.message, 'Request validation error: uri: image is empty');
});

it('other errors come back as plain errors with their name, message and code, never as typed ones', () => {
  const other = roundTrip(Object.assign(new TypeError('boom'), { code: 'ERR_X' }));
  assert.ok(!(other instanceof ApiError));
  assert.equal(other.name, 'TypeError');
  assert.equal(other.message, 'boom');
  assert.equal((other as { code?: string }).code, 'ERR_X');
  // An error class of its own that happens to share a typed error's name is not promoted to it.
  const lookalike = roundTrip(Object.assign(new Error('not ours'), { name: 'UnavailableError' }));
  assert.ok(!(lookalike instanceof ApiError));
  assert.equal(roundTrip('a string').message, 'a string');
});
