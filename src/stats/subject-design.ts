/**
 * Model matrix for one-row-per-subject models (ANCOVA, logistic regression):
 * `response ~ 1 + arm (+ baseline) (+ covariates)` with treatment contrasts — the intercept is the
 * control arm, one 0/1 column per other arm (treatment first), numeric covariates as they are and
 * categorical covariates as dummies for every level but the first (levels sorted). Rows with any
 * missing model variable are dropped (complete cases, as R's default `na.omit`).
 */
import { invalid } from '../core/errors.js';

/** One subject's row. */
export interface SubjectRecord {
  readonly arm: string;
  readonly response: number | null;
  readonly baseline?: number | null;
  /** Numbers are numeric covariates, strings categorical. */
  readonly covariates?: Readonly<Record<string, number | string | null>>;
}

/** Data and model specification for a subject-level model. */
export interface SubjectModelInput {
  readonly records: readonly SubjectRecord[];
  readonly treatment: string;
  readonly control: string;
  /** Include the baseline as a covariate (default: when any record carries one). */
  readonly baseline?: boolean;
  readonly covariates?: readonly string[];
}

/** Assembled design matrix (row-major n×p) and response. */
export interface SubjectDesign {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly columnNames: readonly string[];
  /** Column of the treatment-vs-control effect. */
  readonly treatmentColumn: number;
  /** The records actually used. */
  readonly used: readonly SubjectRecord[];
}

const present = (v: number | string | null | undefined): boolean =>
  v !== null && v !== undefined && (typeof v === 'number' ? Number.isFinite(v) : v !== '');

/** Builds the design; throws a validation `TrialError` if an arm is absent. */
export function buildSubjectDesign(input: SubjectModelInput): SubjectDesign {
  const { treatment, control } = input;
  const covariates = input.covariates ?? [];
  const useBaseline = input.baseline ?? input.records.some((r) => present(r.baseline));
  const used = input.records.filter(
    (r) =>
      present(r.response) &&
      (!useBaseline || present(r.baseline)) &&
      covariates.every((c) => present(r.covariates?.[c])),
  );
  const missing = [treatment, control].filter((arm) => !used.some((r) => r.arm === arm));
  if (missing.length > 0) {
    throw invalid(
      missing.map((arm) => `arm '${arm}' has no usable records`).join('; '),
      missing.map((arm) => ({
        path: arm === treatment ? 'treatment' : 'control',
        message: `arm '${arm}' has no usable records`,
      })),
    );
  }
  const otherArms = [...new Set(used.map((r) => r.arm))].filter((a) => a !== treatment && a !== control).sort();
  const armColumns = [treatment, ...otherArms];

  const columnNames = ['(Intercept)', ...armColumns.map((a) => `arm${a}`)];
  if (useBaseline) columnNames.push('baseline');
  const encoders: ((r: SubjectRecord, row: Float64Array, offset: number) => void)[] = [];
  for (const name of covariates) {
    const values = used.map((r) => r.covariates?.[name] as number | string);
    const start = columnNames.length;
    if (values.every((v) => typeof v === 'number')) {
      columnNames.push(name);
      encoders.push((r, row, offset) => {
        row[offset + start] = r.covariates?.[name] as number;
      });
    } else {
      const levels = [...new Set(values.map(String))].sort();
      for (const level of levels.slice(1)) columnNames.push(`${name}${level}`);
      encoders.push((r, row, offset) => {
        const level = levels.indexOf(String(r.covariates?.[name]));
        if (level > 0) row[offset + start + level - 1] = 1;
      });
    }
  }
  const n = used.length;
  const p = columnNames.length;
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  used.forEach((r, i) => {
    const offset = i * p;
    x[offset] = 1;
    const armIndex = armColumns.indexOf(r.arm);
    if (armIndex >= 0) x[offset + 1 + armIndex] = 1;
    if (useBaseline) x[offset + 1 + armColumns.length] = r.baseline as number;
    for (const encode of encoders) encode(r, x, offset);
    y[i] = r.response as number;
  });
  return { x, y, n, p, columnNames, treatmentColumn: 1, used };
}
