import { describe, expect, it } from 'vitest';
import { isTrialError, type FieldIssue } from '../errors.js';
import { parseSafetyClockInput } from './parse-safety-clock-input.js';

function issuesOf(value: unknown): FieldIssue[] {
  try {
    parseSafetyClockInput(value);
  } catch (e) {
    if (isTrialError(e)) return e.details;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('parseSafetyClockInput', () => {
  it('parses the documented members', () => {
    expect(
      parseSafetyClockInput({
        investigator_awareness: '2026-03-28T12:00+01:00',
        sponsor_awareness: '2026-03-29T09:00:00Z',
        susar: true,
        fatal_or_life_threatening: false,
      }),
    ).toEqual({
      investigatorAwareness: new Date('2026-03-28T11:00:00Z'),
      sponsorAwareness: new Date('2026-03-29T09:00:00Z'),
      susar: true,
      fatalOrLifeThreatening: false,
    });
  });

  it('treats null or omitted awareness as a clock not started, and omitted flags as false for a non-SUSAR', () => {
    expect(parseSafetyClockInput({ investigator_awareness: null })).toEqual({
      investigatorAwareness: null,
      sponsorAwareness: null,
      susar: false,
      fatalOrLifeThreatening: false,
    });
  });

  it('names each malformed field', () => {
    expect(issuesOf([])).toEqual([{ path: '$', message: 'must be an object' }]);
    expect(issuesOf({ investigator_awareness: '2026-03-28T12:00:00', susar: false }).map((i) => i.path)).toEqual([
      'investigator_awareness',
    ]);
    expect(issuesOf({ investigator_awareness: '2026-03-28T12:00:00', susar: false })[0]!.message).toMatch(/offset/);
    expect(issuesOf({ sponsor_awareness: 1_700_000_000_000, susar: false }).map((i) => i.path)).toEqual([
      'sponsor_awareness',
    ]);
    expect(issuesOf({ sponsor_awareness: 'soon', susar: false }).map((i) => i.path)).toEqual(['sponsor_awareness']);
    expect(issuesOf({ susar: 'yes' }).map((i) => i.path)).toEqual(['susar']);
    expect(issuesOf({ susar: false, fatal_or_life_threatening: 1 }).map((i) => i.path)).toEqual([
      'fatal_or_life_threatening',
    ]);
    expect(issuesOf({ susar: false, investigator_awarness: '2026-03-28T12:00Z' }).map((i) => i.path)).toEqual([
      'investigator_awarness',
    ]);
  });

  it('requires the fatal/life-threatening flag for a SUSAR (no silent 15-day default)', () => {
    expect(issuesOf({ sponsor_awareness: '2026-03-28T12:00Z', susar: true })).toEqual([
      { path: 'fatal_or_life_threatening', message: 'required when susar is true' },
    ]);
  });
});
