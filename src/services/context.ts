/**
 * What every service call needs, passed explicitly (no module-level singletons): the database,
 * the clock, and the security settings. Tests build their own context with a fixed clock.
 */
import type { Database } from '../storage/database.js';
import type { Role } from '../core/roles.js';
import { TrialError } from '../core/errors.js';
import type { IdentityVault } from './identity-vault.js';

export interface SecuritySettings {
  /** A session ends after this many minutes without a request. */
  sessionIdleMinutes: number;
  /** …and in any case this many hours after login. */
  sessionAbsoluteHours: number;
  /** Consecutive wrong passwords before the account locks. */
  lockoutThreshold: number;
  /** How long a locked account stays locked. */
  lockoutMinutes: number;
  /** Login attempts allowed per client address per minute (all accounts together). */
  loginAttemptsPerMinute: number;
  /** Minimum password length. */
  minPasswordLength: number;
  /**
   * Roles whose holders must use TOTP two-factor authentication (they enrol at their next sign-in,
   * before anything else). Empty = two-factor is optional for everyone. `serve` turns it on for
   * admin, unblinded_pharmacist and dsmb (STEMJOINT_REQUIRE_TOTP, STEMJOINT_TOTP_ROLES).
   */
  totpRequiredRoles: readonly Role[];
  /** Minutes between "password verified" and "second factor verified" before sign-in starts over. */
  loginChallengeMinutes: number;
  /** Wrong codes allowed within one sign-in challenge before it is void. */
  loginChallengeAttempts: number;
}

export const DEFAULT_SECURITY: SecuritySettings = {
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  loginAttemptsPerMinute: 30,
  minPasswordLength: 12,
  // Off unless configured: library users and tests opt in; `serve` opts in by default.
  totpRequiredRoles: [],
  loginChallengeMinutes: 5,
  loginChallengeAttempts: 5,
};

export interface ServiceContext {
  readonly database: Database;
  readonly now: () => Date;
  readonly security: SecuritySettings;
  /** The identity vault; absent where no identity data is handled (e.g. `audit verify`). */
  readonly identityVault?: IdentityVault;
}

export function requireVault(ctx: ServiceContext): IdentityVault {
  if (!ctx.identityVault) throw new TrialError('internal', 'identity vault not configured');
  return ctx.identityVault;
}

export function createServiceContext(
  database: Database,
  overrides: { now?: () => Date; security?: Partial<SecuritySettings>; identityVault?: IdentityVault } = {},
): ServiceContext {
  return {
    database,
    now: overrides.now ?? (() => new Date()),
    security: { ...DEFAULT_SECURITY, ...overrides.security },
    ...(overrides.identityVault ? { identityVault: overrides.identityVault } : {}),
  };
}

export interface RoleGrant {
  role: Role;
  /** null = study-wide */
  siteId: string | null;
}

/** Who is acting. Every write is attributed to an actor in the audit trail. */
export type Actor =
  | { kind: 'user'; userId: string; email: string; displayName: string; grants: RoleGrant[]; roles: Role[] }
  | { kind: 'system'; label: string };

export const systemActor = (label: string): Actor => ({ kind: 'system', label });

export const actorLabel = (actor: Actor): string => (actor.kind === 'user' ? actor.email : `system:${actor.label}`);
export const actorId = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

export const isoNow = (ctx: ServiceContext): string => ctx.now().toISOString();
