/**
 * From a stored SAE case to the inputs of the pure clocks (`caseDeadlines`), and the due instants
 * that are denormalised onto the case row for sorting and for the dashboard.
 *
 * Clock starts: the investigator's report is due 24 h after the site's awareness of the event's
 * seriousness (`investigator_awareness_at`); the SUSAR clocks start on the day the sponsor had the
 * information that made the case a SUSAR (`susar_awareness_at`, set when a physician classifies the
 * case; it defaults to the sponsor's first awareness of the SAE, i.e. its acknowledgement).
 */
import {
  caseDeadlines,
  computeSafetyDeadlines,
  type CaseClockFacts,
  type CaseDeadline,
  type SaeSubmissionKind,
} from '../core/safety/index.js';
import type { SaeCaseTable } from '../storage/schema-safety.js';

type ClockColumns = Pick<
  SaeCaseTable,
  'investigator_awareness_at' | 'susar_awareness_at' | 'susar' | 'fatal_or_life_threatening'
>;

/** The pure-clock facts of a case row and its submissions. */
export function clockFacts(
  row: ClockColumns,
  submissions: readonly { kind: string; occurred_at: string }[],
): CaseClockFacts {
  return {
    investigatorAwareness: new Date(row.investigator_awareness_at),
    sponsorAwareness: row.susar_awareness_at ? new Date(row.susar_awareness_at) : null,
    susar: row.susar === null ? null : row.susar === 1,
    fatalOrLifeThreatening: row.fatal_or_life_threatening === 1,
    submissions: submissions.map((s) => ({ kind: s.kind as SaeSubmissionKind, occurredAt: new Date(s.occurred_at) })),
  };
}

/** The deadlines of a case at `now`. */
export function deadlinesOf(
  row: ClockColumns,
  submissions: readonly { kind: string; occurred_at: string }[],
  now: Date,
): CaseDeadline[] {
  return caseDeadlines(clockFacts(row, submissions), now);
}

/** The due columns of a case row. */
export function dueColumns(
  row: ClockColumns,
): Pick<SaeCaseTable, 'sponsor_report_due' | 'susar_initial_due' | 'susar_followup_due'> {
  const d = computeSafetyDeadlines({
    investigatorAwareness: new Date(row.investigator_awareness_at),
    sponsorAwareness: row.susar_awareness_at ? new Date(row.susar_awareness_at) : null,
    susar: row.susar === 1,
    fatalOrLifeThreatening: row.fatal_or_life_threatening === 1,
  });
  return {
    sponsor_report_due: d.sponsorReportDue!.toISOString(),
    susar_initial_due: d.susarInitialDue?.toISOString() ?? null,
    susar_followup_due: d.susarFollowupDue?.toISOString() ?? null,
  };
}
