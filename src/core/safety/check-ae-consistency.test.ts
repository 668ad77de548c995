import { describe, expect, it } from 'vitest';
import { NOT_SERIOUS } from './ae-codes.js';
import type { AeRecord } from './ae-input.js';
import { checkAeConsistency, type AeConsistencyContext } from './check-ae-consistency.js';

const base: AeRecord = {
  verbatimTerm: 'Pain at the injection site',
  meddra: null,
  onsetDate: '2026-05-02',
  endDate: '2026-05-06',
  grade: 1,
  seriousness: NOT_SERIOUS,
  localToIndexKnee: true,
  investigatorCausality: { cellProduct: 'related', procedure: 'related' },
  actionTaken: ['none'],
  outcome: 'recovered',
  narrative: null,
};
const ctx: AeConsistencyContext = { today: '2026-06-01', day0: '2026-05-01', siteAwarenessDate: '2026-05-03' };
const rules = (r: AeRecord, c = ctx): { errors: string[]; queries: string[] } => {
  const res = checkAeConsistency(r, c);
  return { errors: res.errors.map((e) => e.rule), queries: res.queries.map((q) => q.rule) };
};

describe('checkAeConsistency', () => {
  it('accepts a clean, resolved local event', () => {
    expect(rules(base)).toEqual({ errors: [], queries: [] });
  });

  it('refuses an end before the onset only where comparable', () => {
    expect(rules({ ...base, endDate: '2026-05-01' }).errors).toEqual(['end_before_onset']);
    expect(rules({ ...base, endDate: '2026-04' }).errors).toEqual(['end_before_onset']);
    expect(rules({ ...base, onsetDate: '2026-05', endDate: '2026-05-01' }).errors).toEqual([]);
  });

  it('refuses future dates and awareness before the onset', () => {
    expect(
      rules(
        { ...base, onsetDate: '2026-06-02', endDate: null, outcome: 'recovering' },
        { ...ctx, siteAwarenessDate: '2026-06-03' },
      ).errors,
    ).toEqual(['onset_in_future']);
    expect(rules({ ...base, endDate: '2026-07' }).errors).toEqual(['end_in_future']);
    expect(rules(base, { ...ctx, siteAwarenessDate: '2026-05-01' }).errors).toEqual(['awareness_before_onset']);
  });

  it('refuses grade 5 or a fatal outcome without the death criterion', () => {
    const r = rules({ ...base, grade: 5, outcome: 'fatal' });
    expect(r.errors).toEqual(['grade_5_without_death', 'fatal_outcome_without_death']);
    const ok = rules({ ...base, grade: 5, outcome: 'fatal', seriousness: { ...NOT_SERIOUS, death: true } });
    expect(ok.errors).toEqual([]);
    expect(ok.queries).toEqual([]);
  });

  it('refuses "none" combined with another action', () => {
    expect(rules({ ...base, actionTaken: ['none', 'medication'] }).errors).toEqual(['action_none_combined']);
  });

  it('raises queries for suspicious combinations', () => {
    expect(
      rules({ ...base, grade: 3, seriousness: { ...NOT_SERIOUS, death: true }, outcome: 'recovered' }).queries,
    ).toEqual(['death_without_grade_5', 'death_without_fatal_outcome']);
    expect(
      rules({
        ...base,
        grade: 4,
        seriousness: { ...NOT_SERIOUS, hospitalisation: true },
        actionTaken: ['hospitalisation'],
      }).queries,
    ).toEqual(['grade_4_not_life_threatening']);
    expect(rules({ ...base, outcome: 'not_recovered' }).queries).toEqual(['ended_but_not_recovered']);
    expect(rules({ ...base, endDate: null }).queries).toEqual(['recovered_without_end_date']);
    expect(
      rules({ ...base, grade: 5, outcome: 'fatal', endDate: null, seriousness: { ...NOT_SERIOUS, death: true } })
        .queries,
    ).toEqual(['fatal_without_end_date']);
    expect(rules({ ...base, seriousness: { ...NOT_SERIOUS, hospitalisation: true } }).queries).toEqual([
      'hospitalisation_not_in_action',
    ]);
    expect(rules({ ...base, actionTaken: ['hospitalisation'] }).queries).toEqual([
      'hospitalisation_action_not_serious',
    ]);
    expect(rules({ ...base, onsetDate: '2026-04-20' }, { ...ctx, siteAwarenessDate: '2026-05-03' }).queries).toEqual([
      'onset_before_day_0',
    ]);
    expect(rules({ ...base, onsetDate: '2026-04-20' }, { ...ctx, day0: null }).queries).toEqual([]);
    expect(
      rules({
        ...base,
        meddra: {
          version: '27.1',
          lltCode: '10022086',
          lltName: 'Injection site pain',
          ptCode: null,
          ptName: null,
          socCode: null,
          socName: null,
        },
      }).queries,
    ).toEqual(['meddra_llt_without_pt']);
    expect(
      rules({
        ...base,
        meddra: {
          version: '27.1',
          lltCode: null,
          lltName: null,
          ptCode: '10022086',
          ptName: 'Injection site pain',
          socCode: null,
          socName: null,
        },
      }).queries,
    ).toEqual(['meddra_pt_without_soc']);
    expect(
      rules({ ...base, investigatorCausality: null, seriousness: { ...NOT_SERIOUS, importantMedicalEvent: true } })
        .queries,
    ).toEqual(['sae_causality_pending']);
  });
});
