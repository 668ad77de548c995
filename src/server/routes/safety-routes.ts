/** Adverse events and safety reporting. */
import type { AnyRoute } from '../route.js';

export function safetyRoutes(): AnyRoute[] {
  return [];
}
