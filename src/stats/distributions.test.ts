import { describe, expect, it } from 'vitest';
import { loadGolden, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import {
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

const golden = loadGolden().dist;

describe('distribution functions against R 4.2.2 (relative 1e-9)', () => {
  it('t quantiles, including fractional df', () => {
    for (const [df, q] of Object.entries(golden.qt_975_df)) {
      expect(relativeError(tQuantile(0.975, Number(df)), q)).toBeLessThan(1e-9);
    }
  });

  it('t, F and χ² tails and normal quantiles', () => {
    expect(relativeError(tCdf(-2, 3), golden.pt_2_df3)).toBeLessThan(1e-9);
    expect(relativeError(tUpperTail(2, 3), golden.pt_2_df3)).toBeLessThan(1e-9);
    expect(relativeError(fUpperTail(4, 2, 30), golden.pf_4_2_30)).toBeLessThan(1e-9);
    expect(relativeError(chiSquareUpperTail(3.84, 1), golden['pchisq_3.84_1'])).toBeLessThan(1e-9);
    expect(relativeError(normalQuantile(0.975), golden.qnorm_975)).toBeLessThan(1e-9);
    expect(relativeError(normalQuantile(1e-10), golden.qnorm_1e_10)).toBeLessThan(1e-9);
  });
});

describe('upper tails are computed directly, not as 1 − cdf', () => {
  it('keeps precision far below 1e-16', () => {
    // χ²₂ upper tail is exactly exp(−x/2).
    expect(relativeError(chiSquareUpperTail(100, 2), Math.exp(-50))).toBeLessThan(1e-12);
    // Normal: Φ(−z) is exact by symmetry; 1 − Φ(10) would be 0.
    expect(normalUpperTail(10)).toBeGreaterThan(7e-24);
    expect(relativeError(normalUpperTail(10), normalCdf(-10))).toBeLessThan(1e-15);
    // t with 1 df is Cauchy: P(|T| > t) = 1 − (2/π)·atan(t) = (2/π)·atan(1/t).
    expect(relativeError(tTwoSidedP(1e9, 1), (2 / Math.PI) * Math.atan(1e-9))).toBeLessThan(1e-9);
  });

  it('two-sided t p equals the F(1, ν) upper tail of t²', () => {
    for (const [t, df] of [
      [0.3, 4],
      [2.5, 17.3],
      [6, 140],
    ]) {
      expect(relativeError(tTwoSidedP(t, df), fUpperTail(t * t, 1, df))).toBeLessThan(1e-12);
      expect(relativeError(tUpperTail(-t, df), 1 - tUpperTail(t, df))).toBeLessThan(1e-12);
    }
  });

  it('handles degenerate arguments', () => {
    expect(tTwoSidedP(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(fUpperTail(0, 2, 3)).toBe(1);
    expect(chiSquareUpperTail(-1, 2)).toBe(1);
    expect(tUpperTail(1, -1)).toBeNaN();
  });
});
