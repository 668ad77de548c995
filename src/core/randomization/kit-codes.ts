/**
 * Kit codes (docs/RANDOMIZATION.md §5): the only label on a masked syringe, so they must carry no
 * information about the arm. They are drawn from their own DRBG stream (`kits:<stratum>`), never
 * from the arm stream, and formatted `K-XXXX-XXXX` over an alphabet without look-alike characters.
 */
import type { DrbgStream } from './drbg.js';

/** 31 characters without 0/O, 1/I/L, so codes survive being read aloud or handwritten. */
export const KIT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** Random characters per code (31^8 ≈ 8.5 × 10^11 codes). */
export const KIT_CODE_CHARS = 8;
/** Shape of a kit code. */
export const KIT_CODE_PATTERN = /^K-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;

/** Draws one code: 8 × uniformInt(31) as indices into {@link KIT_ALPHABET}, formatted K-XXXX-XXXX. */
export function drawKitCode(stream: DrbgStream): string {
  let chars = '';
  for (let i = 0; i < KIT_CODE_CHARS; i += 1) chars += KIT_ALPHABET[stream.uniformInt(KIT_ALPHABET.length)];
  return `K-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/**
 * Draws the next code that is not yet in `used` (codes already given to this or an earlier
 * stratum) and records it. A collision simply draws again from the same stream.
 */
export function drawUniqueKitCode(stream: DrbgStream, used: Set<string>): string {
  for (;;) {
    const code = drawKitCode(stream);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}
