import { describe, expect, it } from 'vitest';
import { parseScreeningRecord } from './parse-screening-record.js';

/** Paths of the errors, or [] when the record is valid. */
const errorPaths = (input: unknown): string[] => {
  const r = parseScreeningRecord(input);
  return r.ok ? [] : r.errors.map((e) => e.path);
};

describe('parseScreeningRecord', () => {
  it('accepts valid values and null for "no value"', () => {
    const input = {
      screening_date: '2024-02-29',
      date_of_birth: '1964-03-15',
      sex: 'female',
      knee_pain_months: 0,
      nrs_worst: 10,
      kl_grade: 4,
      jsw_mm: 0,
      alignment_deg: 5.1,
      oa_compartment: 'none',
      height_cm: 172.5,
      weight_kg: 80.2,
      danish_speaker: false,
      pregnant_or_breastfeeding: null,
      last_ia_injection_date: null,
      meniscal_operations: 3,
    };
    expect(parseScreeningRecord(input)).toEqual({ ok: true, record: input, warnings: [], derivedFromCpr: [] });
  });

  it('rejects wrong types per item', () => {
    expect(
      errorPaths({
        screening_date: 20240101,
        sex: 1,
        knee_pain_months: '6',
        danish_speaker: 'yes',
        jsw_mm: '2.0',
        diabetes: 0,
        date_of_birth: '15-03-1964',
      }),
    ).toEqual(['screening_date', 'date_of_birth', 'sex', 'knee_pain_months', 'jsw_mm', 'danish_speaker', 'diabetes']);
  });

  it('rejects values outside their ranges', () => {
    expect(
      errorPaths({
        knee_pain_months: -1,
        nrs_worst: 11,
        kl_grade: 5,
        jsw_mm: -0.1,
        alignment_deg: -1,
        oa_compartment: 'patellofemoral',
        height_cm: 0,
        weight_kg: -70,
        meniscal_operations: 1.5,
        ap_laxity_mm: -2,
        sex: 'Female',
      }),
    ).toEqual([
      'sex',
      'knee_pain_months',
      'nrs_worst',
      'kl_grade',
      'jsw_mm',
      'alignment_deg',
      'oa_compartment',
      'height_cm',
      'weight_kg',
      'meniscal_operations',
      'ap_laxity_mm',
    ]);
    expect(errorPaths({ nrs_worst: -1 })).toEqual(['nrs_worst']);
    expect(errorPaths({ kl_grade: 2.5 })).toEqual(['kl_grade']);
    expect(errorPaths({ nrs_worst: 0, kl_grade: 0, knee_pain_months: 0, meniscal_operations: 0 })).toEqual([]);
  });

  it('rejects impossible dates, never treating them as missing', () => {
    const r = parseScreeningRecord({
      screening_date: '2023-02-30',
      last_ia_injection_date: '2023-02-29',
      date_of_birth: '1964-13-01',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => [e.path, e.code])).toEqual([
        ['screening_date', 'impossible_date'],
        ['date_of_birth', 'impossible_date'],
        ['last_ia_injection_date', 'impossible_date'],
      ]);
      expect(r.record).toEqual({});
    }
  });

  it('rejects a date of birth after the screening date', () => {
    expect(errorPaths({ screening_date: '2024-01-01', date_of_birth: '2024-01-02' })).toEqual(['date_of_birth']);
  });

  it('rejects unknown keys, and a non-object', () => {
    expect(errorPaths({ nrs_worst: 5, bmi: 25, Sex: 'male' })).toEqual(['bmi', 'Sex']);
    for (const input of [null, [], 'x', 42]) expect(errorPaths(input)).toEqual(['(record)']);
  });

  it('keeps the valid items beside the errors (for live feedback)', () => {
    const r = parseScreeningRecord({ nrs_worst: 5, kl_grade: 7 });
    expect(r.ok).toBe(false);
    expect(r.record).toEqual({ nrs_worst: 5 });
  });

  describe('cpr', () => {
    it('derives date of birth and sex when they are not given', () => {
      expect(parseScreeningRecord({ cpr: '070589-1028' })).toEqual({
        ok: true,
        record: { date_of_birth: '1989-05-07', sex: 'female' },
        warnings: [],
        derivedFromCpr: ['date_of_birth', 'sex'],
      });
    });
    it('accepts a matching date of birth and flags a contradicting one', () => {
      expect(parseScreeningRecord({ cpr: '0705891028', date_of_birth: '1989-05-07', sex: 'female' }).ok).toBe(true);
      expect(errorPaths({ cpr: '0705891028', date_of_birth: '1989-05-08' })).toEqual(['cpr']);
    });
    it('warns on a sex that differs and on a failing modulus-11 check', () => {
      const r = parseScreeningRecord({ cpr: '070589-1234', sex: 'male' });
      expect(r.ok).toBe(true);
      expect(r.record).toEqual({ date_of_birth: '1989-05-07', sex: 'male' });
      expect(r.warnings.map((w) => w.code)).toEqual(['modulus11_failed', 'inconsistent']);
    });
    it('rejects a malformed CPR or an impossible date in it', () => {
      expect(errorPaths({ cpr: '3102891234' })).toEqual(['cpr']);
      expect(errorPaths({ cpr: '07058910' })).toEqual(['cpr']);
      expect(errorPaths({ cpr: 705891028 })).toEqual(['cpr']);
    });
    it('null cpr is ignored', () => {
      expect(parseScreeningRecord({ cpr: null }).ok).toBe(true);
    });
  });
});
