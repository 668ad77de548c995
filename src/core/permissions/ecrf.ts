/** Visits, eCRFs, queries, source data verification and locking (issue 4). */
import type { Role } from '../roles.js';

export const ECRF_PERMISSIONS = {} as const satisfies Record<string, readonly Role[]>;
