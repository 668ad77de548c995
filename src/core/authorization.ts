/**
 * The authorization matrix: one table of which role may perform which operation. Routes name an
 * operation; `can()` is the only place that answers whether a role holds it. Site scoping and the
 * blinding conditions are applied on top by the service layer (a grant is for one site or all).
 */
import type { Role } from './roles.js';

import { ECRF_PERMISSIONS } from './permissions/ecrf.js';
import { RANDOMIZATION_PERMISSIONS } from './permissions/randomization.js';
import { SAFETY_PERMISSIONS } from './permissions/safety.js';
import { EPRO_PERMISSIONS } from './permissions/epro.js';
import { ANALYSIS_PERMISSIONS } from './permissions/analysis.js';
import { EXPORT_PERMISSIONS } from './permissions/exports.js';
import { STAFF } from './permissions/staff.js';

const FOUNDATION_PERMISSIONS = {
  'study.read': STAFF,
  'study.lock': ['data_manager'],
  'study.unlock': ['data_manager'],
  'user.read': ['admin'],
  'user.manage': ['admin'],
  'site.manage': ['admin'],
  'audit.read': ['admin', 'monitor', 'data_manager'],
  'audit.verify': ['admin', 'data_manager', 'monitor'],
  'token.create_own': STAFF,
  'esignature.sign': STAFF,
} as const satisfies Record<string, readonly Role[]>;

const SCREENING_PERMISSIONS = {
  'screening.read': ['investigator', 'coordinator', 'monitor', 'data_manager'],
  'screening.write': ['investigator', 'coordinator'],
  'screening.sign_off': ['investigator'],
  // Identity data (CPR, name, contact) is for site staff only (spec §9); every view is audited.
  'identity.read': ['investigator', 'coordinator'],
  'identity.write': ['investigator', 'coordinator'],
  'consent.write': ['investigator', 'coordinator'],
  'consent_version.manage': ['admin', 'data_manager'],
  'participant.read': [
    'investigator',
    'coordinator',
    'monitor',
    'data_manager',
    'unblinded_pharmacist',
    'statistician',
    'dsmb',
  ],
  'participant.enrol': ['investigator', 'coordinator'],
  'participant.withdraw': ['investigator', 'coordinator'],
} as const satisfies Record<string, readonly Role[]>;

/** role × operation: which roles hold each operation. Each feature keeps its rows in `permissions/`. */
export const AUTHORIZATION_MATRIX = {
  ...FOUNDATION_PERMISSIONS,
  ...SCREENING_PERMISSIONS,
  ...ECRF_PERMISSIONS,
  ...RANDOMIZATION_PERMISSIONS,
  ...SAFETY_PERMISSIONS,
  ...EPRO_PERMISSIONS,
  ...ANALYSIS_PERMISSIONS,
  ...EXPORT_PERMISSIONS,
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof AUTHORIZATION_MATRIX;
export const OPERATIONS = Object.keys(AUTHORIZATION_MATRIX) as Operation[];

/** Whether any of `roles` holds `operation`. */
export function can(roles: readonly Role[], operation: Operation): boolean {
  const allowed: readonly Role[] = AUTHORIZATION_MATRIX[operation];
  return roles.some((r) => allowed.includes(r));
}

/**
 * The sites at which a set of role grants allows an operation: `all` when some allowing grant is
 * study-wide, otherwise the list of site ids (possibly empty).
 */
export function sitesAllowed(
  grants: readonly { role: Role; siteId: string | null }[],
  operation: Operation,
): 'all' | string[] {
  const allowed: readonly Role[] = AUTHORIZATION_MATRIX[operation];
  const allowing = grants.filter((g) => allowed.includes(g.role));
  if (allowing.some((g) => g.siteId === null)) return 'all';
  return [...new Set(allowing.map((g) => g.siteId as string))];
}
