/**
 * Opening a database from a URL: `sqlite:PATH` (the embedded default; `sqlite::memory:` for
 * throw-away use) or `postgres://…`. Everything above this file is dialect-agnostic Kysely;
 * the engine-specific choices (pragmas, transaction start, type parsers) live here only.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type Transaction,
} from 'kysely';
import type { DatabaseSchema } from './schema.js';

export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export type Db = Kysely<DatabaseSchema>;
export type Tx = Transaction<DatabaseSchema>;
/** Either the database or an open transaction: read helpers accept both. */
export type Executor = Db | Tx;

export interface Database {
  readonly engine: Engine;
  readonly url: string;
  readonly db: Db;
  close(): Promise<void>;
}

export interface ParsedDatabaseUrl {
  engine: Engine;
  /** For SQLite: the file path or ':memory:'. For PostgreSQL: the connection string. */
  target: string;
}

/** Parses a database URL, refusing anything we do not support with a message naming the URL. */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (target === '') {
      throw new Error(`database URL "${url}": sqlite: needs a file path, e.g. sqlite:./data/stemjoint.db`);
    }
    return { engine: 'sqlite', target };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', target: url };
  throw new Error(`database URL "${redactUrl(url)}": use sqlite:PATH or postgres://user@host:port/database`);
}

/** A URL without its password, safe for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

// int8 (bigint) and numeric come back from pg as strings by default; our sequence numbers and
// counts stay far below 2^53, so numbers are the right JavaScript type for them.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * SQLite starts transactions DEFERRED by default, which lets two writers both read and then
 * deadlock on the upgrade to a write lock (SQLITE_BUSY without waiting). Every transaction of ours
 * may write, so we take the write lock up front and let busy_timeout queue the others.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every statement anew; preparing is the largest cost of a small write on SQLite.
 * The connection is used by one query at a time (Kysely's mutex), so statements can be reused.
 */
function withStatementCache(db: BetterSqlite3.Database, max = 500): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (source: string): BetterSqlite3.Statement => {
    let stmt = cache.get(source);
    if (!stmt) {
      stmt = db.prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(source, stmt);
    }
    return stmt;
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

class DurableSqliteDialect extends SqliteDialect {
  readonly #database: BetterSqlite3.Database;
  constructor(database: BetterSqlite3.Database) {
    const cached = withStatementCache(database);
    super({ database: cached });
    this.#database = cached;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

export interface OpenOptions {
  /** PostgreSQL pool size per process (default 10). */
  poolSize?: number;
  /** SQLite synchronous setting; FULL (the default) survives power loss, not only process crashes. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.engine === 'sqlite') {
    const file = parsed.target;
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    const db = new Kysely<DatabaseSchema>({ dialect: new DurableSqliteDialect(sqlite) });
    return { engine: 'sqlite', url, db, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: parsed.target, max: options.poolSize ?? 10 });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return { engine: 'postgres', url, db, close: () => db.destroy() };
}

/**
 * A larger SQLite page cache for one bulk job (the simulator's load): the default 2 MiB makes a
 * large load read its indexes back through the operating system on every lookup. Servers and
 * exports keep the default, which bounds their memory. No effect on PostgreSQL.
 */
export async function enlargeSqliteCache(database: Database, mebibytes: number): Promise<void> {
  if (database.engine !== 'sqlite') return;
  await database.db.executeQuery(CompiledQuery.raw(`pragma cache_size = -${Math.round(mebibytes * 1024)}`));
}
