/**
 * Visit dates from Day 0 (the injection day). Pure calendar-day arithmetic on plain dates: no
 * clock, no time zones.
 */
import { invalid } from '../errors.js';
import { addCalendarDays, isIsoDate, type IsoDate } from './plain-date.js';
import { STEMJOINT_VISIT_PLAN, type PlannedVisit, type VisitPlan } from './visit-plan.js';

/** The dates of one visit: target and inclusive window. */
export interface ScheduledVisit {
  visit: string;
  target: IsoDate;
  earliest: IsoDate;
  latest: IsoDate;
}

/** Throws a validation error naming `path` unless `value` is a real calendar date. */
export function assertIsoDate(value: unknown, path: string): asserts value is IsoDate {
  if (!isIsoDate(value)) {
    throw invalid(`${path} must be a calendar date YYYY-MM-DD`, [
      { path, message: `not a calendar date YYYY-MM-DD: ${JSON.stringify(value)}` },
    ]);
  }
}

/** Dates of one planned visit for a given Day 0. */
export function scheduleVisit(visit: PlannedVisit, day0: IsoDate): ScheduledVisit {
  return {
    visit: visit.code,
    target: addCalendarDays(day0, visit.targetDay),
    earliest: addCalendarDays(day0, visit.earliestDay),
    latest: addCalendarDays(day0, visit.latestDay),
  };
}

/**
 * Every scheduled visit after baseline (STEMJOINT: M3, M12, M24, Y3, Y4, Y5; diary days are not
 * included, see `diaryDays`) with target = Day 0 + target day and the window around it.
 * Throws a validation error (path `day0`) when `day0` is not a calendar date.
 */
export function computeSchedule(day0: IsoDate, plan: VisitPlan = STEMJOINT_VISIT_PLAN): ScheduledVisit[] {
  assertIsoDate(day0, 'day0');
  return plan.visits.filter((v) => v.kind === 'followup').map((v) => scheduleVisit(v, day0));
}

/** The diary days (`D1` … `D30`): each is due on its own day only (target = earliest = latest). */
export function diaryDays(day0: IsoDate, plan: VisitPlan = STEMJOINT_VISIT_PLAN): ScheduledVisit[] {
  assertIsoDate(day0, 'day0');
  const days: ScheduledVisit[] = [];
  for (let n = plan.diary.firstDay; n <= plan.diary.lastDay; n++) {
    const date = addCalendarDays(day0, n);
    days.push({ visit: `${plan.diary.prefix}${n}`, target: date, earliest: date, latest: date });
  }
  return days;
}

/**
 * The planned visit behind a code, including diary days (`D7` becomes a one-day visit on day 7);
 * null for a code the plan does not know.
 */
export function findPlannedVisit(code: string, plan: VisitPlan = STEMJOINT_VISIT_PLAN): PlannedVisit | null {
  const visit = plan.visits.find((v) => v.code === code);
  if (visit) return visit;
  const { prefix, firstDay, lastDay, label } = plan.diary;
  const match = code.startsWith(prefix) ? /^[1-9]\d*$/.exec(code.slice(prefix.length)) : null;
  if (!match) return null;
  const day = Number(match[0]);
  if (day < firstDay || day > lastDay) return null;
  return { code, label: `${label} day ${day}`, kind: 'diary', targetDay: day, earliestDay: day, latestDay: day };
}
