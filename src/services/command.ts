/**
 * The one way data is written: `runCommand` opens a transaction, refuses the write when the
 * database is locked (unless the command is one of the few allowed then), hands the body a
 * transaction and an audit writer, and commits the change and its audit records together.
 *
 * Bulk loads (the trial simulator) run many commands inside one `runBatch` transaction: each command
 * there runs in its own savepoint — the same lock check, the same audit records in the same chain —
 * so a command that fails rolls back alone, and the batch commits once (one durable commit instead
 * of one per command, which is what bounds a bulk load on SQLite's `synchronous=FULL`).
 */
import { CompiledQuery, ControlledTransaction } from 'kysely';
import { TrialError } from '../core/errors.js';
import type { Database, Tx } from '../storage/database.js';
import { reusableQuery } from '../storage/reusable-query.js';
import type { DatabaseSchema, AuditRow } from '../storage/schema.js';
import { appendAudit, type AuditEntry } from './audit-trail.js';
import type { Actor, ServiceContext } from './context.js';

export interface CommandScope {
  readonly tx: Tx;
  readonly actor: Actor;
  /** The server time of this command; every row and audit record it writes carries it. */
  readonly at: string;
  audit(entry: AuditEntry): Promise<AuditRow>;
}

export interface CommandOptions {
  /**
   * Commands that must work on a locked database: authentication bookkeeping, the unlock itself,
   * reading-related audit (identity views, exports). Clinical data writes never set this.
   */
  allowWhenLocked?: boolean;
}

// Runs before every command: compiled once, not rebuilt each time.
const studyLock = reusableQuery((db) => db.selectFrom('study').select(['database_locked']));

export async function runCommand<T>(
  ctx: ServiceContext,
  actor: Actor,
  body: (scope: CommandScope) => Promise<T>,
  options: CommandOptions = {},
): Promise<T> {
  const at = ctx.now().toISOString();
  const run = async (tx: Tx): Promise<T> => {
    if (!options.allowWhenLocked) {
      const [study] = await studyLock(tx);
      if (study && study.database_locked === 1) {
        throw new TrialError(
          'database_locked',
          'The database is locked: no data can be changed until a data manager unlocks it',
        );
      }
    }
    const scope: CommandScope = { tx, actor, at, audit: (entry) => appendAudit(tx, actor, at, entry) };
    return body(scope);
  };
  const db = ctx.database.db;
  return db instanceof ControlledTransaction ? inSavepoint(db as BatchTx, run) : db.transaction().execute(run);
}

type BatchTx = ControlledTransaction<DatabaseSchema>;

/**
 * One command of a batch: its own savepoint, released on success, rolled back alone on failure.
 * One name serves nested commands too: SQLite and PostgreSQL both roll back to and release the
 * most recent savepoint of a name.
 */
const SAVEPOINT = CompiledQuery.raw('savepoint sj_command');
const ROLLBACK_TO_SAVEPOINT = CompiledQuery.raw('rollback to savepoint sj_command');
const RELEASE_SAVEPOINT = CompiledQuery.raw('release savepoint sj_command');

async function inSavepoint<T>(tx: BatchTx, run: (tx: Tx) => Promise<T>): Promise<T> {
  await tx.executeQuery(SAVEPOINT);
  let result: T;
  try {
    result = await run(tx);
  } catch (error) {
    await tx.executeQuery(ROLLBACK_TO_SAVEPOINT);
    await tx.executeQuery(RELEASE_SAVEPOINT);
    throw error;
  }
  await tx.executeQuery(RELEASE_SAVEPOINT);
  return result;
}

/**
 * Runs `body` with a context whose database is one open transaction, committed when `body` returns
 * and rolled back when it throws. Every service called with that context runs its commands inside
 * that transaction, each in its own savepoint (see `runCommand`), and reads through it too — on
 * SQLite the transaction holds the only connection, so the outer context must not be used until
 * the batch ends. For bulk loads that can be re-run (the simulator), not for requests: nothing is
 * durable until the batch commits, and side effects outside the database are not rolled back.
 */
export async function runBatch<T>(ctx: ServiceContext, body: (batch: ServiceContext) => Promise<T>): Promise<T> {
  if (ctx.database.db instanceof ControlledTransaction) return body(ctx);
  const tx = await ctx.database.db.startTransaction().execute();
  const database: Database = {
    engine: ctx.database.engine,
    url: ctx.database.url,
    db: tx,
    close: () => Promise.reject(new TrialError('internal', 'a batch cannot close the database it runs in')),
  };
  let result: T;
  try {
    result = await body({ ...ctx, database });
  } catch (error) {
    await tx.rollback().execute();
    throw error;
  }
  await tx.commit().execute();
  return result;
}
