/**
 * The cryptographic pieces of two-factor authentication: RFC 6238 TOTP secrets, codes and
 * provisioning URIs (otplib 13, SHA-1, 6 digits, 30-second steps — what every authenticator app
 * understands), and single-use recovery codes (80 random bits each, stored as SHA-256 only).
 */
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** The issuer shown in authenticator apps. */
export const TOTP_ISSUER = 'STEMJOINT';
/** Accept the previous and the next 30-second step too: phones drift, people type slowly. */
const TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

/** A new base32 secret of 160 bits (RFC 4226 recommends at least 128). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The otpauth:// URI an authenticator app scans (as a QR code) or imports. */
export const totpUri = (secret: string, accountEmail: string): string =>
  generateURI({ issuer: TOTP_ISSUER, label: accountEmail, secret });

/** The code for `secret` at `at` (for tests and tools; the server never needs to show one). */
export const totpCodeAt = (secret: string, at: Date): string =>
  generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });

/**
 * Verifies a 6-digit code at time `at`. Returns the RFC 6238 time step it matched, or null.
 * Codes of `lastUsedStep` and earlier are refused, so an observed code cannot be replayed.
 */
export function verifyTotpCode(secret: string, code: string, at: Date, lastUsedStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      epoch: Math.floor(at.getTime() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      ...(lastUsedStep !== null ? { afterTimeStep: lastUsedStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // otplib throws for a last-used step in the future (the clock went back): refuse, never crash.
    return null;
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Recovery codes in the form `ABCD-EFGH-JKLM-NPQR` (16 base32 characters = 80 bits). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(16);
    const chars = [...bytes].map((b) => BASE32[b & 31]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** Case, spaces and dashes do not matter when a recovery code is typed in. */
export const normalizeRecoveryCode = (code: string): string => code.toUpperCase().replace(/[\s-]+/g, '');

/** What is stored for a recovery code: bound to its user, so equal codes of two users differ. */
export const hashRecoveryCode = (userId: string, code: string): string =>
  createHash('sha256')
    .update(`stemjoint-recovery:${userId}:${normalizeRecoveryCode(code)}`)
    .digest('hex');
