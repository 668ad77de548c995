/**
 * Eligibility assessment of one screening record (spec §3): three-valued evaluation of IC1–IC8 and
 * EC1–EC14 over the inputs that have values. Pure; the record must already be validated
 * (`parseScreeningRecord`).
 */
import { computeAge } from '../scoring/compute-age.js';
import { computeBmi } from '../scoring/compute-bmi.js';
import {
  STEMJOINT_CRITERIA,
  type CriterionId,
  type DerivedScreeningValues,
  type EligibilityCriterion,
  type ExclusionCriterionId,
  type InclusionCriterionId,
} from './eligibility-criteria.js';
import {
  SCREENING_ITEMS,
  listMissingItems,
  type ScreeningItemId,
  type ScreeningItemSpec,
  type ScreeningRecord,
  type ScreeningValue,
} from './screening-items.js';

/** Outcome of one criterion: inclusion holds / exclusion not triggered = `pass`. */
export type CriterionStatus = 'pass' | 'fail' | 'undecided';

/** Per-criterion detail for the live-feedback form and the explanation. */
export interface CriterionResult {
  id: CriterionId;
  kind: 'inclusion' | 'exclusion';
  name: string;
  rule: string;
  /** `fail` = inclusion not met, or exclusion triggered. */
  status: CriterionStatus;
  /** Every input the rule reads with its value (null = no value). */
  inputs: { item: ScreeningItemId; value: ScreeningValue | null }[];
  /** Derived values the rule uses (age, BMI), when it uses any. */
  derived: Partial<DerivedScreeningValues>;
  /** The inputs whose values decided a pass or fail. */
  decidedBy: ScreeningItemId[];
  /** The inputs still needed when undecided. */
  awaiting: ScreeningItemId[];
}

/** Result of `assessEligibility`. */
export interface EligibilityResult {
  /**
   * false when an inclusion fails or an exclusion triggers (even with inputs missing); null when
   * nothing failed but a rule is undecided or a required item has no value; true otherwise.
   */
  eligible: boolean | null;
  /** Failed inclusion criteria, in numeric order. */
  unmet: InclusionCriterionId[];
  /** Triggered exclusion criteria, in numeric order. */
  excluded: ExclusionCriterionId[];
  /** Items without a value, in the spec table's order (see `listMissingItems`). */
  missing: ScreeningItemId[];
  /** Age in completed years at screening and unrounded BMI, null when not derivable. */
  derived: DerivedScreeningValues;
  /** Every criterion, inclusions then exclusions, in numeric order. */
  criteria: CriterionResult[];
}

/** Options of `assessEligibility`; defaults are the STEMJOINT definitions. */
export interface AssessEligibilityOptions {
  criteria?: readonly EligibilityCriterion[];
  items?: readonly ScreeningItemSpec[];
}

/** Numeric order of criterion ids: IC before EC, then by number (EC2 before EC10). */
export function compareCriterionIds(a: string, b: string): number {
  const key = (id: string): [number, number] => [id.startsWith('IC') ? 0 : 1, Number(id.replace(/^\D+/, ''))];
  const [ka, na] = key(a);
  const [kb, nb] = key(b);
  return ka - kb || na - nb;
}

/** Derives age (completed years at `screening_date`) and BMI (unrounded) where the inputs allow. */
export function deriveScreeningValues(record: ScreeningRecord): DerivedScreeningValues {
  return {
    age: computeAge(record.date_of_birth, record.screening_date),
    bmi: computeBmi(record.height_cm, record.weight_kg),
  };
}

/**
 * Assesses a validated screening record. A criterion counts as soon as the known inputs decide
 * it (e.g. `meniscal_operations` = 2 triggers EC9 whatever `meniscal_resection_over_50pct` says).
 * `eligible` is true only when every criterion is decided in favour *and* no required item is
 * missing — the one case where that matters is `sex` unknown with `pregnant_or_breastfeeding` =
 * no, which decides EC3 but leaves a required item empty.
 */
export function assessEligibility(record: ScreeningRecord, options: AssessEligibilityOptions = {}): EligibilityResult {
  const criteria = [...(options.criteria ?? STEMJOINT_CRITERIA)].sort((a, b) => compareCriterionIds(a.id, b.id));
  const derived = deriveScreeningValues(record);
  const results: CriterionResult[] = criteria.map((criterion) => {
    const verdict = criterion.evaluate({ record, derived });
    // For an inclusion "true" means it holds; for an exclusion "true" means it is triggered.
    const holds = criterion.kind === 'inclusion' ? verdict.value : verdict.value === null ? null : !verdict.value;
    const derivedUsed: Partial<DerivedScreeningValues> = {};
    for (const key of criterion.uses ?? []) derivedUsed[key] = derived[key];
    return {
      id: criterion.id,
      kind: criterion.kind,
      name: criterion.name,
      rule: criterion.rule,
      status: holds === null ? 'undecided' : holds ? 'pass' : 'fail',
      inputs: criterion.reads.map((item) => ({ item, value: record[item] ?? null })),
      derived: derivedUsed,
      decidedBy: verdict.decidedBy,
      awaiting: verdict.awaiting,
    };
  });
  const unmet = results.filter((r) => r.kind === 'inclusion' && r.status === 'fail').map((r) => r.id);
  const excluded = results.filter((r) => r.kind === 'exclusion' && r.status === 'fail').map((r) => r.id);
  const missing = listMissingItems(record, options.items ?? SCREENING_ITEMS);
  const anyUndecided = results.some((r) => r.status === 'undecided');
  const eligible = unmet.length > 0 || excluded.length > 0 ? false : anyUndecided || missing.length > 0 ? null : true;
  return {
    eligible,
    unmet: unmet as InclusionCriterionId[],
    excluded: excluded as ExclusionCriterionId[],
    missing,
    derived,
    criteria: results,
  };
}
