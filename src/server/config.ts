/**
 * Server configuration from the environment, validated at start-up with messages that name the
 * variable. Every variable is listed in the README's configuration table.
 */
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

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
