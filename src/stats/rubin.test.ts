import { describe, expect, it } from 'vitest';
import { loadGolden, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import { rubinPool, rubinPoolComponents } from './rubin.js';

const golden = loadGolden().mi_y5;

describe("Rubin's rules against mice (relative 1e-9)", () => {
  // The golden ANCOVA at Y5 had 80 − 3 = 77 complete-data residual df.
  const pooled = rubinPoolComponents({
    estimate: golden.estimate,
    within: golden.within,
    between: golden.between,
    m: golden.M,
    dfComplete: 77,
  });

  it('total variance, SE and pooled estimate (mice::pool.scalar)', () => {
    expect(relativeError(pooled.total, golden.mice_pool_scalar.t)).toBeLessThan(1e-9);
    expect(relativeError(pooled.se, golden.se)).toBeLessThan(1e-9);
    expect(pooled.estimate).toBe(golden.mice_pool_scalar.qbar);
  });

  it("Rubin's and Barnard–Rubin degrees of freedom", () => {
    expect(relativeError(pooled.dfRubin, golden.df_rubin)).toBeLessThan(1e-9);
    expect(relativeError(pooled.df, golden.df_barnard_rubin)).toBeLessThan(1e-9);
    expect(relativeError(pooled.df, golden.mice_pool_scalar.df)).toBeLessThan(1e-9);
  });
});

describe('rubinPool', () => {
  it('averages estimates and variances and uses the sample variance between imputations', () => {
    const r = rubinPool([1, 2, 3], [0.5, 0.7, 0.9], 30);
    expect(r.estimate).toBe(2);
    expect(r.within).toBeCloseTo(0.7, 15);
    expect(r.between).toBe(1);
    expect(r.total).toBeCloseTo(0.7 + (4 / 3) * 1, 14);
    expect(r.df).toBeLessThan(r.dfRubin);
    expect(r.lower).toBeLessThan(r.estimate);
  });

  it('without a complete-data df, the df is Rubin’s', () => {
    const r = rubinPool([1, 2, 3, 2.5], [0.5, 0.7, 0.9, 0.6]);
    expect(r.df).toBe(r.dfRubin);
  });

  it('needs at least two imputations', () => {
    expect(() => rubinPool([1], [1])).toThrow(RangeError);
  });
});
