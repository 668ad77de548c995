/**
 * The deadlines of one SAE case and where each stands: computed from the awareness instants by
 * `computeSafetyDeadlines` (protocol §7), then matched against what has been submitted. A deadline
 * is met by the first submission of its kind; a submission at exactly the due instant is on time.
 */
import { computeSafetyDeadlines } from './compute-safety-deadlines.js';
import { deadlineStatus, type DeadlineStatus } from './deadline-status.js';

/** What can be recorded on a case: reports sent and receipts acknowledged, each with its time. */
export const SAE_SUBMISSION_KINDS = [
  'investigator_initial_report',
  'investigator_follow_up_report',
  'sponsor_acknowledgement',
  'susar_initial_report',
  'susar_follow_up_report',
] as const;
/** One submission kind. */
export type SaeSubmissionKind = (typeof SAE_SUBMISSION_KINDS)[number];

/** Submissions that reveal the SUSAR classification (shown only to those who may see it). */
export const SUSAR_SUBMISSION_KINDS: readonly SaeSubmissionKind[] = ['susar_initial_report', 'susar_follow_up_report'];

/** The clocks of a case. */
export const CASE_DEADLINE_KINDS = ['sponsor_report', 'susar_initial', 'susar_followup'] as const;
/** One clock. */
export type CaseDeadlineKind = (typeof CASE_DEADLINE_KINDS)[number];

/** Labels for pages and notifications. */
export const CASE_DEADLINE_LABELS: Readonly<Record<CaseDeadlineKind, string>> = {
  sponsor_report: 'SAE report from the investigator to the sponsor (24 hours)',
  susar_initial: 'SUSAR report to EudraVigilance',
  susar_followup: 'Follow-up of the fatal or life-threatening SUSAR',
};

/** Which submission meets which deadline. */
export const DEADLINE_MET_BY: Readonly<Record<CaseDeadlineKind, SaeSubmissionKind>> = {
  sponsor_report: 'investigator_initial_report',
  susar_initial: 'susar_initial_report',
  susar_followup: 'susar_follow_up_report',
};

/** Where a deadline stands: still open (pending, due soon, overdue) or met (on time or late). */
export type CaseDeadlineStatus = DeadlineStatus | 'met' | 'met_late';

/** The facts of one case that drive its clocks. */
export interface CaseClockFacts {
  investigatorAwareness: Date;
  /** Day 0 of the SUSAR clock (the sponsor's awareness); null until known. */
  sponsorAwareness: Date | null;
  /** null = not yet classified. */
  susar: boolean | null;
  fatalOrLifeThreatening: boolean;
  submissions: readonly { kind: SaeSubmissionKind; occurredAt: Date }[];
}

/** One deadline of a case. */
export interface CaseDeadline {
  kind: CaseDeadlineKind;
  due: Date;
  status: CaseDeadlineStatus;
  /** When it was met (the first submission of the meeting kind), or null. */
  metAt: Date | null;
}

/** The deadlines that apply to a case now, in clock order, with their status at `now`. */
export function caseDeadlines(facts: CaseClockFacts, now: Date): CaseDeadline[] {
  const due = computeSafetyDeadlines({
    investigatorAwareness: facts.investigatorAwareness,
    sponsorAwareness: facts.sponsorAwareness,
    susar: facts.susar === true,
    fatalOrLifeThreatening: facts.fatalOrLifeThreatening,
  });
  const firstOf = (kind: SaeSubmissionKind): Date | null =>
    facts.submissions
      .filter((s) => s.kind === kind)
      .reduce<Date | null>((min, s) => (min === null || s.occurredAt < min ? s.occurredAt : min), null);
  const out: CaseDeadline[] = [];
  const add = (kind: CaseDeadlineKind, at: Date | null): void => {
    if (!at) return;
    const metAt = firstOf(DEADLINE_MET_BY[kind]);
    const status: CaseDeadlineStatus = metAt
      ? metAt.getTime() <= at.getTime()
        ? 'met'
        : 'met_late'
      : deadlineStatus(at, now);
    out.push({ kind, due: at, status, metAt });
  };
  add('sponsor_report', due.sponsorReportDue);
  add('susar_initial', due.susarInitialDue);
  add('susar_followup', due.susarFollowupDue);
  return out;
}

/**
 * How long before its due instant an open deadline is announced as near in the notification outbox:
 * a quarter of the 24-hour window for the investigator's report, two days for the SUSAR clocks.
 * (The dashboard's "due soon" is the fixed 24 hours of `deadlineStatus`.)
 */
export const NOTIFY_NEAR_MS: Readonly<Record<CaseDeadlineKind, number>> = {
  sponsor_report: 6 * 3_600_000,
  susar_initial: 2 * 86_400_000,
  susar_followup: 2 * 86_400_000,
};

/** The notification a deadline calls for at `now`: none, near, or overdue. */
export function deadlineNotificationLevel(deadline: CaseDeadline, now: Date): 'near' | 'overdue' | null {
  if (deadline.metAt) return null;
  const remaining = deadline.due.getTime() - now.getTime();
  if (remaining < 0) return 'overdue';
  if (remaining <= NOTIFY_NEAR_MS[deadline.kind]) return 'near';
  return null;
}
