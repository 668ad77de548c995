/** Deterministic seeds for the many-seed property tests (test support only). */
import { sha256Hex } from '../hash.js';

/** The i-th test seed: SHA-256 of a fixed label, so runs are reproducible. */
export function testSeed(i: number): string {
  return sha256Hex(`stemjoint-randomization-test-seed-${i}`);
}

/** A fixed 128-bit test salt. */
export const TEST_SALT = '5a'.repeat(16);
