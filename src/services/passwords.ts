/**
 * Password hashing (argon2id, OWASP's recommended parameters) and the password policy: a minimum
 * length, an offline check against commonly used passwords and keyboard patterns (NIST SP 800-63B
 * §5.1.1.2 "blocklist"), and context words (the account's own e-mail address).
 */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import type { FieldIssue } from '../core/errors.js';
import { BLOCKLIST } from './password-blocklist.js';

const ARGON2_OPTIONS = {
  // 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Argon2id at its smallest cost, for one purpose only: the staff accounts the trial simulator
 * creates in a database it is building, whose password it then verifies for two e-signatures per
 * simulated participant (20,000 verifications at 10,000 participants, a third of the load's CPU at
 * the standard cost). The simulator re-hashes those accounts with {@link ARGON2_OPTIONS} when its
 * load ends, so no account keeps this hash; every other account is hashed at the standard cost.
 */
const BULK_LOAD_ARGON2_OPTIONS = { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

/** How a password is hashed: `standard` (OWASP) always, except the simulator's own accounts while it loads. */
export type PasswordHashCost = 'standard' | 'simulator-load';

export const hashPassword = (password: string, cost: PasswordHashCost = 'standard'): Promise<string> =>
  hash(password, cost === 'standard' ? ARGON2_OPTIONS : BULK_LOAD_ARGON2_OPTIONS);

/** Whether a stored hash has the standard parameters (the simulator's re-hash is checked with this). */
export const hasStandardHashCost = (passwordHash: string): boolean =>
  passwordHash.startsWith('$argon2id$') &&
  passwordHash.includes(
    `$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`,
  );

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed verification, never an open door.
    return false;
  }
}

/** A password that fits the policy, for one-time admin passwords and resets. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

const MAX_PASSWORD_LENGTH = 256;

/** Field message for a blocklisted password (the web app translates it by this exact text). */
export const COMMON_PASSWORD_MESSAGE =
  'is too common or too easy to guess (a common password, word or keyboard pattern)';
/** Field message for a password that contains the account's e-mail name. */
export const EMAIL_IN_PASSWORD_MESSAGE = 'must not contain your e-mail address or its name part';

// Keyboard rows and columns (QWERTY, QWERTZ, AZERTY and the Danish layout are alike where it matters),
// digits and the alphabet: a password that is one run along any of these is a pattern, not a secret.
const WALKS = [
  '`1234567890-=',
  'qwertyuiop[]',
  "asdfghjkl;'",
  'zxcvbnm,./',
  'qwertzuiopü',
  'azertyuiop',
  'qwertyuiopåasdfghjklæøzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/',
  'zaq12wsxcde34rfvbgt56yhnmju78ik,.lo90p;/-',
  '1q2w3e4r5t6y7u8i9o0p',
  'q1w2e3r4t5y6u7i8o9p0',
  'qazwsxedcrfvtgbyhnujmikolp',
  '1234567890qwertyuiopasdfghjklzxcvbnm',
  '01234567890123456789012345678901234567890',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
];

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '(': 'c',
  '3': 'e',
  '6': 'g',
  '9': 'g',
  '#': 'h',
  '!': 'i',
  '|': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
  '2': 'z',
  '%': 'x',
};

const isRunAlongWalk = (s: string): boolean =>
  WALKS.some((w) => w.includes(s) || [...w].reverse().join('').includes(s));

/** True when `s` is two or more copies of one unit (`abcabcabc`, `passwordpassword`). */
function repeatedUnit(s: string): string | null {
  for (let len = 1; len <= s.length / 2; len++) {
    if (s.length % len !== 0) continue;
    const unit = s.slice(0, len);
    if (unit.repeat(s.length / len) === s) return unit;
  }
  return null;
}

/** The forms of a password that are compared with the blocklist (see `password-blocklist.ts`). */
export function normalizedForms(password: string): string[] {
  const lower = password.normalize('NFKC').toLowerCase();
  const compact = lower.replace(/[\s\-_.,;:'"`~^*=/\\]+/g, '');
  const trimmed = compact.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');
  const leetI = [...trimmed]
    .map((ch) => LEET[ch] ?? ch)
    .join('')
    .replace(/[^\p{L}]+/gu, '');
  // "1" stands for both "i" and "l" (p1nk, he11o); try both readings.
  const leetL = [...trimmed]
    .map((ch) => (ch === '1' ? 'l' : (LEET[ch] ?? ch)))
    .join('')
    .replace(/[^\p{L}]+/gu, '');
  const lettersOnly = trimmed.replace(/[^\p{L}]+/gu, '');
  return [...new Set([compact, trimmed, leetI, leetL, lettersOnly].filter((f) => f !== ''))];
}

/** Whether the password is a common password, a word from the blocklist with decorations, or a pattern. */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const compact = lower.replace(/\s+/g, '');
  if (isRunAlongWalk(compact)) return true;
  const unit = repeatedUnit(compact);
  if (unit !== null && (unit.length <= 6 || BLOCKLIST.has(unit))) return true;
  // Only digits and symbols: a date, a phone number or a sequence, all easy to guess.
  if (!/\p{L}/u.test(compact) && (isRunAlongWalk(compact.replace(/[^0-9]/g, '')) || new Set(compact).size <= 4)) {
    return true;
  }
  for (const form of normalizedForms(password)) {
    if (BLOCKLIST.has(form)) return true;
    const u = repeatedUnit(form);
    if (u !== null && (u.length <= 4 || BLOCKLIST.has(u))) return true;
    if (form.length >= 4 && isRunAlongWalk(form)) return true;
  }
  return false;
}

/** The parts of an e-mail address a password must not contain: the local part and its longer pieces. */
function emailWords(email: string): string[] {
  const local = (email.split('@')[0] ?? '').normalize('NFKC').toLowerCase();
  const words = [local, local.replace(/[^\p{L}\p{N}]+/gu, '')].filter((w) => w.length >= 3);
  for (const piece of local.split(/[^\p{L}\p{N}]+/u)) if (piece.length >= 4) words.push(piece);
  return [...new Set(words)];
}

/**
 * Checks the password policy; returns the problems (empty = acceptable). With `context.email`,
 * the password must not contain the address's name part either.
 */
export function checkPasswordPolicy(
  password: string,
  minLength: number,
  path = 'password',
  context: { email?: string } = {},
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (password.length < minLength) issues.push({ path, message: `must be at least ${minLength} characters` });
  if (password.length > MAX_PASSWORD_LENGTH) {
    issues.push({ path, message: `must be at most ${MAX_PASSWORD_LENGTH} characters` });
  }
  if (/^(.)\1*$/.test(password)) issues.push({ path, message: 'must not be one repeated character' });
  else if (password.length <= MAX_PASSWORD_LENGTH && isCommonPassword(password)) {
    issues.push({ path, message: COMMON_PASSWORD_MESSAGE });
  }
  if (context.email) {
    const lower = password.normalize('NFKC').toLowerCase();
    const compact = lower.replace(/[^\p{L}\p{N}]+/gu, '');
    if (emailWords(context.email).some((w) => lower.includes(w) || compact.includes(w))) {
      issues.push({ path, message: EMAIL_IN_PASSWORD_MESSAGE });
    }
  }
  return issues;
}
