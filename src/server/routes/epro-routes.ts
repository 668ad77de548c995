/** Participant ePRO. */
import type { AnyRoute } from '../route.js';

export function eproRoutes(): AnyRoute[] {
  return [];
}
