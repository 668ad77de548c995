/**
 * Permuted blocks of random size for one stratum (docs/RANDOMIZATION.md §4.1). Every block holds
 * size/2 of each arm, so the running allocation is exactly 1:1 at every block end; random sizes
 * keep block ends from being predictable.
 */
import { createDrbgStream } from './drbg.js';
import { ARMS, type Arm } from './types.js';

/** One generated slot before kit codes are attached. */
export interface ArmSlot {
  arm: Arm;
  /** 1-based block number within the stratum, or null for designs without blocks. */
  block: number | null;
}

/**
 * Generates whole blocks until at least `minLength` slots exist, so the list ends at a block
 * boundary (like blockrand). Block sizes come from stream `block-sizes:<stratum>` (index =
 * uniformInt(sizes.length) into the ascending sizes); each block starts as [ADMSC × m, SALINE × m]
 * and is shuffled by Fisher–Yates with j = uniformInt(i + 1) for i = size−1 … 1 from stream
 * `arms:<stratum>`.
 */
export function generatePermutedBlocks(
  seed: Uint8Array,
  stratum: string,
  minLength: number,
  blockSizes: readonly number[],
): ArmSlot[] {
  const sizeStream = createDrbgStream(seed, `block-sizes:${stratum}`);
  const armStream = createDrbgStream(seed, `arms:${stratum}`);
  const slots: ArmSlot[] = [];
  let blockNumber = 0;
  while (slots.length < minLength) {
    blockNumber += 1;
    const size = blockSizes[sizeStream.uniformInt(blockSizes.length)]!;
    const half = size / 2;
    const block: Arm[] = [...Array<Arm>(half).fill(ARMS[0]), ...Array<Arm>(half).fill(ARMS[1])];
    for (let i = size - 1; i >= 1; i -= 1) {
      const j = armStream.uniformInt(i + 1);
      [block[i], block[j]] = [block[j]!, block[i]!];
    }
    for (const arm of block) slots.push({ arm, block: blockNumber });
  }
  return slots;
}
