/**
 * Verification of a revealed allocation list (protocol §4: "verified when the seed is revealed at
 * unblinding"): regenerate the strata from the seed and parameters, compare them slot by slot,
 * then recompute the salted commitment. Anyone can repeat this from docs/RANDOMIZATION.md.
 *
 * A file that is not an allocation list at all (wrong shape or types, unknown members, a seed that
 * is not 64 hex characters) is malformed and throws `TrialError` (validation_failed). A well-formed
 * list that does not match is an expected outcome, returned as `{ ok: false, firstDifference }`.
 */
import { canonicalJson } from '../canonical-json.js';
import { invalid, isTrialError, type FieldIssue } from '../errors.js';
import {
  isSaltHex,
  isSeedHex,
  normalizeAllocationParameters,
  type AllocationParametersInput,
} from './allocation-parameters.js';
import { computeAllocationCommitment } from './commitment.js';
import { generateStrata } from './generate-allocation-list.js';
import {
  DESIGNS,
  RANDOMIZATION_ALGORITHM,
  RANDOMIZATION_ALGORITHM_VERSION,
  type AllocationEntry,
  type Design,
} from './types.js';

/** Outcome of {@link verifyAllocationList}. */
export type AllocationVerification =
  { ok: true; commitment: string; strata: number; entries: number } | { ok: false; firstDifference: string };

/** A structurally valid list whose contents have not been checked yet. */
interface ParsedList {
  algorithm: string;
  version: string;
  seed: string;
  parameters: Record<string, unknown>;
  parametersInput: AllocationParametersInput;
  strata: Record<string, ParsedEntry[]>;
  salt: string;
  commitment: string;
}

interface ParsedEntry {
  seq: number;
  block: number | null;
  arm: string;
  kit: string;
}

const LIST_KEYS = ['algorithm', 'version', 'seed', 'parameters', 'strata', 'salt', 'commitment'] as const;
const ENTRY_KEYS = ['seq', 'block', 'arm', 'kit'] as const;
const PARAMETER_KEYS: Record<Design, readonly string[]> = {
  blocks: ['design', 'per_stratum', 'block_sizes', 'strata', 'arms'],
  bigstick: ['design', 'per_stratum', 'max_imbalance', 'strata', 'arms'],
};

/**
 * Verifies a list given as parsed JSON (or as JSON text). Returns `{ ok: true }` when the list
 * regenerates exactly from its seed and parameters and the commitment matches its salt and content;
 * otherwise the first difference, e.g. `strata.KL2[7].arm: expected SALINE, found ADMSC` (the index
 * is the 0-based array index; seq is index + 1).
 */
export function verifyAllocationList(listJson: unknown): AllocationVerification {
  const list = parseAllocationListShape(typeof listJson === 'string' ? parseJsonText(listJson) : listJson);
  if (list.algorithm !== RANDOMIZATION_ALGORITHM) {
    return differ(`algorithm: expected ${RANDOMIZATION_ALGORITHM}, found ${list.algorithm}`);
  }
  if (list.version !== RANDOMIZATION_ALGORITHM_VERSION) {
    return differ(`version: expected ${RANDOMIZATION_ALGORITHM_VERSION}, found ${list.version}`);
  }
  if (list.seed !== list.seed.toLowerCase()) return differ('seed: expected lowercase hex, found uppercase letters');
  if (list.salt !== list.salt.toLowerCase()) return differ('salt: expected lowercase hex, found uppercase letters');

  const parameters = normalizeAllocationParameters(list.parametersInput);
  for (const key of Object.keys(parameters) as (keyof typeof parameters)[]) {
    const expected = canonicalJson(parameters[key]);
    const found = canonicalJson(list.parameters[key]);
    if (expected !== found) return differ(`parameters.${key}: expected ${expected}, found ${found}`);
  }

  const expectedStrata = generateStrata(list.seed, parameters);
  const expectedNames = parameters.strata;
  const foundNames = Object.keys(list.strata);
  for (const name of foundNames) {
    if (!expectedNames.includes(name)) {
      return differ(`strata.${name}: not a stratum of parameters.strata (${expectedNames.join(', ')})`);
    }
  }
  let entries = 0;
  for (const name of expectedNames) {
    if (!Object.hasOwn(list.strata, name)) return differ(`strata.${name}: missing`);
    const difference = compareStratum(name, expectedStrata[name]!, list.strata[name]!);
    if (difference) return differ(difference);
    entries += expectedStrata[name]!.length;
  }

  const commitment = computeAllocationCommitment(
    {
      algorithm: RANDOMIZATION_ALGORITHM,
      version: RANDOMIZATION_ALGORITHM_VERSION,
      seed: list.seed,
      parameters,
      strata: expectedStrata,
    },
    list.salt,
  );
  if (commitment !== list.commitment) {
    return differ(
      `commitment: expected ${commitment} (recomputed from the salt and the list), found ${list.commitment}`,
    );
  }
  return { ok: true, commitment, strata: expectedNames.length, entries };
}

function differ(firstDifference: string): AllocationVerification {
  return { ok: false, firstDifference };
}

function compareStratum(name: string, expected: AllocationEntry[], found: ParsedEntry[]): string | null {
  const common = Math.min(expected.length, found.length);
  for (let i = 0; i < common; i += 1) {
    for (const key of ENTRY_KEYS) {
      const e = expected[i]![key];
      const f = found[i]![key];
      if (e !== f) return `strata.${name}[${i}].${key}: expected ${String(e)}, found ${String(f)}`;
    }
  }
  if (expected.length !== found.length) {
    return `strata.${name}: expected ${expected.length} entries, found ${found.length}`;
  }
  return null;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw invalid('Allocation list is not valid JSON', [{ path: '$', message: (e as Error).message }]);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the structure and member types; contents are compared later. Throws on malformed input. */
function parseAllocationListShape(value: unknown): ParsedList {
  if (!isRecord(value)) {
    throw invalid('Allocation list must be a JSON object', [{ path: '$', message: 'must be an object' }]);
  }
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(value)) {
    if (!(LIST_KEYS as readonly string[]).includes(key)) issues.push({ path: key, message: 'unknown member' });
  }
  for (const key of LIST_KEYS) {
    if (!Object.hasOwn(value, key)) issues.push({ path: key, message: 'missing' });
  }
  for (const key of ['algorithm', 'version'] as const) {
    if (Object.hasOwn(value, key) && typeof value[key] !== 'string') {
      issues.push({ path: key, message: 'must be a string' });
    }
  }
  const { seed, salt, commitment, parameters, strata } = value;
  if (Object.hasOwn(value, 'seed') && (typeof seed !== 'string' || !isSeedHex(seed))) {
    issues.push({ path: 'seed', message: 'must be 64 hex characters (256 bits)' });
  }
  if (Object.hasOwn(value, 'salt') && (typeof salt !== 'string' || !isSaltHex(salt))) {
    issues.push({ path: 'salt', message: 'must be an even number (32 to 256) of hex characters' });
  }
  if (Object.hasOwn(value, 'commitment') && (typeof commitment !== 'string' || !/^[0-9a-f]{64}$/.test(commitment))) {
    issues.push({ path: 'commitment', message: 'must be 64 lowercase hex characters (SHA-256)' });
  }
  const parametersInput = Object.hasOwn(value, 'parameters') ? parseParametersShape(parameters, issues) : null;
  const parsedStrata = Object.hasOwn(value, 'strata') ? parseStrataShape(strata, issues) : null;
  if (issues.length > 0 || !parametersInput || !parsedStrata) throw invalid('Malformed allocation list', issues);
  return {
    algorithm: value.algorithm as string,
    version: value.version as string,
    seed: seed as string,
    parameters: parameters as Record<string, unknown>,
    parametersInput,
    strata: parsedStrata,
    salt: salt as string,
    commitment: commitment as string,
  };
}

function parseParametersShape(value: unknown, issues: FieldIssue[]): AllocationParametersInput | null {
  if (!isRecord(value)) {
    issues.push({ path: 'parameters', message: 'must be an object' });
    return null;
  }
  const design = value.design;
  if (typeof design !== 'string' || !(DESIGNS as readonly string[]).includes(design)) {
    issues.push({ path: 'parameters.design', message: `must be one of ${DESIGNS.join(', ')}` });
    return null;
  }
  const allowed = PARAMETER_KEYS[design as Design];
  const before = issues.length;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      issues.push({ path: `parameters.${key}`, message: `unknown member for design ${design}` });
    }
  }
  for (const key of allowed) {
    if (!Object.hasOwn(value, key)) issues.push({ path: `parameters.${key}`, message: 'missing' });
  }
  const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
  const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (Object.hasOwn(value, 'per_stratum') && typeof value.per_stratum !== 'number') {
    issues.push({ path: 'parameters.per_stratum', message: 'must be a number' });
  }
  if (Object.hasOwn(value, 'strata') && !isStringArray(value.strata)) {
    issues.push({ path: 'parameters.strata', message: 'must be an array of strings' });
  }
  if (Object.hasOwn(value, 'arms') && !isStringArray(value.arms)) {
    issues.push({ path: 'parameters.arms', message: 'must be an array of strings' });
  }
  if (design === 'blocks' && Object.hasOwn(value, 'block_sizes') && !isNumberArray(value.block_sizes)) {
    issues.push({ path: 'parameters.block_sizes', message: 'must be an array of numbers' });
  }
  if (design === 'bigstick' && Object.hasOwn(value, 'max_imbalance') && typeof value.max_imbalance !== 'number') {
    issues.push({ path: 'parameters.max_imbalance', message: 'must be a number' });
  }
  if (issues.length > before) return null;
  const input: AllocationParametersInput = {
    design: design as Design,
    per_stratum: value.per_stratum as number,
    strata: value.strata as string[],
  };
  if (design === 'blocks') input.block_sizes = value.block_sizes as number[];
  else input.max_imbalance = value.max_imbalance as number;
  // Out-of-range values are malformed too: the generator would have refused them.
  try {
    normalizeAllocationParameters(input);
  } catch (e) {
    if (!isTrialError(e)) throw e;
    issues.push(...e.details);
    return null;
  }
  return input;
}

function parseStrataShape(value: unknown, issues: FieldIssue[]): Record<string, ParsedEntry[]> | null {
  if (!isRecord(value)) {
    issues.push({ path: 'strata', message: 'must be an object keyed by stratum' });
    return null;
  }
  const before = issues.length;
  const result: [string, ParsedEntry[]][] = [];
  for (const [name, list] of Object.entries(value)) {
    if (!Array.isArray(list)) {
      issues.push({ path: `strata.${name}`, message: 'must be an array of entries' });
      continue;
    }
    list.forEach((entry: unknown, i) => {
      const path = `strata.${name}[${i}]`;
      if (!isRecord(entry)) {
        issues.push({ path, message: 'must be an object' });
        return;
      }
      for (const key of Object.keys(entry)) {
        if (!(ENTRY_KEYS as readonly string[]).includes(key)) {
          issues.push({ path: `${path}.${key}`, message: 'unknown member' });
        }
      }
      if (!Number.isInteger(entry.seq)) issues.push({ path: `${path}.seq`, message: 'must be an integer' });
      if (!Object.hasOwn(entry, 'block') || (entry.block !== null && !Number.isInteger(entry.block))) {
        issues.push({ path: `${path}.block`, message: 'must be an integer or null' });
      }
      if (typeof entry.arm !== 'string') issues.push({ path: `${path}.arm`, message: 'must be a string' });
      if (typeof entry.kit !== 'string') issues.push({ path: `${path}.kit`, message: 'must be a string' });
    });
    result.push([name, list as ParsedEntry[]]);
  }
  return issues.length > before ? null : Object.fromEntries(result);
}
