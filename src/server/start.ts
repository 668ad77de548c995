/**
 * Starting the server process: open the database, migrate and initialise on first start (printing
 * the admin's one-time password once), listen, and shut down gracefully on SIGTERM/SIGINT:
 * stop accepting connections, let in-flight requests finish, then close the database.
 */
import { openDatabase } from '../storage/database.js';
import { createServiceContext } from '../services/context.js';
import { initStudy } from '../services/study.js';
import { loadIdentityVault } from '../services/identity-vault.js';
import { buildApp } from './app.js';
import type { ServerEnv } from './config.js';

export interface StartedServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(env: ServerEnv, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<StartedServer> {
  const database = await openDatabase(env.STEMJOINT_DB, { poolSize: env.STEMJOINT_PG_POOL_SIZE, sqliteSynchronous: env.STEMJOINT_SQLITE_SYNCHRONOUS });
  const vault = loadIdentityVault();
  if (vault.created) log(`Created a new identity keyring at ${vault.source} (for development; in production set STEMJOINT_IDENTITY_KEY or STEMJOINT_IDENTITY_KEY_FILE and back the key up separately from the database)`);
  const ctx = createServiceContext(database, {
    identityVault: vault.vault,
    security: {
      sessionIdleMinutes: env.STEMJOINT_SESSION_IDLE_MINUTES,
      sessionAbsoluteHours: env.STEMJOINT_SESSION_HOURS,
      lockoutThreshold: env.STEMJOINT_LOCKOUT_THRESHOLD,
      lockoutMinutes: env.STEMJOINT_LOCKOUT_MINUTES,
    },
  });
  const init = await initStudy(ctx, {
    adminEmail: env.STEMJOINT_ADMIN_EMAIL,
    ...(env.STEMJOINT_ADMIN_PASSWORD ? { adminPassword: env.STEMJOINT_ADMIN_PASSWORD } : {}),
  });
  if (init.created && init.admin) {
    log(`STEMJOINT study created. Admin account: ${init.admin.email}`);
    if (init.admin.oneTimePassword) log(`One-time admin password (shown once, change it at first sign-in): ${init.admin.oneTimePassword}`);
  }
  const app = await buildApp(ctx, { logLevel: env.STEMJOINT_LOG_LEVEL, secureCookies: env.STEMJOINT_SECURE_COOKIES, trustProxy: env.STEMJOINT_TRUST_PROXY });
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  log(`STEMJOINT listening on ${address} (database: ${database.engine})`);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
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
