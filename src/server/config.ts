/**
 * Server configuration from the environment, validated at start-up with messages that name the
 * variable. Every variable is listed in the README's configuration table.
 */
import { z } from 'zod';
import { isStaffRole, type StaffRole } from '../core/roles.js';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** The roles that must use two-factor authentication when it is required: administration and the unblinded. */
export const DEFAULT_TOTP_ROLES: readonly StaffRole[] = ['admin', 'unblinded_pharmacist', 'dsmb'];

const EnvSchema = z.object({
  STEMJOINT_DB: z.string().min(1).default('sqlite:./data/stemjoint.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  STEMJOINT_ADMIN_EMAIL: z.string().email().default('admin@stemjoint.local'),
  STEMJOINT_ADMIN_PASSWORD: z.string().min(12).optional(),
  STEMJOINT_SECURE_COOKIES: bool.default(false),
  STEMJOINT_TRUST_PROXY: bool.default(false),
  STEMJOINT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STEMJOINT_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  STEMJOINT_SESSION_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  STEMJOINT_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  STEMJOINT_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  STEMJOINT_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  STEMJOINT_SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  // Unset = on, except for a database built by `stemjoint demo` (see start.ts); 0/1 decides explicitly.
  STEMJOINT_REQUIRE_TOTP: bool.optional(),
  STEMJOINT_TOTP_ROLES: z
    .string()
    .default(DEFAULT_TOTP_ROLES.join(','))
    .transform((v, zctx) => {
      const roles = v
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
      const bad = roles.filter((r) => !isStaffRole(r));
      if (roles.length === 0 || bad.length > 0) {
        zctx.addIssue({
          code: 'custom',
          message: `comma-separated staff roles; unknown: ${bad.join(', ') || '(none given)'}`,
        });
        return z.NEVER;
      }
      return roles as StaffRole[];
    }),
  STEMJOINT_LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  // NIST SP 800-63B: at least 8; we never go below 12.
  STEMJOINT_MIN_PASSWORD_LENGTH: z.coerce.number().int().min(12).max(128).default(12),
});

export type ServerEnv = z.output<typeof EnvSchema>;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in EnvSchema.shape && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
