/**
 * Visits, eCRFs, queries, source data verification and locking (issue 4). Holding an operation is
 * necessary, not sufficient: site-scoped grants limit everything that concerns a participant to
 * that participant's site, and potentially unblinding item values are removed on the read path for
 * roles the protocol does not allow to see them.
 */
import type { Role } from '../roles.js';

/** Site staff who collect the data. */
const SITE_STAFF: readonly Role[] = ['investigator', 'coordinator'];
/** Everyone who works with the clinical data (monitors and data managers see but never enter data). */
const DATA_READERS: readonly Role[] = [
  'investigator',
  'coordinator',
  'monitor',
  'data_manager',
  'statistician',
  'dsmb',
];
/** The data-cleaning workflow: site staff answer, monitors and data managers raise and close. */
const QUERY_READERS: readonly Role[] = ['investigator', 'coordinator', 'monitor', 'data_manager'];
const OVERSIGHT: readonly Role[] = ['monitor', 'data_manager'];

export const ECRF_PERMISSIONS = {
  /** Casebooks, schedules, form values (blinding applied), item history, deviations, attachments. */
  'ecrf.read': DATA_READERS,
  /** Save drafts, submit and correct form data; upload attachments. */
  'ecrf.write': SITE_STAFF,
  /** Record a visit date or a missed visit. */
  'visit.write': SITE_STAFF,
  /** The calendar of upcoming and overdue visits per site. */
  'calendar.read': ['investigator', 'coordinator', 'monitor', 'data_manager'],
  /** The query inbox, threads and counts. */
  'query.read': QUERY_READERS,
  /** Raise a manual query on an item. */
  'query.raise': OVERSIGHT,
  /** Answer a query (the site's response). */
  'query.answer': SITE_STAFF,
  /** Close or re-open a query. */
  'query.close': OVERSIGHT,
  /** Source data verification of a form (monitor only). */
  'sdv.write': ['monitor'],
  /** Lock a form or a casebook, and unlock it with a reason (data managers only). */
  'ecrf.lock': ['data_manager'],
  'ecrf.unlock': ['data_manager'],
  /** The investigator's e-signature of a participant's casebook. */
  'casebook.sign': ['investigator'],
} as const satisfies Record<string, readonly Role[]>;
