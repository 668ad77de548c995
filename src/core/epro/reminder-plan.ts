/**
 * Reminder planning: which reminder and alert jobs a participant's diary and visit questionnaires
 * need, each with a stable key (so that planning twice never makes a second job) and its due time.
 */
import { addCalendarDays, type IsoDate } from '../schedule/plain-date.js';
import { copenhagenInstant } from './copenhagen-clock.js';
import { DEFAULT_DIARY_SETTINGS, diaryWindows, type DiarySettings } from './diary-days.js';

/** Job kinds of the ePRO module. */
export const EPRO_JOB_KINDS = [
  'epro.diary_reminder',
  'epro.missed_day_alert',
  'epro.visit_reminder',
  'epro.access_code',
] as const;
/** One ePRO job kind. */
export type EproJobKind = (typeof EPRO_JOB_KINDS)[number];

/** A planned job. */
export interface PlannedReminder {
  readonly kind: Exclude<EproJobKind, 'epro.access_code'>;
  /** Stable per participant and occasion (`epro.diary_reminder:<participant>:D5`). */
  readonly dedupeKey: string;
  readonly runAt: Date;
  readonly visitCode: string;
}

/** A visit questionnaire window (KOOS/NRS at a follow-up visit). */
export interface VisitWindow {
  readonly visitCode: string;
  readonly earliest: IsoDate;
  readonly latest: IsoDate;
}

/**
 * The reminders of one participant from `now` on: an evening reminder and a next-day site alert per
 * diary day, and a reminder on the first day of each visit questionnaire window (09:00 local).
 * Occasions already past are left out.
 */
export function planReminders(
  participantId: string,
  day0: IsoDate,
  visitWindows: readonly VisitWindow[],
  now: Date,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): PlannedReminder[] {
  const out: PlannedReminder[] = [];
  const t = now.getTime();
  for (const w of diaryWindows(day0, settings)) {
    const reminder = copenhagenInstant(w.entryDate, settings.reminderAt);
    const alert = copenhagenInstant(addCalendarDays(w.entryDate, 1), settings.missedAlertAt);
    if (reminder.getTime() > t) {
      out.push({
        kind: 'epro.diary_reminder',
        dedupeKey: `epro.diary_reminder:${participantId}:${w.visitCode}`,
        runAt: reminder,
        visitCode: w.visitCode,
      });
    }
    if (alert.getTime() > t) {
      out.push({
        kind: 'epro.missed_day_alert',
        dedupeKey: `epro.missed_day_alert:${participantId}:${w.visitCode}`,
        runAt: alert,
        visitCode: w.visitCode,
      });
    }
  }
  for (const v of visitWindows) {
    const at = copenhagenInstant(v.earliest, '09:00');
    if (at.getTime() > t) {
      out.push({
        kind: 'epro.visit_reminder',
        dedupeKey: `epro.visit_reminder:${participantId}:${v.visitCode}`,
        runAt: at,
        visitCode: v.visitCode,
      });
    }
  }
  return out;
}
