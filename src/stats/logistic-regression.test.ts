import { describe, expect, it } from 'vitest';
import { loadGolden, readGoldenCsv, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import { fitLogistic, logisticTreatmentEffect } from './logistic-regression.js';

const golden = loadGolden().effusion_m12;
const records = readGoldenCsv('stemjoint_sim.csv')
  .filter((r) => r.visit === 'M12')
  .map((r) => ({ arm: r.arm, response: Number(r.effusion_m12), covariates: { effusion_bl: Number(r.effusion_bl) } }));

describe('logistic regression of effusion at M12 against R glm (relative 1e-7)', () => {
  it('odds ratio, Wald CI and p adjusted for baseline effusion', () => {
    const r = logisticTreatmentEffect({ records, treatment: 'MSC', control: 'SAL', covariates: ['effusion_bl'] });
    expect(r.n).toBe(80);
    expect(r.converged).toBe(true);
    expect(r.separation).toBe(false);
    expect(relativeError(r.oddsRatio, golden.logit_or)).toBeLessThan(1e-7);
    expect(relativeError(r.lower, golden.logit_or_ci[0])).toBeLessThan(1e-7);
    expect(relativeError(r.upper, golden.logit_or_ci[1])).toBeLessThan(1e-7);
    // p-values: 1e-6 absolute (stats-anchors §5.2); glm's SE comes from the penultimate IRLS weights.
    expect(Math.abs(r.p - golden.logit_p)).toBeLessThan(1e-6);
  });
});

describe('fitLogistic', () => {
  it('with one binary covariate reproduces the log odds ratio of the 2×2 table', () => {
    // 12/40 vs 23/40 events: log OR = log((12·17)/(28·23)), SE² = 1/12 + 1/28 + 1/23 + 1/17.
    const x: number[] = [];
    const y: number[] = [];
    const add = (group: number, events: number, n: number): void => {
      for (let i = 0; i < n; i++) {
        x.push(1, group);
        y.push(i < events ? 1 : 0);
      }
    };
    add(1, 12, 40);
    add(0, 23, 40);
    const fit = fitLogistic(Float64Array.from(x), Float64Array.from(y), 80, 2);
    expect(fit.coefficients[1]).toBeCloseTo(Math.log((12 * 17) / (28 * 23)), 10);
    expect(fit.se[1]).toBeCloseTo(Math.sqrt(1 / 12 + 1 / 28 + 1 / 23 + 1 / 17), 10);
  });

  it('flags separation and rejects non-binary responses', () => {
    const x = Float64Array.from([1, 0, 1, 0, 1, 1, 1, 1]);
    const separated = fitLogistic(x, Float64Array.from([0, 0, 1, 1]), 4, 2);
    expect(separated.separation).toBe(true);
    expect(() => fitLogistic(x, Float64Array.from([0, 2, 1, 1]), 4, 2)).toThrow(RangeError);
  });
});
