import { describe, expect, it } from 'vitest';
import { loadGolden, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import { chiSquareTest2x2 } from './chi-square-test.js';

describe('chiSquareTest2x2', () => {
  it('reproduces prop.test(correct = FALSE) for effusion at M12 (relative 1e-9)', () => {
    const g = loadGolden().effusion_m12;
    const r = chiSquareTest2x2({ a: g.x.MSC, b: g.n.MSC - g.x.MSC, c: g.x.SAL, d: g.n.SAL - g.x.SAL });
    expect(r.df).toBe(1);
    expect(relativeError(r.p, g.chisq_p)).toBeLessThan(1e-9);
  });

  it('applies the Yates correction as R chisq.test (12/40 vs 23/40: X² = 5.0794)', () => {
    // R: chisq.test(matrix(c(12, 28, 23, 17), 2, byrow = TRUE))$statistic = 5.079365079
    const r = chiSquareTest2x2({ a: 12, b: 28, c: 23, d: 17 }, true);
    expect(r.statistic).toBeCloseTo(5.079365079, 8);
  });

  it('is undefined when a margin is empty', () => {
    expect(chiSquareTest2x2({ a: 0, b: 0, c: 3, d: 4 }).p).toBeNaN();
  });
});
