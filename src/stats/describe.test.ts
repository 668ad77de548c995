import { describe as group, expect, it } from 'vitest';
import { describe, quantileSorted } from './describe.js';

group('describe', () => {
  it('matches R summary()/sd() on a small sample (quantile type 7)', () => {
    // R: x <- c(3, 1, 4, 1, 5, 9, 2, 6); summary(x); sd(x)
    const d = describe([3, 1, 4, 1, 5, 9, 2, 6, null, Number.NaN]);
    expect(d.n).toBe(8);
    expect(d.nMissing).toBe(2);
    expect(d.mean).toBe(3.875);
    expect(d.sd).toBeCloseTo(2.748376, 6);
    expect(d.median).toBe(3.5);
    expect(d.q1).toBe(1.75);
    expect(d.q3).toBe(5.25);
    expect(d.min).toBe(1);
    expect(d.max).toBe(9);
  });

  it('returns NaN statistics for an empty sample and no SD for one value', () => {
    expect(describe([]).mean).toBeNaN();
    const one = describe([4]);
    expect(one.mean).toBe(4);
    expect(one.sd).toBeNaN();
    expect(one.median).toBe(4);
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
  });
});
