/**
 * Consistency rules for one AE record. Two kinds of finding:
 *
 * - **errors** make the record impossible or dangerous to store, and are refused with field-level
 *   400s: an end before the onset, dates in the future, awareness before the event began, "none"
 *   combined with other actions, and a grade 5 or fatal outcome without the death criterion. The
 *   last is refused rather than queried on purpose: a fatal event stored without the death flag
 *   would not be serious, so no SAE case would open and the 24-hour clock would never start.
 * - **queries** are plausible but suspicious combinations the investigator must confirm or correct
 *   (death without grade 5, grade 4 without the life-threatening criterion, an ended event that has
 *   not recovered, onset before the injection, …). They are stored with the AE and close themselves
 *   when a later version no longer triggers them.
 */
import type { IsoDate } from '../schedule/plain-date.js';
import { isSerious } from './ae-codes.js';
import type { AeRecord } from './ae-input.js';
import { comparePartialDates, isCertainlyAfter, isCertainlyBefore } from './partial-date.js';

/** What the rules need besides the record. */
export interface AeConsistencyContext {
  /** Today's date in Copenhagen. */
  today: IsoDate;
  /** Injection date (Day 0), when known. */
  day0: IsoDate | null;
  /** Copenhagen date on which the site became aware of the event. */
  siteAwarenessDate: IsoDate;
}

/** One finding: a stable rule id, the field it concerns and a message for the user. */
export interface AeFinding {
  rule: string;
  path: string;
  message: string;
}

/** Errors refuse the record; queries are raised on it. */
export interface AeConsistencyResult {
  errors: AeFinding[];
  queries: AeFinding[];
}

/** The query rules, with the text shown to the investigator (ids are stable; they key stored queries). */
export const AE_QUERY_RULES = [
  'death_without_grade_5',
  'death_without_fatal_outcome',
  'grade_4_not_life_threatening',
  'ended_but_not_recovered',
  'recovered_without_end_date',
  'fatal_without_end_date',
  'hospitalisation_not_in_action',
  'hospitalisation_action_not_serious',
  'onset_before_day_0',
  'meddra_pt_without_soc',
  'meddra_llt_without_pt',
  'sae_causality_pending',
] as const;
/** One query rule id. */
export type AeQueryRule = (typeof AE_QUERY_RULES)[number];

/** Applies every rule to one record. Pure. */
export function checkAeConsistency(record: AeRecord, context: AeConsistencyContext): AeConsistencyResult {
  const errors: AeFinding[] = [];
  const queries: AeFinding[] = [];
  const s = record.seriousness;

  // --- errors -------------------------------------------------------------------------------
  if (record.endDate !== null && comparePartialDates(record.endDate, record.onsetDate) === -1) {
    errors.push({
      rule: 'end_before_onset',
      path: 'endDate',
      message: `the end (${record.endDate}) is before the onset (${record.onsetDate})`,
    });
  }
  if (isCertainlyAfter(record.onsetDate, context.today)) {
    errors.push({
      rule: 'onset_in_future',
      path: 'onsetDate',
      message: `the onset (${record.onsetDate}) is in the future`,
    });
  }
  if (record.endDate !== null && isCertainlyAfter(record.endDate, context.today)) {
    errors.push({ rule: 'end_in_future', path: 'endDate', message: `the end (${record.endDate}) is in the future` });
  }
  if (isCertainlyAfter(record.onsetDate, context.siteAwarenessDate)) {
    errors.push({
      rule: 'awareness_before_onset',
      path: 'siteAwarenessAt',
      message: `the site cannot have become aware (${context.siteAwarenessDate}) before the onset (${record.onsetDate})`,
    });
  }
  if (record.actionTaken.includes('none') && record.actionTaken.length > 1) {
    errors.push({
      rule: 'action_none_combined',
      path: 'actionTaken',
      message: '"none" cannot be combined with other actions',
    });
  }
  if (record.grade === 5 && !s.death) {
    errors.push({
      rule: 'grade_5_without_death',
      path: 'seriousness.death',
      message: 'CTCAE grade 5 is death: the death seriousness criterion must be set',
    });
  }
  if (record.outcome === 'fatal' && !s.death) {
    errors.push({
      rule: 'fatal_outcome_without_death',
      path: 'seriousness.death',
      message: 'a fatal outcome requires the death seriousness criterion',
    });
  }

  // --- queries ------------------------------------------------------------------------------
  const q = (rule: AeQueryRule, path: string, message: string): void => {
    queries.push({ rule, path, message });
  };
  if (s.death && record.grade !== 5) {
    q(
      'death_without_grade_5',
      'grade',
      'the event resulted in death but is not graded 5; check the grade or the death criterion',
    );
  }
  if (s.death && record.outcome !== 'fatal') {
    q('death_without_fatal_outcome', 'outcome', 'the event resulted in death but the outcome is not fatal');
  }
  if (record.grade === 4 && !s.lifeThreatening && !s.death) {
    q(
      'grade_4_not_life_threatening',
      'seriousness.lifeThreatening',
      'CTCAE grade 4 means life-threatening consequences; confirm that the event is not life-threatening in the seriousness sense',
    );
  }
  if (record.endDate !== null && (record.outcome === 'recovering' || record.outcome === 'not_recovered')) {
    q('ended_but_not_recovered', 'outcome', `the event has an end date but the outcome is "${record.outcome}"`);
  }
  if (record.endDate === null && (record.outcome === 'recovered' || record.outcome === 'recovered_with_sequelae')) {
    q('recovered_without_end_date', 'endDate', 'the event is recovered but has no end date');
  }
  if (record.outcome === 'fatal' && record.endDate === null) {
    q('fatal_without_end_date', 'endDate', 'record the date of death as the end date');
  }
  if (s.hospitalisation && !record.actionTaken.includes('hospitalisation')) {
    q(
      'hospitalisation_not_in_action',
      'actionTaken',
      'the hospitalisation criterion is set but hospitalisation is not among the actions taken',
    );
  }
  if (!s.hospitalisation && record.actionTaken.includes('hospitalisation')) {
    q(
      'hospitalisation_action_not_serious',
      'seriousness.hospitalisation',
      'the participant was hospitalised: inpatient hospitalisation makes the event serious unless it was planned or elective',
    );
  }
  if (context.day0 !== null && isCertainlyBefore(record.onsetDate, context.day0)) {
    q(
      'onset_before_day_0',
      'onsetDate',
      `the onset (${record.onsetDate}) is before the injection (${context.day0}): medical history rather than an adverse event?`,
    );
  }
  if (record.meddra?.ptCode && !record.meddra.socCode) {
    q('meddra_pt_without_soc', 'meddra.socCode', 'the preferred term has no primary system organ class');
  }
  if (record.meddra?.lltCode && !record.meddra.ptCode) {
    q('meddra_llt_without_pt', 'meddra.ptCode', 'the lowest level term has no preferred term');
  }
  if (isSerious(s) && record.investigatorCausality === null) {
    q(
      'sae_causality_pending',
      'investigatorCausality',
      "a serious adverse event needs the investigator's causality assessment for the report to the sponsor",
    );
  }
  return { errors, queries };
}
