import { describe, expect, it } from 'vitest';
import { isTrialError, type TrialError } from '../errors.js';
import { generateAllocationList } from './generate-allocation-list.js';
import { TEST_SALT, testSeed } from './test-seeds.js';

/** Runs `fn` and returns the TrialError it throws. */
function trialErrorOf(fn: () => unknown): TrialError {
  try {
    fn();
  } catch (e) {
    if (isTrialError(e)) return e;
    throw e;
  }
  throw new Error('expected a TrialError');
}

describe('generateAllocationList', () => {
  it('reproduces the published test vector (cross-checked with the Python reference in docs/RANDOMIZATION.md)', () => {
    const list = generateAllocationList({
      seedHex: 'c0ffee'.padEnd(64, '0'),
      parameters: { per_stratum: 6 },
      saltHex: TEST_SALT,
    });
    expect(list.algorithm).toBe('stemjoint-hmac-sha256-drbg');
    expect(list.version).toBe('1');
    expect(list.parameters).toEqual({
      design: 'blocks',
      per_stratum: 6,
      block_sizes: [4, 6],
      strata: ['KL2', 'KL3'],
      arms: ['ADMSC', 'SALINE'],
    });
    expect(list.strata.KL2!.map((e) => `${e.seq}/${e.block}/${e.arm}/${e.kit}`)).toEqual([
      '1/1/SALINE/K-PNAM-EQ5J',
      '2/1/ADMSC/K-48KV-JE5N',
      '3/1/ADMSC/K-SX9E-64WU',
      '4/1/SALINE/K-56WB-N2H2',
      '5/2/ADMSC/K-Q472-49BM',
      '6/2/ADMSC/K-JQC4-QCSU',
      '7/2/SALINE/K-FH39-B8NX',
      '8/2/SALINE/K-YZKY-JGFV',
    ]);
    expect(list.strata.KL3!.map((e) => `${e.seq}/${e.block}/${e.arm}/${e.kit}`)).toEqual([
      '1/1/SALINE/K-TVCN-A258',
      '2/1/ADMSC/K-E5YT-MRME',
      '3/1/SALINE/K-KXXZ-PT6J',
      '4/1/ADMSC/K-AU6R-E58E',
      '5/1/ADMSC/K-QEPC-JR6W',
      '6/1/SALINE/K-F95D-CMBF',
    ]);
    expect(list.salt).toBe(TEST_SALT);
    expect(list.commitment).toBe('9b45939c92e74500db78695cb32c885b3eea654d6713a000a11b71ad72c5253e');
  });

  it('gives the same list for the same seed and parameters; the salt changes only the commitment', () => {
    for (let i = 0; i < 500; i += 1) {
      const parameters = { design: i % 2 === 0 ? ('blocks' as const) : ('bigstick' as const), per_stratum: 20 };
      const a = generateAllocationList({ seedHex: testSeed(i), parameters, saltHex: TEST_SALT });
      const b = generateAllocationList({ seedHex: testSeed(i).toUpperCase(), parameters, saltHex: 'ab'.repeat(16) });
      expect(b.seed).toBe(a.seed);
      expect(b.strata).toEqual(a.strata);
      expect(b.commitment).not.toBe(a.commitment);
    }
  });

  it('different seeds give different lists', () => {
    const a = generateAllocationList({ seedHex: testSeed(1), parameters: { per_stratum: 40 }, saltHex: TEST_SALT });
    const b = generateAllocationList({ seedHex: testSeed(2), parameters: { per_stratum: 40 }, saltHex: TEST_SALT });
    expect(b.strata.KL2!.map((e) => e.arm)).not.toEqual(a.strata.KL2!.map((e) => e.arm));
  });

  it('numbers seq from 1 per stratum; blocks end at a block boundary ≥ n with 1:1 balance, big stick has exactly n', () => {
    for (let i = 0; i < 100; i += 1) {
      const blocks = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { per_stratum: 37 },
        saltHex: TEST_SALT,
      });
      for (const entries of Object.values(blocks.strata)) {
        expect(entries.map((e) => e.seq)).toEqual(entries.map((_, k) => k + 1));
        expect(entries.length).toBeGreaterThanOrEqual(37);
        expect(entries.filter((e) => e.arm === 'ADMSC')).toHaveLength(entries.length / 2);
      }
      const bigstick = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { design: 'bigstick', per_stratum: 37 },
        saltHex: TEST_SALT,
      });
      for (const entries of Object.values(bigstick.strata)) {
        expect(entries).toHaveLength(37);
        expect(entries.every((e) => e.block === null)).toBe(true);
      }
    }
  });

  it('stratum independence: adding or reordering strata leaves the other strata unchanged (500 seeds)', () => {
    for (let i = 0; i < 500; i += 1) {
      const design = i % 2 === 0 ? ('blocks' as const) : ('bigstick' as const);
      const base = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { design, per_stratum: 30, strata: ['KL2', 'KL3'] },
        saltHex: TEST_SALT,
      });
      const more = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { design, per_stratum: 30, strata: ['KL2', 'KL3', 'KL4'] },
        saltHex: TEST_SALT,
      });
      const reordered = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { design, per_stratum: 30, strata: ['KL4', 'KL3', 'KL2'] },
        saltHex: TEST_SALT,
      });
      expect(more.strata.KL2).toEqual(base.strata.KL2);
      expect(more.strata.KL3).toEqual(base.strata.KL3);
      // Arms and blocks never depend on other strata; kit codes only through a ≈ 1e-8 cross-stratum collision.
      expect(reordered.strata.KL2).toEqual(base.strata.KL2);
      expect(reordered.strata.KL3).toEqual(base.strata.KL3);
    }
  });

  it('normalizes block sizes to ascending order, so "6,4" and "4,6" give the same list', () => {
    const a = generateAllocationList({
      seedHex: testSeed(3),
      parameters: { per_stratum: 20, block_sizes: [6, 4] },
      saltHex: TEST_SALT,
    });
    const b = generateAllocationList({
      seedHex: testSeed(3),
      parameters: { per_stratum: 20, block_sizes: [4, 6] },
      saltHex: TEST_SALT,
    });
    expect(a).toEqual(b);
  });

  it('refuses bad input, naming each field', () => {
    const seedHex = testSeed(0);
    const paths = (fn: () => unknown): string[] => trialErrorOf(fn).details.map((d) => d.path);
    expect(
      paths(() => generateAllocationList({ seedHex: 'abc', parameters: { per_stratum: 4 }, saltHex: 'zz' })),
    ).toEqual(['seed', 'salt']);
    expect(
      paths(() => generateAllocationList({ seedHex, parameters: { per_stratum: 4 }, saltHex: 'ab'.repeat(15) })),
    ).toEqual(['salt']);
    expect(
      paths(() => generateAllocationList({ seedHex, parameters: { per_stratum: 0 }, saltHex: TEST_SALT })),
    ).toEqual(['parameters.per_stratum']);
    expect(
      paths(() => generateAllocationList({ seedHex, parameters: { per_stratum: 2.5 }, saltHex: TEST_SALT })),
    ).toEqual(['parameters.per_stratum']);
    expect(
      paths(() =>
        generateAllocationList({ seedHex, parameters: { per_stratum: 4, block_sizes: [4, 5, 4] }, saltHex: TEST_SALT }),
      ),
    ).toEqual(['parameters.block_sizes[1]', 'parameters.block_sizes[2]']);
    expect(
      paths(() =>
        generateAllocationList({
          seedHex,
          parameters: { per_stratum: 4, strata: ['KL2', 'KL2', 'a:b'] },
          saltHex: TEST_SALT,
        }),
      ),
    ).toEqual(['parameters.strata[1]', 'parameters.strata[2]']);
    expect(
      paths(() => generateAllocationList({ seedHex, parameters: { per_stratum: 4, strata: [] }, saltHex: TEST_SALT })),
    ).toEqual(['parameters.strata']);
    expect(
      paths(() =>
        generateAllocationList({
          seedHex,
          parameters: { design: 'bigstick', per_stratum: 4, max_imbalance: 0 },
          saltHex: TEST_SALT,
        }),
      ),
    ).toEqual(['parameters.max_imbalance']);
    expect(
      paths(() =>
        generateAllocationList({
          seedHex,
          parameters: { design: 'bigstick', per_stratum: 4, block_sizes: [4] },
          saltHex: TEST_SALT,
        }),
      ),
    ).toEqual(['parameters.block_sizes']);
    expect(
      paths(() =>
        generateAllocationList({ seedHex, parameters: { per_stratum: 4, max_imbalance: 3 }, saltHex: TEST_SALT }),
      ),
    ).toEqual(['parameters.max_imbalance']);
  });
});
