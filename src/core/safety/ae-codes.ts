/**
 * The coded values of an adverse event record (spec §6, data dictionary §6). They mirror the code
 * lists of the protocol definition (`ctcae_grade`, `causality`, `expectedness`, `ae_action`,
 * `ae_outcome`; a test keeps them equal) as literal tuples, so the API, the database checks and the
 * TypeScript types all name exactly the same codes.
 */

/** CTCAE v5 grades: 1 mild … 4 life-threatening, 5 death related to the event. */
export const CTCAE_GRADES = [1, 2, 3, 4, 5] as const;
/** One CTCAE grade. */
export type CtcaeGrade = (typeof CTCAE_GRADES)[number];

/** Binary causality, as in the CTR definition of an adverse reaction (a reasonable possibility). */
export const CAUSALITY_CODES = ['related', 'not_related'] as const;
/** One causality code. */
export type Causality = (typeof CAUSALITY_CODES)[number];

/** Expectedness against the reference safety information (RSI). */
export const EXPECTEDNESS_CODES = ['expected', 'unexpected'] as const;
/** One expectedness code. */
export type Expectedness = (typeof EXPECTEDNESS_CODES)[number];

/** Action taken; the treatment is a single injection, so these record the management of the event. */
export const AE_ACTION_CODES = [
  'none',
  'medication',
  'non_drug_therapy',
  'joint_aspiration',
  'surgery',
  'hospitalisation',
  'other',
] as const;
/** One action code. */
export type AeAction = (typeof AE_ACTION_CODES)[number];

/** Outcome of the event (SDTM AEOUT). */
export const AE_OUTCOME_CODES = [
  'recovered',
  'recovering',
  'not_recovered',
  'recovered_with_sequelae',
  'fatal',
  'unknown',
] as const;
/** One outcome code. */
export type AeOutcome = (typeof AE_OUTCOME_CODES)[number];

/**
 * The seriousness criteria of the CTR / ICH E2A definition plus important medical events, stored as
 * separate booleans (SDTM AESDTH, AESLIFE, AESHOSP, AESDISAB, AESCONG, AESMIE).
 */
export const SERIOUSNESS_CRITERIA = [
  'death',
  'lifeThreatening',
  'hospitalisation',
  'disability',
  'congenitalAnomaly',
  'importantMedicalEvent',
] as const;
/** One seriousness criterion. */
export type SeriousnessCriterion = (typeof SERIOUSNESS_CRITERIA)[number];
/** The six seriousness flags of one event. */
export type SeriousnessFlags = Record<SeriousnessCriterion, boolean>;

/** SDTM variable of each seriousness criterion (for extracts). */
export const SERIOUSNESS_SDTM: Readonly<Record<SeriousnessCriterion, string>> = {
  death: 'AESDTH',
  lifeThreatening: 'AESLIFE',
  hospitalisation: 'AESHOSP',
  disability: 'AESDISAB',
  congenitalAnomaly: 'AESCONG',
  importantMedicalEvent: 'AESMIE',
};

/** The protocol code-list id each tuple mirrors (checked by the test). */
export const AE_CODE_LIST_IDS = {
  ctcae_grade: CTCAE_GRADES,
  causality: CAUSALITY_CODES,
  expectedness: EXPECTEDNESS_CODES,
  ae_action: AE_ACTION_CODES,
  ae_outcome: AE_OUTCOME_CODES,
} as const;

/** A seriousness record with every criterion false. */
export const NOT_SERIOUS: SeriousnessFlags = {
  death: false,
  lifeThreatening: false,
  hospitalisation: false,
  disability: false,
  congenitalAnomaly: false,
  importantMedicalEvent: false,
};

/** Whether any seriousness criterion is met (SDTM AESER). */
export function isSerious(flags: SeriousnessFlags): boolean {
  return SERIOUSNESS_CRITERIA.some((c) => flags[c]);
}

/** Whether the event is fatal or life-threatening (the 7-day SUSAR clock applies). */
export function isFatalOrLifeThreatening(flags: SeriousnessFlags): boolean {
  return flags.death || flags.lifeThreatening;
}

/** Causality to the two suspects of this trial: the cell product and the injection procedure. */
export interface CausalityAssessment {
  cellProduct: Causality;
  procedure: Causality;
}

/**
 * The causality that counts for reporting: related when either assessor finds either suspect
 * related. The sponsor may not downgrade the investigator's view (data dictionary §6 [A3]), so a
 * sponsor "not related" never cancels an investigator "related"; both opinions are kept and reported.
 */
export function reportableCausality(
  investigator: CausalityAssessment | null,
  sponsor: CausalityAssessment | null,
): 'related' | 'not_related' | 'pending' {
  const related = (c: CausalityAssessment | null): boolean =>
    c !== null && (c.cellProduct === 'related' || c.procedure === 'related');
  if (related(investigator) || related(sponsor)) return 'related';
  return investigator === null ? 'pending' : 'not_related';
}
