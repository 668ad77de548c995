/**
 * Soares–Wu big stick design for one stratum (docs/RANDOMIZATION.md §4.2): a fair coin while the
 * imbalance d = n_ADMSC − n_SALINE is strictly inside (−b, b); at |d| = b the lagging arm is forced.
 * Less predictable than permuted blocks against a convergence guesser (≈ 0.58 vs ≈ 0.70 correct
 * guesses at b = 3, stats-anchors §4.1) while never exceeding the bound.
 */
import { createDrbgStream } from './drbg.js';
import type { ArmSlot } from './permuted-blocks.js';
import { ARMS } from './types.js';

/**
 * Generates exactly `length` slots from stream `arms:<stratum>`: uniformInt(2) = 0 → ADMSC,
 * 1 → SALINE. Forced assignments consume no randomness.
 */
export function generateBigStick(seed: Uint8Array, stratum: string, length: number, maxImbalance: number): ArmSlot[] {
  const armStream = createDrbgStream(seed, `arms:${stratum}`);
  const slots: ArmSlot[] = [];
  let imbalance = 0;
  for (let k = 0; k < length; k += 1) {
    let index: number;
    if (imbalance >= maxImbalance) index = 1;
    else if (imbalance <= -maxImbalance) index = 0;
    else index = armStream.uniformInt(2);
    imbalance += index === 0 ? 1 : -1;
    slots.push({ arm: ARMS[index as 0 | 1], block: null });
  }
  return slots;
}
