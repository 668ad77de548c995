/**
 * Whether a participant's baseline assessments are complete, which randomization requires (spec §4).
 * Owned by the eCRF feature: until it is wired, no baseline form is required.
 */
import type { Executor } from '../storage/database.js';

export interface BaselineReadiness {
  complete: boolean;
  /** The baseline forms still missing (form ids). */
  missing: string[];
}

export async function checkBaselineReadiness(_db: Executor, _participantId: string): Promise<BaselineReadiness> {
  return { complete: true, missing: [] };
}
