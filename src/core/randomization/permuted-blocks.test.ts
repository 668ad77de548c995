import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../hash.js';
import { generatePermutedBlocks, type ArmSlot } from './permuted-blocks.js';
import { testSeed } from './test-seeds.js';

/** Groups slots by block number, in order. */
function blocksOf(slots: ArmSlot[]): ArmSlot[][] {
  const blocks: ArmSlot[][] = [];
  for (const slot of slots) {
    const index = slot.block! - 1;
    (blocks[index] ??= []).push(slot);
  }
  return blocks;
}

describe('generatePermutedBlocks', () => {
  it('over 500 seeds: exact 1:1 at every block end, sizes only from the set, ends at a block boundary ≥ n', () => {
    const sizeCounts = new Map<number, number>();
    for (let i = 0; i < 500; i += 1) {
      const slots = generatePermutedBlocks(hexToBytes(testSeed(i)), 'KL2', 40, [4, 6]);
      expect(slots.length).toBeGreaterThanOrEqual(40);
      expect(slots.length).toBeLessThan(40 + 6);
      let difference = 0;
      let position = 0;
      blocksOf(slots).forEach((block, b) => {
        expect(block.every((s) => s.block === b + 1)).toBe(true);
        expect([4, 6]).toContain(block.length);
        sizeCounts.set(block.length, (sizeCounts.get(block.length) ?? 0) + 1);
        for (const slot of block) difference += slot.arm === 'ADMSC' ? 1 : -1;
        position += block.length;
        expect(difference, `seed ${i}, end of block ${b + 1}`).toBe(0);
      });
      expect(position).toBe(slots.length);
      // The last block is the one that reached n: without it the list would be too short.
      expect(slots.length - blocksOf(slots).at(-1)!.length).toBeLessThan(40);
    }
    // Both sizes are used about equally often (each drawn with probability ½).
    const four = sizeCounts.get(4)!;
    const six = sizeCounts.get(6)!;
    expect(Math.abs(four / (four + six) - 0.5)).toBeLessThan(0.03);
  });

  it('uses only the configured sizes, including a single size and larger sets', () => {
    for (let i = 0; i < 50; i += 1) {
      const seed = hexToBytes(testSeed(i));
      for (const block of blocksOf(generatePermutedBlocks(seed, 'S', 30, [2, 8, 10]))) {
        expect([2, 8, 10]).toContain(block.length);
      }
      const fixed = generatePermutedBlocks(seed, 'S', 30, [4]);
      expect(fixed).toHaveLength(32);
      for (const block of blocksOf(fixed)) expect(block).toHaveLength(4);
    }
  });

  it('gives every arrangement of a block of 4 about equally often (Fisher–Yates is unbiased)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 100; i += 1) {
      for (const block of blocksOf(generatePermutedBlocks(hexToBytes(testSeed(i)), 'S', 400, [4]))) {
        const key = block.map((s) => s.arm[0]).join('');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(6);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const expected = total / 6;
    const chi2 = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.515); // χ²(5) 0.999 quantile
  });
});
