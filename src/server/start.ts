/**
 * Starting the server process: open the database, migrate and initialise on first start (printing
 * the admin's one-time password once), listen, and shut down gracefully on SIGTERM/SIGINT:
 * stop accepting connections, let in-flight requests finish, then close the database.
 */
import { openDatabase, type Database } from '../storage/database.js';
import { createServiceContext } from '../services/context.js';
import { initStudy } from '../services/study.js';
import { loadIdentityVault } from '../services/identity-vault.js';
import { startApplicationJobWorker } from '../services/jobs-worker.js';
import { scanSafetyDeadlines } from '../services/safety-notifications.js';
import { buildApp } from './app.js';
import type { ServerEnv } from './config.js';

/**
 * Whether two-factor authentication is required: as configured when STEMJOINT_REQUIRE_TOTP is set;
 * otherwise on, except for a database that `stemjoint demo` built (its audit trail has the demo's
 * own records). Demo accounts share one published password and are meant for trying the product
 * out on one's own machine; making each visitor enrol an authenticator app first would stop a demo
 * at its first screen. A production database never has demo records, so it never matches.
 */
export async function decideTotpRequirement(
  database: Database,
  configured: boolean | undefined,
  log: (line: string) => void,
): Promise<boolean> {
  if (configured !== undefined) return configured;
  // The demo creates its accounts right after initialisation, so its records are among the first:
  // looking only there keeps start-up fast on an audit trail of millions of records.
  const demo = await database.db
    .selectFrom('audit_log')
    .select('seq')
    .where('seq', '<=', 200)
    .where('actor_label', '=', 'system:demo')
    .limit(1)
    .executeTakeFirst();
  if (demo) {
    log('Demo database: two-factor authentication is not required (set STEMJOINT_REQUIRE_TOTP=1 to require it anyway)');
    return false;
  }
  return true;
}

export interface StartedServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  env: ServerEnv,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<StartedServer> {
  const database = await openDatabase(env.STEMJOINT_DB, {
    poolSize: env.STEMJOINT_PG_POOL_SIZE,
    sqliteSynchronous: env.STEMJOINT_SQLITE_SYNCHRONOUS,
  });
  const vault = loadIdentityVault();
  if (vault.created) {
    log(
      `Created a new identity keyring at ${vault.source} (for development; in production set STEMJOINT_IDENTITY_KEY or STEMJOINT_IDENTITY_KEY_FILE and back the key up separately from the database)`,
    );
  }
  const security = {
    sessionIdleMinutes: env.STEMJOINT_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: env.STEMJOINT_SESSION_HOURS,
    lockoutThreshold: env.STEMJOINT_LOCKOUT_THRESHOLD,
    lockoutMinutes: env.STEMJOINT_LOCKOUT_MINUTES,
    loginAttemptsPerMinute: env.STEMJOINT_LOGIN_ATTEMPTS_PER_MINUTE,
    minPasswordLength: env.STEMJOINT_MIN_PASSWORD_LENGTH,
  };
  const setupCtx = createServiceContext(database, { identityVault: vault.vault, security });
  const init = await initStudy(setupCtx, {
    adminEmail: env.STEMJOINT_ADMIN_EMAIL,
    ...(env.STEMJOINT_ADMIN_PASSWORD ? { adminPassword: env.STEMJOINT_ADMIN_PASSWORD } : {}),
  });
  if (init.created && init.admin) {
    log(`STEMJOINT study created. Admin account: ${init.admin.email}`);
    if (init.admin.oneTimePassword) {
      log(`One-time admin password (shown once, change it at first sign-in): ${init.admin.oneTimePassword}`);
    }
  }
  const requireTotp = await decideTotpRequirement(database, env.STEMJOINT_REQUIRE_TOTP, log);
  const totpRequiredRoles = requireTotp ? env.STEMJOINT_TOTP_ROLES : [];
  if (requireTotp) log(`Two-factor authentication (TOTP) is required for: ${totpRequiredRoles.join(', ')}`);
  const ctx = createServiceContext(database, {
    identityVault: vault.vault,
    security: { ...security, totpRequiredRoles },
  });
  const app = await buildApp(ctx, {
    logLevel: env.STEMJOINT_LOG_LEVEL,
    secureCookies: env.STEMJOINT_SECURE_COOKIES,
    trustProxy: env.STEMJOINT_TRUST_PROXY,
  });
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  log(`STEMJOINT listening on ${address} (database: ${database.engine})`);
  // Durable jobs (reminders, alerts) live in the database; any number of instances may run a worker.
  const worker = process.env.STEMJOINT_JOB_WORKER === '0' ? null : await startApplicationJobWorker(ctx, { log });
  // SAE deadline notices: each is enqueued once whichever instance scans first.
  const safetyScan = setInterval(() => {
    scanSafetyDeadlines(ctx, new Date()).catch((e: unknown) =>
      log(`safety deadline scan failed: ${(e as Error).message}`),
    );
  }, 300_000);
  safetyScan.unref();
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(safetyScan);
      await worker?.stop();
      await app.close();
      await database.close();
    })());
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal} received: finishing in-flight requests`);
    // A request that never ends must not keep a stopping server alive forever.
    setTimeout(() => process.exit(1), 30_000).unref();
    void close().then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { url: address, close };
}
