/**
 * Runs a suite once per database engine, unchanged (the storage contract). SQLite always; PostgreSQL
 * when reachable — each test file gets its own freshly created PostgreSQL database, dropped after.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openDatabase, type Database, type Engine } from '../../src/storage/database.js';

export interface TestDatabase {
  url: string;
  engine: Engine;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

function pgUrlWithDatabase(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database of the given engine. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sj-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    return {
      url,
      engine,
      open: () => openDatabase(url),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = inject('pgUrl');
  const name = `sj_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = pgUrlWithDatabase(base, name);
  return {
    url,
    engine,
    open: () => openDatabase(url, { poolSize: 12 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The engines this run can test: sqlite always, postgres when reachable. */
export function availableEngines(): Engine[] {
  return inject('pgAvailable') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * `describe` once per engine. PostgreSQL suites are reported as skipped (never silently absent)
 * when the server is unreachable.
 */
export function describeEachEngine(name: string, body: (engine: Engine) => void): void {
  describe.each(['sqlite', 'postgres'] as const)(`${name} [%s]`, (engine) => {
    if (engine === 'postgres' && !inject('pgAvailable')) {
      describe.skip('PostgreSQL unreachable — skipped', () => body(engine));
      return;
    }
    body(engine);
  });
}
