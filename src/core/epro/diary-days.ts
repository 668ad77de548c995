/**
 * The 30-day pain diary's days (Day 0 = injection day; diary days D1…D30): when each day opens for
 * entry, when an entry becomes late, and when late entries are no longer accepted. All boundaries
 * are Copenhagen wall-clock times, so they move with daylight saving time.
 */
import { addCalendarDays, type IsoDate } from '../schedule/plain-date.js';
import { copenhagenDateOf, copenhagenInstant } from './copenhagen-clock.js';

/** The first and last diary day. */
export const DIARY_FIRST_DAY = 1;
export const DIARY_LAST_DAY = 30;

/** How the diary's days open and close. */
export interface DiarySettings {
  /** Local time (HH:MM) at which a diary day opens on its own date (the evening question "the last 24 hours"). */
  readonly opensAt: string;
  /** Days after the diary date during which a late entry is still accepted (flagged late). */
  readonly lateDays: number;
  /** Local time (HH:MM) of the evening reminder on the diary date. */
  readonly reminderAt: string;
  /** Local time (HH:MM) on the day after the diary date at which the site hears of a missing entry. */
  readonly missedAlertAt: string;
}

/** Defaults: open at 18:00, reminder at 19:00, late entries for 3 more days, site alert next day 12:00. */
export const DEFAULT_DIARY_SETTINGS: DiarySettings = {
  opensAt: '18:00',
  lateDays: 3,
  reminderAt: '19:00',
  missedAlertAt: '12:00',
};

/** One diary day's boundaries (instants as `Date`). */
export interface DiaryDayWindow {
  readonly day: number;
  /** `D<day>`: the visit code of the day's form instance. */
  readonly visitCode: string;
  /** The diary date (Day 0 + day). */
  readonly entryDate: IsoDate;
  /** Entry opens at this instant (local `opensAt` on the diary date). */
  readonly opensAt: Date;
  /** From this instant (local midnight ending the diary date) an entry is late. */
  readonly lateFrom: Date;
  /** From this instant no entry is accepted any more. */
  readonly closesAt: Date;
}

/** Whether a visit code names a diary day (`D1`…`D30`); returns the day or null. */
export function diaryDayOfVisit(visitCode: string): number | null {
  const m = /^D([1-9]\d?)$/.exec(visitCode);
  if (m === null) return null;
  const day = Number(m[1]);
  return day >= DIARY_FIRST_DAY && day <= DIARY_LAST_DAY ? day : null;
}

/** The boundaries of diary day `day` for a participant injected on `day0`. */
export function diaryDayWindow(
  day0: IsoDate,
  day: number,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): DiaryDayWindow {
  const entryDate = addCalendarDays(day0, day);
  return {
    day,
    visitCode: `D${day}`,
    entryDate,
    opensAt: copenhagenInstant(entryDate, settings.opensAt),
    lateFrom: copenhagenInstant(addCalendarDays(entryDate, 1), '00:00'),
    closesAt: copenhagenInstant(addCalendarDays(entryDate, 1 + settings.lateDays), '00:00'),
  };
}

/** Where an instant stands relative to one diary day. */
export type DiaryDayState = 'not_yet_open' | 'open' | 'late' | 'closed';

/** The state of a diary day at an instant. */
export function diaryDayState(window: DiaryDayWindow, now: Date): DiaryDayState {
  const t = now.getTime();
  if (t < window.opensAt.getTime()) return 'not_yet_open';
  if (t < window.lateFrom.getTime()) return 'open';
  if (t < window.closesAt.getTime()) return 'late';
  return 'closed';
}

/** Every diary day's window. */
export function diaryWindows(day0: IsoDate, settings: DiarySettings = DEFAULT_DIARY_SETTINGS): DiaryDayWindow[] {
  const out: DiaryDayWindow[] = [];
  for (let d = DIARY_FIRST_DAY; d <= DIARY_LAST_DAY; d++) out.push(diaryDayWindow(day0, d, settings));
  return out;
}

/**
 * Whether an entry made at `enteredAt` for a diary date is late, by the same rule as the eCRF's
 * derived item `diary.lateEntry`: entered on a later Copenhagen date than the diary date.
 */
export function isLateDiaryEntry(entryDate: IsoDate, enteredAt: Date): boolean {
  return copenhagenDateOf(enteredAt) > entryDate;
}

/** Compliance: diary days submitted of the 30, and of those due so far. */
export interface DiaryCompliance {
  readonly completed: number;
  readonly late: number;
  /** Days whose entry window has opened by now. */
  readonly due: number;
  /** Days closed without an entry. */
  readonly missed: number;
  readonly of: number;
}

/** Compliance from the submitted diary days (with their late flag) at an instant. */
export function computeDiaryCompliance(
  day0: IsoDate | null,
  submitted: ReadonlyMap<number, { late: boolean }>,
  now: Date,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): DiaryCompliance {
  let due = 0;
  let missed = 0;
  if (day0 !== null) {
    for (const w of diaryWindows(day0, settings)) {
      const state = diaryDayState(w, now);
      if (state !== 'not_yet_open') due += 1;
      if (state === 'closed' && !submitted.has(w.day)) missed += 1;
    }
  }
  let late = 0;
  for (const s of submitted.values()) if (s.late) late += 1;
  return { completed: submitted.size, late, due, missed, of: DIARY_LAST_DAY };
}
