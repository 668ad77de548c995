/**
 * Logical backup and restore, the same on both engines (and across them: a SQLite backup restores
 * into PostgreSQL). The backup is taken inside one transaction, so it is a consistent snapshot while
 * the server keeps running; it streams table by table, page by page, as JSON Lines, so memory does
 * not grow with the study. Restore goes into an empty, freshly migrated database and refuses a
 * backup from another schema version.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { sql, type Kysely } from 'kysely';
import { TrialError } from '../core/errors.js';
import type { Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { verifyAuditChain } from './audit-trail.js';

const FORMAT = 'stemjoint-backup';
const FORMAT_VERSION = 1;
const MIGRATION_TABLES = ['schema_migrations', 'schema_migrations_lock'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the backup handles every table generically
type AnyDb = Kysely<any>;

interface Header {
  format: typeof FORMAT;
  formatVersion: number;
  engine: string;
  migrations: string[];
  createdAt: string;
  tables: string[];
}

async function userTables(db: AnyDb): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: false });
  return tables
    .filter((t) => !t.isView && !MIGRATION_TABLES.includes(t.name))
    .map((t) => t.name)
    .sort();
}

async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const rows = await db.selectFrom('schema_migrations').select('name').orderBy('name').execute();
  return rows.map((r) => String(r.name));
}

export interface BackupResult {
  tables: Record<string, number>;
  bytes: number;
}

/** Writes a consistent snapshot of every table to `file` (JSON Lines). */
export async function backupDatabase(database: Database, file: string, now: Date = new Date()): Promise<BackupResult> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let bytes = 0;
  const write = async (line: unknown): Promise<void> => {
    const text = `${JSON.stringify(line)}\n`;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const counts: Record<string, number> = {};
  const db = database.db as unknown as AnyDb;
  await db.transaction().execute(async (tx) => {
    // PostgreSQL: a snapshot for the whole transaction. SQLite: the transaction itself is the snapshot.
    if (database.engine === 'postgres') {
      await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(tx);
    }
    const tables = await userTables(tx);
    const header: Header = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      engine: database.engine,
      migrations: await appliedMigrations(tx),
      createdAt: now.toISOString(),
      tables,
    };
    await write(header);
    for (const table of tables) {
      counts[table] = 0;
      const pageSize = 1000;
      for (let offset = 0; ; offset += pageSize) {
        // Order by every column so pages are stable without knowing each table's key.
        const rows = await sql<
          Record<string, unknown>
        >`SELECT * FROM ${sql.table(table)} ORDER BY 1 LIMIT ${pageSize} OFFSET ${offset}`.execute(tx);
        for (const row of rows.rows) await write({ t: table, r: row });
        counts[table] += rows.rows.length;
        if (rows.rows.length < pageSize) break;
      }
    }
  });
  out.end();
  await once(out, 'finish');
  return { tables: counts, bytes };
}

async function* readLines(file: string): AsyncGenerator<unknown> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n += 1;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as unknown;
    } catch {
      throw new TrialError('validation_failed', `backup file: line ${n} is not valid JSON`, [
        { path: `line ${n}`, message: 'malformed' },
      ]);
    }
  }
}

/**
 * Restores a backup into an empty database: migrates it, checks the schema version matches, then
 * loads every table in one transaction (all or nothing) and verifies the audit chain.
 */
export async function restoreDatabase(
  database: Database,
  file: string,
): Promise<{ tables: Record<string, number>; auditRecords: number }> {
  const migrated = await migrateToLatest(database);
  if (migrated.error) throw new TrialError('internal', `migration failed: ${migrated.error.message}`);
  const db = database.db as unknown as AnyDb;
  const study = await db.selectFrom('study').select('id').executeTakeFirst();
  if (study) {
    throw new TrialError(
      'conflict',
      'The target database is not empty (a study exists); restore needs an empty database',
    );
  }
  const lines = readLines(file);
  const first = await lines.next();
  const header = first.value as Header | undefined;
  if (!header || header.format !== FORMAT || header.formatVersion !== FORMAT_VERSION) {
    throw new TrialError('validation_failed', 'Not a STEMJOINT backup file (header missing or of another format)');
  }
  const ours = await appliedMigrations(db);
  if (JSON.stringify(ours) !== JSON.stringify(header.migrations)) {
    throw new TrialError(
      'conflict',
      `Schema version mismatch: the backup has migrations [${header.migrations.join(', ')}], this database [${ours.join(', ')}]`,
    );
  }
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (tx) => {
    const tables = await userTables(tx);
    const unknown = header.tables.filter((t) => !tables.includes(t));
    if (unknown.length > 0) {
      throw new TrialError('conflict', `The backup has tables this database lacks: ${unknown.join(', ')}`);
    }
    // Tables that migrations seed (chain head, counters) are replaced by the backup's rows.
    for (const t of header.tables) await tx.deleteFrom(t).execute();
    const tryLoad = async (table: string, rows: Record<string, unknown>[]): Promise<boolean> => {
      await sql`SAVEPOINT restore_table`.execute(tx);
      try {
        for (let i = 0; i < rows.length; i += 200) {
          await tx
            .insertInto(table)
            .values(rows.slice(i, i + 200))
            .execute();
        }
        await sql`RELEASE SAVEPOINT restore_table`.execute(tx);
        return true;
      } catch {
        await sql`ROLLBACK TO SAVEPOINT restore_table`.execute(tx);
        return false;
      }
    };
    // Rows arrive table by table in name order. A table whose foreign keys point to a table not yet
    // loaded is kept aside and retried at the end, until nothing more can be loaded.
    const pending = new Map<string, Record<string, unknown>[]>();
    let current: string | null = null;
    let rows: Record<string, unknown>[] = [];
    const finishTable = async (): Promise<void> => {
      if (current !== null && !(await tryLoad(current, rows))) pending.set(current, rows);
      rows = [];
    };
    for await (const line of lines) {
      const { t, r } = line as { t: string; r: Record<string, unknown> };
      if (!header.tables.includes(t)) {
        throw new TrialError('validation_failed', `backup file: row for unknown table ${t}`);
      }
      if (t !== current) {
        await finishTable();
        current = t;
      }
      rows.push(r);
      counts[t] = (counts[t] ?? 0) + 1;
    }
    await finishTable();
    while (pending.size > 0) {
      let progress = false;
      for (const [table, list] of [...pending]) {
        if (await tryLoad(table, list)) {
          pending.delete(table);
          progress = true;
        }
      }
      if (!progress) throw new TrialError('conflict', `Could not restore tables: ${[...pending.keys()].join(', ')}`);
    }
  });
  const chain = await verifyAuditChain(database.db);
  if (!chain.ok) {
    throw new TrialError(
      'conflict',
      `The restored audit trail does not verify at sequence number ${chain.seq}: ${chain.problem}`,
    );
  }
  return { tables: counts, auditRecords: chain.count };
}
