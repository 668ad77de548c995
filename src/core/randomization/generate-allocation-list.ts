/**
 * Generates the STEMJOINT allocation list from a 256-bit seed (protocol §4, docs/RANDOMIZATION.md).
 * Pure and deterministic: the same seed and parameters always give the same strata; the salt only
 * changes the commitment. The caller supplies the seed and the salt from a CSPRNG.
 */
import { invalid, type FieldIssue } from '../errors.js';
import { hexToBytes } from '../hash.js';
import {
  isSaltHex,
  isSeedHex,
  normalizeAllocationParameters,
  type AllocationParametersInput,
} from './allocation-parameters.js';
import { generateBigStick } from './big-stick.js';
import { computeAllocationCommitment } from './commitment.js';
import { createDrbgStream } from './drbg.js';
import { drawUniqueKitCode } from './kit-codes.js';
import { generatePermutedBlocks, type ArmSlot } from './permuted-blocks.js';
import {
  RANDOMIZATION_ALGORITHM,
  RANDOMIZATION_ALGORITHM_VERSION,
  type AllocationEntry,
  type AllocationList,
  type AllocationParameters,
} from './types.js';

/** Input of {@link generateAllocationList}. */
export interface GenerateAllocationListInput {
  /** 64 hex characters (256 bits); case-insensitive, recorded in lowercase. */
  seedHex: string;
  /** Design parameters; omitted members take the protocol defaults. */
  parameters: AllocationParametersInput;
  /** ≥ 32 hex characters (≥ 128 bits) from a CSPRNG; recorded in lowercase. */
  saltHex: string;
}

/** Generates the list and its commitment. Throws `TrialError` (validation_failed) on bad input. */
export function generateAllocationList(input: GenerateAllocationListInput): AllocationList {
  const issues: FieldIssue[] = [];
  if (!isSeedHex(input.seedHex)) issues.push({ path: 'seed', message: 'must be 64 hex characters (256 bits)' });
  if (!isSaltHex(input.saltHex)) {
    issues.push({ path: 'salt', message: 'must be an even number (32 to 256) of hex characters (at least 128 bits)' });
  }
  if (issues.length > 0) throw invalid('Invalid randomization input', issues);
  const parameters = normalizeAllocationParameters(input.parameters);
  const seed = input.seedHex.toLowerCase();
  const strata = generateStrata(seed, parameters);
  const content = {
    algorithm: RANDOMIZATION_ALGORITHM,
    version: RANDOMIZATION_ALGORITHM_VERSION,
    seed,
    parameters,
    strata,
  } as const;
  const salt = input.saltHex.toLowerCase();
  return { ...content, salt, commitment: computeAllocationCommitment(content, salt) };
}

/**
 * The per-stratum lists for an already validated seed and normalized parameters. Strata are
 * generated in `parameters.strata` order; kit codes are unique across the whole list, a collision
 * (probability ≈ 10^-8 for 200 kits) redrawing from the later stratum's own kit stream.
 */
export function generateStrata(seedHex: string, parameters: AllocationParameters): Record<string, AllocationEntry[]> {
  const seed = hexToBytes(seedHex);
  const usedKits = new Set<string>();
  const entries: [string, AllocationEntry[]][] = parameters.strata.map((stratum) => {
    const slots: ArmSlot[] =
      parameters.design === 'blocks'
        ? generatePermutedBlocks(seed, stratum, parameters.per_stratum, parameters.block_sizes)
        : generateBigStick(seed, stratum, parameters.per_stratum, parameters.max_imbalance);
    const kitStream = createDrbgStream(seed, `kits:${stratum}`);
    const list = slots.map((slot, i) => ({
      seq: i + 1,
      block: slot.block,
      arm: slot.arm,
      kit: drawUniqueKitCode(kitStream, usedKits),
    }));
    return [stratum, list];
  });
  // fromEntries defines own properties, so even odd stratum names cannot touch the prototype.
  return Object.fromEntries(entries);
}
