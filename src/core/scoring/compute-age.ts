/** Age in completed years, a derived item (eligibility IC1, demographics). */
import { completedYearsBetween, isIsoDate, type IsoDate } from '../schedule/plain-date.js';

/**
 * Age in completed years on `onDate`. Someone born on 29 February completes a year on 1 March in
 * common years. Null when either date is missing or not a calendar date.
 */
export function computeAge(dateOfBirth: IsoDate | null | undefined, onDate: IsoDate | null | undefined): number | null {
  if (!isIsoDate(dateOfBirth) || !isIsoDate(onDate)) return null;
  return completedYearsBetween(dateOfBirth, onDate);
}
