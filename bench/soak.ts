/**
 * `npm run soak [-- --minutes 5] [--engine sqlite|postgres|both] [--db URL]`: the long soak. Mixed
 * traffic against a real server on a fresh database for several minutes per engine (see
 * `soak-workload.ts`), over loopback only. Prints a table per engine, writes
 * `bench-results/soak-<engine>.json`, and exits 1 when there was any error or the server's memory
 * kept growing after warm-up (last third's median RSS more than 20 % above the first third's).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { formatSoakReport, runSoak, type SoakReport } from './soak-workload.js';
import { BENCH_PG_BASE, freshBenchDatabase, type BenchDatabase } from './bench-database.js';

const MAX_GROWTH = 1.2;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const minutes = Number(arg('minutes') ?? '5');
if (!(minutes > 0 && minutes <= 120)) {
  process.stderr.write('--minutes: must be a number from 0 to 120\n');
  process.exit(3);
}
const engineArg = arg('engine') ?? 'both';
const givenDb = arg('db');

/** A fresh empty database of the engine, and how to drop it. */
async function freshDatabase(engine: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  const db = await freshBenchDatabase(engine, 'soak');
  if (db === null) throw new Error(`PostgreSQL at ${BENCH_PG_BASE} is not reachable`);
  return db;
}

const engines: ('sqlite' | 'postgres')[] = givenDb
  ? [givenDb.startsWith('sqlite:') ? 'sqlite' : 'postgres']
  : engineArg === 'both'
    ? ['sqlite', 'postgres']
    : [engineArg as 'sqlite' | 'postgres'];
let failed = false;
const reports: SoakReport[] = [];
for (const engine of engines) {
  let db: { url: string; drop: () => Promise<void> };
  try {
    db = givenDb ? { url: givenDb, drop: async () => undefined } : await freshDatabase(engine);
  } catch (e) {
    process.stderr.write(`${engine}: cannot create a database (${(e as Error).message}); skipped\n`);
    failed = true;
    continue;
  }
  try {
    const report = await runSoak({
      dbUrl: db.url,
      durationMs: minutes * 60_000,
      sampleMs: 1000,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    reports.push(report);
    process.stdout.write(`${formatSoakReport(report)}\n\n`);
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(`bench-results/soak-${engine}.json`, `${JSON.stringify(report, null, 2)}\n`);
    if (report.errors > 0) {
      failed = true;
      process.stderr.write(`${engine}: ${report.errors} errors, e.g.\n  ${report.errorSamples.join('\n  ')}\n`);
    }
    if (report.memory.growthRatio > MAX_GROWTH) {
      failed = true;
      process.stderr.write(
        `${engine}: memory grew by a factor ${report.memory.growthRatio} after warm-up (limit ${MAX_GROWTH})\n`,
      );
    }
  } finally {
    await db.drop();
  }
}
process.stdout.write(failed ? 'soak: FAILED\n' : `soak: passed on ${reports.map((r) => r.engine).join(' and ')}\n`);
process.exit(failed ? 1 : 0);
