/** `stemjoint eligibility check` in a real child process: exit codes, JSON contract, explanation, input errors. */
import { describe, expect, it } from 'vitest';
import { runStemjoint } from '../../../test/support/cli.js';

const ELIGIBLE = {
  screening_date: '2024-05-31',
  date_of_birth: '1964-03-15',
  sex: 'female',
  knee_pain_months: 12,
  nrs_worst: 6,
  kl_grade: 2,
  jsw_mm: 2.0,
  alignment_deg: 3.0,
  oa_compartment: 'medial',
  height_cm: 180,
  weight_kg: 81,
  danish_speaker: true,
  legally_competent: true,
  ia_tumor_infection_fracture: false,
  pregnant_or_breastfeeding: false,
  cognitive_impairment: false,
  cytostatic_treatment: false,
  last_ia_injection_date: '2024-02-29',
  mri_contraindication: false,
  ligament_reconstruction: false,
  meniscal_resection_over_50pct: false,
  meniscal_operations: 1,
  diabetes: false,
  ap_laxity_mm: 2.9,
  knee_instability: false,
  antibiotic_allergy: false,
  severe_systemic_condition: false,
  inflammatory_arthritis: false,
};

const check = (record: unknown, json = true) =>
  runStemjoint(['eligibility', 'check', ...(json ? ['--json'] : [])], {
    input: typeof record === 'string' ? record : JSON.stringify(record),
  });

describe('stemjoint eligibility check', () => {
  it('exit 0 and the JSON contract for an eligible record', async () => {
    const r = await check(ELIGIBLE);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      eligible: true,
      unmet: [],
      excluded: [],
      missing: [],
      derived: { age: 60, bmi: 25 },
    });
  });

  it('exit 1 when not eligible, even with inputs missing', async () => {
    const { nrs_worst: _omit, meniscal_resection_over_50pct: _omit2, ...rest } = ELIGIBLE;
    const r = await check({
      ...rest,
      knee_pain_months: 3,
      meniscal_operations: 2,
      last_ia_injection_date: '2024-03-01',
    });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      eligible: false,
      unmet: ['IC2'],
      excluded: ['EC6', 'EC9'],
      missing: ['nrs_worst', 'meniscal_resection_over_50pct'],
      derived: { age: 60, bmi: 25 },
    });
    expect(r.stderr).toBe('');
  });

  it('exit 2 when undecided; age and bmi null when not derivable', async () => {
    const r = await check({ sex: 'male', knee_pain_months: 8 });
    expect(r.code, r.stderr).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.eligible).toBeNull();
    expect(out.derived).toEqual({ age: null, bmi: null });
    expect(out.missing[0]).toBe('screening_date');
    expect(out.missing).not.toContain('pregnant_or_breastfeeding');
  });

  it('exit 3 with every offending item on its own stderr line', async () => {
    const r = await check({ ...ELIGIBLE, screening_date: '2023-02-30', nrs_worst: 11, sex: 'f', weight: 80 });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^screening_date: /);
    expect(lines[1]).toMatch(/^sex: /);
    expect(lines[2]).toMatch(/^nrs_worst: /);
    expect(lines[3]).toMatch(/^weight: unknown item/);
  });

  it('exit 3 on input that is not JSON or not an object', async () => {
    expect((await check('{ not json')).code).toBe(3);
    const r = await check([1, 2]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/record/);
  });

  it('derives the date of birth from a CPR number', async () => {
    const { date_of_birth: _dob, ...rest } = ELIGIBLE;
    const r = await check({ ...rest, cpr: '150364-3002' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).derived.age).toBe(60);
  });

  it('explains every criterion to the investigator without --json', async () => {
    const r = await check({ ...ELIGIBLE, meniscal_operations: 2, height_cm: 200, weight_kg: 140 }, false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Eligibility: NOT ELIGIBLE/);
    for (const id of ['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6', 'IC7', 'IC8']) {
      expect(r.stdout).toMatch(new RegExp(`\\b${id} +(pass|FAIL|undecided)`));
    }
    for (let n = 1; n <= 14; n++) expect(r.stdout).toMatch(new RegExp(`\\bEC${n} +(pass|FAIL|undecided)`));
    expect(r.stdout).toMatch(/IC6 +FAIL +BMI < 35\.0 kg\/m² — BMI 35\.00 kg\/m² \(height_cm = 200, weight_kg = 140\)/);
    expect(r.stdout).toMatch(/EC9 +FAIL \(excludes\) +Meniscal .* — meniscal_operations = 2/);
    expect(r.stdout).toMatch(/EC6 +pass +.* — last_ia_injection_date = 2024-02-29; screening_date = 2024-05-31/);
  });
});
