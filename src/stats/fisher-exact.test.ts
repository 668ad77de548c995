import { describe, expect, it } from 'vitest';
import { loadGolden, readGoldenCsv, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import { fisherExact } from './fisher-exact.js';

const golden = loadGolden().ae;

describe('fisherExact against R fisher.test (relative 1e-9)', () => {
  it('the golden AE counts are the per-subject counts of the simulated data', () => {
    const subjects = readGoldenCsv('stemjoint_sim.csv').filter((r) => r.visit === 'M3');
    for (const [key, column] of [
      ['any', 'ae_any'],
      ['injection_site', 'ae_inj'],
    ] as const) {
      for (const arm of ['MSC', 'SAL'] as const) {
        const inArm = subjects.filter((r) => r.arm === arm);
        expect(inArm.length).toBe(golden[key].n[arm]);
        expect(inArm.filter((r) => r[column] === '1').length).toBe(golden[key].events[arm]);
      }
    }
  });

  for (const key of ['any', 'injection_site'] as const) {
    it(`AE table '${key}': p, conditional MLE odds ratio and exact CI`, () => {
      const g = golden[key];
      const r = fisherExact({
        a: g.events.MSC,
        b: g.n.MSC - g.events.MSC,
        c: g.events.SAL,
        d: g.n.SAL - g.events.SAL,
      });
      expect(relativeError(r.p, g.p)).toBeLessThan(1e-9);
      expect(relativeError(r.oddsRatio, g.or)).toBeLessThan(1e-9);
      expect(relativeError(r.lower, g.or_ci[0])).toBeLessThan(1e-9);
      expect(relativeError(r.upper, g.or_ci[1])).toBeLessThan(1e-9);
    });
  }
});

describe('fisherExact against further fisher.test results (R 4.2.2, relative 1e-9)', () => {
  // R: f <- fisher.test(matrix(c(a, b, c, d), 2, byrow = TRUE)); c(f$p.value, f$estimate, f$conf.int)
  const cases: [[number, number, number, number], [number, number, number, number]][] = [
    [
      [7, 3, 2, 9],
      [0.0299731228523798, 9.1429449789019568, 1.0121875364272219, 140.6528029350708948],
    ],
    [
      [2, 9, 7, 3],
      [0.02997312285237982, 0.10937394923709774, 0.00710970545294876, 0.9879592111257951],
    ],
    [
      [0, 10, 5, 5],
      [0.0325077399380805, 0, 0, 0.8365428425020017],
    ],
    [
      [5, 5, 5, 5],
      [1, 1, 0.125891615335937, 7.943340764446782],
    ],
  ];
  for (const [[a, b, c, d], [p, or, lower, upper]] of cases) {
    it(`table ${a} ${b} / ${c} ${d}`, () => {
      const r = fisherExact({ a, b, c, d });
      const close = (actual: number, expected: number): void => {
        if (expected === 0) expect(actual).toBe(0);
        else expect(relativeError(actual, expected)).toBeLessThan(1e-9);
      };
      close(r.p, p);
      close(r.oddsRatio, or);
      close(r.lower, lower);
      close(r.upper, upper);
    });
  }
});

describe('fisherExact properties', () => {
  it('swapping the groups inverts the odds ratio and its CI and keeps p', () => {
    const r = fisherExact({ a: 7, b: 3, c: 2, d: 9 });
    const s = fisherExact({ a: 2, b: 9, c: 7, d: 3 });
    expect(s.p).toBeCloseTo(r.p, 14);
    // Roots are found to R's uniroot tolerance, so the symmetry holds only to that accuracy.
    expect(relativeError(s.oddsRatio, 1 / r.oddsRatio)).toBeLessThan(1e-3);
    expect(relativeError(s.lower, 1 / r.upper)).toBeLessThan(1e-3);
  });

  it('a table at the top of its support has an infinite odds ratio and upper limit', () => {
    const r = fisherExact({ a: 10, b: 0, c: 5, d: 5 });
    expect(r.oddsRatio).toBe(Number.POSITIVE_INFINITY);
    expect(r.upper).toBe(Number.POSITIVE_INFINITY);
    expect(r.lower).toBeGreaterThan(0);
  });

  it('rejects non-integer counts', () => {
    expect(() => fisherExact({ a: 1.5, b: 1, c: 1, d: 1 })).toThrow(RangeError);
  });
});
