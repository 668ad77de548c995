/**
 * Platform commands: init, serve, db migrate, user …, token create, audit verify, demo.
 * Every command takes --db URL (or STEMJOINT_DB) and closes the database before it returns.
 */
import { rmSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { isStaffRole, type StaffRole } from '../../core/roles.js';
import type { Database } from '../../storage/database.js';
import type { ServiceContext } from '../../services/context.js';
import { CliExit, printJson } from '../io.js';

// Services, storage and the server are imported inside the actions: a CLI call loads only what its
// command needs, so the pure commands (koos, eligibility, schedule, …) start fast.
const storage = () => import('../../storage/database.js');
const services = async () => ({
  ...(await import('../../services/context.js')),
  ...(await import('../../services/study.js')),
  ...(await import('../../services/users.js')),
  ...(await import('../../services/auth.js')),
  ...(await import('../../services/audit-trail.js')),
  ...(await import('../../services/identity-vault.js')),
});

const DEFAULT_DB = 'sqlite:./data/stemjoint.db';
const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );
const resolveDbUrl = (opt: string | undefined): string => opt ?? process.env.STEMJOINT_DB ?? DEFAULT_DB;

async function withContext<T>(
  dbUrl: string | undefined,
  body: (ctx: ServiceContext, database: Database) => Promise<T>,
  opts: { identityVault?: boolean } = {},
): Promise<T> {
  const url = resolveDbUrl(dbUrl);
  const { openDatabase, redactUrl } = await storage();
  const { createServiceContext, loadIdentityVault } = await services();
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (e) {
    throw new CliExit(3, `--db: ${(e as Error).message}`);
  }
  try {
    // Only commands that handle identity data load (or, in development, create) the identity keyring.
    const vault = opts.identityVault ? { identityVault: loadIdentityVault().vault } : {};
    return await body(createServiceContext(database, vault), database);
  } catch (e) {
    const msg = (e as Error).message;
    if (/ECONNREFUSED|does not exist|no such table|getaddrinfo/.test(msg)) {
      throw new CliExit(4, `database ${redactUrl(url)}: ${msg}`);
    }
    throw e;
  } finally {
    await database.close();
  }
}

async function requireInitialised(ctx: ServiceContext): Promise<void> {
  const { getStudyOverview } = await services();
  try {
    await getStudyOverview(ctx.database.db);
  } catch {
    throw new CliExit(4, 'the database is not initialised; run `stemjoint init --db URL` first');
  }
}

function parseRoles(value: string): { role: StaffRole; siteId: null }[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = roles.filter((r) => !isStaffRole(r));
  if (roles.length === 0 || bad.length > 0) {
    throw new CliExit(3, `--roles: unknown role(s) ${bad.join(', ') || '(none given)'}`);
  }
  return roles.map((role) => ({ role: role as StaffRole, siteId: null }));
}

export function registerPlatformCommands(program: Command): void {
  program
    .command('init')
    .description('Create the database schema, the STEMJOINT study, its first site and an admin account')
    .addOption(dbOption())
    .option('--admin-email <email>', 'admin e-mail', process.env.STEMJOINT_ADMIN_EMAIL ?? 'admin@stemjoint.local')
    .option('--admin-password <password>', 'admin password (default $STEMJOINT_ADMIN_PASSWORD or a one-time password)')
    .action(async (opts: { db?: string; adminEmail: string; adminPassword?: string }) => {
      const { initStudy } = await services();
      await withContext(opts.db, async (ctx) => {
        const password = opts.adminPassword ?? process.env.STEMJOINT_ADMIN_PASSWORD;
        const result = await initStudy(ctx, {
          adminEmail: opts.adminEmail,
          ...(password ? { adminPassword: password } : {}),
        });
        if (!result.created) {
          process.stdout.write(
            `already initialised${result.migrationsApplied.length ? `; applied migrations: ${result.migrationsApplied.join(', ')}` : ''}\n`,
          );
          return;
        }
        process.stdout.write(`STEMJOINT study created; admin account ${result.admin?.email}\n`);
        if (result.admin?.oneTimePassword) {
          process.stdout.write(`one-time admin password: ${result.admin.oneTimePassword}\n`);
        }
      });
    });

  program
    .command('serve')
    .description('Serve the API and web app (initialises an empty database on first start)')
    .addOption(dbOption())
    .option('--port <port>', 'port (default $PORT or 3000)')
    .option('--host <host>', 'interface to listen on (default $HOST or 127.0.0.1)')
    .action(async (opts: { db?: string; port?: string; host?: string }) => {
      const { loadEnv } = await import('../../server/config.js');
      const { startServer } = await import('../../server/start.js');
      let env;
      try {
        env = loadEnv({
          ...process.env,
          ...(opts.db ? { STEMJOINT_DB: opts.db } : {}),
          ...(opts.port ? { PORT: opts.port } : {}),
          ...(opts.host ? { HOST: opts.host } : {}),
        });
      } catch (e) {
        throw new CliExit(3, (e as Error).message);
      }
      await startServer(env);
    });

  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending schema migrations')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      const { migrateToLatest } = await import('../../storage/migrate.js');
      await withContext(opts.db, async (_ctx, database) => {
        const r = await migrateToLatest(database);
        if (r.error) throw new CliExit(4, `migration failed: ${r.error.message}`);
        process.stdout.write(r.applied.length ? `applied: ${r.applied.join(', ')}\n` : 'schema is up to date\n');
      });
    });

  const user = program.command('user').description('Staff accounts');
  user
    .command('add')
    .description('Create a staff account')
    .addOption(dbOption())
    .requiredOption('--email <email>', 'e-mail address (the login name)')
    .requiredOption('--roles <roles>', 'comma-separated roles, e.g. investigator,coordinator')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'password (default: a one-time password is printed)')
    .action(async (opts: { db?: string; email: string; roles: string; name?: string; password?: string }) => {
      const grants = parseRoles(opts.roles);
      const { createUser, systemActor } = await services();
      await withContext(opts.db, async (ctx) => {
        await requireInitialised(ctx);
        const r = await createUser(ctx, systemActor('cli'), {
          email: opts.email,
          displayName: opts.name ?? opts.email,
          grants,
          ...(opts.password ? { password: opts.password } : {}),
        });
        process.stdout.write(`created ${r.user.email} (${r.user.grants.map((g) => g.role).join(', ')})\n`);
        if (r.oneTimePassword) process.stdout.write(`one-time password: ${r.oneTimePassword}\n`);
      });
    });
  user
    .command('list')
    .description('List staff accounts')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const { listUsers } = await services();
      await withContext(opts.db, async (ctx) => {
        await requireInitialised(ctx);
        const users = await listUsers(ctx);
        if (opts.json) return printJson(users);
        for (const u of users) {
          process.stdout.write(
            `${u.email.padEnd(36)} ${u.status.padEnd(9)} ${u.locked ? 'locked ' : '       '}${u.grants.map((g) => g.role).join(',')}\n`,
          );
        }
      });
    });
  user
    .command('disable')
    .description('Disable a staff account (accounts are never deleted)')
    .addOption(dbOption())
    .requiredOption('--email <email>', 'the account')
    .requiredOption('--reason <reason>', 'why (recorded in the audit trail)')
    .action(async (opts: { db?: string; email: string; reason: string }) => {
      const { findUserIdByEmail, disableUser, systemActor } = await services();
      await withContext(opts.db, async (ctx) => {
        await requireInitialised(ctx);
        const id = await findUserIdByEmail(ctx.database.db, opts.email);
        await disableUser(ctx, systemActor('cli'), id, opts.reason);
        process.stdout.write(`disabled ${opts.email}\n`);
      });
    });
  user
    .command('reset-password')
    .description('Reset a password (prints a one-time password unless --password is given); clears lockout')
    .addOption(dbOption())
    .requiredOption('--email <email>', 'the account')
    .option('--password <password>', 'the new password')
    .action(async (opts: { db?: string; email: string; password?: string }) => {
      const { findUserIdByEmail, resetPassword, systemActor } = await services();
      await withContext(opts.db, async (ctx) => {
        await requireInitialised(ctx);
        const id = await findUserIdByEmail(ctx.database.db, opts.email);
        const r = await resetPassword(ctx, systemActor('cli'), id, opts.password);
        process.stdout.write(r.oneTimePassword ? `one-time password: ${r.oneTimePassword}\n` : 'password set\n');
      });
    });

  program
    .command('token')
    .description('Personal API tokens')
    .command('create')
    .description('Create a personal API token for a user (printed once; use as Authorization: Bearer …)')
    .addOption(dbOption())
    .requiredOption('--user <email>', 'the token owner')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--expires-in-days <days>', 'expiry in days')
    .action(async (opts: { db?: string; user: string; name: string; expiresInDays?: string }) => {
      const days = opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays);
      if (days !== undefined && !(Number.isInteger(days) && days > 0)) {
        throw new CliExit(3, '--expires-in-days: must be a positive whole number');
      }
      const { findUserIdByEmail, createApiToken, systemActor } = await services();
      await withContext(opts.db, async (ctx) => {
        await requireInitialised(ctx);
        const id = await findUserIdByEmail(ctx.database.db, opts.user);
        const r = await createApiToken(ctx, systemActor('cli'), {
          userId: id,
          name: opts.name,
          ...(days ? { expiresInDays: days } : {}),
        });
        process.stdout.write(`${r.token}\n`);
      });
    });

  program
    .command('audit')
    .description('Audit trail')
    .command('verify')
    .description('Walk the hash chain: exit 0 with the record count, or 1 naming the first bad sequence number')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      const { verifyAuditChain } = await services();
      await withContext(opts.db, async (ctx) => {
        const r = await verifyAuditChain(ctx.database.db);
        if (r.ok) {
          process.stdout.write(`audit trail verified: ${r.count} records\n`);
          return;
        }
        throw new CliExit(
          1,
          `audit trail does NOT verify at sequence number ${r.seq}: ${r.problem} (${r.count} records verified before it)`,
        );
      });
    });

  program
    .command('backup')
    .description('Write a consistent online backup (JSON Lines, restorable into either engine)')
    .addOption(dbOption())
    .requiredOption('--out <file>', 'the backup file to write')
    .action(async (opts: { db?: string; out: string }) => {
      const { backupDatabase } = await import('../../services/backup.js');
      await withContext(opts.db, async (ctx, database) => {
        await requireInitialised(ctx);
        const r = await backupDatabase(database, opts.out, ctx.now());
        const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
        process.stdout.write(
          `backup written to ${opts.out}: ${Object.keys(r.tables).length} tables, ${rows} rows, ${r.bytes} bytes\n`,
        );
      });
    });

  program
    .command('restore')
    .description('Restore a backup into an empty database, then verify the audit trail')
    .addOption(dbOption())
    .requiredOption('--in <file>', 'the backup file to read')
    .action(async (opts: { db?: string; in: string }) => {
      const { restoreDatabase } = await import('../../services/backup.js');
      await withContext(opts.db, async (_ctx, database) => {
        const r = await restoreDatabase(database, opts.in);
        const rows = Object.values(r.tables).reduce((a, b) => a + b, 0);
        process.stdout.write(
          `restored ${rows} rows into ${Object.keys(r.tables).length} tables; audit trail verified: ${r.auditRecords} records\n`,
        );
      });
    });

  program
    .command('demo')
    .description('Build a demo database through the real services and print a JSON summary')
    .addOption(dbOption())
    .option('--participants <n>', 'number of participants', '80')
    .option('--seed <n>', 'random seed', '20231001')
    .option('--password <password>', 'password of every demo account', 'stemjoint-demo')
    .option('--fresh', 'delete an existing SQLite demo file first')
    .action(async (opts: { db?: string; participants: string; seed: string; password: string; fresh?: boolean }) => {
      const participants = Number(opts.participants);
      const seed = Number(opts.seed);
      if (!Number.isInteger(participants) || participants < 0 || participants > 100_000) {
        throw new CliExit(3, '--participants: must be a whole number from 0 to 100000');
      }
      if (!Number.isInteger(seed)) throw new CliExit(3, '--seed: must be a whole number');
      const url = resolveDbUrl(opts.db);
      const { parseDatabaseUrl } = await storage();
      const { buildDemo } = await import('../../services/demo.js');
      if (opts.fresh) {
        const parsed = parseDatabaseUrl(url);
        if (parsed.engine !== 'sqlite') throw new CliExit(3, '--fresh: only for sqlite: databases');
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${parsed.target}${suffix}`, { force: true });
      }
      await withContext(
        url,
        async (ctx) => {
          const summary = await buildDemo(ctx, { participants, seed, password: opts.password });
          printJson(summary);
        },
        { identityVault: true },
      );
    });
}
