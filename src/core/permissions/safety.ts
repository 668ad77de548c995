/** Adverse events and safety reporting (issue 6). */
import type { Role } from '../roles.js';

export const SAFETY_PERMISSIONS = {} as const satisfies Record<string, readonly Role[]>;
