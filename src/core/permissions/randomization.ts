/** Randomization, blinding, the cell-product chain and emergency unblinding (issue 5). */
import type { Role } from '../roles.js';

export const RANDOMIZATION_PERMISSIONS = {} as const satisfies Record<string, readonly Role[]>;
