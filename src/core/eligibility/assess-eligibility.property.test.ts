import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subtractCalendarMonths } from '../schedule/plain-date.js';
import { assessEligibility } from './assess-eligibility.js';
import { SCREENING_ITEM_IDS, type ScreeningRecord, type ScreeningValues } from './screening-items.js';

// Values concentrated on the rule boundaries of spec §3, so that random records hit them often.
const screeningDate = fc.constantFrom('2024-06-10', '2023-05-31', '2024-05-31', '2024-02-29', '2025-03-01');
const dateOfBirth = fc.constantFrom(
  '1984-06-10',
  '1984-06-11',
  '1949-06-10',
  '1948-06-10',
  '1948-06-11',
  '1964-03-15',
  '1984-02-29',
  '1948-02-29',
  '1990-01-01',
);
const lastInjection = fc.constantFrom(
  '2024-03-10',
  '2024-03-11',
  '2023-02-28',
  '2023-03-01',
  '2024-02-29',
  '2024-03-01',
  '2024-12-01',
  '2019-01-01',
);
const bool = fc.boolean();
const valueArbitraries = {
  screening_date: screeningDate,
  date_of_birth: dateOfBirth,
  sex: fc.constantFrom('female', 'male'),
  knee_pain_months: fc.constantFrom(0, 5, 6, 7, 24),
  nrs_worst: fc.integer({ min: 0, max: 10 }),
  kl_grade: fc.integer({ min: 0, max: 4 }),
  jsw_mm: fc.constantFrom(0, 0.9, 1.0, 2.0, 3.0, 3.1),
  alignment_deg: fc.constantFrom(0, 2.5, 5.0, 5.1, 12),
  oa_compartment: fc.constantFrom('medial', 'lateral', 'dual', 'none'),
  height_cm: fc.constantFrom(168, 180, 200),
  weight_kg: fc.constantFrom(60, 81, 98.784, 139.99, 140, 140.01),
  danish_speaker: bool,
  legally_competent: bool,
  ia_tumor_infection_fracture: bool,
  pregnant_or_breastfeeding: bool,
  cognitive_impairment: bool,
  cytostatic_treatment: bool,
  last_ia_injection_date: lastInjection,
  mri_contraindication: bool,
  ligament_reconstruction: bool,
  meniscal_resection_over_50pct: bool,
  meniscal_operations: fc.constantFrom(0, 1, 2, 3),
  diabetes: bool,
  ap_laxity_mm: fc.constantFrom(0, 2.9, 3.0, 3.1),
  knee_instability: bool,
  antibiotic_allergy: bool,
  severe_systemic_condition: bool,
  inflammatory_arthritis: bool,
} satisfies { [K in keyof ScreeningValues]: fc.Arbitrary<ScreeningValues[K]> };

/** A complete record (every key present; injection date possibly null = never). */
const completeRecord: fc.Arbitrary<ScreeningRecord> = fc.record({
  ...valueArbitraries,
  last_ia_injection_date: fc.option(lastInjection, { nil: null }),
}) as fc.Arbitrary<ScreeningRecord>;

/** A complete record that is eligible. */
const ELIGIBLE: ScreeningRecord = {
  screening_date: '2024-06-10',
  date_of_birth: '1964-03-15',
  sex: 'female',
  knee_pain_months: 12,
  nrs_worst: 6,
  kl_grade: 3,
  jsw_mm: 2.0,
  alignment_deg: 3.0,
  oa_compartment: 'lateral',
  height_cm: 180,
  weight_kg: 81,
  danish_speaker: true,
  legally_competent: true,
  ia_tumor_infection_fracture: false,
  pregnant_or_breastfeeding: false,
  cognitive_impairment: false,
  cytostatic_treatment: false,
  last_ia_injection_date: null,
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

/** Removes (or nulls) a random subset of keys. */
function thinOut(record: ScreeningRecord): fc.Arbitrary<ScreeningRecord> {
  return fc.subarray([...SCREENING_ITEM_IDS]).chain((drop) =>
    fc.boolean().map((useNull) => {
      const copy: ScreeningRecord = { ...record };
      for (const id of drop) {
        if (useNull) copy[id] = null;
        else delete copy[id];
      }
      return copy;
    }),
  );
}

/** Near-eligible records: the eligible one with a few items changed and a few removed. */
const nearEligible: fc.Arbitrary<ScreeningRecord> = fc
  .tuple(
    completeRecord,
    fc.subarray([...SCREENING_ITEM_IDS], { maxLength: 2 }),
    fc.subarray([...SCREENING_ITEM_IDS], { maxLength: 2 }),
  )
  .map(([other, change, remove]) => {
    const r: ScreeningRecord = { ...ELIGIBLE };
    for (const id of change) (r as Record<string, unknown>)[id] = other[id];
    for (const id of remove) delete r[id];
    return r;
  });

/** Any screening record: random partial, near-eligible, or complete. */
const anyRecord = fc.oneof(completeRecord.chain(thinOut), nearEligible, completeRecord);

/** An independent two-valued reading of spec §3 for complete records. */
function oracle(r: Required<ScreeningRecord>): { unmet: string[]; excluded: string[] } {
  const [by, bm, bd] = r.date_of_birth!.split('-').map(Number) as [number, number, number];
  const [sy, sm, sd] = r.screening_date!.split('-').map(Number) as [number, number, number];
  // Completed years; a 29 February birthday counts from 1 March in common years.
  const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const [bmEff, bdEff] = bm === 2 && bd === 29 && !leap(sy) ? [3, 1] : [bm, bd];
  const age = sy - by - (sm < bmEff || (sm === bmEff && sd < bdEff) ? 1 : 0);
  const bmi = r.weight_kg! / (r.height_cm! / 100) ** 2;
  const bmiBelow = bmi < 35 - 1e-9;
  const bmiAbove = bmi > 35 + 1e-9;
  const unmet: string[] = [];
  if (!(age >= 40 && age <= 75)) unmet.push('IC1');
  if (!(r.knee_pain_months! >= 6 && r.nrs_worst! >= 4)) unmet.push('IC2');
  if (!([2, 3].includes(r.kl_grade!) && r.jsw_mm! >= 1 && r.jsw_mm! <= 3)) unmet.push('IC3');
  if (!(r.alignment_deg! <= 5)) unmet.push('IC4');
  if (r.oa_compartment === 'none') unmet.push('IC5');
  if (!bmiBelow) unmet.push('IC6');
  if (!r.danish_speaker) unmet.push('IC7');
  if (!r.legally_competent) unmet.push('IC8');
  const excluded: string[] = [];
  if (r.kl_grade === 4) excluded.push('EC1');
  if (r.ia_tumor_infection_fracture) excluded.push('EC2');
  if (r.sex === 'female' && r.pregnant_or_breastfeeding) excluded.push('EC3');
  if (r.cognitive_impairment) excluded.push('EC4');
  if (r.cytostatic_treatment) excluded.push('EC5');
  if (r.last_ia_injection_date !== null && r.last_ia_injection_date! > subtractCalendarMonths(r.screening_date!, 3)) {
    excluded.push('EC6');
  }
  if (r.mri_contraindication || bmiAbove) excluded.push('EC7');
  if (r.ligament_reconstruction) excluded.push('EC8');
  if (r.meniscal_resection_over_50pct || r.meniscal_operations! > 1) excluded.push('EC9');
  if (r.diabetes) excluded.push('EC10');
  if (r.knee_instability || r.ap_laxity_mm! >= 3) excluded.push('EC11');
  if (r.antibiotic_allergy) excluded.push('EC12');
  if (r.severe_systemic_condition) excluded.push('EC13');
  if (r.inflammatory_arthritis) excluded.push('EC14');
  return { unmet, excluded };
}

describe('assessEligibility properties', () => {
  it('eligible === true exactly when unmet, excluded and missing are all empty', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        const r = assessEligibility(record);
        const allEmpty = r.unmet.length === 0 && r.excluded.length === 0 && r.missing.length === 0;
        expect(r.eligible === true).toBe(allEmpty);
      }),
      { numRuns: 3000 },
    );
  });

  it('eligible === false exactly when something is unmet or excluded; otherwise true or null', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        const r = assessEligibility(record);
        expect(r.eligible === false).toBe(r.unmet.length > 0 || r.excluded.length > 0);
        if (r.eligible === null) {
          expect(r.criteria.some((c) => c.status === 'undecided') || r.missing.length > 0).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with a plain two-valued reading of the spec on complete records', () => {
    fc.assert(
      fc.property(completeRecord, (record) => {
        const r = assessEligibility(record);
        const expected = oracle(record as Required<ScreeningRecord>);
        expect({ unmet: r.unmet, excluded: r.excluded }).toEqual(expected);
        expect(r.eligible).toBe(
          expected.unmet.length === 0 && expected.excluded.length === 0 && r.missing.length === 0,
        );
        expect(r.criteria.every((c) => c.status !== 'undecided')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('a decision on known inputs never changes when the missing inputs are filled in', () => {
    fc.assert(
      fc.property(completeRecord, completeRecord.chain(thinOut), (filler, partial) => {
        const before = assessEligibility(partial);
        const completed: ScreeningRecord = { ...partial };
        for (const id of SCREENING_ITEM_IDS) {
          // No injection date is itself an answer ("never"), not a gap to fill.
          if (id !== 'last_ia_injection_date' && completed[id] == null) {
            (completed as Record<string, unknown>)[id] = filler[id];
          }
        }
        const after = assessEligibility(completed);
        for (const c of before.criteria) {
          if (c.status !== 'undecided') expect(after.criteria.find((a) => a.id === c.id)?.status).toBe(c.status);
        }
        if (before.eligible === false) expect(after.eligible).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps unmet, excluded and missing in canonical order', () => {
    fc.assert(
      fc.property(anyRecord, (record) => {
        const r = assessEligibility(record);
        const num = (id: string): number => Number(id.slice(2));
        expect([...r.unmet].sort((a, b) => num(a) - num(b))).toEqual(r.unmet);
        expect([...r.excluded].sort((a, b) => num(a) - num(b))).toEqual(r.excluded);
        const order = (id: string): number => SCREENING_ITEM_IDS.indexOf(id as (typeof SCREENING_ITEM_IDS)[number]);
        expect([...r.missing].sort((a, b) => order(a) - order(b))).toEqual(r.missing);
        expect(r.missing).not.toContain('last_ia_injection_date');
        if (record.sex !== 'female') expect(r.missing).not.toContain('pregnant_or_breastfeeding');
      }),
      { numRuns: 1000 },
    );
  });

  it('generates eligible, ineligible and undecided records', () => {
    const seen = new Set(fc.sample(anyRecord, { numRuns: 2000, seed: 42 }).map((r) => assessEligibility(r).eligible));
    expect(seen).toEqual(new Set([true, false, null]));
  });
});
