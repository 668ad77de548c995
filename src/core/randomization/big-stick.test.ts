import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../hash.js';
import { generateBigStick } from './big-stick.js';
import { testSeed } from './test-seeds.js';

describe('generateBigStick', () => {
  it('over 500 seeds never exceeds the bound, forces the lagging arm at the bound, and reaches it', () => {
    for (const bound of [1, 3]) {
      let reachedBound = 0;
      for (let i = 0; i < 500; i += 1) {
        const slots = generateBigStick(hexToBytes(testSeed(i)), 'KL3', 80, bound);
        expect(slots).toHaveLength(80);
        let d = 0;
        for (const slot of slots) {
          expect(slot.block).toBeNull();
          if (d === bound) expect(slot.arm).toBe('SALINE');
          if (d === -bound) expect(slot.arm).toBe('ADMSC');
          d += slot.arm === 'ADMSC' ? 1 : -1;
          expect(Math.abs(d)).toBeLessThanOrEqual(bound);
          if (Math.abs(d) === bound) reachedBound += 1;
        }
      }
      expect(reachedBound).toBeGreaterThan(0);
    }
  });

  it('with bound 1 becomes permuted blocks of 2: a coin, then the forced other arm', () => {
    const slots = generateBigStick(hexToBytes(testSeed(1)), 'S', 20, 1);
    for (let k = 0; k < slots.length; k += 2) expect(slots[k + 1]!.arm).not.toBe(slots[k]!.arm);
  });

  it('is a fair coin away from the bound (both arms ≈ 50% overall)', () => {
    let admsc = 0;
    for (let i = 0; i < 200; i += 1) {
      for (const slot of generateBigStick(hexToBytes(testSeed(i)), 'S', 80, 3)) if (slot.arm === 'ADMSC') admsc += 1;
    }
    expect(Math.abs(admsc / 16_000 - 0.5)).toBeLessThan(0.02);
  });
});
