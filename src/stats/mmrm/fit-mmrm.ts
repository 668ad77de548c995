/**
 * The product-facing MMRM: REML with unstructured covariance (falling back through a pre-specified
 * chain of structures if it does not converge), per-visit treatment − control contrasts with
 * Satterthwaite or Kenward–Roger inference, LS means by arm and visit, and the treatment-by-visit
 * interaction F test.
 */
import { invalid } from '../../core/errors.js';
import { toNestedRows } from '../dense-matrix.js';
import { DEFAULT_FALLBACK_CHAIN, type CovarianceStructureName } from './covariance-structures.js';
import { fitReml, type RemlDiagnostics, type RemlFit } from './fit-reml.js';
import {
  estimateContrast,
  prepareInference,
  testContrasts,
  type ContrastEstimate,
  type DfMethod,
  type FTest,
  type InformationKind,
} from './inference.js';
import { buildMmrmDesign, type LsmeansWeights, type MmrmDesign, type MmrmInput } from './mmrm-design.js';
import { RemlEvaluator } from './reml-evaluator.js';

/** Options of `fitMmrm`. */
export interface MmrmOptions {
  /** Primary covariance structure (default 'unstructured'). */
  readonly covariance?: CovarianceStructureName;
  /**
   * Structures tried in order when the primary one fails to converge. Default: heterogeneous
   * Toeplitz → heterogeneous AR(1) → heterogeneous CS when the primary is unstructured, else none.
   */
  readonly fallback?: readonly CovarianceStructureName[];
  /** Denominator df and SE method (default 'satterthwaite'). */
  readonly df?: DfMethod;
  readonly confidenceLevel?: number;
  /** Categorical-covariate weights for LS means (default 'equal', as emmeans/SAS LSMEANS). */
  readonly lsmeansWeights?: LsmeansWeights;
  /** Information matrix inverted for W (default 'observed', as SAS). */
  readonly information?: InformationKind;
  readonly maxIterations?: number;
}

/** One attempted covariance structure. */
export interface MmrmAttempt {
  readonly covariance: CovarianceStructureName;
  readonly converged: boolean;
  readonly diagnostics: RemlDiagnostics;
}

/** Treatment − control at one visit. */
export interface MmrmContrast extends ContrastEstimate {
  readonly visit: string;
}

/** LS mean of one arm at one visit. */
export interface MmrmLsmean {
  readonly arm: string;
  readonly visit: string;
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly lower: number;
  readonly upper: number;
}

/** Result of `fitMmrm`. */
export interface MmrmResult {
  readonly nSubjects: number;
  readonly nObservations: number;
  readonly visits: readonly string[];
  readonly arms: readonly string[];
  /** The structure whose fit is reported (the first that converged, else the primary). */
  readonly covariance: CovarianceStructureName;
  readonly converged: boolean;
  readonly diagnostics: RemlDiagnostics;
  readonly attempts: readonly MmrmAttempt[];
  readonly dfMethod: DfMethod;
  readonly remlLogLik: number;
  /** −2 × REML log-likelihood, including the (N − p)·log 2π constant (as SAS and R). */
  readonly m2RemlLogLik: number;
  readonly sigma: number[][];
  readonly covarianceParameters: readonly { readonly name: string; readonly estimate: number }[];
  readonly coefficients: readonly { readonly name: string; readonly estimate: number; readonly se: number }[];
  readonly contrasts: readonly MmrmContrast[];
  readonly lsmeans: readonly MmrmLsmean[];
  /** H0: the treatment effect is the same at every visit (null with a single visit). */
  readonly treatmentByVisit: FTest | null;
}

/** Fits the MMRM `response ~ arm*visit (+ baseline*visit) (+ covariates)` by REML. */
export function fitMmrm(input: MmrmInput, options: MmrmOptions = {}): MmrmResult {
  const design = buildMmrmDesign(input);
  const evaluator = new RemlEvaluator(design.design);
  const primary = options.covariance ?? 'unstructured';
  const chain = [primary, ...(options.fallback ?? (primary === 'unstructured' ? DEFAULT_FALLBACK_CHAIN : []))];
  const attempts: MmrmAttempt[] = [];
  let chosen: RemlFit | undefined;
  let first: RemlFit | undefined;
  for (const structure of chain) {
    let fit: RemlFit;
    try {
      fit = fitReml(evaluator, {
        structure,
        ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
      });
    } catch (e) {
      throw invalid(`MMRM cannot be fitted: ${(e as Error).message}`, [
        { path: 'observations', message: (e as Error).message },
      ]);
    }
    attempts.push({ covariance: structure, converged: fit.converged, diagnostics: fit.diagnostics });
    first ??= fit;
    if (fit.converged) {
      chosen = fit;
      break;
    }
  }
  const fit = chosen ?? (first as RemlFit);
  return summarise(design, fit, attempts, options);
}

function summarise(design: MmrmDesign, fit: RemlFit, attempts: MmrmAttempt[], options: MmrmOptions): MmrmResult {
  const method = options.df ?? 'satterthwaite';
  const level = options.confidenceLevel ?? 0.95;
  const weights = options.lsmeansWeights ?? 'equal';
  const m = design.visits.length;
  const p = fit.nCoefficients;
  const inference = prepareInference(fit, method, { information: options.information ?? 'observed' });

  const contrasts = design.visits.map((visit, j) => ({
    visit,
    ...estimateContrast(inference, design.contrast(j), level),
  }));
  const lsmeans: MmrmLsmean[] = [];
  design.visits.forEach((visit, j) => {
    design.arms.forEach((arm, a) => {
      const c = estimateContrast(inference, design.lsmean(a, j, weights), level);
      lsmeans.push({ arm, visit, estimate: c.estimate, se: c.se, df: c.df, lower: c.lower, upper: c.upper });
    });
  });
  let treatmentByVisit: FTest | null = null;
  if (m > 1) {
    const first = design.contrast(0);
    const rows = Array.from({ length: m - 1 }, (_, j) => {
      const l = design.contrast(j + 1);
      for (let i = 0; i < p; i++) l[i] -= first[i];
      return l;
    });
    treatmentByVisit = testContrasts(inference, rows);
  }
  const cov = inference.covariance;
  return {
    nSubjects: fit.nSubjects,
    nObservations: fit.nObservations,
    visits: design.visits,
    arms: design.arms,
    covariance: fit.structure.name,
    converged: fit.converged,
    diagnostics: fit.diagnostics,
    attempts,
    dfMethod: method,
    remlLogLik: fit.logLik,
    m2RemlLogLik: -2 * fit.logLik,
    sigma: toNestedRows(fit.sigma, m, m),
    covarianceParameters: fit.structure.parameterNames.map((name, h) => ({ name, estimate: fit.theta[h] })),
    coefficients: design.columnNames.map((name, i) => ({
      name,
      estimate: fit.beta[i],
      se: Math.sqrt(cov[i * p + i]),
    })),
    contrasts,
    lsmeans,
    treatmentByVisit,
  };
}
