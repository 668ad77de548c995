import { isRole, ROLES, type Role } from '../roles.js';
import type { LocalizedText } from './localized-text.js';

/**
 * The role ids are the project-wide list of spec §10 (`src/core/roles.ts`); the protocol records,
 * per role, how it relates to the blind. Re-exported here so protocol consumers need one import.
 */
export { isRole, ROLES, type Role };

/**
 * How a role relates to the blind (spec §4): `blinded` never sees allocation-revealing data,
 * `unblinded` sees it throughout, `unblinded_after_lock` only once the database is locked.
 */
export const ROLE_BLINDING = ['blinded', 'unblinded', 'unblinded_after_lock'] as const;

/** Blinding status of a role. */
export type RoleBlinding = (typeof ROLE_BLINDING)[number];

/** A role as the protocol declares it. */
export interface RoleDef {
  readonly id: Role;
  readonly label: LocalizedText;
  readonly blinding: RoleBlinding;
  /** True for the participant role, which only uses the ePRO app. */
  readonly eproOnly?: boolean;
  /** What the role is for, in a sentence. */
  readonly description: LocalizedText;
}
