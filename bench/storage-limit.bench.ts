/**
 * The storage limit: raw inserts of the rows a form save writes (a form-sized row and an audit-sized
 * row per transaction), without the application, on SQLite with synchronous=FULL and NORMAL and on
 * PostgreSQL. This is the ceiling any save route can approach.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const quick = process.argv.includes('--quick');
const N = quick ? 500 : 3000;
const payload = JSON.stringify(Object.fromEntries(Array.from({ length: 42 }, (_, i) => [`Q${i}`, i % 5])));

function sqlite(sync: 'FULL' | 'NORMAL'): number {
  const dir = mkdtempSync(join(tmpdir(), 'sj-bench-'));
  const db = new BetterSqlite3(join(dir, 'b.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.exec(
    'CREATE TABLE f (id TEXT PRIMARY KEY, data TEXT); CREATE TABLE a (seq INTEGER PRIMARY KEY, hash TEXT, data TEXT)',
  );
  const insF = db.prepare('INSERT INTO f VALUES (?, ?)');
  const insA = db.prepare('INSERT INTO a VALUES (?, ?, ?)');
  const tx = db.transaction((i: number) => {
    insF.run(`f${i}`, payload);
    insA.run(i, 'x'.repeat(64), payload);
  });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) tx(i);
  const rate = N / ((performance.now() - t0) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function postgres(): Promise<number | null> {
  const url = process.env.STEMJOINT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return null;
  }
  await client.query(
    'CREATE TEMP TABLE f (id TEXT PRIMARY KEY, data TEXT); CREATE TEMP TABLE a (seq INTEGER PRIMARY KEY, hash TEXT, data TEXT)',
  );
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await client.query('BEGIN');
    await client.query('INSERT INTO f VALUES ($1, $2)', [`f${i}`, payload]);
    await client.query('INSERT INTO a VALUES ($1, $2, $3)', [i, 'x'.repeat(64), payload]);
    await client.query('COMMIT');
  }
  const rate = N / ((performance.now() - t0) / 1000);
  await client.end();
  return rate;
}

const full = sqlite('FULL');
const normal = sqlite('NORMAL');
const pgRate = await postgres();
const rows = [
  {
    name: 'SQLite raw save transactions (synchronous=FULL)',
    value: full,
    unit: 'tx/s',
    baseline: { name: 'synchronous=NORMAL', value: normal },
    ratio: full / normal,
  },
  ...(pgRate === null
    ? []
    : [
        {
          name: 'PostgreSQL raw save transactions (one client)',
          value: pgRate,
          unit: 'tx/s',
          baseline: { name: 'SQLite FULL', value: full },
          ratio: pgRate / full,
        },
      ]),
];
process.stdout.write(JSON.stringify({ rows }));
