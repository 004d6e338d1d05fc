/**
 * Errors across a worker thread boundary. Structured cloning keeps only the message of an error
 * of our own class, so the typed errors (whose class decides the gRPC code) travel as plain data
 * and are rebuilt with the same class, message and field violations on the other side. Any other
 * error comes back as an Error with the same name, message, code and stack, for the log.
 *
 *   port.postMessage({ error: errorToWire(err) });
 *   ...
 *   throw errorFromWire(message.error); // instanceof UnavailableError again
 */
import * as errors from '../domain/errors.js';
import { ApiError, InvalidArgumentError, type FieldViolation } from '../domain/errors.js';

export interface WireError {
  name: string;
  message: string;
  /** Set for an ApiError: it is rebuilt with its own class. */
  api?: boolean;
  violations?: FieldViolation[];
  code?: string;
  stack?: string;
  cause?: WireError;
}

type ApiErrorClass = new (message: string, options?: ErrorOptions) => ApiError;

/** Every typed error of domain/errors.ts by class name, so a class added there crosses too. */
const API_ERRORS: Record<string, ApiErrorClass> = Object.fromEntries(
  (Object.values(errors) as unknown[])
    .filter((c): c is ApiErrorClass => typeof c === 'function' && c.prototype instanceof ApiError)
    .map((c) => [c.name, c]),
);

export function errorToWire(err: unknown, depth = 0): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  const wire: WireError = { name: err.name, message: err.message };
  if (err instanceof ApiError) wire.api = true;
  if (err instanceof InvalidArgumentError) wire.violations = err.violations;
  if (typeof code === 'string') wire.code = code;
  if (err.stack !== undefined) wire.stack = err.stack;
  if (err.cause !== undefined && depth < 3) wire.cause = errorToWire(err.cause, depth + 1);
  return wire;
}

export function errorFromWire(wire: WireError): Error {
  const options = wire.cause ? { cause: errorFromWire(wire.cause) } : undefined;
  if (wire.api && wire.name === 'InvalidArgumentError') return new InvalidArgumentError(wire.violations ?? [], wire.message);
  const Api = wire.api ? API_ERRORS[wire.name] : undefined;
  const err = Api ? new Api(wire.message, options) : new Error(wire.message, options);
  if (!Api) err.name = wire.name;
  if (wire.code !== undefined) Object.assign(err, { code: wire.code });
  if (wire.stack !== undefined) err.stack = wire.stack;
  return err;
}
