/**
 * Backup and restore: a demo database is backed up with the CLI while open, restored into an empty
 * database (same engine, and across engines), and every table and the audit chain compared.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../src/storage/database.js';
import { availableEngines, createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';
import { runStemjoint } from './support/cli.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- compares every table generically
type AnyDb = Kysely<any>;

async function snapshot(url: string): Promise<Record<string, string[]>> {
  const database = await openDatabase(url);
  try {
    const db = database.db as unknown as AnyDb;
    const tables = (await db.introspection.getTables())
      .map((t) => t.name)
      .filter((n) => !n.startsWith('schema_migrations'))
      .sort();
    const out: Record<string, string[]> = {};
    for (const t of tables) {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(db);
      out[t] = rows.rows
        .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))))
        .sort();
    }
    return out;
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sj-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEachEngine('backup and restore', (engine) => {
  let source: TestDatabase;
  const file = join(dir, `${engine}.jsonl`);
  beforeAll(async () => {
    source = await createTestDatabase(engine);
    const demo = await runStemjoint([
      'demo',
      '--db',
      source.url,
      '--participants',
      '6',
      '--seed',
      '3',
      '--password',
      'demo-password-1',
    ]);
    expect(demo.code, demo.stderr).toBe(0);
  });
  afterAll(async () => source.drop());

  it('restores every table and a verifying audit chain into an empty database of each engine', async () => {
    const b = await runStemjoint(['backup', '--db', source.url, '--out', file]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/backup written/);
    const expected = await snapshot(source.url);
    expect(expected.audit_log?.length).toBeGreaterThan(20);
    for (const targetEngine of availableEngines()) {
      const target = await createTestDatabase(targetEngine);
      try {
        const r = await runStemjoint(['restore', '--db', target.url, '--in', file]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/audit trail verified/);
        expect(await snapshot(target.url)).toEqual(expected);
        const again = await runStemjoint(['restore', '--db', target.url, '--in', file]);
        expect(again.code).not.toBe(0);
        expect(again.stderr).toMatch(/not empty/);
      } finally {
        await target.drop();
      }
    }
  });
});

it('refuses a file that is not a backup, changing nothing', async () => {
  const target = await createTestDatabase('sqlite');
  const bogus = join(dir, 'bogus.jsonl');
  writeFileSync(bogus, '{"hello":"world"}\n');
  try {
    const r = await runStemjoint(['restore', '--db', target.url, '--in', bogus]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Not a STEMJOINT backup/);
  } finally {
    await target.drop();
  }
});
