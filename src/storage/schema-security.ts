/**
 * Table shapes for two-factor authentication and the half-authenticated sign-in step (issue 12).
 * Conventions as in `schema.ts`: ISO-8601 UTC text timestamps, 0/1 booleans, ids `randomUUID()`.
 *
 * Nothing here is usable by whoever reads a copy of the database: TOTP secrets are encrypted with
 * the identity vault (the key never enters the database), recovery codes and sign-in challenges are
 * stored only as SHA-256 hashes of high-entropy random values.
 */

/** One row per user who has started or finished TOTP enrolment. */
export interface UserTotpTable {
  user_id: string;
  /** `pending` until the user proves with a code that their authenticator has the secret. */
  status: 'pending' | 'active';
  /** Identity-vault key id and ciphertext of the base32 secret. */
  key_id: string;
  secret_ciphertext: string;
  /** The RFC 6238 time step of the last accepted code: a code is never accepted twice. */
  last_used_step: number | null;
  created_at: string;
  confirmed_at: string | null;
  updated_at: string;
}

/** Single-use recovery codes (SHA-256 of user id and code; the code is shown once). */
export interface UserRecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/**
 * The state between "password verified" and "second factor verified": it grants nothing but the
 * right to present a code (or to enrol) within a few minutes and a few attempts.
 */
export interface LoginChallengeTable {
  /** SHA-256 of the challenge secret, which only ever lives in an HttpOnly cookie. */
  id_hash: string;
  user_id: string;
  purpose: 'totp' | 'totp_enrolment';
  created_at: string;
  expires_at: string;
  attempts: number;
  consumed_at: string | null;
}

/** The security tables; `securityDb()` in `src/services/totp-store.ts` gives typed access to them. */
export interface SecurityTables {
  user_totp: UserTotpTable;
  user_recovery_codes: UserRecoveryCodeTable;
  login_challenges: LoginChallengeTable;
}
