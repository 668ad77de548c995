/**
 * ANCOVA at a single visit: OLS of `response ~ arm (+ baseline) (+ covariates)`; the treatment
 * effect is the treatment-arm coefficient, tested with t on n − p df and CI τ̂ ± t(1−α/2, n−p)·SE.
 */
import { tQuantile, tTwoSidedP } from './distributions.js';
import { fitOls } from './ols.js';
import { buildSubjectDesign, type SubjectModelInput } from './subject-design.js';

/** Treatment-vs-control effect from an ANCOVA. */
export interface AncovaResult {
  readonly n: number;
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly t: number;
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
}

/** Fits the ANCOVA and returns the adjusted treatment − control difference. */
export function ancova(input: SubjectModelInput, confidenceLevel = 0.95): AncovaResult {
  const design = buildSubjectDesign(input);
  const fit = fitOls(design.x, design.y, design.n, design.p);
  const j = design.treatmentColumn;
  const estimate = fit.coefficients[j];
  const se = fit.se[j];
  const t = estimate / se;
  const half = tQuantile(1 - (1 - confidenceLevel) / 2, fit.df) * se;
  return {
    n: design.n,
    estimate,
    se,
    df: fit.df,
    t,
    p: tTwoSidedP(t, fit.df),
    lower: estimate - half,
    upper: estimate + half,
  };
}
