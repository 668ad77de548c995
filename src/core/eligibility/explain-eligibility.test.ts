import { describe, expect, it } from 'vitest';
import { assessEligibility } from './assess-eligibility.js';
import { explainEligibility, formatBmi } from './explain-eligibility.js';

describe('explainEligibility', () => {
  const record = {
    screening_date: '2024-05-31',
    date_of_birth: '1964-03-15',
    sex: 'male',
    knee_pain_months: 3,
    kl_grade: 3,
    jsw_mm: 2,
    height_cm: 200,
    weight_kg: 140,
    meniscal_operations: 2,
    mri_contraindication: false,
  } as const;
  const lines = explainEligibility(assessEligibility(record));
  const line = (id: string): string => lines.find((l) => l.trimStart().startsWith(`${id} `)) ?? '';

  it('states the verdict and the failed criteria', () => {
    expect(lines[0]).toBe('Eligibility: NOT ELIGIBLE');
    expect(lines).toContain('  Inclusion criteria not met: IC2, IC6');
    expect(lines).toContain('  Exclusion criteria present: EC9');
    expect(lines).toContain('  Derived: age 60 years, BMI 35.00 kg/m²');
  });

  it('names each criterion with its status and the deciding input', () => {
    expect(line('IC1')).toMatch(
      /IC1 +pass +Age 40–75 years at screening — age 60 years \(date_of_birth = 1964-03-15, screening_date = 2024-05-31\)/,
    );
    expect(line('IC2')).toMatch(/IC2 +FAIL +Chronic knee pain .* — knee_pain_months = 3$/);
    expect(line('IC4')).toMatch(/IC4 +undecided +.* — waiting for alignment_deg$/);
    expect(line('IC6')).toMatch(
      /IC6 +FAIL +BMI < 35\.0 kg\/m² — BMI 35\.00 kg\/m² \(height_cm = 200, weight_kg = 140\)$/,
    );
    expect(line('EC6')).toMatch(/EC6 +pass +.* — last_ia_injection_date = none \(never\)$/);
    expect(line('EC7')).toMatch(/EC7 +pass +.*BMI 35\.00 kg\/m² .*; mri_contraindication = no$/);
    expect(line('EC9')).toMatch(/EC9 +FAIL \(excludes\) +.* — meniscal_operations = 2$/);
    expect(line('EC11')).toMatch(/waiting for knee_instability, ap_laxity_mm$/);
    expect(lines.at(-1)).toMatch(/^Missing items: nrs_worst, alignment_deg, /);
  });

  it('says ELIGIBLE / UNDECIDED', () => {
    expect(explainEligibility(assessEligibility({}))[0]).toBe('Eligibility: UNDECIDED (more information needed)');
  });

  it('never rounds a BMI onto the cut-off', () => {
    expect(formatBmi(35)).toBe('35.00');
    expect(formatBmi(35.004)).toBe('35.004');
    expect(formatBmi(27.7777)).toBe('27.78');
  });
});
