/**
 * Picks the next unused slot of a stratum. The service layer counts the randomizations already
 * made in the stratum (under a lock) and passes that count; the list itself never changes.
 */
import { invalid } from '../errors.js';
import type { AllocationEntry, AllocationList } from './types.js';

/**
 * The slot for the (usedCount + 1)-th participant of `stratum`, or null when the stratum's list is
 * exhausted (an expected outcome the caller must handle, e.g. by refusing and alerting). Throws
 * `TrialError` for an unknown stratum or a negative / non-integer count.
 */
export function nextSlot(
  list: Pick<AllocationList, 'strata'>,
  stratum: string,
  usedCount: number,
): AllocationEntry | null {
  if (!Object.hasOwn(list.strata, stratum)) {
    throw invalid(`Unknown stratum ${stratum}`, [
      { path: 'stratum', message: `not in the allocation list (${Object.keys(list.strata).join(', ')})` },
    ]);
  }
  if (!Number.isInteger(usedCount) || usedCount < 0) {
    throw invalid('Invalid used count', [{ path: 'usedCount', message: 'must be a non-negative integer' }]);
  }
  return list.strata[stratum]![usedCount] ?? null;
}
