import { describe, expect, it } from 'vitest';
import { stripArmFields } from './blinding.js';

describe('stripArmFields', () => {
  it('removes allocation fields at any depth and keeps everything else', () => {
    const value = {
      studyId: 'SJ-001',
      arm: 'ADMSC',
      kit: 'K-1',
      nested: [{ allocatedArm: 'SALINE', n: 1 }, { byArm: { ADMSC: 3 } }],
    };
    expect(stripArmFields(value)).toEqual({ studyId: 'SJ-001', kit: 'K-1', nested: [{ n: 1 }, {}] });
  });
});
