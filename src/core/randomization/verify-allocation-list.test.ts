import { describe, expect, it } from 'vitest';
import { isTrialError } from '../errors.js';
import { generateAllocationList } from './generate-allocation-list.js';
import { TEST_SALT, testSeed } from './test-seeds.js';
import type { AllocationList } from './types.js';
import { verifyAllocationList } from './verify-allocation-list.js';

const blocksList = (): AllocationList =>
  generateAllocationList({ seedHex: testSeed(7), parameters: { per_stratum: 40 }, saltHex: TEST_SALT });
const bigStickList = (): AllocationList =>
  generateAllocationList({
    seedHex: testSeed(8),
    parameters: { design: 'bigstick', per_stratum: 40 },
    saltHex: TEST_SALT,
  });

/** One entry as read back from a file, before any checks. */
interface LooseEntry {
  [key: string]: unknown;
  arm: string;
  kit: string;
}

/** A list as read back from a file: any member may have been edited. */
interface LooseList {
  [key: string]: unknown;
  seed: string;
  salt: string;
  parameters: Record<string, unknown>;
  strata: Record<string, LooseEntry[]>;
}

/** A deep, mutable copy as plain JSON (what a verifier reads from a file). */
const copy = (list: AllocationList): LooseList => JSON.parse(JSON.stringify(list)) as LooseList;

const other = (arm: string): string => (arm === 'ADMSC' ? 'SALINE' : 'ADMSC');

/** The field paths of the TrialError thrown for a malformed list. */
function malformedPaths(value: unknown): string[] {
  try {
    verifyAllocationList(value);
  } catch (e) {
    if (isTrialError(e)) return e.details.map((d) => d.path);
    throw e;
  }
  throw new Error('expected a malformed-list error');
}

describe('verifyAllocationList', () => {
  it('accepts untouched lists of both designs, as objects and as JSON text', () => {
    const list = blocksList();
    const result = verifyAllocationList(list);
    expect(result).toEqual({
      ok: true,
      commitment: list.commitment,
      strata: 2,
      entries: list.strata.KL2!.length + list.strata.KL3!.length,
    });
    expect(verifyAllocationList(JSON.stringify(bigStickList())).ok).toBe(true);
  });

  it('accepts every list over 200 seeds and rejects the same list with one arm flipped', () => {
    for (let i = 0; i < 200; i += 1) {
      const design = i % 2 === 0 ? ('blocks' as const) : ('bigstick' as const);
      const list = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { design, per_stratum: 20 },
        saltHex: TEST_SALT,
      });
      expect(verifyAllocationList(list).ok).toBe(true);
      const tampered = copy(list);
      const k = i % 20;
      tampered.strata.KL3[k].arm = other(tampered.strata.KL3[k].arm);
      expect(verifyAllocationList(tampered)).toEqual({
        ok: false,
        firstDifference: `strata.KL3[${k}].arm: expected ${list.strata.KL3![k]!.arm}, found ${other(list.strata.KL3![k]!.arm)}`,
      });
    }
  });

  it('names a changed arm, kit, seq or block', () => {
    const list = blocksList();
    const arm = copy(list);
    arm.strata.KL2[7].arm = other(arm.strata.KL2[7].arm);
    expect(verifyAllocationList(arm)).toEqual({
      ok: false,
      firstDifference: `strata.KL2[7].arm: expected ${list.strata.KL2![7]!.arm}, found ${other(list.strata.KL2![7]!.arm)}`,
    });

    const kit = copy(list);
    kit.strata.KL3[0].kit = 'K-2222-2222';
    expect(verifyAllocationList(kit)).toEqual({
      ok: false,
      firstDifference: `strata.KL3[0].kit: expected ${list.strata.KL3![0]!.kit}, found K-2222-2222`,
    });

    const seq = copy(list);
    seq.strata.KL2[2].seq = 99;
    expect(verifyAllocationList(seq)).toEqual({
      ok: false,
      firstDifference: 'strata.KL2[2].seq: expected 3, found 99',
    });

    const block = copy(bigStickList());
    block.strata.KL2[1].block = 1;
    expect(verifyAllocationList(block)).toEqual({
      ok: false,
      firstDifference: 'strata.KL2[1].block: expected null, found 1',
    });
  });

  it('names swapped kits (the arm/kit link is what the pharmacy relies on)', () => {
    const list = blocksList();
    const swapped = copy(list);
    const [first, second] = swapped.strata.KL2 as [LooseEntry, LooseEntry];
    [first.kit, second.kit] = [second.kit, first.kit];
    expect(verifyAllocationList(swapped)).toEqual({
      ok: false,
      firstDifference: `strata.KL2[0].kit: expected ${list.strata.KL2![0]!.kit}, found ${list.strata.KL2![1]!.kit}`,
    });
  });

  it('names removed, added, missing and unknown entries and strata', () => {
    const list = blocksList();
    const n = list.strata.KL2!.length;
    const truncated = copy(list);
    truncated.strata.KL2.pop();
    expect(verifyAllocationList(truncated)).toEqual({
      ok: false,
      firstDifference: `strata.KL2: expected ${n} entries, found ${n - 1}`,
    });

    const missing = copy(list);
    delete missing.strata.KL3;
    expect(verifyAllocationList(missing)).toEqual({ ok: false, firstDifference: 'strata.KL3: missing' });

    const extra = copy(list);
    extra.strata.KL4 = [];
    expect(verifyAllocationList(extra)).toEqual({
      ok: false,
      firstDifference: 'strata.KL4: not a stratum of parameters.strata (KL2, KL3)',
    });
  });

  it('detects a changed parameter, through the regenerated list or the commitment', () => {
    const list = blocksList();
    const sizes = copy(list);
    sizes.parameters.block_sizes = [4, 8];
    expect(verifyAllocationList(sizes)).toMatchObject({
      ok: false,
      firstDifference: expect.stringMatching(/^strata\.KL2/),
    });

    const unsorted = copy(list);
    unsorted.parameters.block_sizes = [6, 4];
    expect(verifyAllocationList(unsorted)).toEqual({
      ok: false,
      firstDifference: 'parameters.block_sizes: expected [4,6], found [6,4]',
    });

    const arms = copy(list);
    arms.parameters.arms = ['SALINE', 'ADMSC'];
    expect(verifyAllocationList(arms)).toEqual({
      ok: false,
      firstDifference: 'parameters.arms: expected ["ADMSC","SALINE"], found ["SALINE","ADMSC"]',
    });

    // per_stratum 40 → 41: the list (which ended at a block boundary ≥ 41) may not change, the commitment does.
    const perStratum = copy(list);
    perStratum.parameters.per_stratum = list.strata.KL2!.length;
    const result = verifyAllocationList(perStratum);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.firstDifference).toMatch(/^(commitment|strata\.KL3): expected/);

    const bound = copy(bigStickList());
    bound.parameters.max_imbalance = 1;
    expect(verifyAllocationList(bound)).toMatchObject({
      ok: false,
      firstDifference: expect.stringMatching(/^strata\.KL2\[\d+\]\.arm/),
    });
  });

  it('detects a changed seed, salt or commitment', () => {
    const list = blocksList();
    const seed = copy(list);
    seed.seed = testSeed(99);
    expect(verifyAllocationList(seed)).toMatchObject({
      ok: false,
      firstDifference: expect.stringMatching(/^strata\.KL2\[\d+\]\./),
    });

    const salt = copy(list);
    salt.salt = 'ab'.repeat(16);
    const saltResult = verifyAllocationList(salt);
    expect(saltResult).toMatchObject({
      ok: false,
      firstDifference: expect.stringMatching(
        /^commitment: expected [0-9a-f]{64} \(recomputed from the salt and the list\), found /,
      ),
    });

    const commitment = copy(list);
    commitment.commitment = '0'.repeat(64);
    expect(verifyAllocationList(commitment)).toEqual({
      ok: false,
      firstDifference: `commitment: expected ${list.commitment} (recomputed from the salt and the list), found ${'0'.repeat(64)}`,
    });

    const upper = copy(list);
    upper.seed = list.seed.toUpperCase();
    expect(verifyAllocationList(upper)).toEqual({
      ok: false,
      firstDifference: 'seed: expected lowercase hex, found uppercase letters',
    });
  });

  it('reports an unknown algorithm or version as a difference', () => {
    const algorithm = copy(blocksList());
    algorithm.algorithm = 'other';
    expect(verifyAllocationList(algorithm)).toEqual({
      ok: false,
      firstDifference: 'algorithm: expected stemjoint-hmac-sha256-drbg, found other',
    });
    const version = copy(blocksList());
    version.version = '2';
    expect(verifyAllocationList(version)).toEqual({ ok: false, firstDifference: 'version: expected 1, found 2' });
  });

  it('throws for malformed lists, naming the fields', () => {
    expect(malformedPaths('{not json')).toEqual(['$']);
    expect(malformedPaths([])).toEqual(['$']);
    const list = copy(blocksList());
    expect(malformedPaths({ ...list, extra: 1 })).toEqual(['extra']);
    const { salt: _salt, ...noSalt } = list;
    expect(malformedPaths(noSalt)).toEqual(['salt']);
    expect(malformedPaths({ ...list, seed: 'abc' })).toEqual(['seed']);
    expect(malformedPaths({ ...list, salt: 'ab' })).toEqual(['salt']);
    expect(malformedPaths({ ...list, commitment: 42 })).toEqual(['commitment']);
    expect(malformedPaths({ ...list, version: 1 })).toEqual(['version']);
    expect(malformedPaths({ ...list, parameters: { ...list.parameters, design: 'coin' } })).toEqual([
      'parameters.design',
    ]);
    expect(malformedPaths({ ...list, parameters: { ...list.parameters, per_stratum: -1 } })).toEqual([
      'parameters.per_stratum',
    ]);
    expect(malformedPaths({ ...list, parameters: { ...list.parameters, max_imbalance: 3 } })).toEqual([
      'parameters.max_imbalance',
    ]);
    expect(malformedPaths({ ...list, parameters: { ...list.parameters, block_sizes: '4,6' } })).toEqual([
      'parameters.block_sizes',
    ]);
    expect(malformedPaths({ ...list, strata: [] })).toEqual(['strata']);
    const badEntry = copy(blocksList());
    badEntry.strata.KL2[3] = { seq: '4', block: 1, arm: 'ADMSC', kit: 'K-2222-2222', note: 'x' };
    expect(malformedPaths(badEntry)).toEqual(['strata.KL2[3].note', 'strata.KL2[3].seq']);
  });
});
