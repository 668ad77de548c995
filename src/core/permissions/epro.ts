/** Participant ePRO access managed by site staff (issue 7). */
import type { Role } from '../roles.js';

export const EPRO_PERMISSIONS = {} as const satisfies Record<string, readonly Role[]>;
