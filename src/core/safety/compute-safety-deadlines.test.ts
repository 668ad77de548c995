import fc from 'fast-check';
import { tzOffset } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { computeSafetyDeadlines, type SafetyClockInput } from './compute-safety-deadlines.js';
import { formatCopenhagenInstant } from './copenhagen-time.js';

/** Parses a test instant (the strings below always carry an offset). */
const at = (text: string): Date => new Date(text);
const show = (d: Date | null): string | null => (d ? formatCopenhagenInstant(d) : null);

/** Deadlines as printed strings, for readable expectations. */
function deadlines(
  input: Partial<Omit<SafetyClockInput, 'investigatorAwareness' | 'sponsorAwareness'>> & {
    inv?: string;
    sponsor?: string;
  },
) {
  const result = computeSafetyDeadlines({
    investigatorAwareness: input.inv ? at(input.inv) : null,
    sponsorAwareness: input.sponsor ? at(input.sponsor) : null,
    susar: input.susar ?? false,
    fatalOrLifeThreatening: input.fatalOrLifeThreatening ?? false,
  });
  return {
    sponsorReportDue: show(result.sponsorReportDue),
    susarInitialDue: show(result.susarInitialDue),
    susarFollowupDue: show(result.susarFollowupDue),
  };
}

const sponsorReportDue = (inv: string): string | null => deadlines({ inv }).sponsorReportDue;
const fatal = (sponsor: string): [string | null, string | null] => {
  const d = deadlines({ sponsor, susar: true, fatalOrLifeThreatening: true });
  return [d.susarInitialDue, d.susarFollowupDue];
};
const nonFatal = (sponsor: string): string | null => deadlines({ sponsor, susar: true }).susarInitialDue;

describe('investigator → sponsor: 24 elapsed hours', () => {
  it('is exactly 24 h later, printed in Copenhagen time', () => {
    expect(sponsorReportDue('2026-05-10T08:15:30Z')).toBe('2026-05-11T10:15:30+02:00');
    expect(sponsorReportDue('2026-01-10T08:15:30.250Z')).toBe('2026-01-11T09:15:30.250+01:00');
  });

  it('across spring-forward (29 March 2026) the wall clock moves one hour on', () => {
    expect(sponsorReportDue('2026-03-28T12:00+01:00')).toBe('2026-03-29T13:00:00+02:00');
    expect(sponsorReportDue('2026-03-29T01:30:00+01:00')).toBe('2026-03-30T02:30:00+02:00');
  });

  it('across fall-back (25 October 2026) the wall clock moves one hour back, also from the repeated hour', () => {
    expect(sponsorReportDue('2026-10-24T12:00:00+02:00')).toBe('2026-10-25T11:00:00+01:00');
    expect(sponsorReportDue('2026-10-25T02:30:00+02:00')).toBe('2026-10-26T01:30:00+01:00');
    expect(sponsorReportDue('2026-10-25T02:30:00+01:00')).toBe('2026-10-26T02:30:00+01:00');
  });

  it('accepts awareness written in other offsets', () => {
    expect(sponsorReportDue('2026-01-15T23:30:00+05:30')).toBe('2026-01-16T19:00:00+01:00');
    expect(sponsorReportDue('2026-01-15T20:00:00-05:00')).toBe('2026-01-17T02:00:00+01:00');
  });

  it('is null without investigator awareness', () => {
    expect(
      deadlines({ sponsor: '2026-05-10T08:00Z', susar: true, fatalOrLifeThreatening: true }).sponsorReportDue,
    ).toBeNull();
  });
});

describe('SUSAR: Copenhagen calendar days from the sponsor awareness date, due at the end of the day', () => {
  it('fatal: end of day 7, follow-up end of day 15; other: end of day 15 without follow-up', () => {
    expect(fatal('2026-03-01T10:00:00+01:00')).toEqual(['2026-03-09T00:00:00+01:00', '2026-03-17T00:00:00+01:00']);
    expect(deadlines({ sponsor: '2026-03-01T10:00:00+01:00', susar: true })).toEqual({
      sponsorReportDue: null,
      susarInitialDue: '2026-03-17T00:00:00+01:00',
      susarFollowupDue: null,
    });
  });

  it('counts day 0 as the Copenhagen date: just before and after Copenhagen midnight', () => {
    // 2026-06-30T22:30Z is 00:30 on 1 July in Copenhagen (CEST).
    expect(fatal('2026-06-30T22:30:00Z')).toEqual(['2026-07-09T00:00:00+02:00', '2026-07-17T00:00:00+02:00']);
    expect(fatal('2026-06-30T22:00:00Z')[0]).toBe('2026-07-09T00:00:00+02:00');
    expect(fatal('2026-06-30T21:59:59.999Z')[0]).toBe('2026-07-08T00:00:00+02:00');
    expect(nonFatal('2026-06-30T21:59:59Z')).toBe('2026-07-16T00:00:00+02:00');
    // Winter: Copenhagen midnight is 23:00Z.
    expect(fatal('2026-01-31T22:59:59Z')[0]).toBe('2026-02-08T00:00:00+01:00');
    expect(fatal('2026-01-31T23:00:00Z')[0]).toBe('2026-02-09T00:00:00+01:00');
  });

  it('uses the Copenhagen date, not the date in the offset the input was written in', () => {
    // 1 July in India, still 30 June in Copenhagen.
    expect(fatal('2026-07-01T03:00:00+05:30')[0]).toBe('2026-07-08T00:00:00+02:00');
    // 30 June in New York, already 1 July in Copenhagen.
    expect(fatal('2026-06-30T18:30:00-05:00')[0]).toBe('2026-07-09T00:00:00+02:00');
    expect(fatal('2026-06-30T22:30:00+00:00')[0]).toBe('2026-07-09T00:00:00+02:00');
  });

  it('across spring-forward: the offset changes from +01:00 to +02:00 on the due day', () => {
    expect(fatal('2026-03-25T09:00:00+01:00')).toEqual(['2026-04-02T00:00:00+02:00', '2026-04-10T00:00:00+02:00']);
    expect(nonFatal('2026-03-25T09:00:00+01:00')).toBe('2026-04-10T00:00:00+02:00');
    // Day 7 is Saturday 28 March: due at the midnight before the clocks change.
    expect(fatal('2026-03-21T12:00:00+01:00')).toEqual(['2026-03-29T00:00:00+01:00', '2026-04-06T00:00:00+02:00']);
    // Day 7 is the 23-hour day itself.
    const due = computeSafetyDeadlines({
      sponsorAwareness: at('2026-03-22T12:00:00+01:00'),
      susar: true,
      fatalOrLifeThreatening: true,
    }).susarInitialDue!;
    expect(formatCopenhagenInstant(due)).toBe('2026-03-30T00:00:00+02:00');
    expect(due.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('across fall-back: the offset changes from +02:00 to +01:00', () => {
    expect(fatal('2026-10-20T12:00:00+02:00')[0]).toBe('2026-10-28T00:00:00+01:00');
    expect(fatal('2026-10-17T12:00:00+02:00')[0]).toBe('2026-10-25T00:00:00+02:00');
    // Day 7 is the 25-hour day itself.
    const due = computeSafetyDeadlines({
      sponsorAwareness: at('2026-10-18T12:00:00+02:00'),
      susar: true,
      fatalOrLifeThreatening: true,
    }).susarInitialDue!;
    expect(formatCopenhagenInstant(due)).toBe('2026-10-26T00:00:00+01:00');
    expect(due.toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // Awareness in the repeated hour 02:00–03:00 of 25 October still counts from 25 October.
    expect(fatal('2026-10-25T01:30:00Z')[0]).toBe('2026-11-02T00:00:00+01:00');
    expect(nonFatal('2026-10-10T12:00:00+02:00')).toBe('2026-10-26T00:00:00+01:00');
  });

  it('crosses month, year and leap-day boundaries on the calendar', () => {
    expect(fatal('2026-12-28T10:00:00Z')).toEqual(['2027-01-05T00:00:00+01:00', '2027-01-13T00:00:00+01:00']);
    expect(fatal('2028-02-25T10:00:00Z')[0]).toBe('2028-03-04T00:00:00+01:00');
    expect(fatal('2027-02-25T10:00:00Z')[0]).toBe('2027-03-05T00:00:00+01:00');
  });

  it('is null when not a SUSAR or when the sponsor is not aware yet', () => {
    expect(
      deadlines({ inv: '2026-05-10T08:00Z', sponsor: '2026-05-10T09:00Z', susar: false, fatalOrLifeThreatening: true }),
    ).toEqual({
      sponsorReportDue: '2026-05-11T10:00:00+02:00',
      susarInitialDue: null,
      susarFollowupDue: null,
    });
    expect(deadlines({ inv: '2026-05-10T08:00Z', susar: true, fatalOrLifeThreatening: true })).toEqual({
      sponsorReportDue: '2026-05-11T10:00:00+02:00',
      susarInitialDue: null,
      susarFollowupDue: null,
    });
  });

  it('property: due at Copenhagen midnight, 8 (fatal) / 16 calendar days after day 0, with the offset in force', () => {
    const calendarDay = (formatted: string): number =>
      Date.UTC(+formatted.slice(0, 4), +formatted.slice(5, 7) - 1, +formatted.slice(8, 10)) / 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.boolean(), (ms, isFatal) => {
        const aware = new Date(ms);
        const result = computeSafetyDeadlines({
          investigatorAwareness: aware,
          sponsorAwareness: aware,
          susar: true,
          fatalOrLifeThreatening: isFatal,
        });
        expect(result.sponsorReportDue!.getTime() - ms).toBe(86_400_000);
        const initial = formatCopenhagenInstant(result.susarInitialDue!);
        expect(initial).toMatch(/T00:00:00\+0[12]:00$/);
        const offset = tzOffset('Europe/Copenhagen', result.susarInitialDue!);
        expect(initial.endsWith(offset === 60 ? '+01:00' : '+02:00')).toBe(true);
        expect(calendarDay(initial) - calendarDay(formatCopenhagenInstant(aware))).toBe(isFatal ? 8 : 16);
        if (isFatal) {
          const followup = formatCopenhagenInstant(result.susarFollowupDue!);
          expect(calendarDay(followup) - calendarDay(initial)).toBe(8);
          expect(followup).toMatch(/T00:00:00\+0[12]:00$/);
        } else {
          expect(result.susarFollowupDue).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
  });
});
