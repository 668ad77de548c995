import { describe, expect, it } from 'vitest';
import { isTrialError } from '../errors.js';
import { computeSchedule, diaryDays, findPlannedVisit } from './compute-schedule.js';
import { STEMJOINT_VISIT_PLAN, type VisitPlan } from './visit-plan.js';

describe('computeSchedule', () => {
  it('gives the expected target dates and windows for a fixed Day 0 (2024-01-15)', () => {
    expect(computeSchedule('2024-01-15')).toEqual([
      { visit: 'M3', target: '2024-04-15', earliest: '2024-04-01', latest: '2024-04-29' },
      { visit: 'M12', target: '2025-01-14', earliest: '2024-12-15', latest: '2025-02-13' },
      { visit: 'M24', target: '2026-01-14', earliest: '2025-12-15', latest: '2026-02-13' },
      { visit: 'Y3', target: '2027-01-14', earliest: '2026-11-15', latest: '2027-03-15' },
      { visit: 'Y4', target: '2028-01-15', earliest: '2027-11-16', latest: '2028-03-15' },
      { visit: 'Y5', target: '2029-01-14', earliest: '2028-11-15', latest: '2029-03-15' },
    ]);
  });

  it('handles Day 0 on a leap day (2024-02-29)', () => {
    expect(computeSchedule('2024-02-29')).toEqual([
      { visit: 'M3', target: '2024-05-30', earliest: '2024-05-16', latest: '2024-06-13' },
      { visit: 'M12', target: '2025-02-28', earliest: '2025-01-29', latest: '2025-03-30' },
      { visit: 'M24', target: '2026-02-28', earliest: '2026-01-29', latest: '2026-03-30' },
      { visit: 'Y3', target: '2027-02-28', earliest: '2026-12-30', latest: '2027-04-29' },
      { visit: 'Y4', target: '2028-02-29', earliest: '2027-12-31', latest: '2028-04-29' },
      { visit: 'Y5', target: '2029-02-28', earliest: '2028-12-30', latest: '2029-04-29' },
    ]);
  });

  it('counts 29 February when a window crosses it (Day 0 2023-03-01)', () => {
    expect(computeSchedule('2023-03-01')).toEqual([
      { visit: 'M3', target: '2023-05-31', earliest: '2023-05-17', latest: '2023-06-14' },
      { visit: 'M12', target: '2024-02-29', earliest: '2024-01-30', latest: '2024-03-30' },
      { visit: 'M24', target: '2025-02-28', earliest: '2025-01-29', latest: '2025-03-30' },
      { visit: 'Y3', target: '2026-02-28', earliest: '2025-12-30', latest: '2026-04-29' },
      { visit: 'Y4', target: '2027-03-01', earliest: '2026-12-31', latest: '2027-04-30' },
      { visit: 'Y5', target: '2028-02-29', earliest: '2027-12-31', latest: '2028-04-29' },
    ]);
  });

  it('does not depend on the process time zone around daylight-saving changes', () => {
    // 2024-03-31 is the EU spring-forward day; windows are whole calendar days regardless.
    expect(computeSchedule('2024-03-31')[0]).toEqual({
      visit: 'M3',
      target: '2024-06-30',
      earliest: '2024-06-16',
      latest: '2024-07-14',
    });
  });

  it('takes another plan as a parameter', () => {
    const plan: VisitPlan = {
      visits: [{ code: 'W6', label: 'Week 6', kind: 'followup', targetDay: 42, earliestDay: 35, latestDay: 49 }],
      diary: { prefix: 'D', label: 'Diary', firstDay: 1, lastDay: 2 },
    };
    expect(computeSchedule('2024-01-01', plan)).toEqual([
      { visit: 'W6', target: '2024-02-12', earliest: '2024-02-05', latest: '2024-02-19' },
    ]);
    expect(diaryDays('2024-01-01', plan).map((d) => d.visit)).toEqual(['D1', 'D2']);
  });

  it('rejects an impossible Day 0 with a validation error naming day0', () => {
    for (const bad of ['2023-02-29', '2024-13-01', 'yesterday', '']) {
      let error: unknown;
      try {
        computeSchedule(bad);
      } catch (e) {
        error = e;
      }
      expect(isTrialError(error)).toBe(true);
      if (isTrialError(error)) expect(error.details[0]?.path).toBe('day0');
    }
  });
});

describe('diaryDays', () => {
  it('lists D1 … D30, each due on its own day only', () => {
    const days = diaryDays('2024-02-29');
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ visit: 'D1', target: '2024-03-01', earliest: '2024-03-01', latest: '2024-03-01' });
    expect(days[29]).toEqual({ visit: 'D30', target: '2024-03-30', earliest: '2024-03-30', latest: '2024-03-30' });
    expect(diaryDays('2024-02-28')[0]?.target).toBe('2024-02-29');
  });
});

describe('findPlannedVisit', () => {
  it('knows the plan visits and the diary days, and nothing else', () => {
    expect(findPlannedVisit('M3')?.targetDay).toBe(91);
    expect(findPlannedVisit('Y4')?.targetDay).toBe(1461);
    expect(findPlannedVisit('D30')).toMatchObject({ kind: 'diary', earliestDay: 30, latestDay: 30 });
    for (const code of ['D0', 'D31', 'D01', 'D', 'M6', 'm3']) expect(findPlannedVisit(code)).toBeNull();
  });
  it('has the spec windows', () => {
    const windows = STEMJOINT_VISIT_PLAN.visits.map((v) => [v.code, v.targetDay, v.latestDay - v.targetDay]);
    expect(windows).toEqual([
      ['SCR', -1, 0],
      ['BL', 0, 0],
      ['M3', 91, 14],
      ['M12', 365, 30],
      ['M24', 730, 30],
      ['Y3', 1095, 60],
      ['Y4', 1461, 60],
      ['Y5', 1826, 60],
    ]);
  });
});
