import { describe, expect, it } from 'vitest';
import { isTrialError } from '../errors.js';
import { visitStatus } from './visit-status.js';

const DAY0 = '2024-01-15';
/** Window edges for Day 0 = 2024-01-15, computed independently (Python datetime). */
const EDGES = [
  { visit: 'M3', before: '2024-03-31', earliest: '2024-04-01', latest: '2024-04-29', after: '2024-04-30' },
  { visit: 'M12', before: '2024-12-14', earliest: '2024-12-15', latest: '2025-02-13', after: '2025-02-14' },
  { visit: 'M24', before: '2025-12-14', earliest: '2025-12-15', latest: '2026-02-13', after: '2026-02-14' },
  { visit: 'Y3', before: '2026-11-14', earliest: '2026-11-15', latest: '2027-03-15', after: '2027-03-16' },
  { visit: 'Y4', before: '2027-11-15', earliest: '2027-11-16', latest: '2028-03-15', after: '2028-03-16' },
  { visit: 'Y5', before: '2028-11-14', earliest: '2028-11-15', latest: '2029-03-15', after: '2029-03-16' },
] as const;

describe('visitStatus at the window edges of every visit', () => {
  for (const e of EDGES) {
    it(`${e.visit}: by today`, () => {
      const at = (today: string): string => visitStatus({ visit: e.visit, day0: DAY0, today }).status;
      expect(at(e.before)).toBe('not_yet_due');
      expect(at(e.earliest)).toBe('due');
      expect(at(e.latest)).toBe('due');
      expect(at(e.after)).toBe('overdue');
    });
    it(`${e.visit}: done on a day`, () => {
      const done = (doneOn: string) => visitStatus({ visit: e.visit, day0: DAY0, today: '2030-01-01', doneOn });
      expect(done(e.before)).toMatchObject({ status: 'done_out_of_window', deviation: true });
      expect(done(e.earliest)).toMatchObject({ status: 'done_in_window', deviation: false });
      expect(done(e.latest)).toMatchObject({ status: 'done_in_window', deviation: false });
      expect(done(e.after)).toMatchObject({ status: 'done_out_of_window', deviation: true });
    });
  }
});

describe('visitStatus', () => {
  it('returns the window with the status', () => {
    expect(visitStatus({ visit: 'M3', day0: DAY0, today: '2024-04-15' })).toEqual({
      visit: 'M3',
      target: '2024-04-15',
      earliest: '2024-04-01',
      latest: '2024-04-29',
      status: 'due',
      deviation: false,
    });
  });

  it('reports a recorded missed visit as missed', () => {
    expect(visitStatus({ visit: 'M12', day0: DAY0, today: '2024-06-01', missed: true }).status).toBe('missed');
  });

  it('keeps a done visit done even when also flagged missed or withdrawn later', () => {
    const r = visitStatus({
      visit: 'M3',
      day0: DAY0,
      today: '2025-01-01',
      doneOn: '2024-04-10',
      withdrawnOn: '2024-06-01',
    });
    expect(r.status).toBe('done_in_window');
  });

  it('makes visits not applicable after withdrawal, or missed when the window had already closed', () => {
    const withdrawn = (visit: string, withdrawnOn: string): string =>
      visitStatus({ visit, day0: DAY0, today: '2030-01-01', withdrawnOn }).status;
    expect(withdrawn('M12', '2024-06-01')).toBe('not_applicable');
    expect(withdrawn('M3', '2024-04-29')).toBe('not_applicable'); // on the window's last day
    expect(withdrawn('M3', '2024-04-30')).toBe('missed'); // the window closed before withdrawal
  });

  it('handles Day 0 on 29 February and windows crossing it', () => {
    expect(visitStatus({ visit: 'M12', day0: '2024-02-29', today: '2025-01-29' }).status).toBe('due');
    expect(visitStatus({ visit: 'M12', day0: '2024-02-29', today: '2025-01-28' }).status).toBe('not_yet_due');
    // M12 window of Day 0 2023-03-01 is 2024-01-30 … 2024-03-30 and contains 2024-02-29.
    expect(visitStatus({ visit: 'M12', day0: '2023-03-01', today: '2024-03-30' }).status).toBe('due');
    expect(visitStatus({ visit: 'M12', day0: '2023-03-01', today: '2024-03-31' }).status).toBe('overdue');
  });

  it('treats diary days as due on the day itself; later entries are out of window', () => {
    expect(visitStatus({ visit: 'D1', day0: '2024-02-28', today: '2024-02-29' }).status).toBe('due');
    expect(visitStatus({ visit: 'D1', day0: '2024-02-28', today: '2024-03-01' }).status).toBe('overdue');
    expect(visitStatus({ visit: 'D1', day0: '2024-02-28', today: '2024-02-28' }).status).toBe('not_yet_due');
    expect(visitStatus({ visit: 'D1', day0: '2024-02-28', today: '2024-03-05', doneOn: '2024-03-01' })).toMatchObject({
      status: 'done_out_of_window',
      deviation: true,
    });
  });

  it('knows baseline and screening windows', () => {
    expect(visitStatus({ visit: 'BL', day0: DAY0, today: DAY0, doneOn: DAY0 }).status).toBe('done_in_window');
    expect(visitStatus({ visit: 'SCR', day0: DAY0, today: DAY0, doneOn: '2023-12-18' }).status).toBe('done_in_window');
    expect(visitStatus({ visit: 'SCR', day0: DAY0, today: DAY0, doneOn: '2023-12-17' }).status).toBe(
      'done_out_of_window',
    );
  });

  it('rejects unknown visits and impossible dates with validation errors naming the field', () => {
    const pathOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        if (isTrialError(e)) return e.details[0]?.path;
      }
      return undefined;
    };
    expect(pathOf(() => visitStatus({ visit: 'M6', day0: DAY0, today: DAY0 }))).toBe('visit');
    expect(pathOf(() => visitStatus({ visit: 'M3', day0: '2023-02-29', today: DAY0 }))).toBe('day0');
    expect(pathOf(() => visitStatus({ visit: 'M3', day0: DAY0, today: '2024-1-1' }))).toBe('today');
    expect(pathOf(() => visitStatus({ visit: 'M3', day0: DAY0, today: DAY0, doneOn: '2024-04-31' }))).toBe('doneOn');
  });
});
