/**
 * Confidence intervals for proportions and their difference: Wilson score interval, Newcombe's
 * hybrid-score interval for a risk difference (Newcombe 1998, method 10) and the Wald interval.
 */
import { normalQuantile } from './distributions.js';

/** A point estimate with a two-sided confidence interval. */
export interface IntervalEstimate {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

function assertCounts(x: number, n: number, label: string): void {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n <= 0 || x < 0 || x > n) {
    throw new RangeError(`${label}: need integers 0 ≤ x ≤ n with n > 0 (got x=${x}, n=${n})`);
  }
}

/**
 * Wilson score interval: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilsonInterval(x: number, n: number, confidenceLevel = 0.95): IntervalEstimate {
  assertCounts(x, n, 'wilsonInterval');
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const p = x / n;
  const centre = p + (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const denom = 1 + (z * z) / n;
  return { estimate: p, lower: (centre - half) / denom, upper: (centre + half) / denom };
}

/**
 * Newcombe hybrid-score interval for d = p₁ − p₀ from the Wilson limits (l₁, u₁), (l₀, u₀):
 *   L = d − √((p₁ − l₁)² + (u₀ − p₀)²),  U = d + √((u₁ − p₁)² + (p₀ − l₀)²).
 */
export function riskDifferenceNewcombe(
  x1: number,
  n1: number,
  x0: number,
  n0: number,
  confidenceLevel = 0.95,
): IntervalEstimate {
  const w1 = wilsonInterval(x1, n1, confidenceLevel);
  const w0 = wilsonInterval(x0, n0, confidenceLevel);
  const p1 = w1.estimate;
  const p0 = w0.estimate;
  const d = p1 - p0;
  return {
    estimate: d,
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w0.upper - p0) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p0 - w0.lower) ** 2),
  };
}

/** Wald interval for p₁ − p₀: d ± z·√(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀). */
export function riskDifferenceWald(
  x1: number,
  n1: number,
  x0: number,
  n0: number,
  confidenceLevel = 0.95,
): IntervalEstimate {
  assertCounts(x1, n1, 'riskDifferenceWald');
  assertCounts(x0, n0, 'riskDifferenceWald');
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const d = p1 - p0;
  const half = z * Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  return { estimate: d, lower: d - half, upper: d + half };
}
