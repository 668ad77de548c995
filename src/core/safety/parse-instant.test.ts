import { describe, expect, it } from 'vitest';
import { describeInstantProblem, parseInstant } from './parse-instant.js';

describe('parseInstant', () => {
  it('accepts RFC 3339 instants with Z or ±HH:MM, with or without seconds and fractions', () => {
    expect(parseInstant('2026-03-28T12:00+01:00')?.toISOString()).toBe('2026-03-28T11:00:00.000Z');
    expect(parseInstant('2026-03-28T12:00:00Z')?.toISOString()).toBe('2026-03-28T12:00:00.000Z');
    expect(parseInstant('2026-03-28T12:00:00.5+05:30')?.toISOString()).toBe('2026-03-28T06:30:00.500Z');
    expect(parseInstant('2026-03-28T12:00:00.123456789-05:00')?.toISOString()).toBe('2026-03-28T17:00:00.123Z');
    expect(parseInstant('2028-02-29T00:00:00Z')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses local times without an offset, saying so', () => {
    expect(parseInstant('2026-03-28T12:00:00')).toBeNull();
    expect(describeInstantProblem('2026-03-28T12:00:00')).toBe('missing UTC offset (add Z or ±HH:MM)');
    expect(describeInstantProblem('2026-03-28T12:00')).toBe('missing UTC offset (add Z or ±HH:MM)');
  });

  it('refuses other shapes and impossible values', () => {
    for (const text of [
      '2026-03-28',
      '2026-03-28 12:00:00Z',
      '2026-03-28T12:00:00+0100',
      '2026-03-28T12:00:00z',
      'yesterday',
      '',
    ]) {
      expect(parseInstant(text), text).toBeNull();
    }
    expect(describeInstantProblem('2026-02-29T12:00:00Z')).toBe('day out of range');
    expect(describeInstantProblem('2026-13-01T12:00:00Z')).toBe('month out of range');
    expect(describeInstantProblem('2026-03-28T24:00:00Z')).toBe('time out of range');
    expect(describeInstantProblem('2026-03-28T12:60:00Z')).toBe('time out of range');
    expect(describeInstantProblem('2026-03-28T12:00:00+24:00')).toBe('offset out of range');
  });
});
