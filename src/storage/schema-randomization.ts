/**
 * Table shapes for the allocation list, randomizations, the cell-product chain and emergency
 * unblinding (issue 5). Conventions as in `schema.ts`: ISO-8601 UTC text timestamps, `YYYY-MM-DD`
 * dates, 0/1 booleans, JSON as text.
 *
 * Blinding at rest: the allocation list's arms exist only inside `allocation_lists.sealed`
 * (AES-256-GCM under the identity-vault key, together with the seed and the salt). The clear
 * `allocation_slots` rows carry the kit codes, which reveal nothing, so randomizing a participant
 * never needs to decrypt anything. The product-chain tables (preparations in particular) are
 * unblinded records by nature and are protected by permissions and the blinding presenter.
 */

/** The study's one allocation list (a singleton: `id` is always `current`). */
export interface AllocationListTable {
  id: string;
  algorithm: string;
  version: string;
  design: string;
  /** Normalized parameters (canonical JSON). */
  parameters_json: string;
  /** The published salted SHA-256 commitment. */
  commitment: string;
  /** Identity-vault key id and ciphertext of `{ seed, salt, strata }` (the full list with arms). */
  key_id: string;
  sealed: string;
  slot_count: number;
  created_at: string;
  created_by: string;
  /** When the seed and salt were first revealed (after database lock), for the record. */
  revealed_at: string | null;
}

/** Per-stratum slot counter: the row that is updated first to claim the next slot atomically. */
export interface RandomizationStratumTable {
  stratum: string;
  slots: number;
  used: number;
}

/** One slot of the list, without its arm: kit codes are arm-independent by construction. */
export interface AllocationSlotTable {
  stratum: string;
  seq: number;
  kit: string;
  participant_id: string | null;
}

export interface RandomizationTable {
  id: string;
  participant_id: string;
  site_id: string;
  stratum: string;
  seq: number;
  randomization_number: string;
  kit: string;
  /** Client-chosen id of the request that randomized; a retry with the same id gets the same answer. */
  request_id: string | null;
  randomized_at: string;
  randomized_by: string;
  /** 1 once any emergency unblinding has revealed this participant's arm (flag for the analysis). */
  emergency_unblinded: number;
  emergency_unblinded_at: string | null;
}

export interface DonorTable {
  id: string;
  donor_code: string;
  eligibility: 'eligible' | 'not_eligible';
  /** Infection-screening results by test id (JSON object of 'negative' | 'positive' | 'pending'). */
  screening_tests_json: string;
  procurement_date: string;
  notes: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export const LOT_STATUSES = ['quarantine', 'released', 'rejected'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export interface ProductLotTable {
  id: string;
  lot_number: string;
  donor_id: string;
  passage: number;
  cryopreserved_on: string;
  expiry_date: string;
  status: LotStatus;
  /** Release test results (JSON) as entered, null until release testing is recorded. */
  release_results_json: string | null;
  /** Failures against the release specification (JSON array of { test, message }). */
  release_failures_json: string | null;
  released_at: string | null;
  released_by: string | null;
  release_signature_id: string | null;
  notes: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export const VIAL_STATUSES = ['available', 'reserved', 'thawed', 'used', 'discarded'] as const;
export type VialStatus = (typeof VIAL_STATUSES)[number];

export interface ProductVialTable {
  id: string;
  vial_code: string;
  lot_id: string;
  location: string;
  status: VialStatus;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
}

export const PREPARATION_STATUSES = ['released', 'failed', 'administered', 'discarded'] as const;
export type PreparationStatus = (typeof PREPARATION_STATUSES)[number];

export interface DosePreparationTable {
  id: string;
  participant_id: string;
  randomization_id: string;
  kit: string;
  /** A cell vial for an ADMSC kit, or a saline batch number for a SALINE kit (checked against the sealed list). */
  vial_id: string | null;
  saline_batch: string | null;
  /** Thaw time (cells) or the time the saline was drawn up: the use-by clock starts here. */
  thawed_at: string;
  viable_cells_million: number | null;
  viability_pct: number | null;
  volume_ml: number;
  appearance: 'conforms' | 'does_not_conform';
  passed: number;
  failures_json: string;
  use_by: string;
  status: PreparationStatus;
  status_reason: string | null;
  post_release_sterility: 'pending' | 'no_growth' | 'growth';
  prepared_by: string;
  signature_id: string;
  created_at: string;
  updated_at: string;
}

export interface AdministrationTable {
  id: string;
  participant_id: string;
  kit: string;
  status: 'administered' | 'not_administered';
  preparation_id: string | null;
  administered_at: string | null;
  /** The Europe/Copenhagen calendar date of the injection: Day 0 of the schedule. */
  day0: string | null;
  knee_side: 'left' | 'right' | null;
  ultrasound_guided: number | null;
  volume_ml: number | null;
  injector: string | null;
  /** Why no dose was given (CONSORT "did not receive allocated intervention"). */
  reason: string | null;
  recorded_by: string;
  created_at: string;
}

export interface EmergencyUnblindingTable {
  id: string;
  participant_id: string;
  requested_by: string;
  requested_at: string;
  reason: string;
  signature_id: string;
}

export interface RandomizationTables {
  allocation_lists: AllocationListTable;
  randomization_strata: RandomizationStratumTable;
  allocation_slots: AllocationSlotTable;
  randomizations: RandomizationTable;
  donors: DonorTable;
  product_lots: ProductLotTable;
  product_vials: ProductVialTable;
  dose_preparations: DosePreparationTable;
  administrations: AdministrationTable;
  emergency_unblindings: EmergencyUnblindingTable;
}
