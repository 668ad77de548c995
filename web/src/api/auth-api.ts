/** Sign-in, sign-out, the current session and the own password. */
import { api } from './client.js';
import type { CurrentSession } from './types.js';

/** Signs in; the server sets the session cookie and we keep the CSRF token. */
export async function signIn(email: string, password: string): Promise<CurrentSession> {
  const session = await api.post<CurrentSession>('/api/v1/auth/login', { email, password }, { quiet: true });
  api.setCsrfToken(session.csrfToken);
  return session;
}

/** The current session, or throws ApiError (401) when there is none. */
export async function fetchCurrentSession(): Promise<CurrentSession> {
  const session = await api.get<CurrentSession>('/api/v1/auth/me', { quiet: true });
  api.setCsrfToken(session.csrfToken);
  return session;
}

/** Ends the session on the server and forgets the CSRF token. */
export async function signOut(): Promise<void> {
  try {
    await api.post<{ ok: true }>('/api/v1/auth/logout', undefined, { quiet: true });
  } finally {
    api.setCsrfToken(null);
  }
}

/** Changes the signed-in user's own password (required after a one-time password). */
export async function changeOwnPassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.post<{ ok: true }>('/api/v1/auth/password', { currentPassword, newPassword });
}
