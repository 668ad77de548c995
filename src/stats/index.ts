/**
 * The statistics engine (pure: no I/O). Public API used by the product:
 *  - `fitMmrm` — REML MMRM with unstructured covariance and a pre-specified fallback chain,
 *    Satterthwaite / Kenward–Roger inference, per-visit contrasts and LS means;
 *  - `ancova`, `logisticTreatmentEffect` — single-visit analyses;
 *  - `riskDifferenceNewcombe`, `wilsonInterval`, `fisherExact` — binary endpoints and AE tables;
 *  - `rubinPool` — multiple-imputation pooling with Barnard–Rubin df;
 *  - `describe` — pooled descriptive statistics;
 *  - `simulateTrial` — seeded STEMJOINT-shaped data for benchmarks and simulation studies.
 */
export * from './mmrm/index.js';
export { ancova, type AncovaResult } from './ancova.js';
export {
  riskDifferenceNewcombe,
  riskDifferenceWald,
  wilsonInterval,
  type IntervalEstimate,
} from './binomial-intervals.js';
export { chiSquareTest2x2, type ChiSquareTest } from './chi-square-test.js';
export { describe, quantileSorted, type Description } from './describe.js';
export {
  chiSquareUpperTail,
  fUpperTail,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  tCdf,
  tQuantile,
  tTwoSidedP,
  tUpperTail,
} from './distributions.js';
export { fisherExact, type FisherExactResult, type TwoByTwoTable } from './fisher-exact.js';
export {
  fitLogistic,
  logisticTreatmentEffect,
  type LogisticFit,
  type LogisticTreatmentEffect,
} from './logistic-regression.js';
export { fitOls, type OlsFit } from './ols.js';
export { findRoot, R_UNIROOT_TOLERANCE, type RootResult } from './root-finding.js';
export { rubinPool, rubinPoolComponents, type RubinComponents, type RubinPooled } from './rubin.js';
export { createUniformGenerator, simulateTrial, type TrialSimulationOptions } from './simulate-trial.js';
export {
  buildSubjectDesign,
  type SubjectDesign,
  type SubjectModelInput,
  type SubjectRecord,
} from './subject-design.js';
