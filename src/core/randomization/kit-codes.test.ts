import { describe, expect, it } from 'vitest';
import { createDrbgStream } from './drbg.js';
import { hexToBytes } from '../hash.js';
import { generateAllocationList } from './generate-allocation-list.js';
import { drawKitCode, drawUniqueKitCode, KIT_ALPHABET, KIT_CODE_PATTERN } from './kit-codes.js';
import { TEST_SALT, testSeed } from './test-seeds.js';

describe('kit codes', () => {
  it('have the K-XXXX-XXXX shape over the unambiguous 31-character alphabet', () => {
    expect(KIT_ALPHABET).toHaveLength(31);
    expect(KIT_ALPHABET).not.toMatch(/[01ILO]/);
    const stream = createDrbgStream(hexToBytes(testSeed(0)), 'kits:S');
    for (let i = 0; i < 1000; i += 1) expect(drawKitCode(stream)).toMatch(KIT_CODE_PATTERN);
  });

  it('redraw on a collision with an already used code', () => {
    const seed = hexToBytes(testSeed(0));
    const first = drawKitCode(createDrbgStream(seed, 'kits:S'));
    const used = new Set([first]);
    const code = drawUniqueKitCode(createDrbgStream(seed, 'kits:S'), used);
    expect(code).not.toBe(first);
    expect(used).toEqual(new Set([first, code]));
  });

  it('are unique across the whole list, over 500 seeds and both designs', () => {
    for (let i = 0; i < 500; i += 1) {
      const design = i % 2 === 0 ? 'blocks' : 'bigstick';
      const list = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { design, per_stratum: 40 },
        saltHex: TEST_SALT,
      });
      const kits = Object.values(list.strata).flatMap((entries) => entries.map((e) => e.kit));
      expect(new Set(kits).size).toBe(kits.length);
    }
  });

  it('carry no information about the arm: character distributions agree between arms (chi-square over 500 seeds)', () => {
    // For each character position, a 31 × 2 contingency table of character by arm; homogeneity test with 30 df.
    const counts = Array.from({ length: 8 }, () => ({
      ADMSC: new Array<number>(31).fill(0),
      SALINE: new Array<number>(31).fill(0),
    }));
    for (let i = 0; i < 500; i += 1) {
      const list = generateAllocationList({
        seedHex: testSeed(i),
        parameters: { per_stratum: 40 },
        saltHex: TEST_SALT,
      });
      for (const entry of Object.values(list.strata).flat()) {
        const chars = entry.kit.replace(/^K-|-/g, '');
        for (let p = 0; p < 8; p += 1) counts[p]![entry.arm][KIT_ALPHABET.indexOf(chars[p]!)]! += 1;
      }
    }
    for (const { ADMSC, SALINE } of counts) {
      const nA = ADMSC.reduce((a, b) => a + b, 0);
      const nS = SALINE.reduce((a, b) => a + b, 0);
      let chi2 = 0;
      for (let c = 0; c < 31; c += 1) {
        const column = ADMSC[c]! + SALINE[c]!;
        const eA = (column * nA) / (nA + nS);
        const eS = (column * nS) / (nA + nS);
        chi2 += (ADMSC[c]! - eA) ** 2 / eA + (SALINE[c]! - eS) ** 2 / eS;
      }
      expect(chi2).toBeLessThan(59.703); // χ²(30) 0.999 quantile
    }
  });
});
