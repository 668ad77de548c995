/**
 * Counter-mode deterministic random bit generator over HMAC-SHA-256 (docs/RANDOMIZATION.md §2).
 *
 *   block_i = HMAC-SHA-256(key = seed, "STEMJOINT-RAND-v1" ‖ 0x00 ‖ utf8(domain) ‖ 0x00 ‖ uint64be(i))
 *
 * for i = 0, 1, 2, …; the stream is block_0 ‖ block_1 ‖ … read as consecutive big-endian uint32
 * words. Each domain ("arms:KL2", "kits:KL3", …) is an independent stream, which is what keeps one
 * stratum's list unchanged when another stratum is added. The core never draws entropy itself:
 * the seed is an input.
 */
import { hmacSha256, utf8ToBytes } from '../hash.js';

/** Fixed label that prefixes every HMAC message; it names the construction and its version. */
export const DRBG_LABEL = 'STEMJOINT-RAND-v1';

const UINT32_RANGE = 0x1_0000_0000;
const HMAC_BLOCK_BYTES = 32;

/** A deterministic stream of uniform integers for one (seed, domain) pair. */
export interface DrbgStream {
  /** The next 32-bit word of the stream, as a non-negative integer below 2^32. */
  nextUint32(): number;
  /**
   * A uniform integer in [0, n) by rejection sampling: draw u = nextUint32() until
   * u < 2^32 − (2^32 mod n), then return u mod n. Always consumes at least one word (also for n = 1),
   * so re-implementations need no special cases.
   */
  uniformInt(n: number): number;
}

/** Creates the stream for `domain` keyed by the 32-byte `seed`. */
export function createDrbgStream(seed: Uint8Array, domain: string): DrbgStream {
  if (seed.length !== 32) throw new RangeError(`DRBG seed must be 32 bytes, got ${seed.length}`);
  if (domain.includes('\u0000')) throw new RangeError('DRBG domain must not contain NUL');
  const key = seed.slice();
  const label = utf8ToBytes(DRBG_LABEL);
  const domainBytes = utf8ToBytes(domain);
  // Layout: label ‖ 0x00 ‖ domain ‖ 0x00 ‖ uint64be(counter); the NUL separators keep (label, domain) unambiguous.
  const message = new Uint8Array(label.length + 1 + domainBytes.length + 1 + 8);
  message.set(label, 0);
  message.set(domainBytes, label.length + 1);
  const counterOffset = message.length - 8;
  const view = new DataView(message.buffer);

  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  let offset = HMAC_BLOCK_BYTES;

  const refill = (): void => {
    // 2^53 blocks is far beyond any list; the split into two uint32 halves keeps it exact without BigInt.
    view.setUint32(counterOffset, Math.floor(counter / UINT32_RANGE));
    view.setUint32(counterOffset + 4, counter >>> 0);
    block = hmacSha256(key, message);
    counter += 1;
    offset = 0;
  };

  const nextUint32 = (): number => {
    if (offset >= HMAC_BLOCK_BYTES) refill();
    const word =
      ((block[offset]! << 24) | (block[offset + 1]! << 16) | (block[offset + 2]! << 8) | block[offset + 3]!) >>> 0;
    offset += 4;
    return word;
  };

  const uniformInt = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > UINT32_RANGE) throw new RangeError(`uniformInt: bad range ${n}`);
    // Largest multiple of n that fits in 32 bits; words at or above it are rejected to avoid modulo bias.
    const limit = UINT32_RANGE - (UINT32_RANGE % n);
    for (;;) {
      const u = nextUint32();
      if (u < limit) return u % n;
    }
  };

  return { nextUint32, uniformInt };
}
