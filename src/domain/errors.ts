/**
 * Typed errors thrown by the domain and the transport checks. `transport/status.ts` is the one
 * table that maps them to gRPC codes, HTTP statuses and google.rpc.Status bodies.
 *
 *   throw new NotFoundError(`Desktop image ${id} not found`);
 *   throw InvalidArgumentError.field('folder_id', 'Field is required');
 */

export interface FieldViolation {
  /** Field path in snake_case, as in the proto (e.g. `labels.env`, `update_mask`). */
  field: string;
  description: string;
}

export abstract class ApiError extends Error {
  abstract readonly code: number;
}

export class InvalidArgumentError extends ApiError {
  override readonly name = 'InvalidArgumentError';
  readonly code = 3;
  constructor(readonly violations: FieldViolation[], message?: string) {
    super(message ?? `Request validation error: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`);
  }
  static field(field: string, description: string): InvalidArgumentError {
    return new InvalidArgumentError([{ field, description }]);
  }
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly code = 5;
}

export class AlreadyExistsError extends ApiError {
  override readonly name = 'AlreadyExistsError';
  readonly code = 6;
}

export class PermissionDeniedError extends ApiError {
  override readonly name = 'PermissionDeniedError';
  readonly code = 7;
}

export class ResourceExhaustedError extends ApiError {
  override readonly name = 'ResourceExhaustedError';
  readonly code = 8;
}

export class FailedPreconditionError extends ApiError {
  override readonly name = 'FailedPreconditionError';
  readonly code = 9;
}

export class AbortedError extends ApiError {
  override readonly name = 'AbortedError';
  readonly code = 10;
}

export class UnimplementedError extends ApiError {
  override readonly name = 'UnimplementedError';
  readonly code = 12;
}

export class InternalError extends ApiError {
  override readonly name = 'InternalError';
  readonly code = 13;
}

export class UnavailableError extends ApiError {
  override readonly name = 'UnavailableError';
  readonly code = 14;
}

export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  readonly code = 16;
}

export class CancelledError extends ApiError {
  override readonly name = 'CancelledError';
  readonly code = 1;
}

export class DeadlineExceededError extends ApiError {
  override readonly name = 'DeadlineExceededError';
  readonly code = 4;
}

export class DataLossError extends ApiError {
  override readonly name = 'DataLossError';
  readonly code = 15;
}
