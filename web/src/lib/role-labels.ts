/** Human labels for roles and grants, in the current language (the labels live in `src/core/roles.ts`). */
import { isRole, ROLE_LABELS } from '../../../src/core/roles.js';
import type { RoleGrant, Site } from '../api/types.js';
import type { Language } from '../i18n/i18n.js';

/** The label of `role` in `language`; an unknown role is shown as its code. */
export const roleLabel = (role: string, language: Language): string =>
  isRole(role) ? ROLE_LABELS[role][language] : role;

/** "Investigator · AUH", or the role alone for a study-wide grant. */
export function grantLabel(
  grant: RoleGrant,
  sites: readonly Site[],
  language: Language,
  allSitesLabel: string,
): string {
  const site = grant.siteId === null ? allSitesLabel : (sites.find((s) => s.id === grant.siteId)?.code ?? grant.siteId);
  return `${roleLabel(grant.role, language)} · ${site}`;
}
