/**
 * A participant's visit schedule read from the protocol definition (not a hard-coded plan): target
 * dates and windows from Day 0, and each visit's status from what has been recorded — not yet due,
 * due, overdue, done in window, done out of window (a protocol deviation, never a refusal), missed,
 * or not applicable after withdrawal.
 */
import type { VisitDef, VisitKind, ProtocolDefinition } from '../protocol/definition-types.js';
import type { LocalizedText } from '../protocol/localized-text.js';
import { calendarDaysBetween, type IsoDate } from '../schedule/plain-date.js';
import type { PlannedVisit, VisitPlan } from '../schedule/visit-plan.js';
import { visitStatus, type VisitStatus } from '../schedule/visit-status.js';

const PLANS = new WeakMap<ProtocolDefinition, VisitPlan>();

function plannedVisit(visit: VisitDef): PlannedVisit | null {
  const label = visit.name.en;
  switch (visit.kind) {
    case 'screening': {
      const from = visit.dayRange?.from ?? visit.targetDay ?? -1;
      const to = visit.dayRange?.to ?? visit.targetDay ?? -1;
      return { code: visit.code, label, kind: 'screening', targetDay: to, earliestDay: from, latestDay: to };
    }
    case 'baseline':
    case 'follow_up': {
      const target = visit.targetDay ?? 0;
      const before = visit.window?.before ?? 0;
      const after = visit.window?.after ?? 0;
      const kind = visit.kind === 'baseline' ? 'baseline' : 'followup';
      return {
        code: visit.code,
        label,
        kind,
        targetDay: target,
        earliestDay: target - before,
        latestDay: target + after,
      };
    }
    case 'diary':
      return null;
  }
}

/**
 * The visit plan (target days and inclusive windows relative to Day 0) of a protocol, in the shape
 * the schedule module computes with. Memoised per protocol version.
 */
export function protocolVisitPlan(protocol: ProtocolDefinition): VisitPlan {
  const cached = PLANS.get(protocol);
  if (cached !== undefined) return cached;
  const visits = protocol.visits.map(plannedVisit).filter((v): v is PlannedVisit => v !== null);
  const diaryDef = protocol.visits.find((v) => v.repeat !== undefined);
  const diary =
    diaryDef?.repeat === undefined
      ? { prefix: '#', label: 'none', firstDay: 1, lastDay: 0 }
      : {
          prefix: diaryDef.repeat.codePrefix,
          label: diaryDef.name.en,
          firstDay: diaryDef.repeat.fromDay,
          lastDay: diaryDef.repeat.toDay,
        };
  const plan: VisitPlan = { visits, diary };
  PLANS.set(protocol, plan);
  return plan;
}

/** The visits a casebook shows as columns, in schedule order: every visit except the repeating diary. */
export function casebookVisits(protocol: ProtocolDefinition): VisitDef[] {
  return protocol.visits.filter((v) => v.repeat === undefined);
}

/** What has been recorded about one visit. */
export interface RecordedVisit {
  readonly date: IsoDate | null;
  readonly missed: boolean;
}

/** Input of {@link computeParticipantSchedule}. */
export interface ParticipantScheduleInput {
  /** Day 0 (injection day), or null while unknown. */
  readonly day0: IsoDate | null;
  /** Today in the site's time zone (injected clock). */
  readonly today: IsoDate;
  /** Recorded visits by visit code. */
  readonly recorded: ReadonlyMap<string, RecordedVisit>;
  /** Withdrawal date when the participant has withdrawn (every withdrawal scope stops visits). */
  readonly withdrawnOn: IsoDate | null;
}

/** One visit of a participant's schedule. */
export interface ScheduleEntry {
  readonly visit: string;
  readonly name: LocalizedText;
  readonly kind: VisitKind;
  /** Target date and inclusive window; null while Day 0 is unknown. */
  readonly target: IsoDate | null;
  readonly earliest: IsoDate | null;
  readonly latest: IsoDate | null;
  readonly status: VisitStatus;
  /** Done outside the window: a protocol deviation to record and flag. */
  readonly deviation: boolean;
  readonly doneOn: IsoDate | null;
  /** Study day of the visit (done date − Day 0) when both are known. */
  readonly studyDay: number | null;
  /** Days past the window's last day for an overdue visit, else null. */
  readonly daysOverdue: number | null;
}

/**
 * The schedule of one participant: every non-diary visit of the protocol with dates and status.
 * Before Day 0 is known only screening and baseline can be due; follow-up visits are not yet due.
 */
export function computeParticipantSchedule(
  protocol: ProtocolDefinition,
  input: ParticipantScheduleInput,
): ScheduleEntry[] {
  const plan = protocolVisitPlan(protocol);
  return casebookVisits(protocol).map((visit): ScheduleEntry => {
    const rec = input.recorded.get(visit.code);
    const doneOn = rec?.date ?? null;
    const missed = rec?.missed === true && doneOn === null;
    const base = { visit: visit.code, name: visit.name, kind: visit.kind, doneOn };
    if (input.day0 === null) {
      const status: VisitStatus =
        doneOn !== null
          ? 'done_in_window'
          : missed
            ? 'missed'
            : input.withdrawnOn !== null
              ? 'not_applicable'
              : visit.kind === 'follow_up'
                ? 'not_yet_due'
                : 'due';
      return {
        ...base,
        target: null,
        earliest: null,
        latest: null,
        status,
        deviation: false,
        studyDay: null,
        daysOverdue: null,
      };
    }
    const result = visitStatus(
      { visit: visit.code, day0: input.day0, today: input.today, doneOn, missed, withdrawnOn: input.withdrawnOn },
      plan,
    );
    return {
      ...base,
      target: result.target,
      earliest: result.earliest,
      latest: result.latest,
      status: result.status,
      deviation: result.deviation,
      studyDay: doneOn === null ? null : calendarDaysBetween(input.day0, doneOn),
      daysOverdue: result.status === 'overdue' ? calendarDaysBetween(result.latest, input.today) : null,
    };
  });
}

/** The window of one visit for a Day 0: target, earliest and latest date (null for the diary). */
export function visitWindowDates(
  protocol: ProtocolDefinition,
  visitCode: string,
  day0: IsoDate,
): { target: IsoDate; earliest: IsoDate; latest: IsoDate } | null {
  const plan = protocolVisitPlan(protocol);
  if (!plan.visits.some((v) => v.code === visitCode)) return null;
  const r = visitStatus({ visit: visitCode, day0, today: day0 }, plan);
  return { target: r.target, earliest: r.earliest, latest: r.latest };
}
