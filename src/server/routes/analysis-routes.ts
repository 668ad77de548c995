/** Analysis, exports and reports. */
import type { AnyRoute } from '../route.js';

export function analysisRoutes(): AnyRoute[] {
  return [];
}
