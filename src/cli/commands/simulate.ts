/**
 * `stemjoint simulate --db URL --participants N --seed S [--effect E] [--sd S] [--dropout P]
 * [--password PW] [--lock] [--json]`: loads a realistic simulated trial through the real services
 * (screening, consent, sign-off, enrolment, baseline forms, randomization, dose preparation and
 * injection, follow-up visits with their forms, adverse events, withdrawals), 25 participants per
 * transaction (`runBatch`: one savepoint and audit records per command, one commit per batch), with a
 * progress bar on stderr when it is a terminal. Initialises an empty database first. With --lock
 * the database is locked afterwards (for by-arm analyses and reports).
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { systemActor } from '../../services/context.js';
import { loadSimulatedTrial } from '../../services/simulate-trial.js';
import { initStudy, setDatabaseLock } from '../../services/study.js';
import { CliExit, printJson } from '../io.js';
import { enlargeSqliteCache } from '../../storage/database.js';
import { dbOption, withReportContext } from './report-context.js';

interface SimulateCliOptions {
  db?: string;
  participants: string;
  seed: string;
  effect?: string;
  sd?: string;
  dropout?: string;
  password: string;
  lock?: boolean;
  json?: boolean;
}

const numberOption = (
  value: string | undefined,
  name: string,
  check: (x: number) => boolean,
  rule: string,
): number | undefined => {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || !check(x)) {
    throw new CliExit(3, `--${name}: ${rule} (got '${value}')`);
  }
  return x;
};

/** Registers the `simulate` command. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('load a realistic simulated trial through the real services (any size), with a progress bar')
    .addOption(dbOption())
    .requiredOption('--participants <n>', 'participants to enrol')
    .option('--seed <n>', 'random seed', '20231001')
    .option('--effect <points>', 'ADMSC − SALINE difference in KOOS Symptoms change (default 8)')
    .option('--sd <points>', 'SD of the KOOS change given baseline (default 14)')
    .option('--dropout <p>', 'dropout probability per follow-up at KOOS 60 (default 0.04)')
    .option('--password <password>', 'password of the simulation staff accounts (e-signatures)', 'stemjoint-simulation')
    .option('--lock', 'lock the database when done (by-arm analyses and reports need a locked database)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: SimulateCliOptions) => {
      const participants = numberOption(
        opts.participants,
        'participants',
        (x) => Number.isInteger(x) && x >= 1 && x <= 100_000,
        'a whole number from 1 to 100000',
      )!;
      const seed = numberOption(opts.seed, 'seed', (x) => Number.isInteger(x), 'a whole number')!;
      const effect = numberOption(
        opts.effect,
        'effect',
        (x) => Math.abs(x) <= 100,
        'a number of points between −100 and 100',
      );
      const sd = numberOption(opts.sd, 'sd', (x) => x > 0 && x <= 100, 'a positive number of points');
      const dropout = numberOption(opts.dropout, 'dropout', (x) => x > 0 && x < 1, 'a probability between 0 and 1');
      if (opts.password.length < 12) throw new CliExit(3, '--password: at least 12 characters');
      await withReportContext(opts.db, { vault: true, initialised: false }, async (ctx) => {
        await initStudy(ctx, {});
        const existing = await ctx.database.db.selectFrom('participants').select('id').executeTakeFirst();
        if (existing) throw new CliExit(3, '--db: the study already has participants; simulate into a fresh database');
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar(
              {
                stream: process.stderr,
                format: ' simulate [{bar}] {value}/{total} participants | {eta_formatted} left',
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : null;
        await enlargeSqliteCache(ctx.database, 256);
        bar?.start(participants, 0);
        const started = Date.now();
        const summary = await loadSimulatedTrial(ctx, {
          participants,
          seed,
          password: opts.password,
          config: {
            ...(effect === undefined ? {} : { effect }),
            ...(sd === undefined ? {} : { sd }),
            ...(dropout === undefined ? {} : { dropoutPerVisit: dropout }),
          },
          onProgress: (done) => bar?.update(done),
        });
        bar?.stop();
        if (opts.lock) await setDatabaseLock(ctx, systemActor('cli'), true, 'simulated trial complete');
        const result = {
          ...summary,
          seconds: Math.round((Date.now() - started) / 100) / 10,
          locked: opts.lock === true,
        };
        if (opts.json) printJson(result);
        else {
          process.stdout.write(
            `simulated trial loaded: ${summary.enrolled} enrolled of ${summary.screened} screened, ${summary.randomized} randomized, ${summary.injected} injected, ${summary.visitsDone} visits, ${summary.forms} forms, ${summary.autoQueries} automatic queries, ${summary.adverseEvents} adverse events (${summary.seriousReports} serious, reported), ${summary.withdrawn} withdrawn, in ${result.seconds} s${opts.lock ? '; database locked' : ''}\n`,
          );
        }
      });
    });
}
