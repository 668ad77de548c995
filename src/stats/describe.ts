/**
 * Descriptive statistics for a sample (e.g. pooled, blinded data monitoring): n, mean, SD
 * (n − 1 divisor), median and quartiles by linear interpolation between order statistics
 * (R's default quantile type 7), minimum and maximum. Missing values (null/NaN) are counted and
 * skipped.
 */

/** Summary of one sample. */
export interface Description {
  readonly n: number;
  readonly nMissing: number;
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

/** Describes the non-missing values; statistics are NaN when there are none (sd needs n ≥ 2). */
export function describe(values: readonly (number | null | undefined)[]): Description {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  const nMissing = values.length - n;
  if (n === 0) {
    return {
      n,
      nMissing,
      mean: Number.NaN,
      sd: Number.NaN,
      median: Number.NaN,
      q1: Number.NaN,
      q3: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
    };
  }
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  // Two-pass variance for accuracy.
  const ss = xs.reduce((s, v) => s + (v - mean) ** 2, 0);
  return {
    n,
    nMissing,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    median: quantileSorted(xs, 0.5),
    q1: quantileSorted(xs, 0.25),
    q3: quantileSorted(xs, 0.75),
    min: xs[0],
    max: xs[n - 1],
  };
}

/** Type-7 quantile of sorted data: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)·prob. */
export function quantileSorted(sorted: readonly number[], prob: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
