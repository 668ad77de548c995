/**
 * Partial dates for adverse events (ODM `partialDate`, SDTM ISO 8601 with right truncation): `YYYY`,
 * `YYYY-MM` or `YYYY-MM-DD`. A patient often remembers only the month a symptom began; we store what
 * is known and never invent the missing part. Comparisons are made only where they are decidable.
 */
import { isIsoDate, type IsoDate } from '../schedule/plain-date.js';

/** A date known to the year, the month or the day. */
export type PartialDate = string;

/** How much of a partial date is known. */
export type PartialDatePrecision = 'year' | 'month' | 'day';

const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Why a text is not a partial date; null when it is one. */
export function describePartialDateProblem(text: string): string | null {
  const m = PARTIAL.exec(text);
  if (!m) return 'must be a date YYYY-MM-DD, or YYYY-MM / YYYY when only partly known';
  const year = Number(m[1]);
  if (year < 1900 || year > 2199) return 'year out of range';
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return 'month out of range';
  }
  if (m[3] !== undefined && !isIsoDate(text)) return 'day out of range';
  return null;
}

/** Whether a value is a valid partial date. */
export function isPartialDate(value: unknown): value is PartialDate {
  return typeof value === 'string' && describePartialDateProblem(value) === null;
}

/** The precision of a valid partial date. */
export function partialDatePrecision(date: PartialDate): PartialDatePrecision {
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day';
}

const lastDayOfMonth = (year: number, month: number): number => {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
};

/** The earliest and latest calendar days a partial date may stand for. */
export function partialDateBounds(date: PartialDate): { earliest: IsoDate; latest: IsoDate } {
  const [y, m, d] = date.split('-');
  if (d !== undefined) return { earliest: date, latest: date };
  if (m !== undefined) {
    const last = lastDayOfMonth(Number(y), Number(m));
    return { earliest: `${y}-${m}-01`, latest: `${y}-${m}-${String(last).padStart(2, '0')}` };
  }
  return { earliest: `${y}-01-01`, latest: `${y}-12-31` };
}

/**
 * Orders two partial dates where that is decidable: compares them at their common precision and
 * returns -1 or 1 when they differ there; returns 0 only when both are equally precise and equal;
 * returns null when they agree at the common precision but one is more precise (2026-05 vs 2026-05-10
 * could be either order).
 */
export function comparePartialDates(a: PartialDate, b: PartialDate): -1 | 0 | 1 | null {
  const common = Math.min(a.length, b.length);
  const pa = a.slice(0, common);
  const pb = b.slice(0, common);
  if (pa < pb) return -1;
  if (pa > pb) return 1;
  return a.length === b.length ? 0 : null;
}

/** Whether partial date `a` is certainly before the calendar day `day`. */
export function isCertainlyBefore(a: PartialDate, day: IsoDate): boolean {
  return partialDateBounds(a).latest < day;
}

/** Whether partial date `a` is certainly after the calendar day `day`. */
export function isCertainlyAfter(a: PartialDate, day: IsoDate): boolean {
  return partialDateBounds(a).earliest > day;
}
