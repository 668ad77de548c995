/**
 * The authorization matrix: one table of which role may perform which operation. Routes name an
 * operation; `can()` is the only place that answers whether a role holds it. Site scoping and the
 * blinding conditions are applied on top by the service layer (a grant is for one site or all).
 */
import type { Role } from './roles.js';

export const OPERATIONS = [
  'study.read',
  'study.lock',
  'study.unlock',
  'user.read',
  'user.manage',
  'audit.read',
  'audit.verify',
  'token.create_own',
  'esignature.sign',
] as const;
export type Operation = (typeof OPERATIONS)[number];

const STAFF: readonly Role[] = [
  'admin',
  'investigator',
  'coordinator',
  'unblinded_pharmacist',
  'monitor',
  'data_manager',
  'statistician',
  'dsmb',
];

export const AUTHORIZATION_MATRIX: Record<Operation, readonly Role[]> = {
  'study.read': STAFF,
  'study.lock': ['data_manager'],
  'study.unlock': ['data_manager'],
  'user.read': ['admin'],
  'user.manage': ['admin'],
  'audit.read': ['admin', 'monitor', 'data_manager'],
  'audit.verify': ['admin', 'data_manager', 'monitor'],
  'token.create_own': STAFF,
  'esignature.sign': STAFF,
};

/** Whether any of `roles` holds `operation`. */
export function can(roles: readonly Role[], operation: Operation): boolean {
  const allowed = AUTHORIZATION_MATRIX[operation];
  return roles.some((r) => allowed.includes(r));
}
