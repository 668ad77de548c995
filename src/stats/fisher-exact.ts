/**
 * Fisher's exact test for a 2×2 table with R `fisher.test` conventions:
 *  - two-sided p = Σ P(X = x) over tables with P(X = x) ≤ P(X = x_obs)·(1 + 1e−7);
 *  - odds ratio = conditional MLE: the ψ solving E[X; ψ] = x_obs under the noncentral
 *    hypergeometric distribution P(X = x; ψ) ∝ C(m, x)·C(n, k − x)·ψ^x;
 *  - exact CI: ψ_L with P(X ≥ x_obs; ψ_L) = α/2 and ψ_U with P(X ≤ x_obs; ψ_U) = α/2;
 *  - roots found with R's `uniroot` algorithm and tolerance, so the values agree with R's digits.
 *
 * Table layout (rows = groups, columns = outcome):
 *   | a  b |   a = group 1 with the event, b = group 1 without,
 *   | c  d |   c = group 2 with the event, d = group 2 without.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import { findRoot } from './root-finding.js';

/** A 2×2 table of counts. */
export interface TwoByTwoTable {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

/** Result of `fisherExact`. */
export interface FisherExactResult {
  readonly p: number;
  /** Conditional maximum-likelihood odds ratio (group 1 vs group 2). */
  readonly oddsRatio: number;
  readonly lower: number;
  readonly upper: number;
}

const DOUBLE_EPS = 2.220446049250313e-16;

/** Two-sided Fisher exact test, conditional MLE odds ratio and exact CI, as R's `fisher.test`. */
export function fisherExact(table: TwoByTwoTable, confidenceLevel = 0.95): FisherExactResult {
  for (const [key, v] of Object.entries(table)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`fisherExact: cell ${key} must be a non-negative integer`);
  }
  // R: m = column-1 total (events), n = column-2 total, k = row-1 total, x = a.
  const m = table.a + table.c;
  const n = table.b + table.d;
  const k = table.a + table.b;
  const x = table.a;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const support: number[] = [];
  for (let s = lo; s <= hi; s++) support.push(s);
  const logdc = support.map((s) => logHypergeometric(s, m, n, k));

  /** Noncentral hypergeometric probabilities for odds ratio ψ, scaled to avoid overflow. */
  const dnhyper = (psi: number): number[] => {
    const logs = logdc.map((l, i) => l + Math.log(psi) * support[i]);
    const max = Math.max(...logs);
    const d = logs.map((l) => Math.exp(l - max));
    const total = d.reduce((s, v) => s + v, 0);
    return d.map((v) => v / total);
  };
  const mnhyper = (psi: number): number => {
    if (psi === 0) return lo;
    if (psi === Number.POSITIVE_INFINITY) return hi;
    return dnhyper(psi).reduce((s, v, i) => s + support[i] * v, 0);
  };
  const pnhyper = (q: number, psi: number, upperTail: boolean): number => {
    // Degenerate odds ratios put all mass on one end of the support (as R).
    if (psi === 0) return (upperTail ? q <= lo : q >= lo) ? 1 : 0;
    if (psi === Number.POSITIVE_INFINITY) return (upperTail ? q <= hi : q >= hi) ? 1 : 0;
    if (psi === 1) {
      // Central case: the hypergeometric CDF itself.
      const d = logdc.map(Math.exp);
      return support.reduce((s, v, i) => s + ((upperTail ? v >= q : v <= q) ? d[i] : 0), 0);
    }
    const d = dnhyper(psi);
    return support.reduce((s, v, i) => s + ((upperTail ? v >= q : v <= q) ? d[i] : 0), 0);
  };

  // Two-sided p at ψ = 1: sum of P(table) ≤ P(observed)·(1 + 1e−7).
  const d1 = dnhyper(1);
  const threshold = d1[x - lo] * (1 + 1e-7);
  const p = Math.min(
    1,
    d1.reduce((s, v) => s + (v <= threshold ? v : 0), 0),
  );

  const mle = (): number => {
    if (x === lo) return 0;
    if (x === hi) return Number.POSITIVE_INFINITY;
    const mu = mnhyper(1);
    if (mu > x) return findRoot((t) => mnhyper(t) - x, 0, 1).root;
    if (mu < x) return 1 / findRoot((t) => mnhyper(1 / t) - x, DOUBLE_EPS, 1).root;
    return 1;
  };
  const upperLimit = (alpha: number): number => {
    if (x === hi) return Number.POSITIVE_INFINITY;
    const pv = pnhyper(x, 1, false);
    if (pv < alpha) return findRoot((t) => pnhyper(x, t, false) - alpha, 0, 1).root;
    if (pv > alpha) return 1 / findRoot((t) => pnhyper(x, 1 / t, false) - alpha, DOUBLE_EPS, 1).root;
    return 1;
  };
  const lowerLimit = (alpha: number): number => {
    if (x === lo) return 0;
    const pv = pnhyper(x, 1, true);
    if (pv > alpha) return findRoot((t) => pnhyper(x, t, true) - alpha, 0, 1).root;
    if (pv < alpha) return 1 / findRoot((t) => pnhyper(x, 1 / t, true) - alpha, DOUBLE_EPS, 1).root;
    return 1;
  };
  const alpha = (1 - confidenceLevel) / 2;
  return { p, oddsRatio: mle(), lower: lowerLimit(alpha), upper: upperLimit(alpha) };
}

/**
 * log P(X = x) for the hypergeometric distribution with m events, n non-events and k draws:
 * log[C(m, x)·C(n, k − x) / C(m + n, k)]. Uses @stdlib's pmf (accurate to ~1e−14) and falls back
 * to log-gamma arithmetic only where the pmf underflows.
 */
function logHypergeometric(x: number, m: number, n: number, k: number): number {
  const pmf = hypergeometricPmf(x, m + n, m, k);
  if (pmf > 1e-300) return Math.log(pmf);
  return logChoose(m, x) + logChoose(n, k - x) - logChoose(m + n, k);
}

function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}
