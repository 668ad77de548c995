/**
 * Adverse events and safety reporting (issue 6).
 *
 * The role matrix of spec §10 has no sponsor role. Sponsor safety work (the sponsor's causality and
 * expectedness, acknowledging SAE reports, the per-case unblinding that a SUSAR classification needs,
 * and reports to EudraVigilance) is done by a study-wide `data_manager` who also holds a
 * safety-physician designation granted by an admin (table `safety_physicians`); the operations
 * below give the role, the services require the designation as well. The DSMB (always) and the
 * statistician (after database lock) may read by-arm tables; the services check the lock.
 */
import type { Role } from '../roles.js';

const SITE_CLINICAL: readonly Role[] = ['investigator', 'coordinator'];
const SAFETY_READERS: readonly Role[] = [
  'investigator',
  'coordinator',
  'monitor',
  'data_manager',
  'statistician',
  'dsmb',
];

export const SAFETY_PERMISSIONS = {
  /** AE listing, AE detail with its versions and queries, SAE cases, dashboard. */
  'safety.read': SAFETY_READERS,
  /** Record an AE and its follow-up (grade, dates, seriousness, action, outcome, MedDRA coding). */
  'safety.ae.write': SITE_CLINICAL,
  /** The investigator's causality assessment and confirming consistency queries (a medical judgement). */
  'safety.ae.assess': ['investigator'],
  /** Record that the investigator's SAE report was sent to the sponsor. */
  'safety.case.report': SITE_CLINICAL,
  /** Sponsor assessment, acknowledgement, SUSAR classification and authority reports (with the designation). */
  'safety.sponsor.assess': ['data_manager'],
  /** The per-case unblinding a SUSAR classification needs (with the designation; e-signed and audited). */
  'safety.susar.unblind': ['data_manager'],
  /** Designate or revoke sponsor safety physicians. */
  'safety.physician.manage': ['admin'],
  /** Issue versions of the reference safety information. */
  'safety.rsi.manage': ['data_manager'],
  /** AE review tasks from diary and form signals. */
  'safety.review.read': ['investigator', 'coordinator', 'monitor'],
  'safety.review.create': ['investigator', 'coordinator', 'data_manager'],
  /** Record an AE from a task, or dismiss the task with a reason (the investigator's decision). */
  'safety.review.resolve': ['investigator'],
  /** Pooled safety tables and the AE listing for reports. */
  'safety.tables.read': SAFETY_READERS,
  /** By-arm safety tables: DSMB always; statistician only after database lock (checked by the service). */
  'safety.tables.by_arm': ['dsmb', 'statistician'],
  /** The SAE report document of a case. */
  'safety.report.read': ['investigator', 'coordinator', 'monitor', 'data_manager', 'dsmb'],
  /** The data extract for the annual safety report (CSV). */
  'safety.extract': ['data_manager', 'statistician', 'dsmb'],
  /** Run the deadline scan that enqueues due-soon and overdue notifications (normally a scheduled job). */
  'safety.scan': ['admin', 'data_manager'],
} as const satisfies Record<string, readonly Role[]>;
