/**
 * Plain calendar dates (`YYYY-MM-DD`) for the pure core. The trial's rules are stated in calendar
 * days and calendar months, never in instants, so dates travel as ISO strings and are only turned
 * into `Date` objects inside these helpers. The `Date` is built at local noon: date-fns works in the
 * process time zone, and noon is never skipped or repeated by a daylight-saving change, so the
 * calendar arithmetic gives the same answer in every time zone.
 */
import { addDays, differenceInCalendarDays, differenceInYears, format, getDaysInMonth, subMonths } from 'date-fns';

/** A calendar date written `YYYY-MM-DD` (four-digit year, no time, no zone). */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Builds the local-noon `Date` of a calendar day; `setFullYear` keeps years 0–99 literal. */
function makeNoonDate(year: number, month: number, day: number): Date {
  const date = new Date(2000, 0, 1, 12, 0, 0, 0);
  date.setFullYear(year, month - 1, day);
  return date;
}

/**
 * Checks that `value` is a string `YYYY-MM-DD` naming a day that exists (so `2023-02-30` and
 * `2023-13-01` are rejected, `2024-02-29` is accepted).
 */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= getDaysInMonth(makeNoonDate(year, month, 1));
}

/** Turns a valid ISO date into a local-noon `Date` for date-fns; throws on an invalid date (a programming error). */
export function toNoonDate(iso: IsoDate): Date {
  if (!isIsoDate(iso)) throw new RangeError(`not a calendar date: ${String(iso)}`);
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return makeNoonDate(year, month, day);
}

/** Formats the calendar day of a `Date` (in the process time zone) as `YYYY-MM-DD`. */
export function formatIsoDate(date: Date): IsoDate {
  return format(date, 'yyyy-MM-dd');
}

/** Builds an ISO date from year, month (1–12) and day; returns null when that day does not exist. */
export function makeIsoDate(year: number, month: number, day: number): IsoDate | null {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && isIsoDate(text) ? text : null;
}

/** The date `days` calendar days after `iso` (negative: before). */
export function addCalendarDays(iso: IsoDate, days: number): IsoDate {
  return formatIsoDate(addDays(toNoonDate(iso), days));
}

/**
 * The date `months` calendar months before `iso`, clamped to the last day of the target month
 * (31 May minus 3 months is 28 February, or 29 February in a leap year).
 */
export function subtractCalendarMonths(iso: IsoDate, months: number): IsoDate {
  return formatIsoDate(subMonths(toNoonDate(iso), months));
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(toNoonDate(to), toNoonDate(from));
}

/**
 * Completed years from `from` to `to` (age on a date). Someone born on 29 February completes a
 * year on 1 March in common years: the anniversary has not been reached on 28 February.
 */
export function completedYearsBetween(from: IsoDate, to: IsoDate): number {
  return differenceInYears(toNoonDate(to), toNoonDate(from));
}

/** Orders two ISO dates: negative when `a` is earlier, 0 when equal, positive when later. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  // Four-digit, zero-padded ISO dates sort lexicographically in calendar order.
  return a < b ? -1 : a > b ? 1 : 0;
}
