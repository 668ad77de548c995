/** Where a safety deadline stands at a given moment (the clock is injected, never read here). */

/** Statuses shown on the safety dashboard, in order of urgency. */
export const DEADLINE_STATUSES = ['pending', 'due_soon', 'overdue'] as const;
/** One deadline status. */
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/** Window before the due instant in which a deadline is flagged as due soon. */
export const DUE_SOON_MS = 24 * 3_600_000;

/**
 * `overdue` once `now` is after `due` (the due instant itself is still on time, matching
 * "within 24 hours" and "by 24:00 of day N"); `due_soon` when less than 24 hours remain;
 * otherwise `pending`.
 */
export function deadlineStatus(due: Date, now: Date): DeadlineStatus {
  const remaining = due.getTime() - now.getTime();
  if (remaining < 0) return 'overdue';
  if (remaining < DUE_SOON_MS) return 'due_soon';
  return 'pending';
}
