/**
 * The salted commitment to an allocation list (docs/RANDOMIZATION.md §6). Published at study start,
 * checked at unblinding. The salt (≥ 128 bits, from the caller's CSPRNG) is what makes it hiding:
 * a block-of-4 list of 80 has only ≈ 2^52 possible values, so an unsalted hash could be brute-forced
 * (stats-anchors §4.3).
 */
import { canonicalJson } from '../canonical-json.js';
import { sha256Hex } from '../hash.js';
import type { AllocationList } from './types.js';

/** The members of a list that the commitment covers (everything except salt and commitment). */
export type CommittedContent = Pick<AllocationList, 'algorithm' | 'version' | 'seed' | 'parameters' | 'strata'>;

/** commitment = sha256Hex(saltHex ‖ ":" ‖ canonicalJson({algorithm, version, seed, parameters, strata})). */
export function computeAllocationCommitment(content: CommittedContent, saltHex: string): string {
  const committed = {
    algorithm: content.algorithm,
    version: content.version,
    seed: content.seed,
    parameters: content.parameters,
    strata: content.strata,
  };
  return sha256Hex(`${saltHex}:${canonicalJson(committed)}`);
}
