/**
 * Validation and normalization of allocation-list inputs (seed, salt, design parameters). Both the
 * generator and the verifier go through here, so a list can only be regenerated from parameters
 * that the generator itself would have accepted.
 */
import { invalid, type FieldIssue } from '../errors.js';
import {
  ARMS,
  DEFAULT_BLOCK_SIZES,
  DEFAULT_MAX_IMBALANCE,
  DEFAULT_STRATA,
  DESIGNS,
  type AllocationParameters,
  type Design,
} from './types.js';

/** Upper bounds that keep a typo (per-stratum 1e9) from becoming an hour-long computation. */
export const PARAMETER_LIMITS = {
  maxPerStratum: 100_000,
  maxStrata: 64,
  maxBlockSize: 64,
  maxBlockSizes: 8,
  maxImbalance: 100,
  minSaltHexChars: 32,
  maxSaltHexChars: 256,
} as const;

/** Stratum names: start with a letter or digit, then letters, digits, `_` or `-` (no `:` so DRBG domains stay unambiguous). */
export const STRATUM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

const SEED_PATTERN = /^[0-9a-fA-F]{64}$/;
const HEX_PATTERN = /^[0-9a-fA-F]*$/;

/** True when `text` is a 256-bit seed written as 64 hex characters. */
export function isSeedHex(text: string): boolean {
  return SEED_PATTERN.test(text);
}

/** True when `text` is an even-length hex salt of at least 128 bits (32 hex characters). */
export function isSaltHex(text: string): boolean {
  return (
    HEX_PATTERN.test(text) &&
    text.length % 2 === 0 &&
    text.length >= PARAMETER_LIMITS.minSaltHexChars &&
    text.length <= PARAMETER_LIMITS.maxSaltHexChars
  );
}

/** Loose input for {@link normalizeAllocationParameters}; omitted members take the protocol defaults. */
export interface AllocationParametersInput {
  design?: Design;
  per_stratum: number;
  strata?: readonly string[];
  block_sizes?: readonly number[];
  max_imbalance?: number;
}

/**
 * Validates parameters and returns their normalized form (block sizes ascending, arms recorded).
 * Throws `TrialError` (validation_failed) naming every offending field under `pathPrefix`.
 */
export function normalizeAllocationParameters(
  input: AllocationParametersInput,
  pathPrefix = 'parameters',
): AllocationParameters {
  const issues: FieldIssue[] = [];
  const at = (name: string): string => (pathPrefix ? `${pathPrefix}.${name}` : name);
  const design = input.design ?? 'blocks';
  if (!DESIGNS.includes(design)) issues.push({ path: at('design'), message: `must be one of ${DESIGNS.join(', ')}` });

  const perStratum = input.per_stratum;
  if (!Number.isInteger(perStratum) || perStratum < 1 || perStratum > PARAMETER_LIMITS.maxPerStratum) {
    issues.push({ path: at('per_stratum'), message: `must be an integer from 1 to ${PARAMETER_LIMITS.maxPerStratum}` });
  }

  const strata = [...(input.strata ?? DEFAULT_STRATA)];
  if (strata.length < 1 || strata.length > PARAMETER_LIMITS.maxStrata) {
    issues.push({ path: at('strata'), message: `must list 1 to ${PARAMETER_LIMITS.maxStrata} strata` });
  }
  strata.forEach((name, i) => {
    if (typeof name !== 'string' || !STRATUM_NAME_PATTERN.test(name)) {
      issues.push({
        path: `${at('strata')}[${i}]`,
        message: 'must be 1–32 letters, digits, _ or -, starting with a letter or digit',
      });
    } else if (strata.indexOf(name) !== i) {
      issues.push({ path: `${at('strata')}[${i}]`, message: `duplicate stratum ${name}` });
    }
  });

  if (design === 'blocks') {
    if (input.max_imbalance !== undefined) {
      issues.push({ path: at('max_imbalance'), message: 'applies only to the bigstick design' });
    }
    const sizes = [...(input.block_sizes ?? DEFAULT_BLOCK_SIZES)];
    if (sizes.length < 1 || sizes.length > PARAMETER_LIMITS.maxBlockSizes) {
      issues.push({ path: at('block_sizes'), message: `must list 1 to ${PARAMETER_LIMITS.maxBlockSizes} sizes` });
    }
    sizes.forEach((size, i) => {
      if (!Number.isInteger(size) || size < 2 || size > PARAMETER_LIMITS.maxBlockSize || size % 2 !== 0) {
        issues.push({
          path: `${at('block_sizes')}[${i}]`,
          message: `must be an even integer from 2 to ${PARAMETER_LIMITS.maxBlockSize}`,
        });
      } else if (sizes.indexOf(size) !== i) {
        issues.push({ path: `${at('block_sizes')}[${i}]`, message: `duplicate block size ${size}` });
      }
    });
    if (issues.length > 0) throw invalid('Invalid randomization parameters', issues);
    return {
      design: 'blocks',
      per_stratum: perStratum,
      block_sizes: sizes.sort((a, b) => a - b),
      strata,
      arms: [...ARMS],
    };
  }

  if (input.block_sizes !== undefined) {
    issues.push({ path: at('block_sizes'), message: 'applies only to the blocks design' });
  }
  const maxImbalance = input.max_imbalance ?? DEFAULT_MAX_IMBALANCE;
  if (!Number.isInteger(maxImbalance) || maxImbalance < 1 || maxImbalance > PARAMETER_LIMITS.maxImbalance) {
    issues.push({
      path: at('max_imbalance'),
      message: `must be an integer from 1 to ${PARAMETER_LIMITS.maxImbalance}`,
    });
  }
  if (issues.length > 0) throw invalid('Invalid randomization parameters', issues);
  return { design: 'bigstick', per_stratum: perStratum, max_imbalance: maxImbalance, strata, arms: [...ARMS] };
}
