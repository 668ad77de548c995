/**
 * `stemjoint analyze …`: the statistical analyses of the SAP run on a long-format CSV file.
 *  - `mmrm`      REML MMRM `response ~ arm*visit (+ baseline*visit) (+ covariates)`, unstructured
 *                covariance (pre-specified fallback chain), Satterthwaite or Kenward–Roger df;
 *  - `ancova`    OLS `response ~ arm (+ baseline) (+ covariates)` at one visit;
 *  - `logistic`  logistic regression of a 0/1 response (one row per subject) with the unadjusted
 *                risk difference (Newcombe CI);
 *  - `incidence` subjects with ≥ 1 event per arm and Fisher's exact test.
 * The CSV is read here; all computation is in the pure `src/stats` module. Malformed input (missing
 * file or column, absent arm, visit without data, non-numeric response) exits 3 naming the problem.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { isTrialError } from '../../core/errors.js';
import {
  ancova,
  DF_METHODS,
  fisherExact,
  fitMmrm,
  logisticTreatmentEffect,
  riskDifferenceNewcombe,
  type DfMethod,
  type MmrmObservation,
  type SubjectRecord,
} from '../../stats/index.js';
import { CliExit, printJson } from '../io.js';
import { runStatisticalAnalysisPlan } from '../../services/analysis/run-sap.js';
import { formatSapText } from '../../services/analysis/format-sap-text.js';
import { asOption, dbOption, resolveReportActor, withReportContext } from './report-context.js';

/** Options shared by the analysis subcommands (commander camel-cases the flags). */
interface AnalyzeOptions {
  input: string;
  subject?: string;
  visit?: string;
  arm: string;
  treatment: string;
  control: string;
  response: string;
  baseline?: string;
  covariates?: string;
  visits?: string;
  at?: string;
  df?: string;
  json?: boolean;
}

/** A parsed CSV file: header and rows keyed by column name. */
interface CsvTable {
  readonly path: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string>[];
}

type CovariateValue = number | string | null;

const MISSING = new Set(['', 'NA', 'NaN', '.']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Registers the `analyze` command group. */
export function registerAnalyzeCommand(program: Command): void {
  const group = program.command('analyze').description('Statistical analyses of trial data in a CSV file (SAP)');

  withCommonOptions(
    group.command('mmrm').description('MMRM by REML with unstructured covariance, per-visit contrasts and LS means'),
  )
    .requiredOption('--subject <col>', 'subject identifier column')
    .requiredOption('--visit <col>', 'visit column')
    .option('--visits <list>', 'comma-separated visit order (default: order of first appearance)')
    .option('--df <method>', `degrees of freedom: ${DF_METHODS.join(' | ')}`, 'satterthwaite')
    .action((options: AnalyzeOptions) => runMmrm(options));

  withCommonOptions(group.command('ancova').description('ANCOVA of the response at one visit'))
    .requiredOption('--visit <col>', 'visit column')
    .requiredOption('--at <visit>', 'the visit analysed')
    .option('--subject <col>', 'subject identifier column (checks one row per subject)')
    .action((options: AnalyzeOptions) => runAncova(options));

  withCommonOptions(
    group.command('logistic').description('logistic regression of a 0/1 response, with the risk difference'),
  )
    .option('--subject <col>', 'subject identifier column')
    .option('--visit <col>', 'visit column (with --at)')
    .option('--at <visit>', 'pick the row of this visit when subjects have several rows')
    .action((options: AnalyzeOptions) => runLogistic(options));

  withCommonOptions(
    group.command('incidence').description("subjects with at least one event per arm, Fisher's exact test"),
  )
    .option('--subject <col>', 'subject identifier column (several rows per subject are combined)')
    .option('--visit <col>', 'visit column (with --at)')
    .option('--at <visit>', 'use only the rows of this visit')
    .action((options: AnalyzeOptions) => runIncidence(options));

  registerSapSubcommand(group);
}

function withCommonOptions(command: Command): Command {
  return command
    .requiredOption('--input <file>', 'CSV file, one row per subject and visit')
    .requiredOption('--arm <col>', 'treatment-arm column')
    .requiredOption('--treatment <level>', 'arm level of the treatment group')
    .requiredOption('--control <level>', 'arm level of the control group')
    .requiredOption('--response <col>', 'response column')
    .option('--baseline <col>', 'baseline covariate column')
    .option('--covariates <list>', 'comma-separated covariate columns (non-numeric columns are categorical)')
    .option('--json', 'print the result as JSON');
}

// ---------------------------------------------------------------------------------------------
// Subcommands

function runMmrm(options: AnalyzeOptions): void {
  const df = options.df ?? 'satterthwaite';
  if (!(DF_METHODS as readonly string[]).includes(df)) {
    throw new CliExit(3, `analyze mmrm: --df must be one of ${DF_METHODS.join(', ')} (got '${df}')`);
  }
  const table = loadCsv(options.input);
  const subjectCol = requireColumn(table, options.subject as string, '--subject');
  const visitCol = requireColumn(table, options.visit as string, '--visit');
  const { armCol, responseCol, baselineCol, covariates } = modelColumns(table, options);
  const visits = options.visits ? splitList(options.visits) : undefined;
  if (visits) {
    const present = new Set(table.rows.map((r) => r[visitCol]));
    const absent = visits.filter((v) => !present.has(v));
    if (absent.length > 0) {
      throw new CliExit(3, `analyze mmrm: visit '${absent[0]}' has no data in column '${visitCol}'`);
    }
  }
  requireArms(table, armCol, options);

  const response = numericColumn(table, responseCol, '--response');
  const baseline = baselineCol ? numericColumn(table, baselineCol, '--baseline') : undefined;
  const covariateValues = covariateColumns(table, covariates);
  const observations: MmrmObservation[] = table.rows.map((row, i) => ({
    subject: row[subjectCol],
    visit: row[visitCol],
    arm: row[armCol],
    response: response[i],
    ...(baseline ? { baseline: baseline[i] } : {}),
    covariates: Object.fromEntries(covariates.map((c) => [c, covariateValues[c][i]])),
  }));
  const result = guard('mmrm', () =>
    fitMmrm(
      {
        observations,
        treatment: options.treatment,
        control: options.control,
        baseline: baselineCol !== undefined,
        covariates,
        ...(visits ? { visits } : {}),
      },
      { df: df as DfMethod },
    ),
  );

  const output = {
    n_subjects: result.nSubjects,
    n_obs: result.nObservations,
    m2_reml_loglik: result.m2RemlLogLik,
    converged: result.converged,
    sigma: result.sigma,
    contrasts: result.contrasts.map((c) => ({
      visit: c.visit,
      estimate: c.estimate,
      se: c.se,
      df: c.df,
      lower: c.lower,
      upper: c.upper,
      p: c.p,
    })),
    lsmeans: result.lsmeans.map((l) => ({ arm: l.arm, visit: l.visit, estimate: l.estimate, se: l.se })),
    covariance: result.covariance,
    diagnostics: {
      iterations: result.diagnostics.iterations,
      max_abs_gradient: result.diagnostics.maxAbsGradient,
      hessian_positive_definite: result.diagnostics.hessianPositiveDefinite,
    },
  };
  if (options.json) {
    printJson(output);
    return;
  }
  const dfLabel = df === 'kenward-roger' ? 'Kenward–Roger' : 'Satterthwaite';
  const lines = [
    `MMRM by REML: ${options.response} ~ arm*visit${baselineCol ? ' + baseline*visit' : ''}${covariates.length ? ` + ${covariates.join(' + ')}` : ''}`,
    `covariance ${result.covariance}, ${dfLabel} df${result.attempts.length > 1 ? ` (after ${result.attempts.length - 1} failed structure(s))` : ''}`,
    `subjects ${result.nSubjects}, observations ${result.nObservations}, -2 REML log-likelihood ${fixed(result.m2RemlLogLik, 4)}`,
    `${result.converged ? 'converged' : 'NOT CONVERGED'} in ${result.diagnostics.iterations} iterations, max |gradient| ${result.diagnostics.maxAbsGradient.toExponential(1)}, Hessian ${result.diagnostics.hessianPositiveDefinite ? 'positive definite' : 'NOT positive definite'}`,
    '',
    `${options.treatment} − ${options.control} by visit`,
    formatTable(
      ['visit', 'estimate', 'SE', 'df', '95% CI', 'p'],
      result.contrasts.map((c) => [
        c.visit,
        fixed(c.estimate, 4),
        fixed(c.se, 4),
        fixed(c.df, 2),
        ci(c.lower, c.upper),
        pValue(c.p),
      ]),
    ),
    '',
    'LS means',
    formatTable(
      ['arm', 'visit', 'estimate', 'SE'],
      result.lsmeans.map((l) => [l.arm, l.visit, fixed(l.estimate, 4), fixed(l.se, 4)]),
    ),
  ];
  if (result.treatmentByVisit) {
    const f = result.treatmentByVisit;
    lines.push('', `treatment × visit: F(${f.numDf}, ${fixed(f.denDf, 2)}) = ${fixed(f.f, 4)}, p = ${pValue(f.p)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function runAncova(options: AnalyzeOptions): void {
  const table = loadCsv(options.input);
  const visitCol = requireColumn(table, options.visit as string, '--visit');
  const subjectCol = options.subject ? requireColumn(table, options.subject, '--subject') : undefined;
  const { armCol, responseCol, baselineCol, covariates } = modelColumns(table, options);
  requireArms(table, armCol, options);
  const rows = rowsAtVisit(table, visitCol, options.at as string, 'ancova');
  if (subjectCol) requireOneRowPerSubject(table, rows, subjectCol, 'ancova');
  const records = subjectRecords(table, rows, armCol, responseCol, baselineCol, covariates);
  const r = guard('ancova', () =>
    ancova({
      records,
      treatment: options.treatment,
      control: options.control,
      baseline: baselineCol !== undefined,
      covariates,
    }),
  );
  const output = { n: r.n, estimate: r.estimate, se: r.se, df: r.df, t: r.t, p: r.p, lower: r.lower, upper: r.upper };
  if (options.json) {
    printJson(output);
    return;
  }
  process.stdout.write(
    `ANCOVA at ${options.at}: ${options.response} ~ arm${baselineCol ? ' + baseline' : ''}${covariates.length ? ` + ${covariates.join(' + ')}` : ''} (n = ${r.n})\n` +
      formatTable(
        ['effect', 'estimate', 'SE', 'df', 't', '95% CI', 'p'],
        [
          [
            `${options.treatment} − ${options.control}`,
            fixed(r.estimate, 4),
            fixed(r.se, 4),
            String(r.df),
            fixed(r.t, 3),
            ci(r.lower, r.upper),
            pValue(r.p),
          ],
        ],
      ) +
      '\n',
  );
}

function runLogistic(options: AnalyzeOptions): void {
  const table = loadCsv(options.input);
  const { armCol, responseCol, baselineCol, covariates } = modelColumns(table, options);
  requireArms(table, armCol, options);
  const rows = subjectRows(table, options, 'logistic');
  const records = subjectRecords(table, rows, armCol, responseCol, baselineCol, covariates);
  requireBinary(records, responseCol, 'logistic');
  const effect = guard('logistic', () =>
    logisticTreatmentEffect({
      records,
      treatment: options.treatment,
      control: options.control,
      baseline: baselineCol !== undefined,
      covariates,
    }),
  );
  // Unadjusted risk difference on the same subjects (complete cases of the model).
  const complete = records.filter(
    (r) =>
      r.response !== null &&
      (!baselineCol || r.baseline !== null) &&
      covariates.every((c) => r.covariates?.[c] !== null && r.covariates?.[c] !== undefined),
  );
  const count = (arm: string): { x: number; n: number } => {
    const inArm = complete.filter((r) => r.arm === arm);
    return { x: inArm.filter((r) => r.response === 1).length, n: inArm.length };
  };
  const t = count(options.treatment);
  const c = count(options.control);
  const rd = guard('logistic', () => riskDifferenceNewcombe(t.x, t.n, c.x, c.n));
  const output = {
    odds_ratio: effect.oddsRatio,
    lower: effect.lower,
    upper: effect.upper,
    p: effect.p,
    risk_difference: { estimate: rd.estimate, lower: rd.lower, upper: rd.upper },
  };
  if (options.json) {
    printJson(output);
    return;
  }
  process.stdout.write(
    [
      `Logistic regression: ${options.response} ~ arm${baselineCol ? ' + baseline' : ''}${covariates.length ? ` + ${covariates.join(' + ')}` : ''} (n = ${effect.n})${effect.converged ? '' : ' — NOT CONVERGED'}${effect.separation ? ' — separation suspected' : ''}`,
      formatTable(
        ['effect', 'estimate', '95% CI', 'p'],
        [
          [
            `odds ratio ${options.treatment} vs ${options.control}`,
            fixed(effect.oddsRatio, 4),
            ci(effect.lower, effect.upper),
            pValue(effect.p),
          ],
          [
            `risk difference (Newcombe, ${t.x}/${t.n} vs ${c.x}/${c.n})`,
            fixed(rd.estimate, 4),
            ci(rd.lower, rd.upper),
            '',
          ],
        ],
      ),
    ].join('\n') + '\n',
  );
}

function runIncidence(options: AnalyzeOptions): void {
  const table = loadCsv(options.input);
  const armCol = requireColumn(table, options.arm, '--arm');
  const responseCol = requireColumn(table, options.response, '--response');
  const subjectCol = options.subject ? requireColumn(table, options.subject, '--subject') : undefined;
  requireArms(table, armCol, options);
  let rows = table.rows.map((_, i) => i);
  if (options.at !== undefined) {
    if (!options.visit) throw new CliExit(3, 'analyze incidence: --at needs --visit');
    rows = rowsAtVisit(table, requireColumn(table, options.visit, '--visit'), options.at, 'incidence');
  }
  const response = numericColumn(table, responseCol, '--response');
  // A subject counts once: an event if any of its rows has 1; evaluable if any row is non-missing.
  const subjects = new Map<string, { arm: string; event: boolean; evaluable: boolean }>();
  for (const i of rows) {
    const row = table.rows[i];
    const value = response[i];
    if (value !== null && value !== 0 && value !== 1) {
      throw new CliExit(
        3,
        `analyze incidence: column '${responseCol}' (--response) must be 0/1, got '${row[responseCol]}' on line ${i + 2}`,
      );
    }
    const id = subjectCol ? row[subjectCol] : `row ${i}`;
    const entry = subjects.get(id) ?? { arm: row[armCol], event: false, evaluable: false };
    if (entry.arm !== row[armCol]) {
      throw new CliExit(3, `analyze incidence: subject '${id}' appears in arms '${entry.arm}' and '${row[armCol]}'`);
    }
    if (value !== null) entry.evaluable = true;
    if (value === 1) entry.event = true;
    subjects.set(id, entry);
  }
  const tally = (arm: string): { events: number; n: number } => {
    const list = [...subjects.values()].filter((s) => s.arm === arm && s.evaluable);
    return { events: list.filter((s) => s.event).length, n: list.length };
  };
  const t = tally(options.treatment);
  const c = tally(options.control);
  for (const [role, level, counts] of [
    ['--treatment', options.treatment, t],
    ['--control', options.control, c],
  ] as const) {
    if (counts.n === 0) {
      throw new CliExit(
        3,
        `analyze incidence: arm '${level}' (${role}) has no subjects with a value of '${responseCol}'`,
      );
    }
  }
  const f = fisherExact({ a: t.events, b: t.n - t.events, c: c.events, d: c.n - c.events });
  const output = { treatment: t, control: c, p: f.p, odds_ratio: f.oddsRatio, lower: f.lower, upper: f.upper };
  if (options.json) {
    printJson(output);
    return;
  }
  const pct = (x: { events: number; n: number }): string => `${x.events}/${x.n} (${fixed((100 * x.events) / x.n, 1)}%)`;
  process.stdout.write(
    `Incidence of ${options.response}: ${options.treatment} ${pct(t)} vs ${options.control} ${pct(c)}\n` +
      `Fisher's exact test p = ${pValue(f.p)}; conditional MLE odds ratio ${fixed(f.oddsRatio, 4)}, 95% CI ${ci(f.lower, f.upper)}\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// Reading and validating the CSV

function loadCsv(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliExit(
      3,
      code === 'ENOENT'
        ? `analyze: input file '${path}' not found`
        : `analyze: cannot read '${path}': ${(e as Error).message}`,
    );
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    throw new CliExit(3, `analyze: '${path}' is not valid CSV (${(e as Error).message})`);
  }
  if (records.length === 0) throw new CliExit(3, `analyze: '${path}' is empty`);
  const [header, ...body] = records;
  const columns = header.map((h) => h.trim());
  const rows = body.map((cells) => Object.fromEntries(columns.map((c, j) => [c, (cells[j] ?? '').trim()])));
  return { path, columns, rows };
}

function requireColumn(table: CsvTable, name: string, option: string): string {
  if (!table.columns.includes(name)) {
    throw new CliExit(
      3,
      `analyze: column '${name}' (${option}) not found in '${table.path}' (columns: ${table.columns.join(', ')})`,
    );
  }
  return name;
}

function modelColumns(
  table: CsvTable,
  options: AnalyzeOptions,
): { armCol: string; responseCol: string; baselineCol: string | undefined; covariates: string[] } {
  const armCol = requireColumn(table, options.arm, '--arm');
  const responseCol = requireColumn(table, options.response, '--response');
  const baselineCol = options.baseline ? requireColumn(table, options.baseline, '--baseline') : undefined;
  const covariates = options.covariates ? splitList(options.covariates) : [];
  for (const c of covariates) requireColumn(table, c, '--covariates');
  return { armCol, responseCol, baselineCol, covariates };
}

function requireArms(table: CsvTable, armCol: string, options: AnalyzeOptions): void {
  if (options.treatment === options.control) throw new CliExit(3, 'analyze: --treatment and --control must differ');
  const levels = new Set(table.rows.map((r) => r[armCol]));
  for (const [option, level] of [
    ['--treatment', options.treatment],
    ['--control', options.control],
  ] as const) {
    if (!levels.has(level)) {
      throw new CliExit(
        3,
        `analyze: arm '${level}' (${option}) not found in column '${armCol}' (levels: ${[...levels].sort().join(', ')})`,
      );
    }
  }
}

/** Parses a numeric column; empty/NA cells are null, anything else non-numeric exits 3. */
function numericColumn(table: CsvTable, column: string, option: string): (number | null)[] {
  return table.rows.map((row, i) => {
    const raw = row[column];
    if (MISSING.has(raw)) return null;
    if (!NUMBER.test(raw)) {
      throw new CliExit(3, `analyze: column '${column}' (${option}) has a non-numeric value '${raw}' on line ${i + 2}`);
    }
    return Number(raw);
  });
}

/** Covariate columns: numeric when every non-missing cell is a number, else categorical strings. */
function covariateColumns(table: CsvTable, covariates: readonly string[]): Record<string, CovariateValue[]> {
  const out: Record<string, CovariateValue[]> = {};
  for (const c of covariates) {
    const cells = table.rows.map((r) => r[c]);
    const numeric = cells.every((v) => MISSING.has(v) || NUMBER.test(v));
    out[c] = cells.map((v) => (MISSING.has(v) ? null : numeric ? Number(v) : v));
  }
  return out;
}

function rowsAtVisit(table: CsvTable, visitCol: string, at: string, command: string): number[] {
  const rows = table.rows.flatMap((r, i) => (r[visitCol] === at ? [i] : []));
  if (rows.length === 0) throw new CliExit(3, `analyze ${command}: visit '${at}' has no data in column '${visitCol}'`);
  return rows;
}

function requireOneRowPerSubject(table: CsvTable, rows: readonly number[], subjectCol: string, command: string): void {
  const seen = new Set<string>();
  for (const i of rows) {
    const id = table.rows[i][subjectCol];
    if (seen.has(id)) {
      throw new CliExit(3, `analyze ${command}: subject '${id}' has more than one row; use --at VISIT to pick one`);
    }
    seen.add(id);
  }
}

/** Rows for a one-row-per-subject analysis: those of `--at` if given, else all (checked unique). */
function subjectRows(table: CsvTable, options: AnalyzeOptions, command: string): number[] {
  let rows = table.rows.map((_, i) => i);
  if (options.at !== undefined) {
    if (!options.visit) throw new CliExit(3, `analyze ${command}: --at needs --visit`);
    rows = rowsAtVisit(table, requireColumn(table, options.visit, '--visit'), options.at, command);
  }
  if (options.subject) {
    requireOneRowPerSubject(table, rows, requireColumn(table, options.subject, '--subject'), command);
  }
  return rows;
}

function subjectRecords(
  table: CsvTable,
  rows: readonly number[],
  armCol: string,
  responseCol: string,
  baselineCol: string | undefined,
  covariates: readonly string[],
): SubjectRecord[] {
  const response = numericColumn(table, responseCol, '--response');
  const baseline = baselineCol ? numericColumn(table, baselineCol, '--baseline') : undefined;
  const covariateValues = covariateColumns(table, covariates);
  return rows.map((i) => ({
    arm: table.rows[i][armCol],
    response: response[i],
    ...(baseline ? { baseline: baseline[i] } : {}),
    covariates: Object.fromEntries(covariates.map((c) => [c, covariateValues[c][i]])),
  }));
}

function requireBinary(records: readonly SubjectRecord[], column: string, command: string): void {
  const bad = records.find((r) => r.response !== null && r.response !== 0 && r.response !== 1);
  if (bad) throw new CliExit(3, `analyze ${command}: column '${column}' (--response) must be 0/1, got ${bad.response}`);
}

/** Runs a stats call, turning validation errors (absent arm, visit without data…) into exit 3. */
function guard<T>(command: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (isTrialError(e) || e instanceof RangeError) throw new CliExit(3, `analyze ${command}: ${(e as Error).message}`);
    throw e;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Plain-text output

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function ci(lower: number, upper: number): string {
  return `(${fixed(lower, 4)}, ${fixed(upper, 4)})`;
}

function pValue(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}

/** Left-aligns the first column and right-aligns the others. */
function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// `analyze sap`: the SAP on the study database (issue 8 item 3). Appended; the CSV subcommands
// above are unchanged.

/** Options of `analyze sap`. */
interface SapCliOptions {
  db?: string;
  blinded?: boolean;
  as?: string;
  df?: string;
  json?: boolean;
  out?: string;
}

/**
 * `stemjoint analyze sap --db URL [--blinded] [--as EMAIL] [--df …] [--json] [--out FILE]`: every
 * analysis of spec §8 on the current data — pooled with --blinded, by arm otherwise (refused, exit
 * 1, before database lock; a DSMB member named with --as gets interim results) — stamped with the
 * protocol version, the data snapshot hash and the software version.
 */
function registerSapSubcommand(group: Command): void {
  group
    .command('sap')
    .description(
      'run the statistical analysis plan (spec §8) on the study database: pooled (--blinded) or by arm on the locked database',
    )
    .addOption(dbOption())
    .option('--blinded', 'pooled descriptive results only (no arm); allowed while the trial runs')
    .addOption(asOption())
    .option('--df <method>', `MMRM degrees of freedom: ${DF_METHODS.join(' | ')}`, 'satterthwaite')
    .option('--json', 'print the full result as JSON')
    .option('--out <file>', 'also write the JSON result to this file')
    .action(async (options: SapCliOptions) => {
      const df = options.df ?? 'satterthwaite';
      if (!(DF_METHODS as readonly string[]).includes(df)) {
        throw new CliExit(3, `--df: must be one of ${DF_METHODS.join(', ')}`);
      }
      const mode = options.blinded ? 'pooled' : 'by_arm';
      await withReportContext(options.db, { vault: !options.blinded }, async (ctx) => {
        const actor = await resolveReportActor(
          ctx,
          options.as,
          mode === 'pooled' ? 'analysis.sap.read' : 'analysis.sap.by_arm',
        );
        const report = await runStatisticalAnalysisPlan(ctx, actor, { mode, df: df as DfMethod });
        if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
        if (options.json) printJson(report);
        else process.stdout.write(formatSapText(report));
      });
    });
}
