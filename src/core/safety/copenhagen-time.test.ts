import { describe, expect, it } from 'vitest';
import { endOfCopenhagenDay, formatCopenhagenInstant } from './copenhagen-time.js';

describe('formatCopenhagenInstant', () => {
  it('prints local time with +01:00 in winter and +02:00 in summer', () => {
    expect(formatCopenhagenInstant(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T13:00:00+01:00');
    expect(formatCopenhagenInstant(new Date('2026-07-15T12:00:00Z'))).toBe('2026-07-15T14:00:00+02:00');
  });

  it('switches offset exactly at 01:00 UTC on the change days', () => {
    expect(formatCopenhagenInstant(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(formatCopenhagenInstant(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(formatCopenhagenInstant(new Date('2026-10-25T00:59:59Z'))).toBe('2026-10-25T02:59:59+02:00');
    expect(formatCopenhagenInstant(new Date('2026-10-25T01:00:00Z'))).toBe('2026-10-25T02:00:00+01:00');
  });

  it('prints milliseconds only when present', () => {
    expect(formatCopenhagenInstant(new Date('2026-01-15T12:00:00.007Z'))).toBe('2026-01-15T13:00:00.007+01:00');
  });
});

describe('endOfCopenhagenDay', () => {
  it('is local midnight starting day N + 1', () => {
    expect(endOfCopenhagenDay(new Date('2026-03-01T10:00:00+01:00'), 0).toISOString()).toBe('2026-03-01T23:00:00.000Z');
    expect(endOfCopenhagenDay(new Date('2026-06-30T22:30:00Z'), 0).toISOString()).toBe('2026-07-01T22:00:00.000Z');
  });
});
