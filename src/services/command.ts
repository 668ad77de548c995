/**
 * The one way data is written: `runCommand` opens a transaction, refuses the write when the
 * database is locked (unless the command is one of the few allowed then), hands the body a
 * transaction and an audit writer, and commits the change and its audit records together.
 */
import { TrialError } from '../core/errors.js';
import type { Tx } from '../storage/database.js';
import type { AuditRow } from '../storage/schema.js';
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

export async function runCommand<T>(
  ctx: ServiceContext,
  actor: Actor,
  body: (scope: CommandScope) => Promise<T>,
  options: CommandOptions = {},
): Promise<T> {
  const at = ctx.now().toISOString();
  return ctx.database.db.transaction().execute(async (tx) => {
    if (!options.allowWhenLocked) {
      const study = await tx.selectFrom('study').select(['database_locked']).executeTakeFirst();
      if (study && study.database_locked === 1) {
        throw new TrialError(
          'database_locked',
          'The database is locked: no data can be changed until a data manager unlocks it',
        );
      }
    }
    const scope: CommandScope = { tx, actor, at, audit: (entry) => appendAudit(tx, actor, at, entry) };
    return body(scope);
  });
}
