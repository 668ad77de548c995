import { describe, expect, it } from 'vitest';
import { stemjointObservations } from '../../../test/fixtures/golden/golden-fixtures.js';
import { fitReml, thetaCovariance } from './fit-reml.js';
import { estimateContrast, prepareInference, satterthwaiteDf, testContrasts } from './inference.js';
import { buildMmrmDesign } from './mmrm-design.js';
import { RemlEvaluator } from './reml-evaluator.js';

const design = buildMmrmDesign({ observations: stemjointObservations(), treatment: 'MSC', control: 'SAL' });
const evaluator = new RemlEvaluator(design.design);

describe('Satterthwaite df', () => {
  for (const structure of ['unstructured', 'ar1-heterogeneous'] as const) {
    it(`${structure}: analytic g = ∂(lᵀΦl)/∂θ matches central differences`, () => {
      const fit = fitReml(evaluator, { structure });
      const inference = prepareInference(fit, 'satterthwaite');
      const q = fit.structure.nParameters;
      const p = fit.nCoefficients;
      const l = design.contrast(5);
      const variance = (theta: Float64Array): number => {
        const phi = evaluator.evaluate(fit.structure.sigma(theta))!.phi;
        let s = 0;
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += l[i] * phi[i * p + j] * l[j];
        return s;
      };
      const g = Array.from({ length: q }, (_, h) => {
        const step = 1e-6 * Math.max(1, Math.abs(fit.theta[h]));
        const plus = Float64Array.from(fit.theta);
        const minus = Float64Array.from(fit.theta);
        plus[h] += step;
        minus[h] -= step;
        return (variance(plus) - variance(minus)) / (2 * step);
      });
      const w = thetaCovariance(fit);
      let gwg = 0;
      for (let h = 0; h < q; h++) for (let j = 0; j < q; j++) gwg += g[h] * w[h * q + j] * g[j];
      const numeric = (2 * variance(fit.theta) ** 2) / gwg;
      expect(Math.abs(satterthwaiteDf(inference, l) / numeric - 1)).toBeLessThan(1e-5);
    });
  }
});

describe('contrast inference', () => {
  const fit = fitReml(evaluator);
  it('an F test of one row is the square of the t test', () => {
    const inference = prepareInference(fit, 'satterthwaite');
    const c = estimateContrast(inference, design.contrast(1));
    const f = testContrasts(inference, [design.contrast(1)]);
    expect(f.f).toBeCloseTo(c.t * c.t, 10);
    expect(f.p).toBeCloseTo(c.p, 12);
    expect(f.denDf).toBe(c.df);
  });

  it('Kenward–Roger inflates the SE but keeps estimate and df; wider confidence levels widen the CI', () => {
    const sat = estimateContrast(prepareInference(fit, 'satterthwaite'), design.contrast(5));
    const kr = estimateContrast(prepareInference(fit, 'kenward-roger'), design.contrast(5));
    expect(kr.se).toBeGreaterThan(sat.se);
    expect(kr.df).toBeCloseTo(sat.df, 10);
    const wide = estimateContrast(prepareInference(fit, 'satterthwaite'), design.contrast(5), 0.99);
    expect(wide.upper - wide.lower).toBeGreaterThan(sat.upper - sat.lower);
  });

  it('rejects linearly dependent contrast rows', () => {
    for (const method of ['satterthwaite', 'kenward-roger'] as const) {
      const inference = prepareInference(fit, method);
      expect(() => testContrasts(inference, [design.contrast(1), design.contrast(1)])).toThrow(/linearly dependent/);
    }
  });
});
