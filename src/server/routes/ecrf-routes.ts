/** Visits, eCRFs, queries, monitoring and locking. */
import type { AnyRoute } from '../route.js';

export function ecrfRoutes(): AnyRoute[] {
  return [];
}
