/** Public surface of the randomization engine (pure; see docs/RANDOMIZATION.md). */
export * from './types.js';
export { createDrbgStream, DRBG_LABEL, type DrbgStream } from './drbg.js';
export {
  isSaltHex,
  isSeedHex,
  normalizeAllocationParameters,
  PARAMETER_LIMITS,
  STRATUM_NAME_PATTERN,
  type AllocationParametersInput,
} from './allocation-parameters.js';
export { generatePermutedBlocks, type ArmSlot } from './permuted-blocks.js';
export { generateBigStick } from './big-stick.js';
export { drawKitCode, drawUniqueKitCode, KIT_ALPHABET, KIT_CODE_CHARS, KIT_CODE_PATTERN } from './kit-codes.js';
export { computeAllocationCommitment, type CommittedContent } from './commitment.js';
export {
  generateAllocationList,
  generateStrata,
  type GenerateAllocationListInput,
} from './generate-allocation-list.js';
export { verifyAllocationList, type AllocationVerification } from './verify-allocation-list.js';
export { nextSlot } from './next-slot.js';
