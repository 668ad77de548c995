/** Whether the signed-in user's grants allow an operation at a site (the server checks again). */
import { sitesAllowed, type Operation } from '../../../../src/core/authorization.js';
import type { RoleGrant } from '../../api/types.js';

/** Whether `grants` allow `operation` at `siteId`. */
export function canAtSite(grants: readonly RoleGrant[], operation: Operation, siteId: string): boolean {
  const sites = sitesAllowed(grants, operation);
  return sites === 'all' || sites.includes(siteId);
}

/** Whether `grants` allow `operation` at any site. */
export function canAnywhere(grants: readonly RoleGrant[], operation: Operation): boolean {
  const sites = sitesAllowed(grants, operation);
  return sites === 'all' || sites.length > 0;
}
