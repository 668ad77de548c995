/**
 * Wall-clock arithmetic in Europe/Copenhagen for the participant diary. Diary days are Danish
 * calendar days: a day is 23 or 25 hours long on the last Sundays of March and October, so every
 * instant is computed from a local date and a local time, never by adding 24-hour steps.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import { formatCopenhagenInstant } from '../safety/copenhagen-time.js';
import type { IsoDate } from '../schedule/plain-date.js';

/** The time zone of the diary (the trial's only site is in Aarhus). */
export const DIARY_TIME_ZONE = 'Europe/Copenhagen';

/** The Copenhagen calendar date of an instant. */
export function copenhagenDateOf(instant: Date): IsoDate {
  return format(new TZDate(instant.getTime(), DIARY_TIME_ZONE), 'yyyy-MM-dd');
}

/**
 * The instant at which the Copenhagen wall clock shows `time` (HH:MM) on `date`. Times inside the
 * spring-forward gap (02:00–02:59 on the last Sunday of March) resolve to the instant one hour
 * later on the wall clock; the repeated hour in October resolves to its first occurrence.
 */
export function copenhagenInstant(date: IsoDate, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  // First guess with the offset at noon UTC of that date, then correct with the offset at the guess.
  const naiveUtc = Date.UTC(y, m - 1, d, hh, mm);
  const guessOffset = tzOffset(DIARY_TIME_ZONE, new Date(naiveUtc));
  let instant = naiveUtc - guessOffset * 60_000;
  const actualOffset = tzOffset(DIARY_TIME_ZONE, new Date(instant));
  if (actualOffset !== guessOffset) instant = naiveUtc - actualOffset * 60_000;
  return new Date(instant);
}

/** An instant written in Copenhagen local time with its offset (`2026-03-29T18:00:00+02:00`). */
export function formatCopenhagen(instant: Date): string {
  return formatCopenhagenInstant(instant);
}
