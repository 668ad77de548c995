/**
 * Typed access to the security tables (`schema-security.ts`) from any executor, without widening
 * the shared `DatabaseSchema`, so this feature's tables stay declared in its own slot file. The
 * executor is the same object; only its static type gains the tables (Kysely's `withTables` would
 * do the same but wants index-signature types, which our interface-style table types are not).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db, Executor, Tx } from '../storage/database.js';
import type { DatabaseSchema } from '../storage/schema.js';
import type { SecurityTables } from '../storage/schema-security.js';

export type SecurityDb = Kysely<DatabaseSchema & SecurityTables>;
export type SecurityTx = Transaction<DatabaseSchema & SecurityTables>;

/** The database (or a transaction) with the security tables typed. */
export function securityDb(executor: Tx): SecurityTx;
export function securityDb(executor: Db): SecurityDb;
export function securityDb(executor: Executor): SecurityDb | SecurityTx;
export function securityDb(executor: Executor): SecurityDb | SecurityTx {
  return executor as unknown as SecurityDb | SecurityTx;
}
