/** `stemjoint koos score` in a real child process. */
import { describe, expect, it } from 'vitest';
import { runStemjoint } from '../../../test/support/cli.js';

const score = (input: unknown) =>
  runStemjoint(['koos', 'score'], { input: typeof input === 'string' ? input : JSON.stringify(input) });

describe('stemjoint koos score', () => {
  it('prints the five subscales unrounded, null when too few items are answered', async () => {
    const answers = {
      P1: 3,
      P2: 2,
      P3: 1,
      P4: 2,
      P5: 3,
      P6: 4,
      P7: 1,
      P8: 2,
      P9: 3,
      S1: 1,
      S2: 4,
      S3: 2,
      S4: 1,
      S5: 3,
      S6: 2,
      S7: 3,
      SP1: 3,
      SP2: 4,
      SP3: 3,
      SP4: null,
      Q1: 3,
      Q2: null,
      Q3: null,
      Q4: 2,
    };
    const r = await score(answers);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['symptoms', 'pain', 'adl', 'sport', 'qol']);
    expect(out.pain).toBe(100 - (21 * 25) / 9);
    expect(out.symptoms).toBeCloseTo(42.857, 3);
    expect(out.adl).toBeNull();
    expect(out.sport).toBe(100 - (10 * 25) / 3);
    expect(out.qol).toBe(37.5);
  });

  it('exit 3 naming each item that is out of range, not an integer or unknown', async () => {
    const r = await score({ S1: 5, S2: 1.5, P1: -1, A18: 2, S3: 2 });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(
      r.stderr
        .trim()
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual(['S1', 'S2', 'P1', 'A18']);
  });

  it('exit 3 on malformed JSON', async () => {
    expect((await score('{"S1": ')).code).toBe(3);
  });
});
