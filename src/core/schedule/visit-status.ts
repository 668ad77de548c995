/**
 * Where a participant stands with one visit on a given day. Pure: "today" is an input.
 */
import { invalid } from '../errors.js';
import { assertIsoDate, findPlannedVisit, scheduleVisit, type ScheduledVisit } from './compute-schedule.js';
import { compareIsoDates, type IsoDate } from './plain-date.js';
import { STEMJOINT_VISIT_PLAN, type VisitPlan } from './visit-plan.js';

/** Visit statuses, in no particular order. */
export const VISIT_STATUSES = [
  'not_yet_due',
  'due',
  'overdue',
  'done_in_window',
  'done_out_of_window',
  'missed',
  'not_applicable',
] as const;
/** Status of one visit for one participant. */
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** Input of `visitStatus`. */
export interface VisitStatusInput {
  /** Visit code of the plan (`M3`, `Y5`, `BL`, `D12`, …). */
  visit: string;
  /** Injection day (Day 0). */
  day0: IsoDate;
  /** The day to evaluate on (injected clock). */
  today: IsoDate;
  /** Date the visit was done, when it was. */
  doneOn?: IsoDate | null;
  /** True when the visit has been recorded as missed. */
  missed?: boolean;
  /** Date the participant withdrew (consent withdrawn or discontinued), when they did. */
  withdrawnOn?: IsoDate | null;
}

/** Result of `visitStatus`. */
export interface VisitStatusResult extends ScheduledVisit {
  status: VisitStatus;
  /**
   * True when the visit was done outside its window: a protocol deviation to record and flag,
   * never a reason to refuse the data.
   */
  deviation: boolean;
}

/**
 * Status of one visit:
 * - done: `done_in_window` or `done_out_of_window` (with `deviation`), whatever else is known —
 *   collected data is never hidden by a later withdrawal;
 * - recorded as missed: `missed`;
 * - withdrawn on or before the window's last day: `not_applicable`; withdrawn after the window
 *   closed without the visit: `missed`;
 * - otherwise by `today`: `not_yet_due` before the window, `due` inside it, `overdue` after it.
 * Throws a validation error for an unknown visit code or an invalid date.
 */
export function visitStatus(input: VisitStatusInput, plan: VisitPlan = STEMJOINT_VISIT_PLAN): VisitStatusResult {
  assertIsoDate(input.day0, 'day0');
  assertIsoDate(input.today, 'today');
  if (input.doneOn != null) assertIsoDate(input.doneOn, 'doneOn');
  if (input.withdrawnOn != null) assertIsoDate(input.withdrawnOn, 'withdrawnOn');
  const planned = findPlannedVisit(input.visit, plan);
  if (!planned) {
    throw invalid(`unknown visit code ${JSON.stringify(input.visit)}`, [
      { path: 'visit', message: `not a visit of the plan: ${JSON.stringify(input.visit)}` },
    ]);
  }
  const dates = scheduleVisit(planned, input.day0);
  const within = (date: IsoDate): boolean =>
    compareIsoDates(date, dates.earliest) >= 0 && compareIsoDates(date, dates.latest) <= 0;
  const result = (status: VisitStatus, deviation = false): VisitStatusResult => ({ ...dates, status, deviation });

  if (input.doneOn != null) {
    return within(input.doneOn) ? result('done_in_window') : result('done_out_of_window', true);
  }
  if (input.missed === true) return result('missed');
  if (input.withdrawnOn != null) {
    return compareIsoDates(input.withdrawnOn, dates.latest) <= 0 ? result('not_applicable') : result('missed');
  }
  if (compareIsoDates(input.today, dates.earliest) < 0) return result('not_yet_due');
  if (compareIsoDates(input.today, dates.latest) <= 0) return result('due');
  return result('overdue');
}
