/**
 * Types of the STEMJOINT allocation list (protocol §4). The list is a wire format: it is printed
 * by `stemjoint randomization generate --json`, committed to, stored, and re-verified at
 * unblinding, so its member names are the snake_case JSON names rather than camelCase.
 */

/** Arm codes, fixed by the protocol (§2); the order is the DRBG's index → arm mapping. */
export const ARMS = ['ADMSC', 'SALINE'] as const;
/** One of the two arm codes. */
export type Arm = (typeof ARMS)[number];

/** Randomization designs: stratified permuted blocks of random size, or Soares–Wu big stick. */
export const DESIGNS = ['blocks', 'bigstick'] as const;
/** One of the supported designs. */
export type Design = (typeof DESIGNS)[number];

/** Name of the deterministic generator; recorded in every list and covered by the commitment. */
export const RANDOMIZATION_ALGORITHM = 'stemjoint-hmac-sha256-drbg';
/** Version of the construction in docs/RANDOMIZATION.md; any change to the output bumps it. */
export const RANDOMIZATION_ALGORITHM_VERSION = '1';

/** Protocol defaults (§4): strata by Kellgren–Lawrence grade, blocks of 4 or 6, big stick bound 3. */
export const DEFAULT_STRATA: readonly string[] = ['KL2', 'KL3'];
/** Default block sizes (each block holds equal numbers of both arms). */
export const DEFAULT_BLOCK_SIZES: readonly number[] = [4, 6];
/** Default maximum tolerated imbalance |n_ADMSC − n_SALINE| for the big stick design. */
export const DEFAULT_MAX_IMBALANCE = 3;

/** Parameters of the permuted-block design, in normalized form (block sizes ascending). */
export interface BlockDesignParameters {
  design: 'blocks';
  /** Minimum number of slots per stratum; the list is extended to the next block boundary. */
  per_stratum: number;
  /** Allowed block sizes, even, distinct, ascending. */
  block_sizes: number[];
  /** Stratum names in generation order (this order also settles kit-code collisions). */
  strata: string[];
  /** Always `['ADMSC', 'SALINE']`; recorded so the index → arm mapping is explicit. */
  arms: Arm[];
}

/** Parameters of the big stick design (Soares & Wu 1983). */
export interface BigStickDesignParameters {
  design: 'bigstick';
  /** Exact number of slots per stratum. */
  per_stratum: number;
  /** Maximum tolerated imbalance; at the bound the lagging arm is forced. */
  max_imbalance: number;
  /** Stratum names in generation order. */
  strata: string[];
  /** Always `['ADMSC', 'SALINE']`. */
  arms: Arm[];
}

/** Parameters of either design. */
export type AllocationParameters = BlockDesignParameters | BigStickDesignParameters;

/** One slot of a stratum's list: the `seq`-th participant randomized in that stratum. */
export interface AllocationEntry {
  /** 1-based position within the stratum. */
  seq: number;
  /** 1-based block number within the stratum (block design); null for big stick. */
  block: number | null;
  arm: Arm;
  /** Kit code `K-XXXX-XXXX`, unique across the whole list, independent of the arm. */
  kit: string;
}

/** The complete allocation list with its salted commitment. */
export interface AllocationList {
  algorithm: typeof RANDOMIZATION_ALGORITHM;
  version: typeof RANDOMIZATION_ALGORITHM_VERSION;
  /** The 256-bit secret seed, 64 lowercase hex characters. */
  seed: string;
  parameters: AllocationParameters;
  /** Per stratum, the slots in allocation order. */
  strata: Record<string, AllocationEntry[]>;
  /** Commitment salt, lowercase hex, at least 128 bits. */
  salt: string;
  /** sha256Hex(salt ‖ ":" ‖ canonicalJson({algorithm, version, seed, parameters, strata})). */
  commitment: string;
}
