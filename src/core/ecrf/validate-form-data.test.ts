import { describe, expect, it } from 'vitest';
import type { FormDef } from '../protocol/definition-types.js';
import { findForm } from '../protocol/protocol-queries.js';
import { STEMJOINT_PROTOCOL } from '../protocol/stemjoint.js';
import { SAMPLE_CLINICAL_EXAM, SAMPLE_KOOS, sampleHlaAntibody } from './test-fixtures.js';
import { validateFormData, type ValidateFormOptions } from './validate-form-data.js';

const P = STEMJOINT_PROTOCOL;
const form = (id: string): FormDef => {
  const f = findForm(P, id);
  if (f === undefined) throw new Error(id);
  return f;
};
const draft: ValidateFormOptions = { mode: 'draft', visitCode: 'BL' };
const submit: ValidateFormOptions = { mode: 'submit', visitCode: 'BL' };
const errorsOf = (formId: string, values: unknown, options: ValidateFormOptions = draft) =>
  validateFormData(form(formId), P, values, options).errors.map((e) => [e.path, e.code]);

describe('validateFormData: types and limits', () => {
  it('accepts a complete clinical examination and normalises nothing away', () => {
    const r = validateFormData(form('clinical_exam'), P, SAMPLE_CLINICAL_EXAM, submit);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.normalized).toEqual(SAMPLE_CLINICAL_EXAM);
  });

  it('refuses unknown items, naming each', () => {
    expect(errorsOf('clinical_exam', { right_flexion: 120, foo: 1 })).toEqual([
      ['values.right_flexion', 'unknown_item'],
      ['values.foo', 'unknown_item'],
    ]);
    expect(errorsOf('koos', { S8: 1, s1: 2 })).toEqual([
      ['values.S8', 'unknown_item'],
      ['values.s1', 'unknown_item'],
    ]);
  });

  it('checks integers: type, whole numbers, hard range; soft range is a warning', () => {
    expect(errorsOf('clinical_exam', { right_flexion_deg: '120' })).toEqual([['values.right_flexion_deg', 'type']]);
    expect(errorsOf('clinical_exam', { right_flexion_deg: 120.5 })).toEqual([['values.right_flexion_deg', 'type']]);
    expect(errorsOf('clinical_exam', { right_flexion_deg: 161 })).toEqual([['values.right_flexion_deg', 'hard_range']]);
    expect(errorsOf('clinical_exam', { right_extension_deg: -41 })).toEqual([
      ['values.right_extension_deg', 'hard_range'],
    ]);
    expect(errorsOf('clinical_exam', { right_flexion_deg: 160, right_extension_deg: -40 })).toEqual([]);
    const soft = validateFormData(form('clinical_exam'), P, { right_flexion_deg: 155 }, draft);
    expect(soft.errors).toEqual([]);
    expect(soft.warnings).toEqual([expect.objectContaining({ path: 'values.right_flexion_deg', code: 'soft_range' })]);
    expect(soft.warnings[0]?.message).toContain('60–150');
    expect(soft.normalized).toEqual({ right_flexion_deg: 155 });
    expect(validateFormData(form('clinical_exam'), P, { right_flexion_deg: 150 }, draft).warnings).toEqual([]);
  });

  it('checks decimals: precision (maximum decimals) and limits', () => {
    expect(errorsOf('clinical_exam', { right_knee_circ_cm: 41.25 })).toEqual([
      ['values.right_knee_circ_cm', 'precision'],
    ]);
    expect(errorsOf('clinical_exam', { right_knee_circ_cm: 41.2 })).toEqual([]);
    expect(errorsOf('clinical_exam', { right_knee_circ_cm: 41 })).toEqual([]);
    expect(errorsOf('clinical_exam', { right_knee_circ_cm: 80.1 })).toEqual([
      ['values.right_knee_circ_cm', 'hard_range'],
    ]);
    expect(errorsOf('clinical_exam', { right_knee_circ_cm: Number.NaN })).toEqual([]); // NaN is "unanswered"
    // precision 0: whole numbers only, even in a decimal item
    expect(errorsOf('hla_antibody', { lab_cutoff_mfi: 1000.5 })).toEqual([['values.lab_cutoff_mfi', 'precision']]);
  });

  it('checks code lists, text and integer codes, single and multiple choice', () => {
    expect(errorsOf('clinical_exam', { right_stroke_test: '4+' })).toEqual([['values.right_stroke_test', 'code_list']]);
    expect(errorsOf('clinical_exam', { right_stroke_test: 1 })).toEqual([['values.right_stroke_test', 'type']]);
    expect(errorsOf('koos', { S1: 5, S2: '2', S3: 4 })).toEqual([
      ['values.S1', 'code_list'],
      ['values.S2', 'type'],
    ]);
    expect(errorsOf('medical_history', { prior_ia_injection_types: ['prp', 'corticosteroid'] })).toEqual([]);
    expect(errorsOf('medical_history', { prior_ia_injection_types: 'prp' })).toEqual([
      ['values.prior_ia_injection_types', 'type'],
    ]);
    expect(errorsOf('medical_history', { prior_ia_injection_types: ['prp', 'stem_cells'] })).toEqual([
      ['values.prior_ia_injection_types', 'code_list'],
    ]);
    expect(errorsOf('medical_history', { prior_ia_injection_types: ['prp', 'prp'] })).toEqual([
      ['values.prior_ia_injection_types', 'code_list'],
    ]);
    const r = validateFormData(
      form('medical_history'),
      P,
      { prior_ia_injection_types: ['prp', 'corticosteroid'] },
      draft,
    );
    expect(r.normalized.prior_ia_injection_types).toEqual(['corticosteroid', 'prp']); // code-list order
    expect(validateFormData(form('medical_history'), P, { prior_ia_injection_types: [] }, draft).normalized).toEqual(
      {},
    );
  });

  it('checks text patterns and maximum lengths, trimming whitespace', () => {
    expect(errorsOf('hla_typing', { hla_a_1: 'A*02:01', hla_b_1: 'B*14:HUJ', hla_drb1_2: 'HLA-DRB1*04:01N' })).toEqual(
      [],
    );
    expect(errorsOf('hla_typing', { hla_a_1: 'B*07:02' })).toEqual([['values.hla_a_1', 'pattern']]);
    expect(errorsOf('hla_typing', { db_version: '3.54' })).toEqual([['values.db_version', 'pattern']]);
    expect(errorsOf('clinical_exam', { assessor: 'x'.repeat(51) })).toEqual([['values.assessor', 'max_length']]);
    expect(validateFormData(form('clinical_exam'), P, { assessor: '  KJ ' }, draft).normalized).toEqual({
      assessor: 'KJ',
    });
    expect(validateFormData(form('clinical_exam'), P, { assessor: '   ' }, draft).normalized).toEqual({});
    expect(errorsOf('clinical_exam', { assessor: 7 })).toEqual([['values.assessor', 'type']]);
  });

  it('accepts only real calendar dates, ISO date-times with offset, and partial dates', () => {
    expect(errorsOf('hla_typing', { sample_date: '2024-02-29' })).toEqual([]);
    expect(errorsOf('hla_typing', { sample_date: '2023-02-29' })).toEqual([['values.sample_date', 'date']]);
    expect(errorsOf('hla_typing', { sample_date: '2023-04-31' })).toEqual([['values.sample_date', 'date']]);
    expect(errorsOf('hla_typing', { sample_date: '15-01-2024' })).toEqual([['values.sample_date', 'date']]);
    expect(errorsOf('administration', { administration_datetime: '2024-01-15T09:30:00+01:00' })).toEqual([]);
    expect(errorsOf('administration', { administration_datetime: '2024-01-15T09:30:00Z' })).toEqual([]);
    expect(errorsOf('administration', { administration_datetime: '2024-01-15T09:30:00' })).toEqual([
      ['values.administration_datetime', 'date'],
    ]);
    expect(errorsOf('administration', { administration_datetime: '2024-01-15T25:30:00Z' })).toEqual([
      ['values.administration_datetime', 'date'],
    ]);
    const eos = (death_date: unknown) =>
      errorsOf(
        'end_of_study',
        { eos_status: 'early_termination', eos_reason: 'death', death_date },
        { mode: 'draft', visitCode: null },
      );
    for (const ok of ['2025', '2025-02', '2024-02-29']) expect(eos(ok)).toEqual([]);
    for (const bad of ['2025-13', '2025-02-30', '25', '2025-2']) {
      expect(eos(bad)).toEqual([['values.death_date', 'date']]);
    }
  });

  it('checks booleans strictly', () => {
    expect(errorsOf('clinical_exam', { right_patellar_tap: 'true' })).toEqual([['values.right_patellar_tap', 'type']]);
    expect(errorsOf('clinical_exam', { right_patellar_tap: 0 })).toEqual([['values.right_patellar_tap', 'type']]);
  });

  it('refuses values for derived items but accepts null for them', () => {
    expect(errorsOf('clinical_exam', { right_effusion: true })).toEqual([['values.right_effusion', 'derived']]);
    expect(errorsOf('koos', { koos_symptoms: 50 })).toEqual([['values.koos_symptoms', 'derived']]);
    expect(errorsOf('koos', { koos_symptoms: null })).toEqual([]);
  });

  it('checks file references (attachment by SHA-256) and their media types', () => {
    const ref = { sha256: 'a'.repeat(64), name: 'consent.pdf', mediaType: 'application/pdf', size: 1234 };
    const values = (doc: unknown) => ({ signature_mode: 'wet_ink', consent_document: doc });
    const opts = { mode: 'draft', visitCode: 'SCR' } as const;
    expect(errorsOf('consent', values(ref), opts)).toEqual([]);
    expect(errorsOf('consent', values({ ...ref, mediaType: 'image/png' }), opts)).toEqual([
      ['values.consent_document', 'media_type'],
    ]);
    expect(errorsOf('consent', values({ ...ref, sha256: 'xyz' }), opts)).toEqual([['values.consent_document', 'type']]);
    expect(errorsOf('consent', values('consent.pdf'), opts)).toEqual([['values.consent_document', 'type']]);
  });

  it('refuses a values document that is not an object', () => {
    for (const bad of [null, [], 'x', 3]) expect(errorsOf('koos', bad)).toEqual([['values', 'type']]);
  });
});

describe('validateFormData: required items and conditions', () => {
  it('enforces required items on submit only', () => {
    expect(errorsOf('nrs', { nrs_pain: 4 }, draft)).toEqual([]);
    expect(errorsOf('nrs', { nrs_pain: 4 }, submit)).toEqual([
      ['values.nrs_recall', 'required'],
      ['values.nrs_aspect', 'required'],
    ]);
    // KOOS items are optional: unanswered items lower the subscale count instead.
    expect(errorsOf('koos', {}, submit)).toEqual([]);
  });

  it('requires a conditional item only when it is shown', () => {
    const eos = { mode: 'submit', visitCode: null } as const;
    const base = { eos_date: '2025-01-10', last_contact_date: '2025-01-10' };
    expect(errorsOf('end_of_study', { ...base, eos_status: 'completed' }, eos)).toEqual([]);
    expect(errorsOf('end_of_study', { ...base, eos_status: 'early_termination' }, eos)).toEqual([
      ['values.eos_reason', 'required'],
    ]);
    expect(errorsOf('end_of_study', { ...base, eos_status: 'early_termination', eos_reason: 'other' }, eos)).toEqual([
      ['values.eos_reason_other', 'required'],
    ]);
  });

  it('clears values of hidden items (and of items hidden in turn), reporting each', () => {
    const r = validateFormData(
      form('end_of_study'),
      P,
      {
        eos_status: 'completed',
        eos_date: '2025-01-10',
        last_contact_date: '2025-01-10',
        eos_reason: 'other',
        eos_reason_other: 'moved abroad',
      },
      { mode: 'submit', visitCode: null },
    );
    expect(r.errors).toEqual([]);
    expect(r.normalized).toEqual({ eos_status: 'completed', eos_date: '2025-01-10', last_contact_date: '2025-01-10' });
    expect(r.hidden.sort()).toEqual(['eos_reason', 'eos_reason_other']);
    expect(r.warnings.map((w) => [w.path, w.code])).toContainEqual(['values.eos_reason_other', 'cleared_hidden']);
  });

  it('treats an undecided condition as hidden', () => {
    const r = validateFormData(form('medical_history'), P, { prior_knee_surgery_details: 'ACL 2001' }, draft);
    expect(r.normalized).toEqual({});
    expect(r.hidden).toEqual(['prior_knee_surgery_details']);
  });

  it('validates repeating groups row by row with paths naming the row', () => {
    const values = sampleHlaAntibody([
      { spec: 'A*02:01', positive: true, dsa: true, mfi: 4000 },
      { spec: 'B*07:02', positive: false, dsa: false, mfi: 200 },
      { spec: 'DQ7', positive: false, dsa: false, mfi: 100 },
    ]);
    const beads = values.beads as Record<string, unknown>[];
    beads[2] = { ...beads[2], bead_mfi: 60000, colour: 'red' };
    beads[1] = { ...beads[1], bead_specificity: 'not-a-bead' };
    expect(errorsOf('hla_antibody', values, submit)).toEqual([
      ['values.beads[1].bead_specificity', 'pattern'],
      ['values.beads[2].bead_mfi', 'hard_range'],
      ['values.beads[2].colour', 'unknown_item'],
    ]);
    expect(errorsOf('hla_antibody', { beads: 'A*02:01' })).toEqual([['values.beads', 'type']]);
    expect(errorsOf('hla_antibody', { beads: [1] })).toEqual([['values.beads[0]', 'type']]);
    expect(errorsOf('hla_antibody', { bead_mfi: 1 })).toEqual([['values.bead_mfi', 'unknown_item']]);
    expect(errorsOf('hla_antibody', { beads: [{ bead_specificity: 'A*01:01' }] }, submit)).toEqual([
      ['values.sample_date', 'required'],
      ['values.assay', 'required'],
      ['values.assay_lot', 'required'],
      ['values.lab_cutoff_mfi', 'required'],
      ['values.class_i_positive', 'required'],
      ['values.class_ii_positive', 'required'],
      ['values.beads[0].bead_class', 'required'],
      ['values.beads[0].bead_mfi', 'required'],
      ['values.beads[0].bead_positive', 'required'],
      ['values.beads[0].bead_donor_specific', 'required'],
    ]);
  });

  it('does not require items the caller may not enter (blinded)', () => {
    const values = sampleHlaAntibody([{ spec: 'A*02:01', positive: true, dsa: true, mfi: 4000 }]);
    const beads = values.beads as Record<string, unknown>[];
    delete beads[0]?.bead_donor_specific;
    const r = validateFormData(form('hla_antibody'), P, values, {
      ...submit,
      unenterable: new Set(['bead_donor_specific']),
    });
    expect(r.errors).toEqual([]);
  });

  it('clears a repeating group whose condition does not hold', () => {
    const entry = {
      entry_date: '2024-01-16',
      entered_at: '2024-01-16T20:00:00+01:00',
      nrs_worst_24h: 5,
      nrs_average_24h: 3,
      knee_swelling: 'mild',
      analgesic_taken: false,
      analgesics: [{ analgesic_drug: 'Panodil', analgesic_dose_mg: 500, analgesic_count: 2 }],
    };
    const r = validateFormData(form('pain_diary'), P, entry, { mode: 'submit', visitCode: 'D1' });
    expect(r.errors).toEqual([]);
    expect(r.normalized.analgesics).toBeUndefined();
    expect(r.hidden).toEqual([
      'analgesics[0].analgesic_drug',
      'analgesics[0].analgesic_dose_mg',
      'analgesics[0].analgesic_count',
    ]);
    const shown = validateFormData(
      form('pain_diary'),
      P,
      { ...entry, analgesic_taken: true },
      { mode: 'submit', visitCode: 'D1' },
    );
    expect(shown.normalized.analgesics).toEqual(entry.analgesics);
  });

  it('clears items that do not apply at the visit (onlyAtVisits) — derived ones are never entered anyway', () => {
    const r = validateFormData(form('koos'), P, SAMPLE_KOOS, submit);
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.normalized)).toHaveLength(42);
  });
});
