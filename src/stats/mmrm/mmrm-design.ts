/**
 * Builds the MMRM design `response ~ arm*visit (+ baseline*visit) (+ covariates)` from long-format
 * observations. The columns are a reparameterisation of R's treatment-contrast model matrix with
 * unit determinant (so −2 REML log-likelihoods agree with R/SAS):
 *  - one indicator per arm × visit cell (absorbs the intercept, arm, visit and arm:visit terms);
 *  - (baseline − mean)·[visit = j] per visit (absorbs baseline and baseline:visit);
 *  - numeric covariates centred at their mean; categorical covariates as 0/1 dummies for every
 *    level but the first (levels sorted).
 * Centring puts numeric covariates at their mean over the observations used in the fit, so a cell
 * coefficient is directly that cell's least-squares mean (up to categorical-covariate weights).
 */
import { invalid, type FieldIssue } from '../../core/errors.js';
import type { RepeatedMeasuresDesign, SubjectData } from './reml-evaluator.js';

/** One row of long-format data. */
export interface MmrmObservation {
  readonly subject: string;
  readonly visit: string;
  readonly arm: string;
  /** The response; `null`/NaN rows are dropped (missing at that visit). */
  readonly response: number | null;
  /** Baseline value of the response (used when `MmrmInput.baseline` is true). */
  readonly baseline?: number | null;
  /** Covariate values by name; numbers are numeric covariates, strings are categorical. */
  readonly covariates?: Readonly<Record<string, number | string | null>>;
}

/** Data and model specification for `fitMmrm`. */
export interface MmrmInput {
  readonly observations: readonly MmrmObservation[];
  readonly treatment: string;
  readonly control: string;
  /** Visit order; default: order of first appearance. Rows at other visits are ignored. */
  readonly visits?: readonly string[];
  /** Include the baseline*visit term (default: when any observation carries a baseline). */
  readonly baseline?: boolean;
  /** Covariates entered as main effects (default: none). */
  readonly covariates?: readonly string[];
}

/** How LS means weight the levels of categorical covariates. */
export type LsmeansWeights = 'equal' | 'proportional';

/** The assembled design plus the metadata needed to form contrasts. */
export interface MmrmDesign {
  readonly design: RepeatedMeasuresDesign;
  readonly columnNames: readonly string[];
  readonly visits: readonly string[];
  /** Arm levels: control, treatment, then any others (sorted). */
  readonly arms: readonly string[];
  readonly subjectIds: readonly string[];
  readonly nObservations: number;
  /** Coefficient vector of treatment − control at visit index j. */
  contrast(visitIndex: number): Float64Array;
  /** Coefficient vector of the LS mean of an arm at a visit. */
  lsmean(armIndex: number, visitIndex: number, weights: LsmeansWeights): Float64Array;
}

interface CategoricalColumn {
  readonly name: string;
  readonly levels: readonly string[];
  /** Share of used observations at each level (for proportional LS-mean weights). */
  readonly proportions: readonly number[];
  readonly firstColumn: number;
}

/** Assembles the design; throws a validation `TrialError` naming any problem with the data. */
export function buildMmrmDesign(input: MmrmInput): MmrmDesign {
  const { observations, treatment, control } = input;
  const covariateNames = input.covariates ?? [];
  const useBaseline = input.baseline ?? observations.some((o) => o.baseline !== undefined && o.baseline !== null);
  const issues: FieldIssue[] = [];
  if (treatment === control) issues.push({ path: 'treatment', message: 'treatment and control must differ' });

  const visits = input.visits ? [...input.visits] : [...new Set(observations.map((o) => o.visit))];
  const visitIndex = new Map(visits.map((v, i) => [v, i]));
  if (visitIndex.size !== visits.length) issues.push({ path: 'visits', message: 'visits must be distinct' });

  // Rows used in the fit: at a modelled visit, with a finite response, baseline and covariates.
  const used = observations.filter((o) => {
    if (!visitIndex.has(o.visit) || !isPresent(o.response)) return false;
    if (useBaseline && !isPresent(o.baseline)) return false;
    return covariateNames.every((c) => isPresent(o.covariates?.[c]));
  });

  const arms = orderedArms(used, treatment, control);
  const cells = new Set(used.map((o) => `${o.arm}\u0000${o.visit}`));
  const presentArms = new Set(used.map((o) => o.arm));
  const presentVisits = new Set(used.map((o) => o.visit));
  for (const [role, level] of [
    ['treatment', treatment],
    ['control', control],
  ] as const) {
    if (!presentArms.has(level)) issues.push({ path: role, message: `arm '${level}' has no usable observations` });
  }
  for (const v of visits) {
    if (!presentVisits.has(v)) issues.push({ path: 'visits', message: `visit '${v}' has no data` });
  }
  if (issues.length === 0) {
    for (const arm of arms) {
      for (const v of visits) {
        if (!cells.has(`${arm}\u0000${v}`)) {
          issues.push({ path: 'visits', message: `no observations for arm '${arm}' at visit '${v}'` });
        }
      }
    }
  }
  if (issues.length > 0) throw invalid(issues.map((i) => i.message).join('; '), issues);

  const m = visits.length;
  const columnNames: string[] = [];
  for (const arm of arms) for (const v of visits) columnNames.push(`${arm}:${v}`);
  const baselineStart = columnNames.length;
  const baselineMean = useBaseline ? mean(used.map((o) => o.baseline as number)) : 0;
  if (useBaseline) for (const v of visits) columnNames.push(`baseline:${v}`);

  // Covariates: numeric when every used value is a number.
  const numeric: { name: string; column: number; mean: number }[] = [];
  const categorical: CategoricalColumn[] = [];
  for (const name of covariateNames) {
    const values = used.map((o) => o.covariates?.[name] as number | string);
    if (values.every((v) => typeof v === 'number')) {
      numeric.push({ name, column: columnNames.length, mean: mean(values as number[]) });
      columnNames.push(name);
    } else {
      const strings = values.map(String);
      const levels = [...new Set(strings)].sort();
      const proportions = levels.map((l) => strings.filter((s) => s === l).length / strings.length);
      categorical.push({ name, levels, proportions, firstColumn: columnNames.length });
      for (const level of levels.slice(1)) columnNames.push(`${name}${level}`);
    }
  }
  const p = columnNames.length;

  // Subjects in order of first appearance; rows sorted by visit.
  const bySubject = new Map<string, MmrmObservation[]>();
  for (const o of used) {
    const list = bySubject.get(o.subject);
    if (list) list.push(o);
    else bySubject.set(o.subject, [o]);
  }
  const subjects: SubjectData[] = [];
  for (const [id, rows] of bySubject) {
    rows.sort((a, b) => (visitIndex.get(a.visit) as number) - (visitIndex.get(b.visit) as number));
    const n = rows.length;
    const vis = new Int32Array(n);
    const x = new Float64Array(n * p);
    const y = new Float64Array(n);
    rows.forEach((o, r) => {
      const v = visitIndex.get(o.visit) as number;
      if (r > 0 && vis[r - 1] === v) {
        throw invalid(`subject '${id}' has more than one observation at visit '${o.visit}'`, [
          { path: 'observations', message: `duplicate visit '${o.visit}' for subject '${id}'` },
        ]);
      }
      if (o.arm !== rows[0].arm) {
        throw invalid(`subject '${id}' appears in more than one arm`, [
          { path: 'observations', message: `subject '${id}' has arms '${rows[0].arm}' and '${o.arm}'` },
        ]);
      }
      vis[r] = v;
      y[r] = o.response as number;
      const row = r * p;
      x[row + arms.indexOf(o.arm) * m + v] = 1;
      if (useBaseline) x[row + baselineStart + v] = (o.baseline as number) - baselineMean;
      for (const c of numeric) x[row + c.column] = (o.covariates?.[c.name] as number) - c.mean;
      for (const c of categorical) {
        const level = c.levels.indexOf(String(o.covariates?.[c.name]));
        if (level > 0) x[row + c.firstColumn + level - 1] = 1;
      }
    });
    subjects.push({ visits: vis, x, y });
  }

  const treatmentIndex = arms.indexOf(treatment);
  const controlIndex = arms.indexOf(control);
  return {
    design: { nVisits: m, nCoefficients: p, subjects },
    columnNames,
    visits,
    arms,
    subjectIds: [...bySubject.keys()],
    nObservations: used.length,
    contrast(j) {
      const l = new Float64Array(p);
      l[treatmentIndex * m + j] = 1;
      l[controlIndex * m + j] = -1;
      return l;
    },
    lsmean(armIndex, j, weights) {
      // Numeric covariates and baseline are centred, so their mean contributes 0.
      const l = new Float64Array(p);
      l[armIndex * m + j] = 1;
      for (const c of categorical) {
        for (let level = 1; level < c.levels.length; level++) {
          l[c.firstColumn + level - 1] = weights === 'equal' ? 1 / c.levels.length : c.proportions[level];
        }
      }
      return l;
    },
  };
}

function isPresent(v: number | string | null | undefined): boolean {
  if (v === null || v === undefined) return false;
  return typeof v === 'number' ? Number.isFinite(v) : v !== '';
}

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Control first, treatment second, then other arms in sorted order. */
function orderedArms(used: readonly MmrmObservation[], treatment: string, control: string): string[] {
  const others = [...new Set(used.map((o) => o.arm))].filter((a) => a !== treatment && a !== control).sort();
  return [control, treatment, ...others];
}
