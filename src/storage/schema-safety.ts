/**
 * Table shapes for: adverse events and their versions, consistency queries, SAE cases with their
 * clocks and submissions, AE review tasks, sponsor safety physicians, reference safety information
 * versions and the deadline-notification ledger (issue 6). Conventions as in `schema.ts`: instants
 * are ISO-8601 UTC text, dates `YYYY-MM-DD` (partial dates `YYYY`/`YYYY-MM` where allowed),
 * booleans 0/1, JSON as text.
 */

/** Sponsor-side users designated as safety physicians (the role matrix has no sponsor role). */
export interface SafetyPhysicianTable {
  user_id: string;
  designated_by: string;
  designated_at: string;
  reason: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Versions of the reference safety information (investigator's brochure section) expectedness is judged against. */
export interface RsiVersionTable {
  version: string;
  title: string;
  effective_from: string;
  created_by: string;
  created_at: string;
}

/** The current state of each adverse event; every version is kept in `adverse_event_versions`. */
export interface AdverseEventTable {
  id: string;
  ae_number: string;
  participant_id: string;
  site_id: string;
  status: 'active' | 'entered_in_error';
  version: number;
  /** The site's record (`AeRecord`) as JSON. */
  record_json: string;
  /** The sponsor's assessment (`SponsorAssessment`) as JSON, or null. */
  sponsor_json: string | null;
  // Denormalised for listing and filtering; always derived from record_json / sponsor_json.
  verbatim_term: string;
  onset_date: string;
  end_date: string | null;
  grade: number;
  serious: number;
  soc_code: string | null;
  pt_code: string | null;
  site_awareness_at: string;
  /** When the site learned the event was serious (starts the 24-hour clock); null if never serious. */
  serious_awareness_at: string | null;
  review_task_id: string | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

export const AE_VERSION_KINDS = ['initial', 'follow_up', 'sponsor_assessment', 'entered_in_error'] as const;
export type AeVersionKind = (typeof AE_VERSION_KINDS)[number];

/** Every version of every AE: the full record as it stood, who changed it, when and why. */
export interface AdverseEventVersionTable {
  id: string;
  ae_id: string;
  version: number;
  kind: AeVersionKind;
  record_json: string;
  sponsor_json: string | null;
  changed_fields_json: string;
  reason: string | null;
  changed_by: string;
  changed_at: string;
}

/** Consistency queries raised on an AE; closed automatically when a later version no longer triggers them. */
export interface SafetyQueryTable {
  id: string;
  ae_id: string;
  rule: string;
  path: string;
  message: string;
  status: 'open' | 'resolved' | 'confirmed';
  raised_at: string;
  raised_in_version: number;
  closed_at: string | null;
  closed_by: string | null;
  response: string | null;
}

/** A serious adverse event case: one per AE that is (or was) serious. */
export interface SaeCaseTable {
  id: string;
  case_number: string;
  ae_id: string;
  participant_id: string;
  site_id: string;
  status: 'open' | 'downgraded' | 'nullified' | 'closed';
  investigator_awareness_at: string;
  sponsor_awareness_at: string | null;
  fatal_or_life_threatening: number;
  /** null = not classified yet; 1 SUSAR; 0 not a SUSAR. */
  susar: number | null;
  susar_awareness_at: string | null;
  susar_rationale: string | null;
  susar_classified_by: string | null;
  susar_classified_at: string | null;
  unblinded_by: string | null;
  unblinded_at: string | null;
  unblinding_reason: string | null;
  sponsor_report_due: string;
  susar_initial_due: string | null;
  susar_followup_due: string | null;
  opened_at: string;
  closed_at: string | null;
  updated_at: string;
}

/** Reports sent and receipts acknowledged on a case, with the time they happened. */
export interface SaeSubmissionTable {
  id: string;
  case_id: string;
  kind: string;
  occurred_at: string;
  reference: string | null;
  note: string | null;
  recorded_by: string;
  recorded_at: string;
}

/** Signals from the diary and the forms that the investigator must review for a possible AE. */
export interface AeReviewTaskTable {
  id: string;
  task_number: string;
  participant_id: string;
  site_id: string;
  source: string;
  /** The caller's key for the signal (e.g. a diary entry id); with `source`, unique. */
  source_ref: string | null;
  summary: string;
  detail_json: string;
  status: 'open' | 'ae_recorded' | 'dismissed';
  ae_id: string | null;
  resolution_reason: string | null;
  created_by: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
}

/** One row per notification enqueued for a case event or deadline level: makes the scan idempotent. */
export interface SafetyNotificationTable {
  id: string;
  case_id: string;
  topic: string;
  due_at: string;
  level: string;
  created_at: string;
}

export interface SafetyTables {
  safety_physicians: SafetyPhysicianTable;
  rsi_versions: RsiVersionTable;
  adverse_events: AdverseEventTable;
  adverse_event_versions: AdverseEventVersionTable;
  safety_queries: SafetyQueryTable;
  sae_cases: SaeCaseTable;
  sae_submissions: SaeSubmissionTable;
  ae_review_tasks: AeReviewTaskTable;
  safety_notifications: SafetyNotificationTable;
}
