/**
 * Data exports (ODM, CSV, SDTM-shaped, FHIR) and imports (issue 9). Holding `export.create` gives a
 * blinded export (no arm, no kit↔arm map, no product-chain forms, no potentially unblinding items);
 * an unblinded (by-arm) export additionally needs a role that sees the allocation (unblinded
 * pharmacist, DSMB, the statistician after database lock) — checked by the export service.
 */
import type { Role } from '../roles.js';

export const EXPORT_PERMISSIONS = {
  /** Create and download data exports (blinded; by-arm only for roles that see the allocation). */
  'export.create': ['data_manager', 'statistician', 'dsmb'],
  /** Import an ODM ClinicalData file into the study (all or nothing). */
  'export.import': ['data_manager'],
} as const satisfies Record<string, readonly Role[]>;
