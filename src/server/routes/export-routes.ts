/** Data exports and imports. */
import type { AnyRoute } from '../route.js';

export function exportRoutes(): AnyRoute[] {
  return [];
}
