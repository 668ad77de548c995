/** Site-scoped access checks for services: a role grant is for one site or for all of them. */
import { sitesAllowed, type Operation } from '../core/authorization.js';
import { forbidden } from '../core/errors.js';
import type { Actor } from './context.js';

/** The sites where the actor may perform `operation` (system actors: everywhere). */
export function actorSites(actor: Actor, operation: Operation): 'all' | string[] {
  return actor.kind === 'system' ? 'all' : sitesAllowed(actor.grants, operation);
}

export function assertSiteAccess(actor: Actor, operation: Operation, siteId: string): void {
  const sites = actorSites(actor, operation);
  if (sites !== 'all' && !sites.includes(siteId)) {
    throw forbidden('This record belongs to a site you have no access to');
  }
}
