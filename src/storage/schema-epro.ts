/** Table shapes for: Participant access, questionnaires, diary, reminder jobs (issue 7). Conventions as in `schema.ts`. */

/** A participant's ePRO access: the sealed contact, the one-time code or PIN, and their limits. */
export interface EproAccessTable {
  participant_id: string;
  site_id: string;
  /** SHA-256 of the login handle carried in the participant's link (the handle itself is only in the link). */
  handle_hash: string;
  channel: 'email' | 'sms' | 'in_person';
  /** The contact (e-mail address or phone number), sealed with the identity vault; null for in-person codes. */
  contact_key_id: string | null;
  contact_ciphertext: string | null;
  language: 'da' | 'en';
  /** SHA-256 of the one-time code; null once used or voided. */
  code_hash: string | null;
  code_expires_at: string | null;
  /** argon2id hash of the PIN the participant chose, or null. */
  pin_hash: string | null;
  failed_attempts: number;
  locked_until: string | null;
  status: 'active' | 'revoked';
  /** Increases with every reset, so that jobs and sessions of an older access are recognised. */
  generation: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  last_login_at: string | null;
}

/** A participant's browser session (cookie `sj_participant`). */
export interface EproSessionTable {
  id_hash: string;
  participant_id: string;
  generation: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** The durable job queue (reminders, alerts, access codes): claimed with a lease, run once. */
export interface JobTable {
  id: string;
  kind: string;
  payload_json: string;
  /** Same key → the same job (planning twice never makes a second job). */
  dedupe_key: string | null;
  run_at: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** One delivery through a channel (what was sent to whom, by which job), without the contact itself. */
export interface NotificationDeliveryTable {
  id: string;
  job_id: string;
  participant_id: string | null;
  channel: string;
  kind: string;
  message_id: string | null;
  sent_at: string;
}

export interface EproTables {
  epro_access: EproAccessTable;
  epro_sessions: EproSessionTable;
  jobs: JobTable;
  notification_deliveries: NotificationDeliveryTable;
}
