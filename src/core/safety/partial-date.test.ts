import { describe, expect, it } from 'vitest';
import {
  comparePartialDates,
  describePartialDateProblem,
  isCertainlyAfter,
  isCertainlyBefore,
  partialDateBounds,
  partialDatePrecision,
} from './partial-date.js';

describe('partial dates', () => {
  it('accepts year, month and day precision and names the problem otherwise', () => {
    expect(describePartialDateProblem('2026')).toBeNull();
    expect(describePartialDateProblem('2026-02')).toBeNull();
    expect(describePartialDateProblem('2024-02-29')).toBeNull();
    expect(describePartialDateProblem('2026-02-29')).toBe('day out of range');
    expect(describePartialDateProblem('2026-13')).toBe('month out of range');
    expect(describePartialDateProblem('26-01-01')).toMatch(/YYYY-MM-DD/);
    expect(describePartialDateProblem('2026-1-5')).toMatch(/YYYY-MM-DD/);
    expect(describePartialDateProblem('1850')).toBe('year out of range');
    expect(partialDatePrecision('2026')).toBe('year');
    expect(partialDatePrecision('2026-03')).toBe('month');
    expect(partialDatePrecision('2026-03-01')).toBe('day');
  });

  it('gives the bounds a partial date may stand for', () => {
    expect(partialDateBounds('2024-02')).toEqual({ earliest: '2024-02-01', latest: '2024-02-29' });
    expect(partialDateBounds('2026')).toEqual({ earliest: '2026-01-01', latest: '2026-12-31' });
    expect(partialDateBounds('2026-04-03')).toEqual({ earliest: '2026-04-03', latest: '2026-04-03' });
  });

  it('compares only where decidable', () => {
    expect(comparePartialDates('2026-05-01', '2026-04-30')).toBe(1);
    expect(comparePartialDates('2026-04', '2026-05-10')).toBe(-1);
    expect(comparePartialDates('2026-05', '2026-05-10')).toBeNull();
    expect(comparePartialDates('2026', '2026-12')).toBeNull();
    expect(comparePartialDates('2025', '2026-01-01')).toBe(-1);
    expect(comparePartialDates('2026-05', '2026-05')).toBe(0);
    expect(isCertainlyBefore('2026-04', '2026-05-01')).toBe(true);
    expect(isCertainlyBefore('2026-05', '2026-05-01')).toBe(false);
    expect(isCertainlyAfter('2026-06', '2026-05-31')).toBe(true);
    expect(isCertainlyAfter('2026', '2026-05-31')).toBe(false);
  });
});
