/**
 * The single mapping from error codes to HTTP statuses, and the one error shape every response uses:
 * `{ "error": { "code", "message", "details" } }`. Unknown errors are logged and answered with a
 * generic 500 that reveals nothing about the internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { TrialError, type ErrorCode, type FieldIssue } from '../core/errors.js';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  session_expired: 401,
  invalid_credentials: 401,
  account_locked: 403,
  account_disabled: 403,
  password_change_required: 403,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  database_locked: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

export const httpStatusFor = (code: ErrorCode): number => STATUS[code];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: FieldIssue[] };
}

export const errorBody = (code: ErrorCode, message: string, details: FieldIssue[] = []): ErrorBody => ({
  error: { code, message, details },
});

/** Turns fastify's own client errors (bad JSON, body too large, wrong content type) into TrialErrors. */
function fromFastifyError(err: FastifyError): TrialError | null {
  const status = err.statusCode ?? 500;
  if (status >= 500) return null;
  if (status === 413) {
    return new TrialError('payload_too_large', 'The request body is too large', [
      { path: 'body', message: 'too large' },
    ]);
  }
  if (status === 415) {
    return new TrialError('unsupported_media_type', 'Send the request body as application/json', [
      { path: 'content-type', message: 'must be application/json' },
    ]);
  }
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new TrialError('validation_failed', 'The request body is empty', [{ path: 'body', message: 'is required' }]);
  }
  if (err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError) {
    return new TrialError('validation_failed', 'The request body is not valid JSON', [
      { path: 'body', message: 'malformed JSON' },
    ]);
  }
  return new TrialError('validation_failed', 'The request could not be understood', [
    { path: 'request', message: 'malformed request' },
  ]);
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let trial: TrialError | null = err instanceof TrialError ? err : null;
  if (!trial && typeof err === 'object' && err !== null && 'statusCode' in err) {
    trial = fromFastifyError(err as FastifyError);
  }
  if (trial && trial.code !== 'internal') {
    return reply.status(httpStatusFor(trial.code)).send(errorBody(trial.code, trial.message, trial.details));
  }
  // Log the failure with the request id only (no body, no headers: they may hold personal data).
  request.log.error({ err, reqId: request.id, route: request.routeOptions.url }, 'unhandled error');
  return reply.status(500).send(errorBody('internal', `Internal error (reference ${request.id})`));
}
