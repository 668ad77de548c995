import { describe, expect, it } from 'vitest';
import { parseKoosAnswers } from './parse-koos-answers.js';

describe('parseKoosAnswers', () => {
  it('accepts integers 0–4 and null; missing keys stay unanswered', () => {
    expect(parseKoosAnswers({ S1: 0, S2: 4, P1: null })).toEqual({ ok: true, answers: { S1: 0, S2: 4, P1: null } });
    expect(parseKoosAnswers({})).toEqual({ ok: true, answers: {} });
  });

  it('rejects values outside 0–4, non-integers and other types, naming each item', () => {
    const r = parseKoosAnswers({ S1: 5, S2: -1, S3: 2.5, S4: '2', S5: true, S6: 2, Q4: [1] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'Q4']);
  });

  it('rejects unknown keys', () => {
    const r = parseKoosAnswers({ S8: 1, Sy1: 2, s1: 0, A1: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.path)).toEqual(['S8', 'Sy1', 's1']);
      expect(r.errors.every((e) => e.code === 'unknown_item')).toBe(true);
    }
  });

  it('rejects input that is not an object', () => {
    for (const input of [null, [], 3, 'S1', undefined]) expect(parseKoosAnswers(input).ok).toBe(false);
  });
});
