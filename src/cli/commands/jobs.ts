/**
 * `stemjoint jobs …`: the durable job queue from the command line. `run-once` runs every due job
 * once (reminders, missed-day alerts, access codes) and exits — for cron, or for a deployment that
 * runs the worker apart from the web servers; `status` counts jobs by kind and status. Channels
 * come from the environment as for the server (STEMJOINT_SMTP_URL, STEMJOINT_NOTIFY_FILE).
 */
import { Option, type Command } from 'commander';
import { openDatabase, redactUrl, type Database } from '../../storage/database.js';
import { createServiceContext, type ServiceContext } from '../../services/context.js';
import { loadIdentityVault } from '../../services/identity-vault.js';
import { summarizeJobs } from '../../services/jobs.js';
import { runApplicationJobsOnce } from '../../services/jobs-worker.js';
import { CliExit, printJson } from '../io.js';

const DEFAULT_DB = 'sqlite:./data/stemjoint.db';
const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );

async function withDatabase<T>(
  dbUrl: string | undefined,
  body: (ctx: ServiceContext, database: Database) => Promise<T>,
): Promise<T> {
  const url = dbUrl ?? process.env.STEMJOINT_DB ?? DEFAULT_DB;
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (e) {
    throw new CliExit(3, `--db: ${(e as Error).message}`);
  }
  try {
    // Reminders decrypt the participant's contact: the identity keyring is needed.
    return await body(createServiceContext(database, { identityVault: loadIdentityVault().vault }), database);
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

/** Registers `stemjoint jobs run-once|status`. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('durable background jobs: reminders, missed-day alerts, access codes');
  jobs
    .command('run-once')
    .description('run every due job once, print what happened, exit')
    .addOption(dbOption())
    .option('--limit <n>', 'at most this many jobs', '100')
    .action(async (opts: { db?: string; limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new CliExit(2, '--limit: must be an integer 1–10000');
      }
      const result = await withDatabase(opts.db, (ctx) => runApplicationJobsOnce(ctx, { limit }));
      printJson(result);
    });
  jobs
    .command('status')
    .description('jobs by kind and status')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      printJson(await withDatabase(opts.db, (_ctx, database) => summarizeJobs(database.db)));
    });
}
