/** The statistical analysis plan, exports and reports (issues 8–10). */
import type { Role } from '../roles.js';

export const ANALYSIS_PERMISSIONS = {} as const satisfies Record<string, readonly Role[]>;
