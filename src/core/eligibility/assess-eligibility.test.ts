import { describe, expect, it } from 'vitest';
import { assessEligibility, compareCriterionIds, type EligibilityResult } from './assess-eligibility.js';
import { SCREENING_ITEM_IDS, type ScreeningItemId, type ScreeningRecord } from './screening-items.js';

/** A complete record that meets every inclusion and no exclusion (male, so pregnancy is not asked). */
const ELIGIBLE: ScreeningRecord = {
  screening_date: '2024-06-10',
  date_of_birth: '1964-03-15',
  sex: 'male',
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
  pregnant_or_breastfeeding: null,
  cognitive_impairment: false,
  cytostatic_treatment: false,
  last_ia_injection_date: null,
  mri_contraindication: false,
  ligament_reconstruction: false,
  meniscal_resection_over_50pct: false,
  meniscal_operations: 0,
  diabetes: false,
  ap_laxity_mm: 1.0,
  knee_instability: false,
  antibiotic_allergy: false,
  severe_systemic_condition: false,
  inflammatory_arthritis: false,
};

/** Assesses the eligible record with some items changed. */
const assessWith = (changes: ScreeningRecord): EligibilityResult => assessEligibility({ ...ELIGIBLE, ...changes });

/** The record without the given items. */
function without(...items: ScreeningItemId[]): ScreeningRecord {
  const record: ScreeningRecord = { ...ELIGIBLE };
  for (const item of items) delete record[item];
  return record;
}

/** Short form of a result for table-like assertions. */
const verdict = (r: EligibilityResult) => ({ eligible: r.eligible, unmet: r.unmet, excluded: r.excluded });
const statusOf = (r: EligibilityResult, id: string) => r.criteria.find((c) => c.id === id)?.status;

describe('assessEligibility: the reference record', () => {
  it('is eligible with nothing unmet, excluded or missing', () => {
    const r = assessEligibility(ELIGIBLE);
    expect(verdict(r)).toEqual({ eligible: true, unmet: [], excluded: [] });
    expect(r.missing).toEqual([]);
    expect(r.derived).toEqual({ age: 60, bmi: 25 });
    expect(r.criteria.map((c) => c.id)).toEqual([
      'IC1',
      'IC2',
      'IC3',
      'IC4',
      'IC5',
      'IC6',
      'IC7',
      'IC8',
      'EC1',
      'EC2',
      'EC3',
      'EC4',
      'EC5',
      'EC6',
      'EC7',
      'EC8',
      'EC9',
      'EC10',
      'EC11',
      'EC12',
      'EC13',
      'EC14',
    ]);
    expect(r.criteria.every((c) => c.status === 'pass')).toBe(true);
  });
});

describe('IC1 age 40–75 in completed years at screening', () => {
  // Screening on 2024-06-10.
  it.each([
    ['1984-06-11', 39, false], // the day before the 40th birthday
    ['1984-06-10', 40, true], // the 40th birthday itself
    ['1949-06-10', 75, true], // the 75th birthday
    ['1948-06-11', 75, true], // the day before the 76th birthday
    ['1948-06-10', 76, false], // the 76th birthday itself
  ])('born %s → age %i → passes: %s', (dob, age, passes) => {
    const r = assessWith({ date_of_birth: dob });
    expect(r.derived.age).toBe(age);
    expect(statusOf(r, 'IC1')).toBe(passes ? 'pass' : 'fail');
    expect(r.eligible).toBe(passes);
  });

  it('handles a birthday on 29 February', () => {
    // 40th birthday of someone born 1984-02-29 is 2024-02-29.
    expect(assessWith({ date_of_birth: '1984-02-29', screening_date: '2024-02-28' }).unmet).toEqual(['IC1']);
    expect(assessWith({ date_of_birth: '1984-02-29', screening_date: '2024-02-29' }).derived.age).toBe(40);
    expect(assessWith({ date_of_birth: '1984-02-29', screening_date: '2024-02-29' }).eligible).toBe(true);
    // 76th birthday of someone born 1948-02-29 is 2024-02-29.
    expect(assessWith({ date_of_birth: '1948-02-29', screening_date: '2024-02-28' }).derived.age).toBe(75);
    expect(assessWith({ date_of_birth: '1948-02-29', screening_date: '2024-02-28' }).eligible).toBe(true);
    expect(assessWith({ date_of_birth: '1948-02-29', screening_date: '2024-02-29' }).unmet).toEqual(['IC1']);
    // In a common year the leap-day birthday is reached on 1 March.
    expect(assessWith({ date_of_birth: '1948-02-29', screening_date: '2023-02-28' }).derived.age).toBe(74);
    expect(assessWith({ date_of_birth: '1948-02-29', screening_date: '2023-03-01' }).derived.age).toBe(75);
  });

  it('is undecided without a date of birth or a screening date', () => {
    const r = assessEligibility(without('date_of_birth'));
    expect(statusOf(r, 'IC1')).toBe('undecided');
    expect(r.derived.age).toBeNull();
    expect(r.eligible).toBeNull();
    expect(r.missing).toEqual(['date_of_birth']);
  });
});

describe('IC2 knee pain ≥ 6 months and NRS worst ≥ 4', () => {
  it.each([
    [5, 6, false],
    [6, 6, true],
    [12, 3, false],
    [12, 4, true],
  ])('knee_pain_months %i, nrs_worst %i → passes: %s', (months, nrs, passes) => {
    expect(verdict(assessWith({ knee_pain_months: months, nrs_worst: nrs }))).toEqual({
      eligible: passes,
      unmet: passes ? [] : ['IC2'],
      excluded: [],
    });
  });

  it('fails on knee_pain_months = 3 with nrs_worst unknown', () => {
    const r = assessEligibility({ ...without('nrs_worst'), knee_pain_months: 3 });
    expect(verdict(r)).toEqual({ eligible: false, unmet: ['IC2'], excluded: [] });
    expect(r.missing).toEqual(['nrs_worst']);
    expect(r.criteria.find((c) => c.id === 'IC2')?.decidedBy).toEqual(['knee_pain_months']);
  });

  it('stays undecided on knee_pain_months = 6 with nrs_worst unknown', () => {
    const r = assessEligibility(without('nrs_worst'));
    expect(r.eligible).toBeNull();
    expect(r.criteria.find((c) => c.id === 'IC2')).toMatchObject({ status: 'undecided', awaiting: ['nrs_worst'] });
  });
});

describe('IC3 KL 2–3 with JSW 1.0–3.0 mm, EC1 KL 4', () => {
  it.each([
    [0, ['IC3'], []],
    [1, ['IC3'], []],
    [2, [], []],
    [3, [], []],
    [4, ['IC3'], ['EC1']],
  ])('kl_grade %i → unmet %j, excluded %j', (kl, unmet, excluded) => {
    const r = assessWith({ kl_grade: kl });
    expect(r.unmet).toEqual(unmet);
    expect(r.excluded).toEqual(excluded);
  });

  it.each([
    [0.9, false],
    [1.0, true],
    [3.0, true],
    [3.1, false],
  ])('jsw_mm %d → passes: %s', (jsw, passes) => {
    expect(assessWith({ jsw_mm: jsw }).unmet).toEqual(passes ? [] : ['IC3']);
  });
});

describe('IC4 alignment ≤ 5.0°', () => {
  it('passes at 5.0 and fails at 5.1', () => {
    expect(assessWith({ alignment_deg: 5.0 }).eligible).toBe(true);
    expect(assessWith({ alignment_deg: 5.1 }).unmet).toEqual(['IC4']);
  });
});

describe('IC5 OA compartment', () => {
  it.each([
    ['medial', true],
    ['lateral', true],
    ['dual', true],
    ['none', false],
  ] as const)('%s → passes: %s', (compartment, passes) => {
    expect(assessWith({ oa_compartment: compartment }).unmet).toEqual(passes ? [] : ['IC5']);
  });
});

describe('IC6 BMI < 35.0 and EC7 BMI > 35.0', () => {
  it('just under 35: included, not excluded', () => {
    const r = assessWith({ height_cm: 200, weight_kg: 139.99 });
    expect(r.derived.bmi).toBeCloseTo(34.9975, 10);
    expect(verdict(r)).toEqual({ eligible: true, unmet: [], excluded: [] });
  });
  it('exactly 35.0 fails IC6 but does not trigger EC7', () => {
    const r = assessWith({ height_cm: 200, weight_kg: 140 });
    expect(r.derived.bmi).toBe(35);
    expect(verdict(r)).toEqual({ eligible: false, unmet: ['IC6'], excluded: [] });
  });
  it('exactly 35.0 in decimals but not in binary floating point is still exactly 35.0', () => {
    const r = assessWith({ height_cm: 168, weight_kg: 98.784 });
    expect(verdict(r)).toEqual({ eligible: false, unmet: ['IC6'], excluded: [] });
  });
  it('just over 35: fails IC6 and triggers EC7', () => {
    const r = assessWith({ height_cm: 200, weight_kg: 140.01 });
    expect(verdict(r)).toEqual({ eligible: false, unmet: ['IC6'], excluded: ['EC7'] });
  });
  it('keeps BMI unrounded', () => {
    expect(assessWith({ height_cm: 175, weight_kg: 70 }).derived.bmi).toBe((70 * 10000) / (175 * 175));
  });
  it('EC7 triggers on an MRI contraindication whatever the BMI, even with height unknown', () => {
    const r = assessEligibility({ ...without('height_cm'), mri_contraindication: true });
    expect(verdict(r)).toEqual({ eligible: false, unmet: [], excluded: ['EC7'] });
    expect(statusOf(r, 'IC6')).toBe('undecided');
    expect(r.derived.bmi).toBeNull();
  });
});

describe('IC7, IC8 and the yes/no exclusions', () => {
  it.each([
    ['danish_speaker', 'IC7'],
    ['legally_competent', 'IC8'],
  ] as const)('%s = no fails %s', (item, id) => {
    expect(verdict(assessWith({ [item]: false }))).toEqual({ eligible: false, unmet: [id], excluded: [] });
  });

  it.each([
    ['ia_tumor_infection_fracture', 'EC2'],
    ['cognitive_impairment', 'EC4'],
    ['cytostatic_treatment', 'EC5'],
    ['mri_contraindication', 'EC7'],
    ['ligament_reconstruction', 'EC8'],
    ['meniscal_resection_over_50pct', 'EC9'],
    ['diabetes', 'EC10'],
    ['knee_instability', 'EC11'],
    ['antibiotic_allergy', 'EC12'],
    ['severe_systemic_condition', 'EC13'],
    ['inflammatory_arthritis', 'EC14'],
  ] as const)('%s = yes triggers %s', (item, id) => {
    expect(verdict(assessWith({ [item]: true }))).toEqual({ eligible: false, unmet: [], excluded: [id] });
  });
});

describe('EC3 pregnancy (females only)', () => {
  it('excludes a pregnant or breastfeeding female', () => {
    expect(assessWith({ sex: 'female', pregnant_or_breastfeeding: true }).excluded).toEqual(['EC3']);
    expect(assessWith({ sex: 'female', pregnant_or_breastfeeding: false }).eligible).toBe(true);
  });
  it('asks females only: missing for a female, not for a male', () => {
    const female = assessWith({ sex: 'female', pregnant_or_breastfeeding: null });
    expect(female.eligible).toBeNull();
    expect(female.missing).toEqual(['pregnant_or_breastfeeding']);
    expect(statusOf(female, 'EC3')).toBe('undecided');
    const male = assessWith({ sex: 'male', pregnant_or_breastfeeding: null });
    expect(male.eligible).toBe(true);
    expect(male.missing).toEqual([]);
  });
  it('ignores the answer for a male', () => {
    expect(assessWith({ sex: 'male', pregnant_or_breastfeeding: true }).eligible).toBe(true);
  });
  it('with sex unknown: not asked for pregnancy, EC3 decided only by a "no", result undecided', () => {
    const unknownSex = assessEligibility(without('sex'));
    expect(unknownSex.missing).toEqual(['sex']);
    expect(statusOf(unknownSex, 'EC3')).toBe('undecided');
    const saidNo = assessEligibility({ ...without('sex'), pregnant_or_breastfeeding: false });
    expect(statusOf(saidNo, 'EC3')).toBe('pass');
    // A required item without a value keeps the whole result undecided.
    expect(saidNo.eligible).toBeNull();
    expect(saidNo.missing).toEqual(['sex']);
  });
});

describe('EC6 intra-articular injection within 3 calendar months', () => {
  it.each([
    // screening, last injection, excluded
    ['2024-06-15', '2024-03-15', false], // exactly 3 months before
    ['2024-06-15', '2024-03-16', true], // one day later
    ['2024-06-15', '2023-01-01', false],
    ['2024-06-15', '2024-06-15', true], // on the screening day
    ['2024-06-15', '2024-07-01', true], // after the screening date
    // 31 May minus 3 months clamps to the end of February.
    ['2023-05-31', '2023-02-28', false],
    ['2023-05-31', '2023-03-01', true],
    ['2024-05-31', '2024-02-28', false], // leap year: the limit is 29 February
    ['2024-05-31', '2024-02-29', false],
    ['2024-05-31', '2024-03-01', true],
    // Across the turn of the year.
    ['2024-01-31', '2023-10-31', false],
    ['2024-01-31', '2023-11-01', true],
  ])('screening %s, last injection %s → excluded: %s', (screening, injection, excluded) => {
    const r = assessWith({ screening_date: screening, last_ia_injection_date: injection, date_of_birth: '1964-03-15' });
    expect(r.excluded).toEqual(excluded ? ['EC6'] : []);
  });

  it('no injection date means never: not excluded, not missing, decided even without a screening date', () => {
    const r = assessEligibility(without('last_ia_injection_date', 'screening_date'));
    expect(statusOf(r, 'EC6')).toBe('pass');
    expect(r.missing).toEqual(['screening_date']);
  });

  it('is undecided with an injection date but no screening date', () => {
    const r = assessEligibility({ ...without('screening_date'), last_ia_injection_date: '2024-01-01' });
    expect(r.criteria.find((c) => c.id === 'EC6')).toMatchObject({ status: 'undecided', awaiting: ['screening_date'] });
  });
});

describe('EC9 meniscal surgery', () => {
  it('meniscal_operations 1 is allowed, 2 excludes', () => {
    expect(assessWith({ meniscal_operations: 1 }).eligible).toBe(true);
    expect(assessWith({ meniscal_operations: 2 }).excluded).toEqual(['EC9']);
  });
  it('meniscal_operations = 2 triggers EC9 whatever meniscal_resection_over_50pct says', () => {
    const r = assessEligibility({ ...without('meniscal_resection_over_50pct'), meniscal_operations: 2 });
    expect(verdict(r)).toEqual({ eligible: false, unmet: [], excluded: ['EC9'] });
    expect(r.missing).toEqual(['meniscal_resection_over_50pct']);
    expect(r.criteria.find((c) => c.id === 'EC9')?.decidedBy).toEqual(['meniscal_operations']);
  });
  it('meniscal_operations = 1 with the resection unknown is undecided', () => {
    const r = assessEligibility({ ...without('meniscal_resection_over_50pct'), meniscal_operations: 1 });
    expect(r.eligible).toBeNull();
    expect(statusOf(r, 'EC9')).toBe('undecided');
  });
});

describe('EC11 instability or AP laxity ≥ 3.0 mm', () => {
  it('2.9 mm is allowed, 3.0 mm excludes', () => {
    expect(assessWith({ ap_laxity_mm: 2.9 }).eligible).toBe(true);
    expect(assessWith({ ap_laxity_mm: 3.0 }).excluded).toEqual(['EC11']);
  });
  it('laxity ≥ 3.0 decides without the instability answer', () => {
    expect(assessEligibility({ ...without('knee_instability'), ap_laxity_mm: 3.0 }).excluded).toEqual(['EC11']);
  });
});

describe('result lists', () => {
  it('lists unmet and excluded in numeric order (EC2 before EC10)', () => {
    const r = assessWith({
      legally_competent: false,
      danish_speaker: false,
      kl_grade: 4,
      inflammatory_arthritis: true,
      diabetes: true,
      ia_tumor_infection_fracture: true,
      knee_pain_months: 1,
    });
    expect(r.unmet).toEqual(['IC2', 'IC3', 'IC7', 'IC8']);
    expect(r.excluded).toEqual(['EC1', 'EC2', 'EC10', 'EC14']);
    expect(['EC10', 'IC2', 'EC2', 'IC10', 'IC1'].sort(compareCriterionIds)).toEqual([
      'IC1',
      'IC2',
      'IC10',
      'EC2',
      'EC10',
    ]);
  });

  it('lists missing items in the table order, without last injection and, for a male, pregnancy', () => {
    const empty = assessEligibility({});
    expect(empty.eligible).toBeNull();
    expect(empty.missing).toEqual(
      SCREENING_ITEM_IDS.filter((id) => id !== 'last_ia_injection_date' && id !== 'pregnant_or_breastfeeding'),
    );
    expect(assessEligibility({ sex: 'female' }).missing).toContain('pregnant_or_breastfeeding');
    expect(assessEligibility({ sex: 'male' }).missing).not.toContain('pregnant_or_breastfeeding');
    const female = assessEligibility({ sex: 'female' }).missing;
    expect(female.indexOf('pregnant_or_breastfeeding')).toBe(female.indexOf('ia_tumor_infection_fracture') + 1);
  });

  it('is false even with other inputs missing once one criterion fails', () => {
    const r = assessEligibility({ kl_grade: 4 });
    expect(verdict(r)).toEqual({ eligible: false, unmet: ['IC3'], excluded: ['EC1'] });
  });

  it('reports per-criterion inputs with their values', () => {
    const ic2 = assessEligibility({ knee_pain_months: 3 }).criteria.find((c) => c.id === 'IC2');
    expect(ic2).toMatchObject({
      kind: 'inclusion',
      status: 'fail',
      inputs: [
        { item: 'knee_pain_months', value: 3 },
        { item: 'nrs_worst', value: null },
      ],
    });
    const ic6 = assessWith({ height_cm: 200, weight_kg: 140 }).criteria.find((c) => c.id === 'IC6');
    expect(ic6?.derived).toEqual({ bmi: 35 });
  });
});
