/**
 * Table shapes as Kysely sees them. The same types serve both engines: timestamps are ISO-8601
 * UTC strings with milliseconds (sortable as text), booleans are 0/1 integers and JSON documents
 * are canonical JSON text, so a row reads back identically from SQLite and PostgreSQL.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { EcrfTables } from './schema-ecrf.js';
import type { RandomizationTables } from './schema-randomization.js';
import type { SafetyTables } from './schema-safety.js';
import type { EproTables } from './schema-epro.js';

export interface StudyTable {
  id: string;
  acronym: string;
  title: string;
  registry_id: string;
  protocol_version: string;
  database_locked: number;
  locked_at: string | null;
  locked_by: string | null;
  created_at: string;
}

export interface SiteTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}

export interface UserTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  must_change_password: number;
  locale: string;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
}

export interface RoleGrantTable {
  id: string;
  user_id: string;
  role: string;
  /** null = every site of the study (study-wide grant). */
  site_id: string | null;
  granted_at: string;
  granted_by: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  /** SHA-256 of the session secret; the secret itself only ever lives in the cookie. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface RateLimitTable {
  bucket: string;
  window_start: string;
  hits: number;
}

export interface SignatureTable {
  id: string;
  user_id: string;
  meaning: string;
  entity_type: string;
  entity_id: string;
  signed_at: string;
  audit_seq: number;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient: string;
  payload_json: string;
  created_at: string;
  available_at: string;
  attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  sent_at: string | null;
  last_error: string | null;
}

export interface CounterTable {
  name: string;
  value: number;
}

export interface IdentityTable {
  id: string;
  cpr_index: string;
  key_id: string;
  ciphertext: string;
  created_at: string;
  updated_at: string;
}

export const SCREENING_STATUSES = [
  'in_progress',
  'eligible',
  'ineligible',
  'declined',
  'not_reached',
  'other',
  'enrolled',
] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];

export interface ScreeningTable {
  id: string;
  screening_number: string;
  site_id: string;
  status: ScreeningStatus;
  outcome_reason: string | null;
  data_json: string;
  eligible: number | null;
  assessment_json: string;
  identity_id: string | null;
  signed_off_by: string | null;
  signed_off_at: string | null;
  signature_id: string | null;
  participant_id: string | null;
  protocol_version: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ParticipantTable {
  id: string;
  study_id: string;
  site_id: string;
  screening_id: string;
  identity_id: string | null;
  sex: string | null;
  year_of_birth: number | null;
  kl_grade: number | null;
  status: 'enrolled' | 'randomized' | 'withdrawn' | 'completed';
  withdrawn_at: string | null;
  withdrawal_scope: string | null;
  withdrawal_reason: string | null;
  protocol_version: string;
  enrolled_at: string;
  created_at: string;
  updated_at: string;
}

export interface ConsentVersionTable {
  version: string;
  title: string;
  issued_at: string;
  created_at: string;
}

export interface ConsentTable {
  id: string;
  screening_id: string;
  document_version: string;
  consented_at: string;
  taken_by: string;
  signature_mode: 'electronic' | 'paper';
  status: 'active' | 'superseded' | 'withdrawn';
  withdrawn_at: string | null;
  withdrawal_scope: string | null;
  protocol_version: string;
  created_at: string;
}

export interface DatabaseSchema extends EcrfTables, RandomizationTables, SafetyTables, EproTables {
  counters: CounterTable;
  identities: IdentityTable;
  screenings: ScreeningTable;
  participants: ParticipantTable;
  consent_versions: ConsentVersionTable;
  consents: ConsentTable;
  study: StudyTable;
  sites: SiteTable;
  users: UserTable;
  role_grants: RoleGrantTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  rate_limits: RateLimitTable;
  signatures: SignatureTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  outbox: OutboxTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
