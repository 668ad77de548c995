/**
 * `stemjoint power --effect E --sd S --n 80 --reps R [--seed N] [--visit M12] [--alpha 0.05]
 * [--dropout P] [--json]`: power of the SAP's primary analysis by simulation (issue 11). Each
 * replicate simulates a whole trial with the trial simulator and fits the primary MMRM; the power is
 * the share of significant contrasts at the primary visit, with its Wilson interval. Pure
 * computation: nothing touches a database. A progress bar is drawn on stderr when it is a terminal.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { simulatePower, type PowerResult } from '../../core/simulation/trial-simulator-power.js';
import { PRO_FOLLOW_UPS } from '../../core/simulation/trial-simulator.js';
import { CliExit, printJson } from '../io.js';

interface PowerCliOptions {
  effect: string;
  sd: string;
  n: string;
  reps: string;
  seed: string;
  visit: string;
  alpha: string;
  dropout?: string;
  json?: boolean;
}

function parseNumber(value: string, name: string, check: (x: number) => boolean, rule: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || !check(x)) {
    throw new CliExit(3, `--${name}: ${rule} (got '${value}')`);
  }
  return x;
}

function formatPower(r: PowerResult): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  return [
    `power ${pct(r.power)} (95% CI ${pct(r.lower)} to ${pct(r.upper)}) — ${r.significant} of ${r.fitted} simulated trials significant at α = ${r.alpha}`,
    `design: n = ${r.n} (1:1), true effect ${r.effect} KOOS points at every follow-up, SD ${r.sd}, contrast at ${r.visit}; MMRM (unstructured, REML, Satterthwaite) with baseline × visit and stratum`,
    `estimates: mean ${r.estimate.mean.toFixed(2)} (SD ${r.estimate.sd.toFixed(2)}), mean SE ${r.meanSe.toFixed(2)}; covariance fallbacks ${r.fallbacks}, failed fits ${r.failures}`,
    `observed at each visit: ${Object.entries(r.observedShare)
      .map(([v, s]) => `${v} ${pct(s)}`)
      .join(', ')}`,
    `seed ${r.seed}, ${r.reps} replicates`,
    '',
  ].join('\n');
}

/** Registers the `power` command. */
export function registerPowerCommand(program: Command): void {
  program
    .command('power')
    .description(
      "power of the SAP's primary MMRM by simulation (no database): simulate trials, fit, count significant contrasts",
    )
    .requiredOption('--effect <points>', 'true ADMSC − SALINE difference in KOOS Symptoms change (points)')
    .requiredOption('--sd <points>', 'SD of the KOOS Symptoms change given baseline (points)')
    .option('--n <participants>', 'participants per trial (both arms)', '80')
    .option('--reps <count>', 'simulated trials', '1000')
    .option('--seed <n>', 'random seed', '20231001')
    .option('--visit <code>', `visit of the primary contrast (${PRO_FOLLOW_UPS.join(', ')})`, 'M12')
    .option('--alpha <level>', 'two-sided significance level', '0.05')
    .option('--dropout <p>', 'dropout probability per follow-up visit at KOOS 60 (default 0.04)')
    .option('--json', 'print the result as JSON')
    .action((opts: PowerCliOptions) => {
      const effect = parseNumber(
        opts.effect,
        'effect',
        (x) => Math.abs(x) <= 100,
        'a number of KOOS points between −100 and 100',
      );
      const sd = parseNumber(opts.sd, 'sd', (x) => x > 0 && x <= 100, 'a positive number of points (at most 100)');
      const n = parseNumber(
        opts.n,
        'n',
        (x) => Number.isInteger(x) && x >= 8 && x <= 100_000,
        'a whole number from 8 to 100000',
      );
      const reps = parseNumber(
        opts.reps,
        'reps',
        (x) => Number.isInteger(x) && x >= 1 && x <= 1_000_000,
        'a whole number from 1 to 1000000',
      );
      const seed = parseNumber(opts.seed, 'seed', (x) => Number.isInteger(x), 'a whole number');
      const alpha = parseNumber(opts.alpha, 'alpha', (x) => x > 0 && x < 1, 'a level between 0 and 1');
      const dropout =
        opts.dropout === undefined
          ? undefined
          : parseNumber(opts.dropout, 'dropout', (x) => x > 0 && x < 1, 'a probability between 0 and 1');
      if (!(PRO_FOLLOW_UPS as readonly string[]).includes(opts.visit)) {
        throw new CliExit(3, `--visit: one of ${PRO_FOLLOW_UPS.join(', ')} (got '${opts.visit}')`);
      }
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: ' power [{bar}] {value}/{total} trials | {eta_formatted}',
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(reps, 0);
      const result = simulatePower({
        effect,
        sd,
        n,
        reps,
        seed,
        visit: opts.visit,
        alpha,
        ...(dropout === undefined ? {} : { config: { dropoutPerVisit: dropout } }),
        onProgress: (done) => bar?.update(done),
      });
      bar?.stop();
      if (opts.json) printJson(result);
      else process.stdout.write(formatPower(result));
    });
}
