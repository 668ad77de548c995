/**
 * Europe/Copenhagen wall-clock helpers for the safety clocks. Regulatory day counting in this trial
 * follows the Danish calendar whatever offset an input instant was written in, and every due time
 * is printed with the Copenhagen offset in force at that instant (+01:00 CET or +02:00 CEST).
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';

/** The time zone of the sponsor and the site (Aarhus, Denmark). */
export const COPENHAGEN_TZ = 'Europe/Copenhagen';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Formats an instant as ISO 8601 in Copenhagen local time with its offset, e.g.
 * `2026-03-29T13:00:00+02:00`. Seconds are always printed; milliseconds only when not zero
 * (`…T13:00:00.250+02:00`), so the usual whole-second due times read cleanly.
 */
export function formatCopenhagenInstant(instant: Date): string {
  const offsetMinutes = tzOffset(COPENHAGEN_TZ, instant);
  // Shift by the offset and read the UTC fields: that is the local wall clock, independent of the host's TZ.
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const ms = local.getUTCMilliseconds();
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant at which Copenhagen calendar day `dayNumber` ends, counting the Copenhagen date of
 * `instant` as day 0: local midnight (00:00) at the start of day dayNumber + 1, i.e. "24:00" of
 * day dayNumber. Copenhagen changes clocks at 02:00/03:00, so local midnight always exists exactly once.
 */
export function endOfCopenhagenDay(instant: Date, dayNumber: number): Date {
  const dayZeroStart = startOfDay(new TZDate(instant.getTime(), COPENHAGEN_TZ));
  return new Date(addDays(dayZeroStart, dayNumber + 1).getTime());
}
