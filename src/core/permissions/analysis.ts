/**
 * The statistical analysis plan and the reports (issues 8 and 10).
 *
 * Pooled (blinded) results are for the people who monitor the trial's data; by-arm results are
 * for the DSMB (always) and the statistician (only after database lock — the services check the
 * lock and refuse everyone else with 403, and the blinding presenter strips `byArm`/`arm` besides).
 * The CONSORT diagram and the dashboard are blinded views of the trial's progress for the whole
 * study team; site-bound roles see their own sites.
 */
import type { Role } from '../roles.js';

const MONITORING: readonly Role[] = [
  'admin',
  'investigator',
  'coordinator',
  'monitor',
  'data_manager',
  'statistician',
  'dsmb',
];

export const ANALYSIS_PERMISSIONS = {
  /** The SAP on the current data with the arms pooled: descriptive statistics, pooled AE counts. */
  'analysis.sap.read': ['data_manager', 'statistician', 'dsmb'],
  /** The SAP by arm (models, contrasts, tests): DSMB always; statistician after database lock (checked by the service). */
  'analysis.sap.by_arm': ['statistician', 'dsmb'],
  /** The CONSORT flow diagram (pooled; by arm for the DSMB and the statistician after lock) with the participants behind each box. */
  'reports.consort.read': MONITORING,
  /** The trial dashboard: enrolment, visits due and overdue, completion, diaries, queries, SAE clocks, backlog. */
  'reports.dashboard.read': MONITORING,
  /** Outcome plots (SVG) and the study report (HTML), pooled or by arm under the same rules as the SAP. */
  'reports.read': ['data_manager', 'statistician', 'dsmb'],
} as const satisfies Record<string, readonly Role[]>;
