/** `stemjoint safety deadlines` run as a real child process, with JSON on stdin. */
import { describe, expect, it } from 'vitest';
import { runStemjoint } from '../../../test/support/cli.js';

const deadlines = (input: unknown, env?: Record<string, string>): ReturnType<typeof runStemjoint> =>
  runStemjoint(['safety', 'deadlines', '--json'], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    ...(env ? { env } : {}),
  });

describe('stemjoint safety deadlines', () => {
  it('prints the three due instants with the Copenhagen offset, whatever the host time zone', async () => {
    const input = {
      investigator_awareness: '2026-03-28T12:00+01:00',
      sponsor_awareness: '2026-06-30T22:30:00Z',
      susar: true,
      fatal_or_life_threatening: true,
    };
    const expected = {
      sponsor_report_due: '2026-03-29T13:00:00+02:00',
      susar_initial_due: '2026-07-09T00:00:00+02:00',
      susar_followup_due: '2026-07-17T00:00:00+02:00',
    };
    for (const tz of ['UTC', 'Pacific/Auckland', 'America/New_York']) {
      const result = await deadlines(input, { TZ: tz });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(expected);
    }
  });

  it('non-fatal SUSAR: 15 days, no follow-up; inputs in other offsets', async () => {
    const result = await deadlines({
      investigator_awareness: '2026-10-24T15:30:00+05:30',
      sponsor_awareness: '2026-10-09T19:00:00-05:00',
      susar: true,
      fatal_or_life_threatening: false,
    });
    expect(result.code, result.stderr).toBe(0);
    // 19:00 −05:00 on 9 October is 02:00 on 10 October in Copenhagen: day 0 = 10 October, day 15 = 25 October (fall-back day).
    expect(JSON.parse(result.stdout)).toEqual({
      sponsor_report_due: '2026-10-25T11:00:00+01:00',
      susar_initial_due: '2026-10-26T00:00:00+01:00',
      susar_followup_due: null,
    });
  });

  it('not a SUSAR: only the investigator report is due; awareness may be null', async () => {
    const result = await deadlines({
      investigator_awareness: '2026-05-10T08:00:00Z',
      sponsor_awareness: null,
      susar: false,
      fatal_or_life_threatening: false,
    });
    expect(JSON.parse(result.stdout)).toEqual({
      sponsor_report_due: '2026-05-11T10:00:00+02:00',
      susar_initial_due: null,
      susar_followup_due: null,
    });
  });

  it('prints readable lines without --json', async () => {
    const result = await runStemjoint(['safety', 'deadlines'], {
      input: JSON.stringify({ investigator_awareness: '2026-05-10T08:00:00Z', susar: false }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/sponsor report due +2026-05-11T10:00:00\+02:00/);
    expect(result.stdout).toMatch(/SUSAR initial due +not applicable/);
  });
});

// Each case is its own child process; running them concurrently keeps the file's wall time down.
describe.concurrent('stemjoint safety deadlines: malformed input', () => {
  it.each([
    [
      { investigator_awareness: '2026-03-28T12:00:00', susar: false, fatal_or_life_threatening: false },
      /investigator_awareness: missing UTC offset/,
    ],
    [
      { investigator_awareness: 'yesterday', susar: false, fatal_or_life_threatening: false },
      /investigator_awareness: must be an ISO 8601 instant/,
    ],
    [
      { sponsor_awareness: 20260328, susar: true, fatal_or_life_threatening: true },
      /sponsor_awareness: must be an ISO 8601 instant/,
    ],
    [
      { sponsor_awareness: '2026-02-30T12:00:00Z', susar: true, fatal_or_life_threatening: true },
      /sponsor_awareness: day out of range/,
    ],
    [
      { investigator_awareness: '2026-03-28T12:00Z', susar: 'true', fatal_or_life_threatening: false },
      /susar: must be true or false/,
    ],
    [
      { investigator_awareness: '2026-03-28T12:00Z', susar: false, fatal_or_life_threatening: null },
      /fatal_or_life_threatening: must be true or false/,
    ],
    [{ investigator_awareness: '2026-03-28T12:00Z', susar: false, fatal: true }, /fatal: unknown member/],
    [[1, 2], /must be an object/],
    ['{ not json', /not valid JSON/],
  ])('exits 3 naming the field for %j', async (input, pattern) => {
    const result = await deadlines(input);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toBe('');
  });
});
