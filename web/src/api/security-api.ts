/**
 * Two-factor sign-in and the account's security settings. Sign-in is one or two steps: the
 * password step either signs in, or asks for a code from the authenticator app (or, for roles that
 * require two-factor authentication, for setting one up first). The half-way state lives in an
 * HttpOnly cookie the page never sees; it grants nothing but the next step.
 */
import { api } from './client.js';
import type { CurrentSession } from './types.js';

/** The answer of the password step. */
export type SignInOutcome =
  | { status: 'signed_in'; session: CurrentSession }
  | { status: 'totp_required' | 'totp_enrolment_required'; challengeExpiresAt: string };

/** A new authenticator secret, shown once. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/** The signed-in user's two-factor status. */
export interface TotpStatus {
  enrolled: boolean;
  pending: boolean;
  required: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
}

type LoginAnswer =
  | (CurrentSession & { status: 'signed_in' })
  | { status: 'totp_required' | 'totp_enrolment_required'; challengeExpiresAt: string };

/** The password step. */
export async function startSignIn(email: string, password: string): Promise<SignInOutcome> {
  const answer = await api.post<LoginAnswer>('/api/v1/auth/login', { email, password }, { quiet: true });
  if (answer.status !== 'signed_in') return answer;
  api.setCsrfToken(answer.csrfToken);
  return { status: 'signed_in', session: answer };
}

/** The code step: a 6-digit code, or one recovery code. */
export async function completeSignIn(
  proof: { code: string } | { recoveryCode: string },
): Promise<CurrentSession & { recoveryCodesLeft: number | null }> {
  const session = await api.post<CurrentSession & { recoveryCodesLeft: number | null }>(
    '/api/v1/auth/login/totp',
    proof,
    { quiet: true },
  );
  api.setCsrfToken(session.csrfToken);
  return session;
}

/** Enrolment during sign-in: the secret to put into the authenticator app. */
export function startSignInEnrolment(): Promise<TotpEnrolment & { challengeExpiresAt: string }> {
  return api.post('/api/v1/auth/login/totp-enrolment', {}, { quiet: true });
}

/** Enrolment during sign-in: confirm with a code; signs in and returns the recovery codes (shown once). */
export async function confirmSignInEnrolment(code: string): Promise<CurrentSession & { recoveryCodes: string[] }> {
  const session = await api.post<CurrentSession & { recoveryCodes: string[] }>(
    '/api/v1/auth/login/totp-enrolment/confirm',
    { code },
    { quiet: true },
  );
  api.setCsrfToken(session.csrfToken);
  return session;
}

/** The signed-in user's two-factor status. */
export const fetchTotpStatus = (): Promise<TotpStatus> => api.get('/api/v1/auth/totp');

/** Starts setting up two-factor authentication for the signed-in user. */
export const startEnrolment = (): Promise<TotpEnrolment> => api.post('/api/v1/auth/totp/enrolment', {});

/** Confirms the set-up with a code; returns the recovery codes (shown once). */
export const confirmEnrolment = (code: string): Promise<{ recoveryCodes: string[] }> =>
  api.post('/api/v1/auth/totp/enrolment/confirm', { code });

/** New recovery codes (the old ones stop working). */
export const regenerateRecoveryCodes = (code: string): Promise<{ recoveryCodes: string[] }> =>
  api.post('/api/v1/auth/totp/recovery-codes', { code });

/** Turns two-factor authentication off (not for roles that require it). */
export const disableTotp = (password: string, code: string): Promise<{ ok: true }> =>
  api.post('/api/v1/auth/totp/disable', { password, code });

/** Changes the signed-in user's own password. */
export const changePassword = (currentPassword: string, newPassword: string): Promise<{ ok: true }> =>
  api.post('/api/v1/auth/password', { currentPassword, newPassword });
