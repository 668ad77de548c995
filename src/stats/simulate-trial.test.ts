import { describe, expect, it } from 'vitest';
import { createUniformGenerator, simulateTrial } from './simulate-trial.js';

describe('simulateTrial', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(simulateTrial({ subjects: 20, seed: 5 })).toEqual(simulateTrial({ subjects: 20, seed: 5 }));
    expect(simulateTrial({ subjects: 20, seed: 5 })).not.toEqual(simulateTrial({ subjects: 20, seed: 6 }));
  });

  it('produces balanced blocks of four, six visits per subject and monotone dropout', () => {
    const data = simulateTrial({ subjects: 40, seed: 1 });
    expect(data).toHaveLength(240);
    const arms = new Map(data.map((o) => [o.subject, o.arm]));
    expect([...arms.values()].filter((a) => a === 'MSC')).toHaveLength(20);
    for (const subject of arms.keys()) {
      const responses = data.filter((o) => o.subject === subject).map((o) => o.response);
      const firstMissing = responses.indexOf(null);
      if (firstMissing >= 0) expect(responses.slice(firstMissing).every((r) => r === null)).toBe(true);
      expect(responses[0]).not.toBeNull();
    }
  });

  it('the uniform generator stays in [0, 1)', () => {
    const u = createUniformGenerator(42);
    for (let i = 0; i < 1000; i++) {
      const v = u();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
