import { describe, expect, it } from 'vitest';
import { isTrialError } from '../core/errors.js';
import { loadGolden, readGoldenCsv, relativeError } from '../../test/fixtures/golden/golden-fixtures.js';
import { ancova } from './ancova.js';
import type { SubjectRecord } from './subject-design.js';

const golden = loadGolden().ancova_m12;
const rowsAtM12 = readGoldenCsv('stemjoint_sim.csv').filter((r) => r.visit === 'M12');
const records = (response: 'chg' | 'koos'): SubjectRecord[] =>
  rowsAtM12.map((r) => ({
    arm: r.arm,
    response: r[response] === 'NA' ? null : Number(r[response]),
    baseline: Number(r.base),
  }));

describe('ANCOVA at M12 against R lm (relative 1e-9)', () => {
  it('reproduces estimate, SE, df, t, p and CI on the 76 complete cases', () => {
    const r = ancova({ records: records('chg'), treatment: 'MSC', control: 'SAL' });
    expect(r.n).toBe(golden.n);
    expect(r.df).toBe(golden.df);
    expect(relativeError(r.estimate, golden.estimate)).toBeLessThan(1e-9);
    expect(relativeError(r.se, golden.se)).toBeLessThan(1e-9);
    expect(relativeError(r.t, golden.t)).toBeLessThan(1e-9);
    expect(relativeError(r.p, golden.p)).toBeLessThan(1e-9);
    expect(relativeError(r.lower, golden.ci[0])).toBeLessThan(1e-9);
    expect(relativeError(r.upper, golden.ci[1])).toBeLessThan(1e-9);
  });

  it('gives the same treatment effect for the follow-up value as for the change (only the baseline slope moves)', () => {
    const change = ancova({ records: records('chg'), treatment: 'MSC', control: 'SAL' });
    const followUp = ancova({ records: records('koos'), treatment: 'MSC', control: 'SAL' });
    expect(followUp.estimate).toBeCloseTo(change.estimate, 10);
    expect(followUp.se).toBeCloseTo(change.se, 10);
  });

  it('adjusts for a categorical covariate and reports an absent arm as a validation error', () => {
    const withSite = records('chg').map((r, i) => ({ ...r, covariates: { site: i % 3 === 0 ? 'A' : 'B' } }));
    const adjusted = ancova({ records: withSite, treatment: 'MSC', control: 'SAL', covariates: ['site'] });
    expect(adjusted.df).toBe(golden.df - 1);
    try {
      ancova({ records: records('chg'), treatment: 'MSC', control: 'PLACEBO' });
      expect.unreachable();
    } catch (e) {
      expect(isTrialError(e)).toBe(true);
      expect((e as Error).message).toContain("arm 'PLACEBO'");
    }
  });
});
