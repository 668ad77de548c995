import { describe, expect, it } from 'vitest';
import { assessEligibility } from '../eligibility/assess-eligibility.js';
import { parseCpr } from '../identity/parse-cpr.js';
import { parseScreeningRecord } from '../eligibility/parse-screening-record.js';
import { createSeededRandom } from './seeded-random.js';
import { syntheticPerson } from './synthetic-screening.js';

describe('syntheticPerson', () => {
  it('draws valid records, valid CPR numbers matching the date of birth, and a plausible screen-failure rate', () => {
    const rng = createSeededRandom(1);
    let eligible = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const p = syntheticPerson(rng, '2026-03-02');
      const parsed = parseScreeningRecord(p.values);
      expect(parsed.ok, JSON.stringify(parsed.ok ? null : parsed.errors)).toBe(true);
      const cpr = parseCpr(p.identity.cpr);
      expect(cpr.ok).toBe(true);
      if (cpr.ok) {
        expect(cpr.dateOfBirth).toBe(p.values.date_of_birth);
        expect(cpr.sex).toBe(p.values.sex);
        expect(cpr.modulus11Valid).toBe(true);
      }
      const a = assessEligibility(p.values);
      expect(a.eligible).not.toBeNull();
      if (a.eligible) eligible += 1;
    }
    // About 60–70 % pass screening with the default rates.
    expect(eligible / n).toBeGreaterThan(0.55);
    expect(eligible / n).toBeLessThan(0.8);
  });
});
