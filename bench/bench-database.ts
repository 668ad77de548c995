/**
 * Fresh, empty databases for the benchmarks: a SQLite file in its own temporary directory, or a
 * PostgreSQL database created on the test server (STEMJOINT_TEST_PG_URL) — each dropped by the
 * bench when it is done, so runs never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from '../src/storage/database.js';

/** The PostgreSQL server the benchmarks create their databases on. */
export const BENCH_PG_BASE = process.env.STEMJOINT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** One statement on the PostgreSQL server's maintenance connection (CREATE / DROP DATABASE). */
async function onPostgresServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(statement);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * A fresh empty database of the engine, named after the bench (`label`); null when PostgreSQL
 * is unreachable, so that a bench can report the engine as skipped.
 */
export async function freshBenchDatabase(engine: Engine, label: string): Promise<BenchDatabase | null> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `sj-${label}-`));
    return { url: `sqlite:${join(dir, 'bench.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `sj_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(5).toString('hex')}`;
  try {
    await onPostgresServer(`CREATE DATABASE ${name}`);
  } catch {
    return null;
  }
  const url = new URL(BENCH_PG_BASE);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onPostgresServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
