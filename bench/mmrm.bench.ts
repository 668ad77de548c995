/**
 * MMRM benchmark: fit time of the unstructured MMRM with Satterthwaite df (`fitMmrm`, including
 * design assembly and inference) on the golden STEMJOINT data (80 subjects × 6 visits) and on
 * seeded simulations of 80, 1,000 and 10,000 subjects; with `Rscript` on PATH, also R's
 * `nlme::gls` of the same golden model in the same run, and the speed ratios. Prints JSON.
 *
 *   node --import tsx bench/mmrm.bench.ts
 *
 * "cold" is the first fit in a fresh process (includes V8 warm-up, as a CLI invocation would);
 * "median"/"min" are over repeated fits after that. R's timing is `system.time()` around `gls()`
 * alone, without R's start-up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { fitMmrm, simulateTrial, type MmrmObservation, type MmrmResult } from '../src/stats/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const GOLDEN_CSV = [join(ROOT, 'test/fixtures/golden/stemjoint_sim.csv'), '/work/shared/golden/stemjoint_sim.csv'].find(
  existsSync,
);

interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly reps: number;
  readonly last: MmrmResult;
}

function fit(observations: readonly MmrmObservation[]): MmrmResult {
  return fitMmrm({ observations, treatment: 'MSC', control: 'SAL' }, { df: 'satterthwaite' });
}

function time(observations: readonly MmrmObservation[], reps: number): Timing {
  const samples: number[] = [];
  let last: MmrmResult | undefined;
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    last = fit(observations);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: round(samples[Math.floor(samples.length / 2)]),
    minMs: round(samples[0]),
    reps,
    last: last as MmrmResult,
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

function goldenObservations(path: string): MmrmObservation[] {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({
    subject: r.id,
    visit: r.visit,
    arm: r.arm,
    response: r.chg === 'NA' ? null : Number(r.chg),
    baseline: Number(r.base),
  }));
}

/** R's nlme::gls of the golden model (corSymm + varIdent = unstructured, REML), seconds per fit. */
function timeGls(path: string, reps: number): number[] | null {
  const probe = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  const script = `
suppressPackageStartupMessages(library(nlme))
d <- read.csv(Sys.getenv("GOLDEN_CSV"))
visits <- c("M3", "M12", "M24", "Y3", "Y4", "Y5")
dl <- subset(d, !is.na(chg)); dl <- dl[order(dl$id, dl$visitn), ]
dl$arm <- relevel(factor(dl$arm), "SAL"); dl$visit <- factor(dl$visit, levels = visits)
times <- replicate(${reps}, system.time(gls(chg ~ base * visit + arm * visit, data = dl, method = "REML",
  correlation = corSymm(form = ~ visitn | id), weights = varIdent(form = ~ 1 | visit),
  control = glsControl(maxIter = 200, msMaxIter = 200)))[["elapsed"]])
cat(paste(times, collapse = ","), "\\n")`;
  const run = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', env: { ...process.env, GOLDEN_CSV: path } });
  if (run.status !== 0) return null;
  return run.stdout.trim().split(',').map(Number);
}

function main(): void {
  if (!GOLDEN_CSV) throw new Error('golden CSV not found (test/fixtures/golden/stemjoint_sim.csv)');
  const golden = goldenObservations(GOLDEN_CSV);

  // The very first fit in this process: what a single CLI invocation pays. CPU time (all threads,
  // so including V8's background compilation) is reported too: it is less sensitive than wall time
  // to other load on the machine.
  const coldCpu = process.cpuUsage();
  const coldStart = performance.now();
  const coldResult = fit(golden);
  const coldMs = round(performance.now() - coldStart);
  const cpu = process.cpuUsage(coldCpu);
  const coldCpuMs = round((cpu.user + cpu.system) / 1000);
  const warm = time(golden, 30);

  const simulated = [
    { subjects: 80, reps: 30 },
    { subjects: 1000, reps: 10 },
    { subjects: 10000, reps: 5 },
  ].map(({ subjects, reps }) => {
    const observations = simulateTrial({ subjects, seed: 20240601 });
    fit(observations); // warm-up at this size
    const t = time(observations, reps);
    return {
      subjects,
      observations: t.last.nObservations,
      median_ms: t.medianMs,
      min_ms: t.minMs,
      reps,
      converged: t.last.converged,
      iterations: t.last.diagnostics.iterations,
    };
  });

  const gls = timeGls(GOLDEN_CSV, 3);
  const glsMedianMs = gls ? round(1000 * [...gls].sort((a, b) => a - b)[Math.floor(gls.length / 2)]) : null;
  const output = {
    node: process.version,
    cpus: cpus().length,
    load_average: loadavg().map(round),
    model: 'chg ~ arm*visit + base*visit, unstructured covariance, REML, Satterthwaite df',
    js: {
      golden_80x6: {
        cold_ms: coldMs,
        cold_cpu_ms: coldCpuMs,
        median_ms: warm.medianMs,
        min_ms: warm.minMs,
        reps: warm.reps,
        converged: coldResult.converged,
        iterations: coldResult.diagnostics.iterations,
        m2_reml_loglik: coldResult.m2RemlLogLik,
      },
      simulated,
    },
    r: gls
      ? { available: true, nlme_gls_golden_ms: gls.map((s) => round(1000 * s)), median_ms: glsMedianMs }
      : { available: false },
    ratios:
      glsMedianMs === null
        ? null
        : { gls_over_js_cold: round(glsMedianMs / coldMs), gls_over_js_warm: round(glsMedianMs / warm.medianMs) },
  };
  // The suite runner (bench/run.ts) reads `rows`: each figure beside its same-run baseline.
  const rows = [
    {
      name: 'MMRM US golden 80×6, first fit in process',
      value: coldMs,
      unit: 'ms',
      ...(glsMedianMs === null
        ? { note: 'R not installed: no nlme::gls baseline' }
        : { baseline: { name: 'R nlme::gls', value: glsMedianMs }, ratio: round(glsMedianMs / coldMs) }),
    },
    {
      name: 'MMRM US golden 80×6, repeated fit (median)',
      value: warm.medianMs,
      unit: 'ms',
      ...(glsMedianMs === null
        ? {}
        : { baseline: { name: 'R nlme::gls', value: glsMedianMs }, ratio: round(glsMedianMs / warm.medianMs) }),
    },
    ...simulated.map((s) => ({
      name: `MMRM US simulated ${s.subjects} subjects × 6 visits (median)`,
      value: s.median_ms,
      unit: 'ms',
      note: `target < 2000 ms at 10,000; converged ${s.converged}`,
    })),
  ];
  process.stdout.write(`${JSON.stringify({ ...output, rows }, null, 2)}\n`);
}

main();
