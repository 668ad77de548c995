import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, hmacSha256, utf8ToBytes } from '../hash.js';
import { createDrbgStream, DRBG_LABEL } from './drbg.js';

const SEED = hexToBytes(`${'00'.repeat(31)}01`);

describe('createDrbgStream', () => {
  it('block 0 is HMAC-SHA-256(seed, label ‖ 0x00 ‖ domain ‖ 0x00 ‖ uint64be(0))', () => {
    const message = new Uint8Array([
      ...utf8ToBytes(DRBG_LABEL),
      0,
      ...utf8ToBytes('arms:KL2'),
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    // Independently computed with Python's hmac module (docs/RANDOMIZATION.md test vector).
    expect(bytesToHex(hmacSha256(SEED, message))).toBe(
      '4226238c536b17a1751c7070cebe0bd818bd1f94f60183328870c99b380e3473',
    );
    const stream = createDrbgStream(SEED, 'arms:KL2');
    expect(stream.nextUint32()).toBe(0x4226238c);
    expect(stream.nextUint32()).toBe(0x536b17a1);
  });

  it('continues into block 1 after eight words (test vector from the Python reference)', () => {
    const stream = createDrbgStream(SEED, 'arms:KL2');
    const words = Array.from({ length: 10 }, () => stream.nextUint32());
    expect(words).toEqual([
      1109795724, 1399527329, 1964798064, 3468561368, 415047572, 4127294258, 2289093019, 940455027, 368861901,
      3288467340,
    ]);
  });

  it('is deterministic per (seed, domain) and separates domains and seeds', () => {
    const take = (seed: Uint8Array, domain: string): number[] => {
      const s = createDrbgStream(seed, domain);
      return Array.from({ length: 16 }, () => s.nextUint32());
    };
    expect(take(SEED, 'arms:KL2')).toEqual(take(SEED, 'arms:KL2'));
    expect(take(SEED, 'arms:KL2')).not.toEqual(take(SEED, 'arms:KL3'));
    expect(take(SEED, 'arms:KL2')).not.toEqual(take(SEED, 'kits:KL2'));
    expect(take(SEED, 'arms:KL2')).not.toEqual(take(hexToBytes(`${'00'.repeat(31)}02`), 'arms:KL2'));
  });

  it('rejects words at or above the largest multiple of n instead of reducing them (no modulo bias)', () => {
    // n = 3 · 2^30: the limit is 3 · 2^30, so a quarter of all words must be rejected.
    const n = 3 * 2 ** 30;
    const raw = createDrbgStream(SEED, 'rejection-test');
    const sampled = createDrbgStream(SEED, 'rejection-test');
    let rejected = 0;
    for (let k = 0; k < 200; k += 1) {
      let u = raw.nextUint32();
      while (u >= n) {
        rejected += 1;
        u = raw.nextUint32();
      }
      expect(sampled.uniformInt(n)).toBe(u % n);
    }
    expect(rejected).toBeGreaterThan(20);
  });

  it('consumes one word for n = 1 and refuses ranges outside [1, 2^32]', () => {
    const a = createDrbgStream(SEED, 'x');
    const b = createDrbgStream(SEED, 'x');
    expect(a.uniformInt(1)).toBe(0);
    b.nextUint32();
    expect(a.nextUint32()).toBe(b.nextUint32());
    expect(() => a.uniformInt(0)).toThrow(RangeError);
    expect(() => a.uniformInt(2.5)).toThrow(RangeError);
    expect(() => a.uniformInt(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('refuses seeds that are not 32 bytes and domains containing NUL', () => {
    expect(() => createDrbgStream(new Uint8Array(16), 'x')).toThrow(RangeError);
    expect(() => createDrbgStream(SEED, 'a\u0000b')).toThrow(RangeError);
  });

  it('draws uniformInt(6) uniformly (chi-square, 5 df, 60 000 draws)', () => {
    const stream = createDrbgStream(SEED, 'uniformity');
    const counts = new Array<number>(6).fill(0);
    const draws = 60_000;
    for (let i = 0; i < draws; i += 1) counts[stream.uniformInt(6)]! += 1;
    const expected = draws / 6;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.515); // χ²(5) 0.999 quantile
  });
});
