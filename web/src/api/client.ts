/**
 * The one way the web app talks to the API. It keeps the CSRF token handed out by login and
 * `GET /auth/me` (the session itself is an HttpOnly cookie the page never sees), sends it on every
 * write, and turns the server's error shape `{ error: { code, message, details } }` into an
 * `ApiError` whose field details forms can show next to the right input.
 */

/** Error codes the server may answer with (`src/core/errors.ts`), plus `network` for no answer at all. */
export type ApiErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'unauthenticated'
  | 'session_expired'
  | 'account_locked'
  | 'account_disabled'
  | 'forbidden'
  | 'csrf_failed'
  | 'invalid_credentials'
  | 'password_change_required'
  | 'conflict'
  | 'database_locked'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal'
  | 'network';

/** One problem with one input field, as the server names it. */
export interface FieldDetail {
  path: string;
  message: string;
}

/** A failed API call. `details` name the offending fields; see `fieldErrors`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: readonly FieldDetail[];

  constructor(status: number, code: ApiErrorCode, message: string, details: readonly FieldDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Narrows an unknown caught value to an ApiError. */
export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/**
 * Maps the server's field paths onto form field names: `body.email` and `email` both become
 * `email`, `body.grants.0.role` and `grants[0].role` become `grants`. The first message per field wins.
 */
export function fieldErrors(details: readonly FieldDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const segments = d.path.split(/[.[\]]/).filter((s) => s !== '');
    if (segments[0] === 'body' || segments[0] === 'params' || segments[0] === 'query') segments.shift();
    const name = segments[0] ?? '';
    if (name !== '' && out[name] === undefined) out[name] = d.message;
  }
  return out;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Called when the server says the session is gone, so the app can show the sign-in page. */
export type SessionLostListener = (code: 'unauthenticated' | 'session_expired') => void;
/** Called when the server insists on a password change first. */
export type PasswordChangeListener = () => void;

interface ErrorBodyShape {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function parseDetails(raw: unknown): FieldDetail[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const { path, message } = d as { path?: unknown; message?: unknown };
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}

function toApiError(status: number, body: unknown): ApiError {
  const err = (body as ErrorBodyShape | null)?.error;
  const code = typeof err?.code === 'string' ? (err.code as ApiErrorCode) : 'internal';
  const message = typeof err?.message === 'string' ? err.message : `HTTP ${status}`;
  return new ApiError(status, code, message, parseDetails(err?.details));
}

/** A cookie-session API client; one instance serves the whole app. */
export class ApiClient {
  #csrfToken: string | null = null;
  #onSessionLost: SessionLostListener | null = null;
  #onPasswordChange: PasswordChangeListener | null = null;
  readonly #baseUrl: string;

  constructor(baseUrl = '') {
    this.#baseUrl = baseUrl;
  }

  /** Remembers (or forgets, with null) the token that writes must echo in X-CSRF-Token. */
  setCsrfToken(token: string | null): void {
    this.#csrfToken = token;
  }

  /** Registers the app-wide reactions to a lost session or a pending password change. */
  setListeners(listeners: {
    onSessionLost: SessionLostListener;
    onPasswordChangeRequired: PasswordChangeListener;
  }): void {
    this.#onSessionLost = listeners.onSessionLost;
    this.#onPasswordChange = listeners.onPasswordChangeRequired;
  }

  /**
   * Sends one request and returns the parsed JSON. Throws ApiError for every non-2xx answer and
   * for network failures. `quiet` suppresses the session listeners (used by the sign-in calls
   * themselves, whose 401s are the expected answer rather than a lost session).
   */
  async request<T>(method: Method, path: string, body?: unknown, opts: { quiet?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.#csrfToken) headers['x-csrf-token'] = this.#csrfToken;
    let res: Response;
    try {
      res = await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : 'network error');
    }
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        // A proxy's HTML error page, for instance: report the status, not a parse failure.
        parsed = null;
      }
    }
    if (res.ok) return parsed as T;
    const error = toApiError(res.status, parsed);
    if (!opts.quiet) {
      if (error.code === 'unauthenticated' || error.code === 'session_expired') this.#onSessionLost?.(error.code);
      if (error.code === 'password_change_required') this.#onPasswordChange?.();
    }
    throw error;
  }

  /** GET `path`. */
  get<T>(path: string, opts?: { quiet?: boolean }): Promise<T> {
    return this.request<T>('GET', path, undefined, opts);
  }

  /** POST `body` to `path`. */
  post<T>(path: string, body?: unknown, opts?: { quiet?: boolean }): Promise<T> {
    return this.request<T>('POST', path, body ?? {}, opts);
  }

  /** PUT `body` to `path`. */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
}

/** The app's single client (same origin as the page). */
export const api = new ApiClient();
