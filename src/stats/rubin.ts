/**
 * Rubin's rules for pooling a scalar estimate over M multiply-imputed data sets, with the
 * Barnard–Rubin (1999) small-sample degrees of freedom (as `mice::pool.scalar`).
 *   Q̄ = mean(Q_m),  Ū = mean(U_m),  B = var(Q_m),  T = Ū + (1 + 1/M)·B
 *   λ = (1 + 1/M)·B / T (floored at 1e−4 as mice),  ν_old = (M − 1)/λ²
 *   ν_obs = (ν_com + 1)/(ν_com + 3)·ν_com·(1 − λ),  ν = ν_old·ν_obs/(ν_old + ν_obs)
 */
import { tQuantile, tTwoSidedP } from './distributions.js';

/** Pooled components, as computed from the per-imputation results. */
export interface RubinComponents {
  /** Mean of the estimates, Q̄. */
  readonly estimate: number;
  /** Mean within-imputation variance, Ū. */
  readonly within: number;
  /** Between-imputation variance, B. */
  readonly between: number;
  /** Number of imputations, M. */
  readonly m: number;
  /** Complete-data degrees of freedom ν_com (Infinity for large samples). */
  readonly dfComplete?: number;
}

/** Result of Rubin's rules. */
export interface RubinPooled {
  readonly estimate: number;
  readonly within: number;
  readonly between: number;
  readonly total: number;
  readonly se: number;
  /** Relative increase in variance r = (1 + 1/M)·B/Ū. */
  readonly riv: number;
  /** Proportion of variance due to missingness λ = (1 + 1/M)·B/T. */
  readonly lambda: number;
  /** Fraction of missing information (r + 2/(ν + 3))/(r + 1). */
  readonly fmi: number;
  /** Rubin's (1987) large-sample df ν_old = (M − 1)(1 + 1/r)². */
  readonly dfRubin: number;
  /** Barnard–Rubin df (equals ν_old when ν_com is infinite). */
  readonly df: number;
  readonly t: number;
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
}

/** Pools per-imputation estimates and their squared standard errors. */
export function rubinPool(
  estimates: readonly number[],
  variances: readonly number[],
  dfComplete = Number.POSITIVE_INFINITY,
  confidenceLevel = 0.95,
): RubinPooled {
  const m = estimates.length;
  if (m < 2 || variances.length !== m) {
    throw new RangeError('rubinPool: need at least two estimates with matching variances');
  }
  const qbar = estimates.reduce((s, v) => s + v, 0) / m;
  const ubar = variances.reduce((s, v) => s + v, 0) / m;
  const between = estimates.reduce((s, v) => s + (v - qbar) ** 2, 0) / (m - 1);
  return rubinPoolComponents({ estimate: qbar, within: ubar, between, m, dfComplete }, confidenceLevel);
}

/** Rubin's rules from already-averaged components (Q̄, Ū, B, M). */
export function rubinPoolComponents(components: RubinComponents, confidenceLevel = 0.95): RubinPooled {
  const { estimate, within, between, m } = components;
  const dfComplete = components.dfComplete ?? Number.POSITIVE_INFINITY;
  const total = within + (1 + 1 / m) * between;
  const riv = ((1 + 1 / m) * between) / within;
  const lambda = Math.max(1e-4, ((1 + 1 / m) * between) / total);
  const dfRubin = (m - 1) / (lambda * lambda);
  let df = dfRubin;
  if (Number.isFinite(dfComplete)) {
    const dfObserved = ((dfComplete + 1) / (dfComplete + 3)) * dfComplete * (1 - lambda);
    df = (dfRubin * dfObserved) / (dfRubin + dfObserved);
  }
  const se = Math.sqrt(total);
  const t = estimate / se;
  const half = tQuantile(1 - (1 - confidenceLevel) / 2, df) * se;
  return {
    estimate,
    within,
    between,
    total,
    se,
    riv,
    lambda,
    fmi: (riv + 2 / (df + 3)) / (riv + 1),
    dfRubin,
    df,
    t,
    p: tTwoSidedP(t, df),
    lower: estimate - half,
    upper: estimate + half,
  };
}
