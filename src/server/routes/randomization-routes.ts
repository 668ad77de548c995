/** Randomization, blinding, product chain and emergency unblinding. */
import type { AnyRoute } from '../route.js';

export function randomizationRoutes(): AnyRoute[] {
  return [];
}
