import { describe, expect, it } from 'vitest';
import { formatCopenhagenInstant } from './copenhagen-time.js';
import { caseDeadlines, deadlineNotificationLevel } from './sae-case-deadlines.js';

const at = (s: string): Date => new Date(s);
const fmt = (d: Date): string => formatCopenhagenInstant(d);

describe('caseDeadlines', () => {
  it('an SAE has only the 24-hour clock until it is classified as a SUSAR', () => {
    const facts = {
      investigatorAwareness: at('2026-03-28T12:00:00+01:00'),
      sponsorAwareness: at('2026-03-28T15:00:00+01:00'),
      susar: null,
      fatalOrLifeThreatening: true,
      submissions: [],
    };
    const d = caseDeadlines(facts, at('2026-03-28T13:00:00+01:00'));
    expect(d.map((x) => [x.kind, fmt(x.due), x.status])).toEqual([
      ['sponsor_report', '2026-03-29T13:00:00+02:00', 'due_soon'],
    ]);
    expect(caseDeadlines({ ...facts, susar: false }, at('2026-03-30T00:00:00Z'))[0]!.status).toBe('overdue');
  });

  it('a report at exactly 24 h is on time; one second later is late', () => {
    const base = {
      investigatorAwareness: at('2026-03-28T12:00:00+01:00'),
      sponsorAwareness: null,
      susar: null,
      fatalOrLifeThreatening: false,
    };
    const onTime = caseDeadlines(
      { ...base, submissions: [{ kind: 'investigator_initial_report', occurredAt: at('2026-03-29T13:00:00+02:00') }] },
      at('2026-04-01T00:00:00Z'),
    );
    expect(onTime[0]).toMatchObject({ status: 'met' });
    const late = caseDeadlines(
      { ...base, submissions: [{ kind: 'investigator_initial_report', occurredAt: at('2026-03-29T13:00:01+02:00') }] },
      at('2026-04-01T00:00:00Z'),
    );
    expect(late[0]).toMatchObject({ status: 'met_late' });
    // The first report counts, not a later follow-up.
    const both = caseDeadlines(
      {
        ...base,
        submissions: [
          { kind: 'investigator_follow_up_report', occurredAt: at('2026-03-28T13:00:00+01:00') },
          { kind: 'investigator_initial_report', occurredAt: at('2026-03-30T13:00:00+02:00') },
          { kind: 'investigator_initial_report', occurredAt: at('2026-03-29T10:00:00+02:00') },
        ],
      },
      at('2026-04-01T00:00:00Z'),
    );
    expect(both[0]!.metAt).toEqual(at('2026-03-29T10:00:00+02:00'));
  });

  it('fatal SUSAR: 7 days and 8 more for the follow-up; other SUSAR: 15 days', () => {
    const fatal = caseDeadlines(
      {
        investigatorAwareness: at('2026-06-30T08:00:00Z'),
        sponsorAwareness: at('2026-06-30T22:30:00Z'),
        susar: true,
        fatalOrLifeThreatening: true,
        submissions: [],
      },
      at('2026-07-01T00:00:00Z'),
    );
    expect(fatal.map((x) => [x.kind, fmt(x.due)])).toEqual([
      ['sponsor_report', '2026-07-01T10:00:00+02:00'],
      ['susar_initial', '2026-07-09T00:00:00+02:00'],
      ['susar_followup', '2026-07-17T00:00:00+02:00'],
    ]);
    const other = caseDeadlines(
      {
        investigatorAwareness: at('2026-10-10T08:00:00Z'),
        sponsorAwareness: at('2026-10-10T09:00:00Z'),
        susar: true,
        fatalOrLifeThreatening: false,
        submissions: [],
      },
      at('2026-10-10T10:00:00Z'),
    );
    // Day 15 is 25 October, the day the clocks fall back: the end of that day is 00:00 CET.
    expect(other.map((x) => [x.kind, fmt(x.due)])).toEqual([
      ['sponsor_report', '2026-10-11T10:00:00+02:00'],
      ['susar_initial', '2026-10-26T00:00:00+01:00'],
    ]);
  });

  it('announces near and overdue deadlines once they matter', () => {
    const [d] = caseDeadlines(
      {
        investigatorAwareness: at('2026-05-01T10:00:00Z'),
        sponsorAwareness: null,
        susar: null,
        fatalOrLifeThreatening: false,
        submissions: [],
      },
      at('2026-05-01T10:00:00Z'),
    );
    expect(deadlineNotificationLevel(d!, at('2026-05-02T03:59:59Z'))).toBeNull();
    expect(deadlineNotificationLevel(d!, at('2026-05-02T04:00:00Z'))).toBe('near');
    expect(deadlineNotificationLevel(d!, at('2026-05-02T10:00:00Z'))).toBe('near');
    expect(deadlineNotificationLevel(d!, at('2026-05-02T10:00:00.001Z'))).toBe('overdue');
    expect(
      deadlineNotificationLevel({ ...d!, metAt: at('2026-05-01T12:00:00Z') }, at('2026-05-03T00:00:00Z')),
    ).toBeNull();
  });
});
