import { describe, expect, it } from 'vitest';
import { loadGolden, readGoldenCsv, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import { riskDifferenceNewcombe, riskDifferenceWald, wilsonInterval } from './binomial-intervals.js';

const golden = loadGolden().effusion_m12;

describe('risk difference of effusion at M12 against R (relative 1e-9)', () => {
  const { x, n } = golden;

  it('the golden counts are the effusion counts of the simulated data at M12', () => {
    const atM12 = readGoldenCsv('stemjoint_sim.csv').filter((r) => r.visit === 'M12');
    for (const arm of ['MSC', 'SAL'] as const) {
      const inArm = atM12.filter((r) => r.arm === arm);
      expect(inArm.length).toBe(n[arm]);
      expect(inArm.filter((r) => r.effusion_m12 === '1').length).toBe(x[arm]);
    }
  });

  it('Newcombe hybrid-score interval', () => {
    const r = riskDifferenceNewcombe(x.MSC, n.MSC, x.SAL, n.SAL);
    expect(relativeError(r.estimate, golden.rd)).toBeLessThan(1e-12);
    expect(relativeError(r.lower, golden.rd_newcombe_ci[0])).toBeLessThan(1e-9);
    expect(relativeError(r.upper, golden.rd_newcombe_ci[1])).toBeLessThan(1e-9);
  });

  it('Wald interval', () => {
    const r = riskDifferenceWald(x.MSC, n.MSC, x.SAL, n.SAL);
    expect(relativeError(r.lower, golden.rd_wald_ci[0])).toBeLessThan(1e-9);
    expect(relativeError(r.upper, golden.rd_wald_ci[1])).toBeLessThan(1e-9);
  });
});

describe('wilsonInterval', () => {
  it('is (0, z²/(n + z²)) for 0 successes and stays inside [0, 1]', () => {
    const z = 1.959963984540054;
    const r = wilsonInterval(0, 10);
    expect(r.lower).toBeCloseTo(0, 15);
    expect(relativeError(r.upper, (z * z) / (10 + z * z))).toBeLessThan(1e-12);
    const s = wilsonInterval(10, 10);
    expect(s.upper).toBeCloseTo(1, 15);
  });

  it('matches the textbook example 15/148 (Newcombe 1998: 0.0624, 0.1605)', () => {
    const r = wilsonInterval(15, 148);
    expect(r.lower).toBeCloseTo(0.0624, 4);
    expect(r.upper).toBeCloseTo(0.1605, 4);
  });

  it('Newcombe example 56/70 − 48/80: CI (0.0524, 0.3339)', () => {
    // Newcombe (1998), Statistics in Medicine 17:873, Table II example (a), method 10.
    const r = riskDifferenceNewcombe(56, 70, 48, 80);
    expect(r.lower).toBeCloseTo(0.0524, 4);
    expect(r.upper).toBeCloseTo(0.3339, 4);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => riskDifferenceWald(1, 0, 1, 2)).toThrow(RangeError);
  });
});
