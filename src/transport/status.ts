/**
 * The one table from an error to a gRPC code, an HTTP status and a google.rpc.Status body
 * (api-conventions §4, docs/decisions.md point 5). Both transports and Operation.error use it, so an
 * error looks the same whichever way it reaches the client.
 *
 *   const status = toStatus(err, requestId);   // google.rpc.Status with BadRequest/RequestInfo
 *   res.writeHead(httpStatusOf(status.code));
 */
import { create, createRegistry } from '@bufbuild/protobuf';
import { anyPack, type Any } from '@bufbuild/protobuf/wkt';
import { StatusSchema, type Status } from '../gen/google/rpc/status_pb.js';
import { BadRequestSchema, file_google_rpc_error_details, RequestInfoSchema } from '../gen/google/rpc/error_details_pb.js';
import { ApiError, InvalidArgumentError, type FieldViolation } from '../domain/errors.js';
import { loggers } from '../logger.js';

/** The types a Status built here carries in `details`, for writing it as JSON. */
export const STATUS_DETAIL_TYPES = createRegistry(file_google_rpc_error_details);

export const CODE_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

const HTTP_STATUS: Record<number, number> = {
  0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429,
  9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

export function httpStatusOf(code: number): number {
  return HTTP_STATUS[code] ?? 500;
}

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? 'UNKNOWN';
}

/** Builds the wire Status for any thrown value; unexpected errors become INTERNAL and are logged. */
export function toStatus(err: unknown, requestId?: string): Status {
  if (err instanceof ApiError) {
    const violations = err instanceof InvalidArgumentError ? err.violations : undefined;
    return buildStatus(err.code, err.message, violations, requestId);
  }
  loggers.rpc.error({ err, requestId }, 'unexpected error');
  return buildStatus(13, 'Internal error', undefined, requestId);
}

/** google.rpc.Status with a BadRequest detail for field violations and a RequestInfo detail. */
export function buildStatus(code: number, message: string, violations?: FieldViolation[], requestId?: string): Status {
  const details: Any[] = [];
  if (violations && violations.length > 0) {
    const badRequest = create(BadRequestSchema, {
      fieldViolations: violations.map((v) => ({ field: v.field, description: v.description })),
    });
    details.push(anyPack(BadRequestSchema, badRequest));
  }
  if (requestId) details.push(anyPack(RequestInfoSchema, create(RequestInfoSchema, { requestId })));
  return create(StatusSchema, { code, message, details });
}
