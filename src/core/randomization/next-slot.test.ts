import { describe, expect, it } from 'vitest';
import { generateAllocationList } from './generate-allocation-list.js';
import { nextSlot } from './next-slot.js';
import { TEST_SALT, testSeed } from './test-seeds.js';

describe('nextSlot', () => {
  const list = generateAllocationList({
    seedHex: testSeed(0),
    parameters: { design: 'bigstick', per_stratum: 5 },
    saltHex: TEST_SALT,
  });

  it('returns the (usedCount + 1)-th slot of the stratum', () => {
    expect(nextSlot(list, 'KL2', 0)).toEqual(list.strata.KL2![0]);
    expect(nextSlot(list, 'KL3', 4)?.seq).toBe(5);
  });

  it('returns null when the stratum is exhausted', () => {
    expect(nextSlot(list, 'KL2', 5)).toBeNull();
  });

  it('throws for an unknown stratum or a bad count', () => {
    expect(() => nextSlot(list, 'KL4', 0)).toThrow(/Unknown stratum KL4/);
    expect(() => nextSlot(list, 'constructor', 0)).toThrow(/Unknown stratum/);
    expect(() => nextSlot(list, 'KL2', -1)).toThrow(/used count/);
    expect(() => nextSlot(list, 'KL2', 1.5)).toThrow(/used count/);
  });
});
