/** Password hashing (argon2id, OWASP's recommended parameters) and the password policy. */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import type { FieldIssue } from '../core/errors.js';

const ARGON2_OPTIONS = { // 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
  algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

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

/** Checks the password policy; returns the problems (empty = acceptable). */
export function checkPasswordPolicy(password: string, minLength: number, path = 'password'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (password.length < minLength) issues.push({ path, message: `must be at least ${minLength} characters` });
  if (password.length > MAX_PASSWORD_LENGTH) issues.push({ path, message: `must be at most ${MAX_PASSWORD_LENGTH} characters` });
  if (/^(.)\1*$/.test(password)) issues.push({ path, message: 'must not be one repeated character' });
  return issues;
}
