/**
 * The MMRM on the simulated STEMJOINT trial against the R goldens (golden.json):
 * unstructured covariance from nlme::gls + mmrm_numref.R (SAS-equivalent Satterthwaite and
 * Kenward–Roger), LS means from emmeans, compound symmetry from lme4 + pbkrtest.
 * Tolerances: stats-anchors §5.2.
 */
import { describe, expect, it } from 'vitest';
import { isTrialError } from '../../core/errors.js';
import { loadGolden, relativeError, stemjointObservations } from '../../../test/fixtures/golden/golden-fixtures.js';
import { simulateTrial } from '../simulate-trial.js';
import { fitMmrm } from './fit-mmrm.js';
import type { MmrmObservation } from './mmrm-design.js';

const golden = loadGolden();
const observations = stemjointObservations();
const input = { observations, treatment: 'MSC', control: 'SAL' };

describe('unstructured MMRM on the STEMJOINT simulation', () => {
  const sat = fitMmrm(input);
  const kr = fitMmrm(input, { df: 'kenward-roger' });
  const us = golden.mmrm_us;

  it('converges from the default (empirical) start and reports diagnostics', () => {
    expect(sat.converged).toBe(true);
    expect(sat.covariance).toBe('unstructured');
    expect(sat.attempts).toHaveLength(1);
    expect(sat.diagnostics.hessianPositiveDefinite).toBe(true);
    expect(sat.diagnostics.message).toMatch(/^converged: /);
    expect(sat.diagnostics.iterations).toBeLessThan(20);
    // At least as close to stationarity as the golden's own optimum.
    expect(sat.diagnostics.maxAbsGradient).toBeLessThan(us.max_abs_grad);
    expect(sat.nSubjects).toBe(us.n_subj);
    expect(sat.nObservations).toBe(us.n_obs);
  });

  it('−2 REML log-likelihood within 1e-4', () => {
    expect(Math.abs(sat.m2RemlLogLik - us.m2_reml_loglik)).toBeLessThan(1e-4);
  });

  it('Σ̂ within 1e-4 of the golden (scaled by √(σ_aa σ_bb); the golden is gls’s optimum)', () => {
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        const scale = Math.sqrt(us.sigma[a][a] * us.sigma[b][b]);
        expect(Math.abs(sat.sigma[a][b] - us.sigma[a][b]) / scale).toBeLessThan(1e-4);
      }
    }
  });

  it('per-visit contrasts: estimate and SE (1e-5), Satterthwaite df (1e-3), KR SE (2e-4)', () => {
    us.contrasts.forEach((g, j) => {
      const s = sat.contrasts[j];
      const k = kr.contrasts[j];
      expect(s.visit).toBe(g.visit);
      expect(relativeError(s.estimate, g.estimate)).toBeLessThan(1e-5);
      expect(relativeError(s.se, g.se)).toBeLessThan(1e-5);
      expect(relativeError(s.df, g.df)).toBeLessThan(1e-3);
      expect(relativeError(k.se, g.kr_se)).toBeLessThan(2e-4);
      // One-row contrast: the KR df is the Satterthwaite df from the unadjusted Φ.
      expect(k.df).toBeCloseTo(s.df, 10);
      expect(k.estimate).toBe(s.estimate);
    });
  });

  it('p-values and CIs are consistent with the t distribution', () => {
    for (const c of sat.contrasts) {
      expect(c.lower).toBeLessThan(c.estimate);
      expect(c.upper - c.estimate).toBeCloseTo(c.estimate - c.lower, 10);
      expect(c.p).toBeGreaterThan(0);
      expect(c.p).toBeLessThan(1);
    }
    // M3 is complete (80 subjects), so its df is essentially n − 3.
    expect(sat.contrasts[0].df).toBeCloseTo(77, 6);
  });

  it('emmeans contrasts and LS means by arm and visit (1e-5), baseline at its mean', () => {
    us.emmeans_est.forEach((e, j) => {
      expect(relativeError(sat.contrasts[j].estimate, e)).toBeLessThan(1e-5);
      expect(relativeError(sat.contrasts[j].se, us.emmeans_se[j])).toBeLessThan(1e-5);
    });
    for (const g of us.lsmeans) {
      const l = sat.lsmeans.find((x) => x.arm === g.arm && x.visit === g.visit);
      expect(l).toBeDefined();
      expect(relativeError(l!.estimate, g.emmean)).toBeLessThan(1e-5);
      expect(relativeError(l!.se, g.SE)).toBeLessThan(1e-5);
    }
  });

  it('the MMRM Y5 effect recorded next to the MI analysis', () => {
    const y5 = sat.contrasts.find((c) => c.visit === 'Y5')!;
    expect(relativeError(y5.estimate, golden.mi_y5.mmrm_y5)).toBeLessThan(1e-5);
    expect(relativeError(y5.se, golden.mi_y5.mmrm_y5_se)).toBeLessThan(1e-5);
  });

  it('tests the treatment-by-visit interaction with an F test on 5 numerator df', () => {
    expect(sat.treatmentByVisit).not.toBeNull();
    expect(sat.treatmentByVisit!.numDf).toBe(5);
    expect(sat.treatmentByVisit!.denDf).toBeGreaterThan(50);
    expect(sat.treatmentByVisit!.p).toBeGreaterThan(0.05);
  });

  it('visit order and subsets follow the visits option', () => {
    const r = fitMmrm({ ...input, visits: ['M3', 'M12'] });
    expect(r.visits).toEqual(['M3', 'M12']);
    expect(r.sigma).toHaveLength(2);
    expect(r.contrasts.map((c) => c.visit)).toEqual(['M3', 'M12']);
  });
});

describe('compound symmetry against lme4 + pbkrtest', () => {
  it('expected-information KR (as pbkrtest): estimates 1e-5, KR SE 2e-4, KR df 1e-3', () => {
    const r = fitMmrm(input, { covariance: 'compound-symmetry', df: 'kenward-roger', information: 'expected' });
    expect(r.converged).toBe(true);
    golden.cs_kr.forEach((g, j) => {
      const c = r.contrasts[j];
      expect(relativeError(c.estimate, g.estimate)).toBeLessThan(1e-5);
      expect(relativeError(c.se, g.kr_se)).toBeLessThan(2e-4);
      expect(relativeError(c.df, g.kr_df)).toBeLessThan(1e-3);
    });
  });

  it('observed-information KR (as SAS): within 1% on df', () => {
    const r = fitMmrm(input, { covariance: 'compound-symmetry', df: 'kenward-roger' });
    golden.cs_kr.forEach((g, j) => {
      expect(relativeError(r.contrasts[j].se, g.kr_se)).toBeLessThan(2e-4);
      expect(relativeError(r.contrasts[j].df, g.kr_df)).toBeLessThan(0.01);
    });
  });
});

describe('heterogeneous structures against nlme::gls (−2 REML log-likelihood, 1e-4)', () => {
  // R: gls(chg ~ base*visit + arm*visit, weights = varIdent(~1|visit), correlation = corARMA(p = 5) /
  // corAR1() / corCompSymm()), REML criterion recomputed with mmrm_numref.R's reml_parts().
  const expected = {
    'toeplitz-heterogeneous': 3331.314601,
    'ar1-heterogeneous': 3335.027447,
    'cs-heterogeneous': 3416.283151,
  } as const;
  for (const [structure, m2ll] of Object.entries(expected) as [keyof typeof expected, number][]) {
    it(structure, () => {
      const r = fitMmrm(input, { covariance: structure });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.m2RemlLogLik - m2ll)).toBeLessThan(1e-4);
    });
  }
});

describe('fallback chain', () => {
  it('moves on from unstructured when a covariance is not identifiable', () => {
    // Visits V1 and V3 are never observed together, so UN(3,1) and TOEPH lag 2 are not identified;
    // heterogeneous AR(1) is.
    const data: MmrmObservation[] = simulateTrial({
      subjects: 120,
      seed: 11,
      visits: ['V1', 'V2', 'V3'],
      dropout: false,
    }).filter((o) => {
      const id = Number(o.subject.slice(1));
      return id % 2 === 0 ? o.visit !== 'V3' : o.visit !== 'V1';
    });
    const r = fitMmrm({ observations: data, treatment: 'MSC', control: 'SAL', visits: ['V1', 'V2', 'V3'] });
    expect(r.attempts.map((a) => [a.covariance, a.converged])).toEqual([
      ['unstructured', false],
      ['toeplitz-heterogeneous', false],
      ['ar1-heterogeneous', true],
    ]);
    expect(r.covariance).toBe('ar1-heterogeneous');
    expect(r.converged).toBe(true);
    expect(r.covarianceParameters.map((p) => p.name)).toEqual(['Var(1)', 'Var(2)', 'Var(3)', 'ARH(1)']);
  });

  it('without a fallback, a non-identifiable unstructured fit is reported with undefined df', () => {
    const data = simulateTrial({ subjects: 60, seed: 11, visits: ['V1', 'V2', 'V3'], dropout: false }).filter((o) =>
      Number(o.subject.slice(1)) % 2 === 0 ? o.visit !== 'V3' : o.visit !== 'V1',
    );
    const r = fitMmrm(
      { observations: data, treatment: 'MSC', control: 'SAL', visits: ['V1', 'V2', 'V3'] },
      { fallback: [] },
    );
    expect(r.converged).toBe(false);
    expect(r.diagnostics.hessianPositiveDefinite).toBe(false);
    expect(r.contrasts[0].df).toBeNaN();
    expect(Number.isFinite(r.contrasts[0].estimate)).toBe(true);
  });

  it('an empty fallback list reports the non-converged primary fit', () => {
    const r = fitMmrm(input, { fallback: [], maxIterations: 1 });
    expect(r.converged).toBe(false);
    expect(r.attempts).toHaveLength(1);
    expect(r.diagnostics.message).toMatch(/^not converged: /);
  });
});

describe('input validation', () => {
  const expectInvalid = (run: () => unknown, fragment: string): void => {
    try {
      run();
      expect.unreachable();
    } catch (e) {
      expect(isTrialError(e)).toBe(true);
      expect((e as Error).message).toContain(fragment);
    }
  };

  it('names an absent arm, a visit without data and duplicate visits', () => {
    expectInvalid(() => fitMmrm({ ...input, treatment: 'XYZ' }), "arm 'XYZ'");
    expectInvalid(() => fitMmrm({ ...input, visits: ['M3', 'Y9'] }), "visit 'Y9' has no data");
    const duplicated = [...observations, { ...observations.find((o) => o.response !== null)! }];
    expectInvalid(() => fitMmrm({ ...input, observations: duplicated }), 'more than one observation');
  });

  it('names an arm × visit cell without observations', () => {
    const noControlAtY5 = observations.filter((o) => !(o.arm === 'SAL' && o.visit === 'Y5'));
    expectInvalid(
      () => fitMmrm({ ...input, observations: noControlAtY5 }),
      "no observations for arm 'SAL' at visit 'Y5'",
    );
  });
});

describe('covariates and scale', () => {
  it('adds numeric and categorical covariates as main effects; equal vs proportional LS-mean weights', () => {
    const withCovariates = observations.map((o) => ({
      ...o,
      covariates: {
        site: Number(o.subject.slice(1)) % 3 === 0 ? 'Aarhus' : 'Odense',
        age: 40 + (Number(o.subject.slice(1)) % 17),
      },
    }));
    const r = fitMmrm({ ...input, observations: withCovariates, covariates: ['site', 'age'] });
    expect(r.converged).toBe(true);
    expect(r.coefficients.map((c) => c.name)).toContain('siteOdense');
    expect(r.coefficients.map((c) => c.name)).toContain('age');
    const proportional = fitMmrm(
      { ...input, observations: withCovariates, covariates: ['site', 'age'] },
      { lsmeansWeights: 'proportional' },
    );
    // Contrasts do not depend on the weights; LS means do (unbalanced sites).
    expect(proportional.contrasts[0].estimate).toBeCloseTo(r.contrasts[0].estimate, 10);
    expect(proportional.lsmeans[0].estimate).not.toBeCloseTo(r.lsmeans[0].estimate, 6);
  });

  it('fits 2,000 simulated subjects and recovers the simulated effect', () => {
    const r = fitMmrm({ observations: simulateTrial({ subjects: 2000, seed: 3 }), treatment: 'MSC', control: 'SAL' });
    expect(r.converged).toBe(true);
    // Simulated effect at M3 is 3 with SE ≈ 0.55.
    expect(Math.abs(r.contrasts[0].estimate - 3)).toBeLessThan(2);
  });
});
