/**
 * Predictability of the designs against the Blackwell–Hodges convergence guesser (always guess the
 * arm that is behind; a tie scores ½), checked against stats-anchors §4.1. Tolerance checks over
 * 500 seeds: within 4 binomial standard errors of the anchor value.
 */
import { describe, expect, it } from 'vitest';
import { generateAllocationList } from './generate-allocation-list.js';
import type { AllocationParametersInput } from './allocation-parameters.js';
import { TEST_SALT, testSeed } from './test-seeds.js';
import type { Arm } from './types.js';

/** Expected number of correct guesses for one sequence (ties count ½). */
function correctGuesses(arms: readonly Arm[]): number {
  let score = 0;
  let difference = 0;
  for (const arm of arms) {
    if (difference === 0) score += 0.5;
    else if ((difference > 0 ? 'SALINE' : 'ADMSC') === arm) score += 1;
    difference += arm === 'ADMSC' ? 1 : -1;
  }
  return score;
}

/** Proportion of correct guesses over 500 seeds, per stratum (the guesser knows the stratum). */
function measure(parameters: AllocationParametersInput): { p: number; guesses: number } {
  let score = 0;
  let guesses = 0;
  for (let i = 0; i < 500; i += 1) {
    const list = generateAllocationList({ seedHex: testSeed(i), parameters, saltHex: TEST_SALT });
    for (const entries of Object.values(list.strata)) {
      score += correctGuesses(entries.map((e) => e.arm));
      guesses += entries.length;
    }
  }
  return { p: score / guesses, guesses };
}

function expectWithinFourSe(observed: { p: number; guesses: number }, anchor: number): void {
  const se = Math.sqrt((anchor * (1 - anchor)) / observed.guesses);
  expect(
    Math.abs(observed.p - anchor),
    `observed ${observed.p.toFixed(4)} vs ${anchor} (4 SE = ${(4 * se).toFixed(4)})`,
  ).toBeLessThan(4 * se);
}

describe('correct-guess probability of the convergence guesser', () => {
  it('big stick, max imbalance 3, n = 80 unstratified ≈ 0.580 (stats-anchors §4.1)', () => {
    expectWithinFourSe(measure({ design: 'bigstick', max_imbalance: 3, per_stratum: 80, strata: ['ALL'] }), 0.58);
  });

  it('random blocks 4/6 ≈ 0.693 (exact over complete blocks: (17/6 + 41/10) / 10), inside the 0.69–0.71 band of the anchors', () => {
    // Expected correct guesses per block of size 2m: m − ½ + 2^(2m−1)/C(2m, m) (stats-anchors §4.1).
    const exact = (17 / 6 + 41 / 10) / 10;
    const observed = measure({ per_stratum: 40 });
    expectWithinFourSe(observed, exact);
  });

  it('fixed blocks of 4 ≈ 0.708 (17/24) and of 6 ≈ 0.683 (stats-anchors §4.1)', () => {
    expectWithinFourSe(measure({ per_stratum: 40, block_sizes: [4] }), 17 / 24);
    expectWithinFourSe(measure({ per_stratum: 42, block_sizes: [6] }), 41 / 60);
  });
});
