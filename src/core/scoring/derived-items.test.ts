import { describe, expect, it } from 'vitest';
import { compareBmi, computeBmi } from './compute-bmi.js';
import { computeAge } from './compute-age.js';
import { computeChangeFromBaseline } from './compute-change-from-baseline.js';
import { deriveDeNovoDsa, type HlaAntibodyResult } from './derive-de-novo-dsa.js';
import { deriveEffusion } from './derive-effusion.js';

describe('computeBmi', () => {
  it('is kg / m², unrounded', () => {
    expect(computeBmi(200, 140)).toBe(35);
    expect(computeBmi(180, 81)).toBe(25);
    expect(computeBmi(175, 70)).toBeCloseTo(22.857142857, 9);
  });
  it('is null without two positive numbers', () => {
    expect(computeBmi(null, 70)).toBeNull();
    expect(computeBmi(175, undefined)).toBeNull();
    expect(computeBmi(0, 70)).toBeNull();
    expect(computeBmi(175, Number.NaN)).toBeNull();
  });
  it('compares with a cut-off without floating-point noise deciding', () => {
    // 98.784 kg at 168 cm is exactly 35.0 in decimal but 35.00000000000001 in doubles.
    const bmi = computeBmi(168, 98.784)!;
    expect(bmi).not.toBe(35);
    expect(compareBmi(bmi, 35)).toBe(0);
    expect(compareBmi(34.99, 35)).toBe(-1);
    expect(compareBmi(35.000001, 35)).toBe(1);
  });
});

describe('computeAge', () => {
  it('counts completed years', () => {
    expect(computeAge('1984-06-10', '2024-06-10')).toBe(40);
    expect(computeAge('1984-06-10', '2024-06-09')).toBe(39);
    expect(computeAge('1984-02-29', '2025-02-28')).toBe(40);
    expect(computeAge('1984-02-29', '2025-03-01')).toBe(41);
  });
  it('is null for a missing or impossible date', () => {
    expect(computeAge(null, '2024-01-01')).toBeNull();
    expect(computeAge('1984-02-30', '2024-01-01')).toBeNull();
  });
});

describe('deriveEffusion', () => {
  it('is yes when the stroke test is at least trace or the tap is positive', () => {
    expect(deriveEffusion({ strokeTest: 'trace', patellarTapPositive: false })).toBe(true);
    expect(deriveEffusion({ strokeTest: '3+' })).toBe(true);
    expect(deriveEffusion({ strokeTest: '0', patellarTapPositive: true })).toBe(true);
    expect(deriveEffusion({ patellarTapPositive: true })).toBe(true);
  });
  it('is no only when both tests are negative, unknown otherwise', () => {
    expect(deriveEffusion({ strokeTest: '0', patellarTapPositive: false })).toBe(false);
    expect(deriveEffusion({ strokeTest: '0' })).toBeNull();
    expect(deriveEffusion({ patellarTapPositive: false, strokeTest: null })).toBeNull();
    expect(deriveEffusion({})).toBeNull();
  });
});

describe('computeChangeFromBaseline', () => {
  it('is value − baseline, null when either is missing', () => {
    expect(computeChangeFromBaseline(62.5, 40)).toBe(22.5);
    expect(computeChangeFromBaseline(3, 7)).toBe(-4);
    expect(computeChangeFromBaseline(null, 7)).toBeNull();
    expect(computeChangeFromBaseline(3, undefined)).toBeNull();
  });
});

describe('deriveDeNovoDsa', () => {
  const r = (beadSpecificity: string, positive: boolean, isDonorSpecific = true): HlaAntibodyResult => ({
    beadSpecificity,
    positive,
    isDonorSpecific,
  });
  it('is true for a donor-specific antibody positive at M3 and negative at baseline', () => {
    expect(deriveDeNovoDsa([r('A*02:01', false)], [r('A*02:01', true)])).toBe(true);
  });
  it('is false when the antibody was already there at baseline (pre-formed)', () => {
    expect(deriveDeNovoDsa([r('A*02:01', true)], [r('A*02:01', true)])).toBe(false);
  });
  it('is false when M3 has no positive donor-specific antibody', () => {
    expect(deriveDeNovoDsa([r('A*02:01', false)], [r('A*02:01', false), r('B*07:02', true, false)])).toBe(false);
    expect(deriveDeNovoDsa(null, [r('B*07:02', true, false)])).toBe(false);
  });
  it('is unknown when a sample is missing or the specificity was not tested at baseline', () => {
    expect(deriveDeNovoDsa([r('A*02:01', false)], null)).toBeNull();
    expect(deriveDeNovoDsa(null, [r('A*02:01', true)])).toBeNull();
    expect(deriveDeNovoDsa([r('A*01:01', false)], [r('A*02:01', true)])).toBeNull();
  });
  it('one de novo specificity decides even when another is undecided', () => {
    expect(deriveDeNovoDsa([r('DQ7', false)], [r('A*02:01', true), r('DQ7', true)])).toBe(true);
  });
});
