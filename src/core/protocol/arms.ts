import type { LocalizedText } from './localized-text.js';

/**
 * The two arm codes of STEMJOINT. They are fixed by the protocol (spec §2) and appear in the
 * allocation list, exports and every by-arm table, so they are a closed union rather than data.
 */
export const ARM_CODES = ['ADMSC', 'SALINE'] as const;

/** One of the fixed arm codes: `ADMSC` (cells) or `SALINE` (placebo comparator). */
export type ArmCode = (typeof ARM_CODES)[number];

/** Registry role of an arm (ClinicalTrials.gov arm type). */
export const ARM_ROLES = ['experimental', 'active_comparator', 'placebo_comparator'] as const;

/** Registry role of an arm. */
export type ArmRole = (typeof ARM_ROLES)[number];

/** One arm of the trial: what a participant allocated to it receives. */
export interface ArmDef {
  /** Fixed arm code; anything outside `ADMSC | SALINE` does not compile. */
  readonly code: ArmCode;
  /** Short label shown to unblinded users and in reports. */
  readonly label: LocalizedText;
  /** Registry arm role. */
  readonly role: ArmRole;
  /** The intervention in words (our own summary of the registry text). */
  readonly intervention: LocalizedText;
  /** Allocation ratio weight; 1:1 means both arms carry 1. */
  readonly ratio: number;
}

/** A contrast between two arms; STEMJOINT always estimates `active − control` = `ADMSC − SALINE`. */
export interface ArmContrast {
  readonly active: ArmCode;
  readonly control: ArmCode;
}

/** Narrows an arbitrary string to an arm code. */
export function isArmCode(value: unknown): value is ArmCode {
  return typeof value === 'string' && (ARM_CODES as readonly string[]).includes(value);
}
