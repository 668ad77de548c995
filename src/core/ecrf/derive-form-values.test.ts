import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ItemRef } from '../protocol/condition.js';
import { refKey } from '../protocol/condition.js';
import type { FormDef } from '../protocol/definition-types.js';
import { findForm } from '../protocol/protocol-queries.js';
import { STEMJOINT_PROTOCOL } from '../protocol/stemjoint.js';
import { deriveEffusion, type StrokeTestGrade } from '../scoring/derive-effusion.js';
import { KOOS_ITEM_IDS, KOOS_SUBSCALES, type KoosAnswers } from '../scoring/koos-items.js';
import { scoreKoos } from '../scoring/score-koos.js';
import { deriveFormValues } from './derive-form-values.js';
import { SAMPLE_CLINICAL_EXAM, sampleHlaAntibody, uniformKoos } from './test-fixtures.js';
import { validateFormData } from './validate-form-data.js';

const P = STEMJOINT_PROTOCOL;
const form = (id: string): FormDef => findForm(P, id)!;
const koos = form('koos');

/** KOOS through the engine: validation, then derivation, as the server does it. */
function engineKoos(values: Record<string, unknown>) {
  const v = validateFormData(koos, P, values, { mode: 'submit', visitCode: 'M3' });
  expect(v.errors).toEqual([]);
  const d = deriveFormValues(koos, v.normalized, { visitCode: 'M3' }).values;
  return { symptoms: d.koos_symptoms, pain: d.koos_pain, adl: d.koos_adl, sport: d.koos_sport, qol: d.koos_qol };
}

const lookupFrom =
  (record: Record<string, unknown>) =>
  (ref: ItemRef): unknown =>
    record[refKey(ref)];

describe('KOOS subscales through the eCRF engine', () => {
  it('all 0 → 100 and all 4 → 0 on every subscale, all 2 → 50', () => {
    expect(engineKoos(uniformKoos(0))).toEqual({ symptoms: 100, pain: 100, adl: 100, sport: 100, qol: 100 });
    expect(engineKoos(uniformKoos(4))).toEqual({ symptoms: 0, pain: 0, adl: 0, sport: 0, qol: 0 });
    expect(engineKoos(uniformKoos(2))).toEqual({ symptoms: 50, pain: 50, adl: 50, sport: 50, qol: 50 });
  });

  it('reproduces the worked examples of the data dictionary', () => {
    const values: Record<string, number> = {};
    const put = (prefix: string, answers: (number | null)[]) =>
      answers.forEach((a, i) => {
        if (a !== null) values[`${prefix}${i + 1}`] = a;
      });
    put('P', [3, 2, 1, 2, 3, 4, 1, 2, 3]);
    put('S', [1, 4, 2, 1, 3, 2, 3]);
    put('A', [2, 3, 1, 2, 4, 1, 3, 2, 3, 1, 2, 3, 4, 1, 2, 3, 2]);
    put('SP', [3, 4, 3, 2, 4]);
    put('Q', [3, 2, 3, 2]);
    const s = engineKoos(values);
    expect(s.pain).toBeCloseTo(41.667, 3);
    expect(s.symptoms).toBeCloseTo(42.857, 3);
    expect(s.adl).toBeCloseTo(42.647, 3);
    expect(s.sport).toBe(20);
    expect(s.qol).toBe(37.5);
    const partial: Record<string, number> = {};
    [3, null, 1, 2, 3, 4, null, 2, 3].forEach((a, i) => a !== null && (partial[`P${i + 1}`] = a));
    partial.Q1 = 3;
    partial.Q4 = 2;
    const p = engineKoos(partial);
    expect(p.pain).toBeCloseTo(35.714, 3);
    expect(p.qol).toBe(37.5);
  });

  it.each(KOOS_SUBSCALES.map((s) => [s.id, s.items, s.minAnswered] as const))(
    '%s is scored with %#… exactly at its missing-item threshold and null one below',
    (id, items, minAnswered) => {
      const at: Record<string, number> = {};
      items.slice(0, minAnswered).forEach((item) => (at[item] = 1));
      expect(engineKoos(at)[id]).toBe(75);
      const below: Record<string, number> = {};
      items.slice(0, minAnswered - 1).forEach((item) => (below[item] = 1));
      expect(engineKoos(below)[id]).toBeNull();
      // nulls count as unanswered, like missing keys
      expect(engineKoos({ ...below, [items[minAnswered - 1]!]: null })[id]).toBeNull();
    },
  );

  it('matches scoreKoos for any partial set of answers (property)', () => {
    const answer = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null });
    fc.assert(
      fc.property(fc.tuple(...KOOS_ITEM_IDS.map(() => answer)), (answers) => {
        const record: KoosAnswers = {};
        const values: Record<string, number | null> = {};
        KOOS_ITEM_IDS.forEach((id, i) => {
          const a = answers[i] ?? null;
          record[id] = a as KoosAnswers[typeof id];
          values[id] = a;
        });
        expect(engineKoos(values)).toEqual(scoreKoos(record));
      }),
      { numRuns: 300 },
    );
  });

  it('stores scores unrounded', () => {
    expect(engineKoos({ S1: 1, S2: 4, S3: 2, S4: 1, S5: 3, S6: 2, S7: 3 }).symptoms).toBe(100 - (16 * 25) / 7);
  });
});

describe('other derived items', () => {
  it('derives effusion per knee exactly as deriveEffusion (stroke test ≥ trace or tap positive)', () => {
    const exam = form('clinical_exam');
    const grades: (StrokeTestGrade | undefined)[] = [undefined, '0', 'trace', '1+', '2+', '3+'];
    for (const stroke of grades) {
      for (const tap of [undefined, true, false]) {
        const values: Record<string, unknown> = {};
        if (stroke !== undefined) values.right_stroke_test = stroke;
        if (tap !== undefined) values.right_patellar_tap = tap;
        const derived = deriveFormValues(exam, values, { visitCode: 'BL' }).values;
        expect(derived.right_effusion).toBe(
          deriveEffusion({ strokeTest: stroke ?? null, patellarTapPositive: tap ?? null }),
        );
        expect(derived.left_effusion).toBeNull();
      }
    }
    expect(deriveFormValues(exam, SAMPLE_CLINICAL_EXAM, { visitCode: 'BL' }).values).toEqual({
      right_effusion: true,
      left_effusion: false,
    });
  });

  it('derives age and unrounded BMI on the screening form', () => {
    const d = deriveFormValues(
      form('screening'),
      { date_of_birth: '1964-02-29', screening_date: '2025-02-28', height_cm: 175, weight_kg: 70 },
      { visitCode: 'SCR' },
    );
    expect(d.values.age).toBe(60);
    expect(d.values.bmi).toBeCloseTo(22.857142857, 9);
    expect(deriveFormValues(form('screening'), {}, { visitCode: 'SCR' }).values).toEqual({ age: null, bmi: null });
  });

  it('derives seriousness of an adverse event from its criteria (expression)', () => {
    const ae = form('adverse_event');
    const flags = ae.itemGroups
      .find((g) => g.id === 'seriousness')!
      .items.filter((i) => i.derivation === undefined)
      .map((i) => i.id);
    const none = Object.fromEntries(flags.map((f) => [f, false]));
    expect(deriveFormValues(ae, none, { visitCode: null }).values.ae_serious).toBe(false);
    expect(deriveFormValues(ae, { ...none, [flags[2]!]: true }, { visitCode: null }).values.ae_serious).toBe(true);
    expect(deriveFormValues(ae, {}, { visitCode: null }).values.ae_serious).toBeNull();
  });

  it('derives donor-specific and de novo donor-specific antibodies (M3 against baseline rows)', () => {
    const ab = form('hla_antibody');
    const bl = sampleHlaAntibody([
      { spec: 'A*02:01', positive: false, dsa: true, mfi: 300 },
      { spec: 'B*07:02', positive: true, dsa: false, mfi: 5000 },
    ]);
    const m3 = sampleHlaAntibody([
      { spec: 'A*02:01', positive: true, dsa: true, mfi: 4200 },
      { spec: 'B*07:02', positive: true, dsa: false, mfi: 5100 },
    ]);
    const rows = (v: Record<string, unknown>, item: string) =>
      (v.beads as Record<string, unknown>[]).map((r) => r[item]);
    const lookup = lookupFrom({
      'bead_specificity@BL': rows(bl, 'bead_specificity'),
      'bead_positive@BL': rows(bl, 'bead_positive'),
      'bead_donor_specific@BL': rows(bl, 'bead_donor_specific'),
    });
    expect(deriveFormValues(ab, m3, { visitCode: 'M3', lookup }).values).toEqual({
      dsa_detected: true,
      de_novo_dsa: true,
    });
    // At baseline the de novo flag does not apply at all.
    expect(deriveFormValues(ab, bl, { visitCode: 'BL', lookup }).values).toEqual({ dsa_detected: false });
    // Without the baseline screen, a positive DSA at M3 cannot be called de novo.
    expect(deriveFormValues(ab, m3, { visitCode: 'M3', lookup: () => undefined }).values.de_novo_dsa).toBeNull();
    // Already positive at baseline: pre-formed, not de novo.
    const preformed = lookupFrom({
      'bead_specificity@BL': ['A*02:01'],
      'bead_positive@BL': [true],
      'bead_donor_specific@BL': [true],
    });
    expect(deriveFormValues(ab, m3, { visitCode: 'M3', lookup: preformed }).values.de_novo_dsa).toBe(false);
    expect(deriveFormValues(ab, { beads: [] }, { visitCode: 'M3', lookup }).values).toEqual({
      dsa_detected: null,
      de_novo_dsa: false,
    });
  });

  it('derives the diary day from the injection date and flags late entries', () => {
    const diary = form('pain_diary');
    const lookup = lookupFrom({ 'administration.administration_datetime@BL': '2024-02-28T10:00:00+01:00' });
    const d = deriveFormValues(
      diary,
      { entry_date: '2024-03-01', entered_at: '2024-03-02T08:00:00+01:00' },
      { visitCode: 'D2', lookup },
    );
    expect(d.values).toEqual({ diary_day: 2, late_entry: true });
    const onTime = deriveFormValues(
      diary,
      { entry_date: '2024-02-29', entered_at: '2024-02-29T21:00:00+01:00' },
      { visitCode: 'D1', lookup },
    );
    expect(onTime.values).toEqual({ diary_day: 1, late_entry: false });
    const outside = deriveFormValues(diary, { entry_date: '2024-04-30' }, { visitCode: 'D30', lookup });
    expect(outside.values.diary_day).toBe(62);
    expect(outside.warnings).toEqual([
      expect.objectContaining({ path: 'derived.diary_day', code: 'derived_out_of_range' }),
    ]);
  });

  it('computes change from baseline where a protocol declares it', () => {
    const f: FormDef = {
      ...form('nrs'),
      itemGroups: [
        ...form('nrs').itemGroups,
        {
          id: 'change',
          oid: 'IG.NRS.CHANGE',
          name: { da: 'Ændring', en: 'Change' },
          items: [
            {
              id: 'nrs_change',
              type: 'integer',
              label: { da: 'Ændring', en: 'Change' },
              range: { hardMin: -10, hardMax: 10 },
              derivation: {
                method: 'change.fromBaseline',
                inputs: [{ item: 'nrs_pain' }, { item: 'nrs_pain', visit: 'BL' }],
              },
            },
          ],
        },
      ],
    };
    expect(
      deriveFormValues(f, { nrs_pain: 3 }, { visitCode: 'M3', lookup: lookupFrom({ 'nrs_pain@BL': 7 }) }).values,
    ).toEqual({ nrs_change: -4 });
    expect(deriveFormValues(f, { nrs_pain: 3 }, { visitCode: 'M3', lookup: () => undefined }).values).toEqual({
      nrs_change: null,
    });
  });
});
