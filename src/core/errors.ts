/**
 * Failures that are not expected domain outcomes. Expected outcomes (ineligible, out of window, …)
 * are returned as values; a TrialError means the request cannot be carried out as asked.
 * Codes are stable snake_case ids that clients may rely on; the HTTP layer maps them to statuses
 * in exactly one place (`src/server/http-errors.ts`).
 */

export const ERROR_CODES = [
  'validation_failed',
  'not_found',
  'unauthenticated',
  'session_expired',
  'account_locked',
  'account_disabled',
  'forbidden',
  'csrf_failed',
  'invalid_credentials',
  'password_change_required',
  'conflict',
  'database_locked',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one field of the input; `path` names it ("body.email", "items.S1"). */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export class TrialError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldIssue[];

  constructor(code: ErrorCode, message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'TrialError';
    this.code = code;
    this.details = details;
  }
}

export const invalid = (message: string, details: FieldIssue[] = []): TrialError =>
  new TrialError('validation_failed', message, details);
export const notFound = (what: string): TrialError => new TrialError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission for this operation'): TrialError =>
  new TrialError('forbidden', message);
export const conflict = (message: string, details: FieldIssue[] = []): TrialError =>
  new TrialError('conflict', message, details);
export const unauthenticated = (message = 'Authentication required'): TrialError =>
  new TrialError('unauthenticated', message);

export const isTrialError = (e: unknown): e is TrialError => e instanceof TrialError;
