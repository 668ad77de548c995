/**
 * Whether a participant's baseline assessments are complete, which randomization requires (spec §4):
 * each of the baseline forms below has been submitted at the baseline visit.
 */
import type { Executor } from '../storage/database.js';

/** The baseline visit. */
export const BASELINE_VISIT = 'BL';

/** The forms that must be submitted at baseline before randomization (the baseline outcome assessments). */
export const BASELINE_READINESS_FORMS = ['koos', 'nrs', 'clinical_exam'] as const;

export interface BaselineReadiness {
  complete: boolean;
  /** The baseline forms still missing (form ids). */
  missing: string[];
}

/** Which of the baseline forms have not been submitted at the baseline visit. */
export async function checkBaselineReadiness(db: Executor, participantId: string): Promise<BaselineReadiness> {
  const rows = await db
    .selectFrom('form_instances')
    .select('form_id')
    .where('participant_id', '=', participantId)
    .where('visit_code', '=', BASELINE_VISIT)
    .where('form_id', 'in', [...BASELINE_READINESS_FORMS])
    .where('status', '=', 'submitted')
    .execute();
  const done = new Set(rows.map((r) => r.form_id));
  const missing = BASELINE_READINESS_FORMS.filter((f) => !done.has(f));
  return { complete: missing.length === 0, missing };
}
