import { describe, expect, it } from 'vitest';
import { deadlineStatus } from './deadline-status.js';

describe('deadlineStatus', () => {
  const due = new Date('2026-03-09T00:00:00+01:00');
  const before = (ms: number): Date => new Date(due.getTime() - ms);

  it('is pending with 24 hours or more to go', () => {
    expect(deadlineStatus(due, before(7 * 86_400_000))).toBe('pending');
    expect(deadlineStatus(due, before(86_400_000))).toBe('pending');
  });

  it('is due_soon with less than 24 hours to go, up to and including the due instant', () => {
    expect(deadlineStatus(due, before(86_400_000 - 1))).toBe('due_soon');
    expect(deadlineStatus(due, before(1))).toBe('due_soon');
    expect(deadlineStatus(due, due)).toBe('due_soon');
  });

  it('is overdue once the due instant has passed', () => {
    expect(deadlineStatus(due, before(-1))).toBe('overdue');
    expect(deadlineStatus(due, new Date('2026-03-10T00:00:00Z'))).toBe('overdue');
  });
});
