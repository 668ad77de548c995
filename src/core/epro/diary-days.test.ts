import { describe, expect, it } from 'vitest';
import { copenhagenDateOf, copenhagenInstant, formatCopenhagen } from './copenhagen-clock.js';
import {
  computeDiaryCompliance,
  diaryDayOfVisit,
  diaryDayState,
  diaryDayWindow,
  isLateDiaryEntry,
} from './diary-days.js';
import { planReminders } from './reminder-plan.js';

const iso = (d: Date): string => d.toISOString();

describe('Copenhagen wall clock', () => {
  it('resolves local times to instants with the offset in force (CET +01, CEST +02)', () => {
    expect(iso(copenhagenInstant('2026-01-15', '18:00'))).toBe('2026-01-15T17:00:00.000Z');
    expect(iso(copenhagenInstant('2026-07-15', '18:00'))).toBe('2026-07-15T16:00:00.000Z');
  });

  it('handles the spring-forward day (last Sunday of March 2026 = 29 March): 23 hours long', () => {
    const start = copenhagenInstant('2026-03-29', '00:00');
    const next = copenhagenInstant('2026-03-30', '00:00');
    expect(iso(start)).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(next)).toBe('2026-03-29T22:00:00.000Z');
    expect((next.getTime() - start.getTime()) / 3_600_000).toBe(23);
    // 02:30 does not exist that night; it resolves to 03:30 CEST.
    expect(formatCopenhagen(copenhagenInstant('2026-03-29', '02:30'))).toBe('2026-03-29T03:30:00+02:00');
  });

  it('handles the fall-back day (last Sunday of October 2026 = 25 October): 25 hours long', () => {
    const start = copenhagenInstant('2026-10-25', '00:00');
    const next = copenhagenInstant('2026-10-26', '00:00');
    expect(iso(start)).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(next)).toBe('2026-10-25T23:00:00.000Z');
    expect((next.getTime() - start.getTime()) / 3_600_000).toBe(25);
  });

  it('gives the Copenhagen date of an instant, not the UTC date', () => {
    expect(copenhagenDateOf(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(copenhagenDateOf(new Date('2026-10-25T22:59:59Z'))).toBe('2026-10-25');
    expect(copenhagenDateOf(new Date('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });
});

describe('diary day windows across daylight saving time', () => {
  // Day 0 on Friday 27 March 2026: D2 is Sunday 29 March, the spring-forward day.
  const day0Spring = '2026-03-27';
  // Day 0 on Friday 23 October 2026: D2 is Sunday 25 October, the fall-back day.
  const day0Autumn = '2026-10-23';

  it('opens D2 at 18:00 local on the spring-forward Sunday and makes it late at local midnight', () => {
    const w = diaryDayWindow(day0Spring, 2);
    expect(w.entryDate).toBe('2026-03-29');
    expect(formatCopenhagen(w.opensAt)).toBe('2026-03-29T18:00:00+02:00');
    expect(iso(w.opensAt)).toBe('2026-03-29T16:00:00.000Z');
    expect(formatCopenhagen(w.lateFrom)).toBe('2026-03-30T00:00:00+02:00');
    expect(formatCopenhagen(w.closesAt)).toBe('2026-04-02T00:00:00+02:00');
    // The day before (Saturday, still CET) opens at 18:00 CET = 17:00 UTC.
    expect(iso(diaryDayWindow(day0Spring, 1).opensAt)).toBe('2026-03-28T17:00:00.000Z');
  });

  it('opens D2 at 18:00 local on the fall-back Sunday and makes it late at local midnight', () => {
    const w = diaryDayWindow(day0Autumn, 2);
    expect(w.entryDate).toBe('2026-10-25');
    expect(formatCopenhagen(w.opensAt)).toBe('2026-10-25T18:00:00+01:00');
    expect(iso(w.opensAt)).toBe('2026-10-25T17:00:00.000Z');
    expect(iso(w.lateFrom)).toBe('2026-10-25T23:00:00.000Z');
    // Saturday before: still CEST.
    expect(iso(diaryDayWindow(day0Autumn, 1).opensAt)).toBe('2026-10-24T16:00:00.000Z');
    expect(iso(diaryDayWindow(day0Autumn, 1).lateFrom)).toBe('2026-10-24T22:00:00.000Z');
  });

  it('states around the boundaries: one millisecond either side', () => {
    const w = diaryDayWindow(day0Autumn, 2);
    const at = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
    expect(diaryDayState(w, at(w.opensAt, -1))).toBe('not_yet_open');
    expect(diaryDayState(w, w.opensAt)).toBe('open');
    expect(diaryDayState(w, at(w.lateFrom, -1))).toBe('open');
    expect(diaryDayState(w, w.lateFrom)).toBe('late');
    expect(diaryDayState(w, at(w.closesAt, -1))).toBe('late');
    expect(diaryDayState(w, w.closesAt)).toBe('closed');
  });

  it('flags a late entry by the Copenhagen date, as the eCRF derivation does', () => {
    // 23:30 local on the fall-back Sunday is 22:30 UTC: still the diary date.
    expect(isLateDiaryEntry('2026-10-25', new Date('2026-10-25T22:30:00Z'))).toBe(false);
    // 00:30 local on Monday (23:30 UTC Sunday) is late although the UTC date is still Sunday.
    expect(isLateDiaryEntry('2026-10-25', new Date('2026-10-25T23:30:00Z'))).toBe(true);
    // Spring: 00:10 local on Monday 30 March is 22:10 UTC Sunday.
    expect(isLateDiaryEntry('2026-03-29', new Date('2026-03-29T22:10:00Z'))).toBe(true);
  });

  it('names diary visits D1…D30 only', () => {
    expect(diaryDayOfVisit('D1')).toBe(1);
    expect(diaryDayOfVisit('D30')).toBe(30);
    expect(diaryDayOfVisit('D31')).toBeNull();
    expect(diaryDayOfVisit('D0')).toBeNull();
    expect(diaryDayOfVisit('M3')).toBeNull();
    expect(diaryDayOfVisit('D01')).toBeNull();
  });
});

describe('compliance and reminder planning', () => {
  it('counts completed, late, due and missed days', () => {
    const now = copenhagenInstant('2026-03-27', '20:00'); // Day 0 = 2026-03-17 → D10 is today, open
    const submitted = new Map([
      [1, { late: false }],
      [2, { late: true }],
      [10, { late: false }],
    ]);
    const c = computeDiaryCompliance('2026-03-17', submitted, now);
    expect(c).toEqual({ completed: 3, late: 1, due: 10, missed: 4, of: 30 });
    // D3..D6 are closed (late limit 3 days) without entries; D7..D9 still accept late entries.
  });

  it('plans one evening reminder and one site alert per future diary day, with stable keys, in local time', () => {
    const plan = planReminders(
      'p1',
      '2026-10-23',
      [{ visitCode: 'M3', earliest: '2027-01-08', latest: '2027-02-05' }],
      new Date('2026-10-24T00:00:00Z'),
    );
    const d2 = plan.find((r) => r.dedupeKey === 'epro.diary_reminder:p1:D2');
    expect(d2 && formatCopenhagen(d2.runAt)).toBe('2026-10-25T19:00:00+01:00');
    const alert = plan.find((r) => r.dedupeKey === 'epro.missed_day_alert:p1:D2');
    expect(alert && formatCopenhagen(alert.runAt)).toBe('2026-10-26T12:00:00+01:00');
    expect(plan.filter((r) => r.kind === 'epro.diary_reminder')).toHaveLength(30);
    expect(plan.find((r) => r.kind === 'epro.visit_reminder')?.dedupeKey).toBe('epro.visit_reminder:p1:M3');
    // Already past occasions are not planned again.
    expect(planReminders('p1', '2026-10-23', [], new Date('2026-11-30T00:00:00Z'))).toHaveLength(0);
  });
});
