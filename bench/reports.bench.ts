/**
 * Report generation at scale (issue 10: "under a minute for 10,000 participants"): on a simulated
 * trial entered through the services, the time of the pooled and by-arm SAP, the CONSORT diagram,
 * the dashboard, the outcome plots and the whole study report (HTML, plots, CONSORT, baseline,
 * safety, deviations, data quality), each next to the baseline of reading the analysis dataset
 * alone (the storage part every report pays). Prints JSON.
 *
 *   node --import tsx bench/reports.bench.ts [--quick]
 *
 * The trial database: --quick loads 60 participants into a temporary SQLite file (a few seconds
 * per ten); the full run uses a cached 10,000-participant database (`STEMJOINT_BENCH_DB`, default
 * `bench-results/cache/sim-10000.db`, made with `stemjoint simulate --participants 10000 --seed
 * 10000 --lock` and `STEMJOINT_BENCH_IDENTITY_KEY`), and falls back to loading 400 participants
 * when no cache exists (loading 10,000 through the services takes most of an hour here).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/storage/database.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { createIdentityVault, generateKeyring, keyringFromMasterKey } from '../src/services/identity-vault.js';
import { readAnalysisDataset } from '../src/services/analysis/analysis-dataset.js';
import { runStatisticalAnalysisPlan } from '../src/services/analysis/run-sap.js';
import { buildConsortReport } from '../src/services/reports/consort.js';
import { buildDashboard } from '../src/services/reports/dashboard.js';
import { buildOutcomePlots } from '../src/services/reports/outcome-plots.js';
import { buildStudyReport } from '../src/services/reports/study-report.js';
import { loadSimulatedTrial } from '../src/services/simulate-trial.js';
import { initStudy, setDatabaseLock } from '../src/services/study.js';

const quick = process.argv.includes('--quick');
const cached = process.env.STEMJOINT_BENCH_DB ?? 'bench-results/cache/sim-10000.db';
const operator = systemActor('bench');

interface Row {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  note?: string;
}

async function seconds<T>(work: () => Promise<T>): Promise<{ s: number; result: T }> {
  const t0 = performance.now();
  const result = await work();
  return { s: Math.round((performance.now() - t0) / 10) / 100, result };
}

async function open(): Promise<{
  ctx: ServiceContext;
  participants: number;
  close: () => Promise<void>;
  source: string;
}> {
  if (!quick && existsSync(cached) && process.env.STEMJOINT_BENCH_IDENTITY_KEY) {
    const database = await openDatabase(`sqlite:${cached}`);
    const ctx = createServiceContext(database, {
      identityVault: createIdentityVault(keyringFromMasterKey(process.env.STEMJOINT_BENCH_IDENTITY_KEY)),
    });
    const n = Number(
      (
        await database.db
          .selectFrom('participants')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    return { ctx, participants: n, close: () => database.close(), source: cached };
  }
  const n = quick ? 60 : 400;
  const dir = mkdtempSync(join(tmpdir(), 'sj-bench-reports-'));
  const database = await openDatabase(`sqlite:${join(dir, 'r.db')}`);
  const ctx = createServiceContext(database, { identityVault: createIdentityVault(generateKeyring()) });
  await initStudy(ctx, { adminEmail: 'admin@bench.local', adminPassword: 'bench-password-123' });
  const loaded = await seconds(() =>
    loadSimulatedTrial(ctx, { participants: n, seed: 2024, password: 'bench-password-123' }),
  );
  process.stderr.write(`  loaded ${n} participants through the services in ${loaded.s} s\n`);
  await setDatabaseLock(ctx, operator, true, 'benchmark');
  return {
    ctx,
    participants: n,
    source: `fresh SQLite, ${n} participants loaded in ${loaded.s} s`,
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const { ctx, participants, close, source } = await open();
const rows: Row[] = [];
try {
  const read = await seconds(() => readAnalysisDataset(ctx, operator, { withArms: true }));
  const baseline = { name: 'read the analysis dataset', value: read.s };
  const add = (name: string, s: number, note?: string): void => {
    rows.push({
      name: `${name} (${participants} participants)`,
      value: s,
      unit: 's',
      baseline,
      ratio: baseline.value > 0 ? Math.round((s / baseline.value) * 100) / 100 : 0,
      ...(note ? { note } : {}),
    });
  };
  add(
    'SAP pooled (descriptive)',
    (await seconds(() => runStatisticalAnalysisPlan(ctx, operator, { mode: 'pooled' }))).s,
  );
  const byArm = await seconds(() => runStatisticalAnalysisPlan(ctx, operator, { mode: 'by_arm' }));
  add(
    'SAP by arm (MMRMs, ANCOVA, logistic, Fisher)',
    byArm.s,
    `${byArm.result.continuous.length} continuous variables`,
  );
  add('CONSORT diagram (counts + SVG)', (await seconds(() => buildConsortReport(ctx, operator, { byArm: true }))).s);
  add('dashboard data', (await seconds(() => buildDashboard(ctx, operator))).s);
  add(
    'outcome plots (5 SVGs, Vega-Lite)',
    (await seconds(() => buildOutcomePlots(ctx, operator, { mode: 'by_arm' }))).s,
  );
  const report = await seconds(() => buildStudyReport(ctx, operator, { mode: 'by_arm' }));
  add(
    'study report, by arm (everything)',
    report.s,
    `target < 60 s; HTML ${Math.round(report.result.html.length / 1024)} KiB; ${source}`,
  );
} finally {
  await close();
}
process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
