/**
 * Participant ePRO access managed by site staff (issue 7). Participants themselves hold no role
 * here: they have no staff account, and the participant routes authenticate them with their own
 * session and scope every request to their own open questionnaires.
 */
import type { Role } from '../roles.js';

export const EPRO_PERMISSIONS = {
  /** ePRO access state, diary compliance and diary-day status per participant (site dashboard). */
  'epro.read': ['investigator', 'coordinator', 'monitor', 'data_manager'],
  /** Enrol a participant's phone/e-mail, reset lost access (new code), revoke access. */
  'epro.manage': ['investigator', 'coordinator'],
  /** The job queue's state (operations). */
  'jobs.read': ['admin', 'data_manager'],
} as const satisfies Record<string, readonly Role[]>;
