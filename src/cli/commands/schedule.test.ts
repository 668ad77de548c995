/** `stemjoint schedule` in a real child process. */
import { describe, expect, it } from 'vitest';
import { runStemjoint } from '../../../test/support/cli.js';

describe('stemjoint schedule', () => {
  it('--json prints the follow-up visits with target and window', async () => {
    const r = await runStemjoint(['schedule', '--day0', '2024-02-29', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { visit: 'M3', target: '2024-05-30', earliest: '2024-05-16', latest: '2024-06-13' },
      { visit: 'M12', target: '2025-02-28', earliest: '2025-01-29', latest: '2025-03-30' },
      { visit: 'M24', target: '2026-02-28', earliest: '2026-01-29', latest: '2026-03-30' },
      { visit: 'Y3', target: '2027-02-28', earliest: '2026-12-30', latest: '2027-04-29' },
      { visit: 'Y4', target: '2028-02-29', earliest: '2027-12-31', latest: '2028-04-29' },
      { visit: 'Y5', target: '2029-02-28', earliest: '2028-12-30', latest: '2029-04-29' },
    ]);
  });

  it('prints a readable table without --json', async () => {
    const r = await runStemjoint(['schedule', '--day0', '2024-01-15']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^M3 +3 months +day 91 +2024-04-15 +2024-04-01 … 2024-04-29 +±14 d$/m);
    expect(r.stdout).toMatch(/^Y5 +5 years +day 1826 +2029-01-14 +2028-11-15 … 2029-03-15 +±60 d$/m);
    expect(r.stdout).toMatch(/Pain diary D1–D30: 2024-01-16 … 2024-02-14/);
  });

  it('exit 3 naming --day0 for an impossible or missing date', async () => {
    const runs = await Promise.all(
      ['2023-02-29', '2024-1-5', 'tomorrow'].map((bad) => runStemjoint(['schedule', '--day0', bad, '--json'])),
    );
    for (const r of runs) {
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--day0/);
    }
    const missing = await runStemjoint(['schedule', '--json']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/--day0/);
  });
});
