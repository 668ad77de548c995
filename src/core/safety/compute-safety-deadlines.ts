/**
 * Regulatory safety clocks (protocol §7; EU CTR Art. 41–42, data dictionary [A4]).
 *
 * - Investigator → sponsor, every SAE: due 24 elapsed hours after the investigator's awareness
 *   (an instant; across a daylight-saving change this is not the same wall-clock time next day:
 *   2026-03-28T12:00+01:00 → 2026-03-29T13:00:00+02:00).
 * - Sponsor, SUSAR: calendar days in Europe/Copenhagen from the sponsor's awareness. Day 0 is the
 *   Copenhagen date of the awareness instant (2026-06-30T22:30Z is already 1 July there). A fatal or
 *   life-threatening SUSAR is due at the end of day 7, its follow-up 8 days later at the end of day 15;
 *   any other SUSAR at the end of day 15, with no follow-up deadline.
 *
 * "End of day N" is the instant 24:00 Copenhagen time of day N, which we express — and print — as
 * 00:00:00 of day N + 1 with the Copenhagen offset in force then, e.g. day 7 = 2026-03-08 is due
 * `2026-03-09T00:00:00+01:00`. Due instants are inclusive limits: a report at exactly the due
 * instant is on time; one millisecond later it is overdue (see `deadlineStatus`).
 */
import { endOfCopenhagenDay } from './copenhagen-time.js';

/** The reporting periods, fixed by regulation rather than by the protocol definition. */
export const SAFETY_CLOCK_RULES = {
  /** Elapsed hours from investigator awareness to the SAE report to the sponsor. */
  investigatorReportHours: 24,
  /** Calendar days for a fatal or life-threatening SUSAR. */
  fatalSusarDays: 7,
  /** Further calendar days for the follow-up of a fatal or life-threatening SUSAR. */
  fatalSusarFollowupDays: 8,
  /** Calendar days for any other SUSAR. */
  otherSusarDays: 15,
} as const;

/** Facts about one serious adverse event that start the clocks. */
export interface SafetyClockInput {
  /** When the investigator (site) became aware of the SAE; null or absent when not yet known. */
  investigatorAwareness?: Date | null;
  /** When the sponsor became aware; null or absent when the sponsor has not been informed yet. */
  sponsorAwareness?: Date | null;
  /** Suspected unexpected serious adverse reaction (assessed by the sponsor). */
  susar: boolean;
  /** The SUSAR was fatal or life-threatening (ignored when `susar` is false). */
  fatalOrLifeThreatening: boolean;
}

/** The due instants; null where the clock does not apply or has not started. */
export interface SafetyDeadlines {
  /** Investigator's SAE report to the sponsor; null without investigator awareness. */
  sponsorReportDue: Date | null;
  /** Sponsor's initial SUSAR report; null when not a SUSAR or without sponsor awareness. */
  susarInitialDue: Date | null;
  /** Follow-up of a fatal or life-threatening SUSAR; null otherwise. */
  susarFollowupDue: Date | null;
}

const HOUR_MS = 3_600_000;

/** Computes the reporting deadlines for one SAE (semantics in the module comment). */
export function computeSafetyDeadlines(input: SafetyClockInput): SafetyDeadlines {
  const rules = SAFETY_CLOCK_RULES;
  const investigator = input.investigatorAwareness ?? null;
  const sponsor = input.sponsorAwareness ?? null;
  // Elapsed time, not wall-clock: plain millisecond arithmetic on the instant is exactly right here.
  const sponsorReportDue = investigator
    ? new Date(investigator.getTime() + rules.investigatorReportHours * HOUR_MS)
    : null;
  if (!input.susar || !sponsor) return { sponsorReportDue, susarInitialDue: null, susarFollowupDue: null };
  if (input.fatalOrLifeThreatening) {
    return {
      sponsorReportDue,
      susarInitialDue: endOfCopenhagenDay(sponsor, rules.fatalSusarDays),
      susarFollowupDue: endOfCopenhagenDay(sponsor, rules.fatalSusarDays + rules.fatalSusarFollowupDays),
    };
  }
  return {
    sponsorReportDue,
    susarInitialDue: endOfCopenhagenDay(sponsor, rules.otherSusarDays),
    susarFollowupDue: null,
  };
}
