import { describe, expect, it } from 'vitest';
import { KOOS_ITEM_IDS, KOOS_SUBSCALES, type KoosAnswer, type KoosAnswers, type KoosItemId } from './koos-items.js';
import { scoreKoos } from './score-koos.js';

/** Answers for `prefix1…prefixN` from a list; null entries are unanswered. */
function answersFor(prefix: string, values: (KoosAnswer | null)[]): KoosAnswers {
  const answers: KoosAnswers = {};
  values.forEach((v, i) => {
    answers[`${prefix}${i + 1}` as KoosItemId] = v;
  });
  return answers;
}

/** Every item set to `value`. */
const allItems = (value: KoosAnswer): KoosAnswers => Object.fromEntries(KOOS_ITEM_IDS.map((id) => [id, value]));

describe('scoreKoos: worked examples of data dictionary §1.3', () => {
  it('Pain P1–P9 = 3,2,1,2,3,4,1,2,3 → 41.667', () => {
    expect(scoreKoos(answersFor('P', [3, 2, 1, 2, 3, 4, 1, 2, 3])).pain).toBeCloseTo(41.667, 3);
  });
  it('Symptoms S1–S7 = 1,4,2,1,3,2,3 → 42.857', () => {
    expect(scoreKoos(answersFor('S', [1, 4, 2, 1, 3, 2, 3])).symptoms).toBeCloseTo(42.857, 3);
  });
  it('ADL A1–A17 → 42.647', () => {
    const adl = scoreKoos(answersFor('A', [2, 3, 1, 2, 4, 1, 3, 2, 3, 1, 2, 3, 4, 1, 2, 3, 2])).adl;
    expect(adl).toBeCloseTo(42.647, 3);
  });
  it('Sport SP1–SP5 = 3,4,3,2,4 → 20.000', () => {
    expect(scoreKoos(answersFor('SP', [3, 4, 3, 2, 4])).sport).toBe(20);
  });
  it('QOL Q1–Q4 = 3,2,3,2 → 37.500', () => {
    expect(scoreKoos(answersFor('Q', [3, 2, 3, 2])).qol).toBe(37.5);
  });
  it('Pain with P2 and P7 missing → 35.714', () => {
    expect(scoreKoos(answersFor('P', [3, null, 1, 2, 3, 4, null, 2, 3])).pain).toBeCloseTo(35.714, 3);
  });
  it('Pain with P1–P4 missing → 35.000 (still valid)', () => {
    expect(scoreKoos(answersFor('P', [null, null, null, null, 3, 4, 1, 2, 3])).pain).toBe(35);
  });
  it('Pain with P1–P5 missing → null', () => {
    expect(scoreKoos(answersFor('P', [null, null, null, null, null, 4, 1, 2, 3])).pain).toBeNull();
  });
  it('QOL with Q2 and Q3 missing → 37.500', () => {
    expect(scoreKoos(answersFor('Q', [3, null, null, 2])).qol).toBe(37.5);
  });
  it('keeps scores unrounded', () => {
    expect(scoreKoos(answersFor('P', [3, 2, 1, 2, 3, 4, 1, 2, 3])).pain).toBe(100 - (21 * 25) / 9);
  });
});

describe('scoreKoos: edges', () => {
  it('all 0 → 100, all 2 → 50, all 4 → 0', () => {
    expect(scoreKoos(allItems(0))).toEqual({ symptoms: 100, pain: 100, adl: 100, sport: 100, qol: 100 });
    expect(scoreKoos(allItems(2))).toEqual({ symptoms: 50, pain: 50, adl: 50, sport: 50, qol: 50 });
    expect(scoreKoos(allItems(4))).toEqual({ symptoms: 0, pain: 0, adl: 0, sport: 0, qol: 0 });
  });

  it('nothing answered → every subscale null', () => {
    expect(scoreKoos({})).toEqual({ symptoms: null, pain: null, adl: null, sport: null, qol: null });
  });

  const thresholds = { symptoms: 4, pain: 5, adl: 9, sport: 3, qol: 2 } as const;
  for (const subscale of KOOS_SUBSCALES) {
    it(`${subscale.id}: valid with exactly ${thresholds[subscale.id]} answered, null with one fewer`, () => {
      expect(subscale.minAnswered).toBe(thresholds[subscale.id]);
      const answered = (n: number): KoosAnswers =>
        Object.fromEntries(subscale.items.map((id, i) => [id, i < n ? (1 as KoosAnswer) : null]));
      expect(scoreKoos(answered(subscale.minAnswered))[subscale.id]).toBe(75);
      expect(scoreKoos(answered(subscale.minAnswered - 1))[subscale.id]).toBeNull();
      // Absent keys count as unanswered, exactly like null.
      const absent = Object.fromEntries(subscale.items.slice(0, subscale.minAnswered - 1).map((id) => [id, 1]));
      expect(scoreKoos(absent)[subscale.id]).toBeNull();
    });
  }

  it('scores subscales independently with partial answers', () => {
    const answers: KoosAnswers = { ...answersFor('S', [0, 0, 0, 4]), ...answersFor('Q', [4]) };
    expect(scoreKoos(answers)).toEqual({ symptoms: 75, pain: null, adl: null, sport: null, qol: null });
  });

  it('has 42 items in the official order', () => {
    expect(KOOS_ITEM_IDS).toHaveLength(42);
    expect(KOOS_SUBSCALES.map((s) => s.items.length)).toEqual([7, 9, 17, 5, 4]);
    expect(KOOS_SUBSCALES.flatMap((s) => s.items)).toEqual([...KOOS_ITEM_IDS]);
    expect(KOOS_SUBSCALES[0]?.items).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7']);
  });
});
