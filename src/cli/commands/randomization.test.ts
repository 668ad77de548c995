/** `stemjoint randomization generate | verify` run as real child processes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStemjoint } from '../../../test/support/cli.js';
import type { AllocationList } from '../../core/randomization/index.js';

const SEED = 'c0ffee'.padEnd(64, '0');
const SALT = '5a'.repeat(16);
const dir = mkdtempSync(join(tmpdir(), 'stemjoint-randomization-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `generate --json` and parses the list. */
async function generate(args: string[]): Promise<AllocationList> {
  const result = await runStemjoint(['randomization', 'generate', '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as AllocationList;
}

/** Writes `value` to a file in the temp dir and runs `verify --list` on it. */
async function verify(name: string, value: unknown, extra: string[] = []): ReturnType<typeof runStemjoint> {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return runStemjoint(['randomization', 'verify', '--list', file, ...extra]);
}

describe('stemjoint randomization generate', () => {
  it('prints the documented list (test vector) with the given salt', async () => {
    const list = await generate(['--seed', SEED, '--per-stratum', '6', '--salt', SALT]);
    expect(Object.keys(list)).toEqual(['algorithm', 'version', 'seed', 'parameters', 'strata', 'salt', 'commitment']);
    expect(list.algorithm).toBe('stemjoint-hmac-sha256-drbg');
    expect(list.version).toBe('1');
    expect(list.strata.KL2![0]).toEqual({ seq: 1, block: 1, arm: 'SALINE', kit: 'K-PNAM-EQ5J' });
    expect(list.commitment).toBe('9b45939c92e74500db78695cb32c885b3eea654d6713a000a11b71ad72c5253e');
  });

  it('gives the same list for the same seed; without --salt only salt and commitment differ', async () => {
    const [a, b] = await Promise.all([
      generate(['--seed', SEED, '--per-stratum', '40', '--strata', 'KL2,KL3', '--blocks', '4,6']),
      generate(['--seed', SEED.toUpperCase(), '--per-stratum', '40']),
    ]);
    expect(b.strata).toEqual(a.strata);
    expect(b.parameters).toEqual(a.parameters);
    expect(a.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(b.salt).not.toBe(a.salt);
    expect(b.commitment).not.toBe(a.commitment);
    for (const entries of Object.values(a.strata)) {
      expect(entries.length).toBeGreaterThanOrEqual(40);
      expect(entries.filter((e) => e.arm === 'ADMSC')).toHaveLength(entries.length / 2);
    }
  });

  it('generates the big stick design with exactly n slots and null block numbers', async () => {
    const list = await generate([
      '--seed',
      SEED,
      '--per-stratum',
      '25',
      '--design',
      'bigstick',
      '--max-imbalance',
      '2',
      '--strata',
      'A,B,C',
    ]);
    expect(list.parameters).toEqual({
      design: 'bigstick',
      per_stratum: 25,
      max_imbalance: 2,
      strata: ['A', 'B', 'C'],
      arms: ['ADMSC', 'SALINE'],
    });
    for (const entries of Object.values(list.strata)) {
      expect(entries).toHaveLength(25);
      expect(entries.every((e) => e.block === null)).toBe(true);
    }
  });

  it('prints a summary without --json', async () => {
    const result = await runStemjoint([
      'randomization',
      'generate',
      '--seed',
      SEED,
      '--per-stratum',
      '6',
      '--salt',
      SALT,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/commitment +9b45939c92e74500db78695cb32c885b3eea654d6713a000a11b71ad72c5253e/);
  });
});

// Each case is its own child process; running them concurrently keeps the file's wall time down.
describe.concurrent('stemjoint randomization generate: bad options', () => {
  it.each([
    [['--seed', 'abc', '--per-stratum', '4'], /--seed/],
    [['--seed', `${SEED.slice(1)}g`, '--per-stratum', '4'], /--seed/],
    [['--seed', SEED, '--per-stratum', '0'], /--per-stratum/],
    [['--seed', SEED, '--per-stratum', 'ten'], /--per-stratum/],
    [['--seed', SEED, '--per-stratum', '4', '--design', 'coin'], /--design/],
    [['--seed', SEED, '--per-stratum', '4', '--blocks', '4,5'], /--blocks/],
    [['--seed', SEED, '--per-stratum', '4', '--blocks', '4,x'], /--blocks/],
    [['--seed', SEED, '--per-stratum', '4', '--design', 'bigstick', '--max-imbalance', '0'], /--max-imbalance/],
    [['--seed', SEED, '--per-stratum', '4', '--design', 'bigstick', '--blocks', '4'], /--blocks/],
    [['--seed', SEED, '--per-stratum', '4', '--strata', 'KL2,,KL3'], /--strata/],
    [['--seed', SEED, '--per-stratum', '4', '--salt', 'abcd'], /--salt/],
    [['--seed', SEED], /--per-stratum/],
  ])('exits 3 naming the option for %j', async (args, pattern) => {
    const result = await runStemjoint(['randomization', 'generate', '--json', ...args]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toBe('');
  });
});

describe('stemjoint randomization verify', () => {
  it('exits 0 for an untouched list and 1 naming the first difference for a tampered one', async () => {
    const list = await generate(['--seed', SEED, '--per-stratum', '20']);
    const ok = await verify('ok.json', list);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^verified: commitment ${list.commitment}`));

    const tampered = structuredClone(list);
    const entry = tampered.strata.KL2![7]!;
    const original = entry.arm;
    entry.arm = original === 'ADMSC' ? 'SALINE' : 'ADMSC';
    const bad = await verify('bad.json', tampered);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`strata.KL2[7].arm: expected ${original}, found ${entry.arm}`);

    const badJson = await verify('bad2.json', tampered, ['--json']);
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toEqual({
      ok: false,
      first_difference: `strata.KL2[7].arm: expected ${original}, found ${entry.arm}`,
    });

    const salted = await verify('salt.json', { ...list, salt: 'ab'.repeat(16) });
    expect(salted.code).toBe(1);
    expect(salted.stderr).toMatch(/commitment: expected [0-9a-f]{64}/);
  });

  it('exits 3 for a missing, unreadable or malformed file', async () => {
    const missing = await runStemjoint(['randomization', 'verify', '--list', join(dir, 'nope.json')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/--list: cannot read/);
    const notJson = await verify('garbage.json', '{ not json');
    expect(notJson.code).toBe(3);
    expect(notJson.stderr).toMatch(/not valid JSON/);
    const wrongShape = await verify('shape.json', { algorithm: 'stemjoint-hmac-sha256-drbg', seed: 'xyz' });
    expect(wrongShape.code).toBe(3);
    expect(wrongShape.stderr).toMatch(/seed: must be 64 hex/);
  });
});
