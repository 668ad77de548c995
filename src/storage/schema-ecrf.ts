/**
 * Table shapes for visits, form instances, protocol deviations, queries, attachments, source data
 * verification and locks (issue 4). Conventions as in `schema.ts`: timestamps ISO-8601 UTC text,
 * plain dates `YYYY-MM-DD`, booleans 0/1, JSON as text. Entered values are stored typed, one JSON
 * document per form instance (never one untyped text row per item).
 */

/** Draft or submitted. */
export const FORM_INSTANCE_STATUSES = ['draft', 'submitted'] as const;
export type FormInstanceStatus = (typeof FORM_INSTANCE_STATUSES)[number];

/** Query lifecycle: open → answered → closed, or re-opened. */
export const QUERY_STATUSES = ['open', 'answered', 'closed'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];

/** Raised by an edit check on submission, or by a monitor / data manager. */
export const QUERY_ORIGINS = ['auto', 'manual'] as const;
export type QueryOrigin = (typeof QUERY_ORIGINS)[number];

/** What was recorded about one scheduled visit of one participant. */
export interface EcrfVisitTable {
  id: string;
  participant_id: string;
  site_id: string;
  visit_code: string;
  /** The date the visit took place (null while only missed, or not yet recorded). */
  visit_date: string | null;
  missed: number;
  missed_reason: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** One form instance: a form at a visit (or a participant-level log/event form) with its values. */
export interface FormInstanceTable {
  id: string;
  participant_id: string;
  site_id: string;
  /** Visit code; '' for participant-level forms (medication log, unscheduled visits, end of study). */
  visit_code: string;
  form_id: string;
  /** 1 for single forms; 1, 2, … for repeating forms. */
  repeat_no: number;
  status: FormInstanceStatus;
  /** The protocol version the data were collected under. */
  protocol_version: string;
  /** Entered values: `{ itemId: value, groupId: [rows] }`, normalised (unanswered items omitted). */
  values_json: string;
  /** Values of derived items, computed by the server. */
  derived_json: string;
  /** Soft edit-check warnings of the last save. */
  warnings_json: string;
  /** Incremented by every change; optimistic concurrency and SDV refer to it. */
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  submitted_at: string | null;
  submitted_by: string | null;
  locked: number;
  locked_at: string | null;
  locked_by: string | null;
  /** Version verified against source documents by a monitor (null = never verified). */
  sdv_version: number | null;
  sdv_at: string | null;
  sdv_by: string | null;
  /** Values as verified, to show what changed since verification. */
  sdv_values_json: string | null;
}

/** The protocol deviation register (out-of-window visits are entered automatically). */
export interface ProtocolDeviationTable {
  id: string;
  participant_id: string;
  site_id: string;
  visit_code: string | null;
  category: string;
  description: string;
  deviation_date: string;
  source: 'auto' | 'manual';
  status: 'open' | 'voided';
  details_json: string;
  created_at: string;
  created_by: string;
  voided_at: string | null;
  voided_reason: string | null;
}

/** A data query on an item (or a whole form) of a form instance. */
export interface EcrfQueryTable {
  id: string;
  instance_id: string;
  participant_id: string;
  site_id: string;
  form_id: string;
  visit_code: string;
  /** `item` or `group[row].item`; null for a query on the whole form. */
  item_path: string | null;
  origin: QueryOrigin;
  /** For automatic queries: the edit check that raised it (e.g. `soft_range`). */
  check_code: string | null;
  /** For automatic queries: the value that failed the check. */
  trigger_value_json: string | null;
  status: QueryStatus;
  text: string;
  answer: string | null;
  raised_at: string;
  raised_by: string;
  answered_at: string | null;
  answered_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
  reopen_count: number;
  updated_at: string;
}

/** One step of a query's life (raise, answer, close, reopen, automatic close), for the thread view. */
export interface EcrfQueryEventTable {
  id: string;
  query_id: string;
  seq: number;
  action: string;
  text: string | null;
  at: string;
  actor_label: string;
}

/** Attachment content, addressed by its SHA-256 (stored once however often it is referenced). */
export interface EcrfAttachmentTable {
  sha256: string;
  media_type: string;
  size: number;
  content_base64: string;
  created_at: string;
  created_by: string;
}

/** Which participant an attachment was uploaded for (access follows the participant's site). */
export interface EcrfAttachmentLinkTable {
  sha256: string;
  participant_id: string;
  name: string;
  media_type: string;
  uploaded_at: string;
  uploaded_by: string;
}

/** A participant's casebook: lock and the investigator's e-signature. */
export interface CasebookTable {
  participant_id: string;
  site_id: string;
  locked: number;
  locked_at: string | null;
  locked_by: string | null;
  signed_at: string | null;
  signed_by: string | null;
  signature_id: string | null;
  updated_at: string;
}

export interface EcrfTables {
  ecrf_visits: EcrfVisitTable;
  form_instances: FormInstanceTable;
  protocol_deviations: ProtocolDeviationTable;
  ecrf_queries: EcrfQueryTable;
  ecrf_query_events: EcrfQueryEventTable;
  ecrf_attachments: EcrfAttachmentTable;
  ecrf_attachment_links: EcrfAttachmentLinkTable;
  casebooks: CasebookTable;
}
