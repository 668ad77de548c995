import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  calendarDaysBetween,
  compareIsoDates,
  completedYearsBetween,
  isIsoDate,
  makeIsoDate,
  subtractCalendarMonths,
} from './plain-date.js';

describe('isIsoDate', () => {
  it('accepts real days, including 29 February of a leap year', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2023-12-31', '0001-01-01', '1899-06-15']) {
      expect(isIsoDate(d)).toBe(true);
    }
  });
  it('rejects impossible days, other shapes and other types', () => {
    for (const d of [
      '2023-02-29',
      '1900-02-29',
      '2023-02-30',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
    ]) {
      expect(isIsoDate(d)).toBe(false);
    }
    for (const d of ['2023-1-05', '20230105', '2023-01-05T00:00:00Z', ' 2023-01-05', '', 20230105, null, undefined]) {
      expect(isIsoDate(d)).toBe(false);
    }
  });
  it('makeIsoDate pads and refuses non-existent days', () => {
    expect(makeIsoDate(1955, 3, 7)).toBe('1955-03-07');
    expect(makeIsoDate(2023, 2, 29)).toBeNull();
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month ends and leap days', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addCalendarDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addCalendarDays('2024-12-31', 1)).toBe('2025-01-01');
  });
  it('subtracts months clamping to the last day of the month', () => {
    expect(subtractCalendarMonths('2023-05-31', 3)).toBe('2023-02-28');
    expect(subtractCalendarMonths('2024-05-31', 3)).toBe('2024-02-29');
    expect(subtractCalendarMonths('2024-05-15', 3)).toBe('2024-02-15');
    expect(subtractCalendarMonths('2024-01-31', 3)).toBe('2023-10-31');
  });
  it('counts calendar days and completed years', () => {
    expect(calendarDaysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(calendarDaysBetween('2025-01-01', '2024-01-01')).toBe(-366);
    expect(completedYearsBetween('1984-06-10', '2024-06-10')).toBe(40);
    expect(completedYearsBetween('1984-06-10', '2024-06-09')).toBe(39);
    // Born on a leap day: the birthday in a common year is reached on 1 March.
    expect(completedYearsBetween('1984-02-29', '2023-02-28')).toBe(38);
    expect(completedYearsBetween('1984-02-29', '2023-03-01')).toBe(39);
    expect(completedYearsBetween('1984-02-29', '2024-02-29')).toBe(40);
  });
  it('orders dates', () => {
    expect(compareIsoDates('2024-01-01', '2024-01-02')).toBeLessThan(0);
    expect(compareIsoDates('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareIsoDates('2025-01-01', '2024-12-31')).toBeGreaterThan(0);
  });
});
