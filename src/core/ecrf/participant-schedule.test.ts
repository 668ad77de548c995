import { describe, expect, it } from 'vitest';
import { STEMJOINT_PROTOCOL } from '../protocol/stemjoint.js';
import { addCalendarDays } from '../schedule/plain-date.js';
import { STEMJOINT_VISIT_PLAN } from '../schedule/visit-plan.js';
import {
  computeParticipantSchedule,
  protocolVisitPlan,
  visitWindowDates,
  type RecordedVisit,
} from './participant-schedule.js';

const P = STEMJOINT_PROTOCOL;
const FOLLOW_UPS = ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;

function statusOf(visit: string, day0: string, doneOn: string) {
  const entry = computeParticipantSchedule(P, {
    day0,
    today: addCalendarDays(day0, 2000),
    recorded: new Map<string, RecordedVisit>([[visit, { date: doneOn, missed: false }]]),
    withdrawnOn: null,
  }).find((e) => e.visit === visit)!;
  return [entry.status, entry.deviation];
}

describe('the visit plan read from the protocol definition', () => {
  it('has the windows of spec §5, identical to the schedule module’s plan', () => {
    const plan = protocolVisitPlan(P);
    const strip = (v: { code: string; kind: string; targetDay: number; earliestDay: number; latestDay: number }) => [
      v.code,
      v.kind,
      v.targetDay,
      v.earliestDay,
      v.latestDay,
    ];
    expect(plan.visits.map(strip)).toEqual(STEMJOINT_VISIT_PLAN.visits.map(strip));
    expect(plan.diary).toMatchObject({ prefix: 'D', firstDay: 1, lastDay: 30 });
  });
});

describe.each(['2024-01-15', '2024-02-29', '2023-03-01'])('window edges of every visit, Day 0 %s', (day0) => {
  it.each(FOLLOW_UPS)('%s: in window from the first to the last day, out of window one day either side', (visit) => {
    const w = visitWindowDates(P, visit, day0)!;
    expect(statusOf(visit, day0, w.earliest)).toEqual(['done_in_window', false]);
    expect(statusOf(visit, day0, w.latest)).toEqual(['done_in_window', false]);
    expect(statusOf(visit, day0, w.target)).toEqual(['done_in_window', false]);
    expect(statusOf(visit, day0, addCalendarDays(w.earliest, -1))).toEqual(['done_out_of_window', true]);
    expect(statusOf(visit, day0, addCalendarDays(w.latest, 1))).toEqual(['done_out_of_window', true]);
  });
});

describe('window dates across leap years', () => {
  it('counts calendar days from a leap Day 0 (2024-02-29)', () => {
    expect(visitWindowDates(P, 'M12', '2024-02-29')).toEqual({
      target: '2025-02-28',
      earliest: '2025-01-29',
      latest: '2025-03-30',
    });
    expect(visitWindowDates(P, 'Y4', '2024-02-29')).toEqual({
      target: '2028-02-29',
      earliest: '2027-12-31',
      latest: '2028-04-29',
    });
  });
  it('counts 29 February inside a window (Day 0 2023-03-01, M12 target 2024-02-29)', () => {
    expect(visitWindowDates(P, 'M12', '2023-03-01')).toEqual({
      target: '2024-02-29',
      earliest: '2024-01-30',
      latest: '2024-03-30',
    });
  });
  it('has no window for the diary', () => {
    expect(visitWindowDates(P, 'D', '2024-01-01')).toBeNull();
  });
});

describe('computeParticipantSchedule', () => {
  const day0 = '2024-01-15';
  const none = new Map<string, RecordedVisit>();

  it('before Day 0 is known: screening and baseline due, follow-ups not yet due, no dates', () => {
    const s = computeParticipantSchedule(P, { day0: null, today: '2024-01-10', recorded: none, withdrawnOn: null });
    expect(s.map((e) => [e.visit, e.status, e.target])).toEqual([
      ['SCR', 'due', null],
      ['BL', 'due', null],
      ...FOLLOW_UPS.map((v) => [v, 'not_yet_due', null]),
    ]);
  });

  it('by today: not yet due, due inside the window, overdue after it (with days overdue)', () => {
    const at = (today: string) =>
      computeParticipantSchedule(P, { day0, today, recorded: none, withdrawnOn: null }).find((e) => e.visit === 'M3')!;
    expect(at('2024-03-31').status).toBe('not_yet_due');
    expect(at('2024-04-01').status).toBe('due');
    expect(at('2024-04-29').status).toBe('due');
    expect(at('2024-04-30')).toMatchObject({ status: 'overdue', daysOverdue: 1 });
  });

  it('records missed visits and the study day of done ones', () => {
    const recorded = new Map<string, RecordedVisit>([
      ['BL', { date: day0, missed: false }],
      ['M3', { date: '2024-04-20', missed: false }],
      ['M12', { date: null, missed: true }],
    ]);
    const s = computeParticipantSchedule(P, { day0, today: '2025-06-01', recorded, withdrawnOn: null });
    expect(s.find((e) => e.visit === 'M3')).toMatchObject({ status: 'done_in_window', studyDay: 96 });
    expect(s.find((e) => e.visit === 'M12')?.status).toBe('missed');
    expect(s.find((e) => e.visit === 'BL')?.status).toBe('done_in_window');
  });

  it('after withdrawal: later visits not applicable, done ones stay done', () => {
    const recorded = new Map<string, RecordedVisit>([['M3', { date: '2024-04-10', missed: false }]]);
    const s = computeParticipantSchedule(P, { day0, today: '2025-06-01', recorded, withdrawnOn: '2024-06-01' });
    expect(s.find((e) => e.visit === 'M3')?.status).toBe('done_in_window');
    for (const v of ['M12', 'M24', 'Y5']) expect(s.find((e) => e.visit === v)?.status).toBe('not_applicable');
  });
});
