/**
 * Database plumbing of the analysis and report commands (`analyze sap`, `report …`, `simulate`):
 * open the database named by --db (or $STEMJOINT_DB), load the identity keyring when arms must be
 * unsealed, act as the operator or as a named staff user (`--as EMAIL`, whose roles must hold the
 * operation), and map refusals to exit codes: 1 refused (blinded, or by arm before lock), 3 bad
 * input, 4 runtime failure.
 */
import { Option } from 'commander';
import { can, type Operation } from '../../core/authorization.js';
import { isTrialError } from '../../core/errors.js';
import { openDatabase, redactUrl, type Database } from '../../storage/database.js';
import { createServiceContext, systemActor, type Actor, type ServiceContext } from '../../services/context.js';
import { loadIdentityVault } from '../../services/identity-vault.js';
import { actorForEmail } from '../../services/users.js';
import { CliExit } from '../io.js';

const DEFAULT_DB = 'sqlite:./data/stemjoint.db';

/** The --db option. */
export const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );

/** The --as option. */
export const asOption = (): Option =>
  new Option('--as <email>', 'act as this staff user (their roles and the blind apply); default: the operator');

/** Opens the database, runs `body` with a context (and the identity vault when asked), closes. */
export async function withReportContext<T>(
  dbUrl: string | undefined,
  opts: { vault: boolean; initialised?: boolean },
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
    if (opts.initialised !== false) {
      const study = await database.db
        .selectFrom('study')
        .select('id')
        .executeTakeFirst()
        .catch(() => undefined);
      if (!study) {
        throw new CliExit(4, `database ${redactUrl(url)} is not initialised; run \`stemjoint init --db URL\` first`);
      }
    }
    const vault = opts.vault ? { identityVault: loadIdentityVault().vault } : {};
    return await body(createServiceContext(database, vault), database);
  } catch (e) {
    if (isTrialError(e) && (e.code === 'forbidden' || e.code === 'conflict')) {
      throw new CliExit(1, `refused: ${e.message}`);
    }
    const msg = (e as Error).message;
    if (/ECONNREFUSED|does not exist|no such table|getaddrinfo/.test(msg)) {
      throw new CliExit(4, `database ${redactUrl(url)}: ${msg}`);
    }
    throw e;
  } finally {
    await database.close();
  }
}

/** The acting user: the operator (system), or a staff user whose roles must hold `operation`. */
export async function resolveReportActor(
  ctx: ServiceContext,
  email: string | undefined,
  operation: Operation,
): Promise<Actor> {
  if (email === undefined) return systemActor('cli');
  let actor: Actor;
  try {
    actor = await actorForEmail(ctx.database.db, email);
  } catch {
    throw new CliExit(3, `--as: no active staff account ${email}`);
  }
  if (!can(actor.roles, operation)) {
    throw new CliExit(1, `refused: ${email} (${actor.roles.join(', ')}) may not ${operation}`);
  }
  return actor;
}
