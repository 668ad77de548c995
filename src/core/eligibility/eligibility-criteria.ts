/**
 * The STEMJOINT inclusion (IC1–IC8) and exclusion (EC1–EC14) criteria of spec §3 with their exact
 * semantics, as data plus one evaluation function each. The cut-offs are parameters so that the
 * rules can later be read from the typed protocol definition.
 */
import { compareBmi } from '../scoring/compute-bmi.js';
import { compareIsoDates, subtractCalendarMonths } from '../schedule/plain-date.js';
import type { ScreeningItemId, ScreeningRecord, ScreeningValues } from './screening-items.js';
import { allOf, anyOf, decided, judge, type Verdict } from './three-valued.js';

/** Criterion ids, in numeric order. */
export const INCLUSION_CRITERION_IDS = ['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6', 'IC7', 'IC8'] as const;
/** Exclusion criterion ids, in numeric order. */
export const EXCLUSION_CRITERION_IDS = [
  'EC1',
  'EC2',
  'EC3',
  'EC4',
  'EC5',
  'EC6',
  'EC7',
  'EC8',
  'EC9',
  'EC10',
  'EC11',
  'EC12',
  'EC13',
  'EC14',
] as const;
/** An inclusion criterion id. */
export type InclusionCriterionId = (typeof INCLUSION_CRITERION_IDS)[number];
/** An exclusion criterion id. */
export type ExclusionCriterionId = (typeof EXCLUSION_CRITERION_IDS)[number];
/** Any criterion id. */
export type CriterionId = InclusionCriterionId | ExclusionCriterionId;

/** Values derived from the record that criteria read (null when not derivable). */
export interface DerivedScreeningValues {
  /** Age in completed years at `screening_date`. */
  age: number | null;
  /** BMI in kg/m², unrounded. */
  bmi: number | null;
}

/** What a criterion evaluates over. */
export interface CriterionContext {
  record: ScreeningRecord;
  derived: DerivedScreeningValues;
}

/** One criterion: an inclusion must hold; an exclusion must not. */
export interface EligibilityCriterion {
  readonly id: CriterionId;
  readonly kind: 'inclusion' | 'exclusion';
  /** Short name for people. */
  readonly name: string;
  /** The rule in words, with the cut-offs in force. */
  readonly rule: string;
  /** Every input item the rule reads, in the order it reads them. */
  readonly reads: readonly ScreeningItemId[];
  /** Derived values shown with the criterion. */
  readonly uses?: readonly (keyof DerivedScreeningValues)[];
  /** For an inclusion: does it hold? For an exclusion: is it triggered? */
  readonly evaluate: (context: CriterionContext) => Verdict;
}

/** The cut-offs of the criteria (spec §3). */
export interface EligibilityLimits {
  ageMin: number;
  ageMax: number;
  kneePainMonthsMin: number;
  nrsWorstMin: number;
  includedKlGrades: readonly number[];
  excludedKlGrade: number;
  jswMinMm: number;
  jswMaxMm: number;
  alignmentMaxDeg: number;
  includedCompartments: readonly string[];
  bmiCutOff: number;
  iaInjectionWashoutMonths: number;
  meniscalOperationsMax: number;
  apLaxityMinMm: number;
}

/** STEMJOINT cut-offs. */
export const STEMJOINT_ELIGIBILITY_LIMITS: EligibilityLimits = {
  ageMin: 40,
  ageMax: 75,
  kneePainMonthsMin: 6,
  nrsWorstMin: 4,
  includedKlGrades: [2, 3],
  excludedKlGrade: 4,
  jswMinMm: 1.0,
  jswMaxMm: 3.0,
  alignmentMaxDeg: 5.0,
  includedCompartments: ['medial', 'lateral', 'dual'],
  bmiCutOff: 35.0,
  iaInjectionWashoutMonths: 3,
  meniscalOperationsMax: 1,
  apLaxityMinMm: 3.0,
};

/** Verdict of a test on one item's value; undecided while the item has no value. */
function onItem<K extends ScreeningItemId>(
  record: ScreeningRecord,
  item: K,
  test: (value: ScreeningValues[K]) => boolean,
): Verdict {
  const value = record[item] as ScreeningValues[K] | null | undefined;
  return judge([{ item, known: value != null }], () => test(value as ScreeningValues[K]));
}

/** Verdict of a test on a value derived from `from`; undecided while it cannot be derived. */
function onDerived(
  value: number | null,
  from: readonly ScreeningItemId[],
  record: ScreeningRecord,
  test: (v: number) => boolean,
): Verdict {
  if (value === null) {
    const unknown = from.filter((item) => record[item] == null);
    return { value: null, decidedBy: [], awaiting: unknown.length > 0 ? unknown : [...from] };
  }
  return decided(test(value), from);
}

/** `item` is true (for a yes/no item). */
const isYes = (record: ScreeningRecord, item: ScreeningItemId): Verdict => onItem(record, item, (v) => v === true);

/** A one-item yes/no exclusion. */
function yesExcludes(id: ExclusionCriterionId, name: string, item: ScreeningItemId): EligibilityCriterion {
  return {
    id,
    kind: 'exclusion',
    name,
    rule: `${item} = yes`,
    reads: [item],
    evaluate: ({ record }) => isYes(record, item),
  };
}

/** Builds the 22 criteria for given cut-offs. */
export function buildEligibilityCriteria(limits: EligibilityLimits): readonly EligibilityCriterion[] {
  const L = limits;
  const fmt = (n: number): string => n.toFixed(1);
  return [
    {
      id: 'IC1',
      kind: 'inclusion',
      name: `Age ${L.ageMin}–${L.ageMax} years at screening`,
      rule: `age in completed years at screening_date is ${L.ageMin} … ${L.ageMax} inclusive`,
      reads: ['date_of_birth', 'screening_date'],
      uses: ['age'],
      evaluate: ({ record, derived }) =>
        onDerived(
          derived.age,
          ['date_of_birth', 'screening_date'],
          record,
          (age) => age >= L.ageMin && age <= L.ageMax,
        ),
    },
    {
      id: 'IC2',
      kind: 'inclusion',
      name: `Chronic knee pain ≥ ${L.kneePainMonthsMin} months with worst pain NRS ≥ ${L.nrsWorstMin}`,
      rule: `knee_pain_months ≥ ${L.kneePainMonthsMin} and nrs_worst ≥ ${L.nrsWorstMin}`,
      reads: ['knee_pain_months', 'nrs_worst'],
      evaluate: ({ record }) =>
        allOf(
          onItem(record, 'knee_pain_months', (v) => v >= L.kneePainMonthsMin),
          onItem(record, 'nrs_worst', (v) => v >= L.nrsWorstMin),
        ),
    },
    {
      id: 'IC3',
      kind: 'inclusion',
      name: `Kellgren–Lawrence grade ${L.includedKlGrades.join(' or ')} with joint space ${fmt(L.jswMinMm)}–${fmt(L.jswMaxMm)} mm`,
      rule: `kl_grade ∈ {${L.includedKlGrades.join(', ')}} and ${fmt(L.jswMinMm)} ≤ jsw_mm ≤ ${fmt(L.jswMaxMm)}`,
      reads: ['kl_grade', 'jsw_mm'],
      evaluate: ({ record }) =>
        allOf(
          onItem(record, 'kl_grade', (v) => L.includedKlGrades.includes(v)),
          onItem(record, 'jsw_mm', (v) => v >= L.jswMinMm && v <= L.jswMaxMm),
        ),
    },
    {
      id: 'IC4',
      kind: 'inclusion',
      name: `Varus/valgus deviation ≤ ${fmt(L.alignmentMaxDeg)}°`,
      rule: `alignment_deg ≤ ${fmt(L.alignmentMaxDeg)}`,
      reads: ['alignment_deg'],
      evaluate: ({ record }) => onItem(record, 'alignment_deg', (v) => v <= L.alignmentMaxDeg),
    },
    {
      id: 'IC5',
      kind: 'inclusion',
      name: 'Osteoarthritis in the medial and/or lateral compartment',
      rule: `oa_compartment ∈ {${L.includedCompartments.join(', ')}}`,
      reads: ['oa_compartment'],
      evaluate: ({ record }) => onItem(record, 'oa_compartment', (v) => L.includedCompartments.includes(v)),
    },
    {
      id: 'IC6',
      kind: 'inclusion',
      name: `BMI < ${fmt(L.bmiCutOff)} kg/m²`,
      rule: `BMI (weight_kg / (height_cm / 100)², unrounded) < ${fmt(L.bmiCutOff)}`,
      reads: ['height_cm', 'weight_kg'],
      uses: ['bmi'],
      evaluate: ({ record, derived }) =>
        onDerived(derived.bmi, ['height_cm', 'weight_kg'], record, (bmi) => compareBmi(bmi, L.bmiCutOff) < 0),
    },
    {
      id: 'IC7',
      kind: 'inclusion',
      name: 'Danish-speaking',
      rule: 'danish_speaker = yes',
      reads: ['danish_speaker'],
      evaluate: ({ record }) => isYes(record, 'danish_speaker'),
    },
    {
      id: 'IC8',
      kind: 'inclusion',
      name: 'Legally competent: able to understand and sign consent',
      rule: 'legally_competent = yes',
      reads: ['legally_competent'],
      evaluate: ({ record }) => isYes(record, 'legally_competent'),
    },
    {
      id: 'EC1',
      kind: 'exclusion',
      name: `Kellgren–Lawrence grade ${L.excludedKlGrade}`,
      rule: `kl_grade = ${L.excludedKlGrade}`,
      reads: ['kl_grade'],
      evaluate: ({ record }) => onItem(record, 'kl_grade', (v) => v === L.excludedKlGrade),
    },
    yesExcludes('EC2', 'Intra-articular tumour, infection or fracture', 'ia_tumor_infection_fracture'),
    {
      id: 'EC3',
      kind: 'exclusion',
      name: 'Pregnant or breastfeeding',
      rule: 'sex = female and pregnant_or_breastfeeding = yes',
      reads: ['sex', 'pregnant_or_breastfeeding'],
      evaluate: ({ record }) =>
        allOf(
          onItem(record, 'sex', (v) => v === 'female'),
          isYes(record, 'pregnant_or_breastfeeding'),
        ),
    },
    yesExcludes('EC4', 'Cognitive impairment', 'cognitive_impairment'),
    yesExcludes('EC5', 'Cytostatic treatment', 'cytostatic_treatment'),
    {
      id: 'EC6',
      kind: 'exclusion',
      name: `Intra-articular injection within ${L.iaInjectionWashoutMonths} months before screening`,
      rule:
        `last_ia_injection_date later than screening_date minus ${L.iaInjectionWashoutMonths} calendar months ` +
        '(clamped to the month end; exactly that date is not excluded; no date = never)',
      reads: ['last_ia_injection_date', 'screening_date'],
      evaluate: ({ record }) => {
        const injected = record.last_ia_injection_date;
        // No injection date means "never injected": decided without the screening date.
        if (injected == null) return decided(false, ['last_ia_injection_date']);
        const screening = record.screening_date;
        return judge(
          [
            { item: 'last_ia_injection_date', known: true },
            { item: 'screening_date', known: screening != null },
          ],
          () =>
            screening != null &&
            compareIsoDates(injected, subtractCalendarMonths(screening, L.iaInjectionWashoutMonths)) > 0,
        );
      },
    },
    {
      id: 'EC7',
      kind: 'exclusion',
      name: `MRI contraindication or BMI > ${fmt(L.bmiCutOff)} kg/m²`,
      rule: `mri_contraindication = yes or BMI > ${fmt(L.bmiCutOff)}`,
      reads: ['mri_contraindication', 'height_cm', 'weight_kg'],
      uses: ['bmi'],
      evaluate: ({ record, derived }) =>
        anyOf(
          isYes(record, 'mri_contraindication'),
          onDerived(derived.bmi, ['height_cm', 'weight_kg'], record, (bmi) => compareBmi(bmi, L.bmiCutOff) > 0),
        ),
    },
    yesExcludes('EC8', 'Ligament reconstruction', 'ligament_reconstruction'),
    {
      id: 'EC9',
      kind: 'exclusion',
      name: `Meniscal resection > 50 % or more than ${L.meniscalOperationsMax} meniscal operation`,
      rule: `meniscal_resection_over_50pct = yes or meniscal_operations > ${L.meniscalOperationsMax}`,
      reads: ['meniscal_resection_over_50pct', 'meniscal_operations'],
      evaluate: ({ record }) =>
        anyOf(
          isYes(record, 'meniscal_resection_over_50pct'),
          onItem(record, 'meniscal_operations', (v) => v > L.meniscalOperationsMax),
        ),
    },
    yesExcludes('EC10', 'Diabetes (type 1 or 2)', 'diabetes'),
    {
      id: 'EC11',
      kind: 'exclusion',
      name: `Knee instability or anterior–posterior laxity ≥ ${fmt(L.apLaxityMinMm)} mm`,
      rule: `knee_instability = yes or ap_laxity_mm ≥ ${fmt(L.apLaxityMinMm)}`,
      reads: ['knee_instability', 'ap_laxity_mm'],
      evaluate: ({ record }) =>
        anyOf(
          isYes(record, 'knee_instability'),
          onItem(record, 'ap_laxity_mm', (v) => v >= L.apLaxityMinMm),
        ),
    },
    yesExcludes('EC12', 'Antibiotic allergy', 'antibiotic_allergy'),
    yesExcludes(
      'EC13',
      'Severe systemic condition (severe infection, malignancy, coagulation disease, uncontrolled systemic disease)',
      'severe_systemic_condition',
    ),
    yesExcludes('EC14', 'Other inflammatory arthritis', 'inflammatory_arthritis'),
  ];
}

/** The STEMJOINT criteria with the STEMJOINT cut-offs. */
export const STEMJOINT_CRITERIA: readonly EligibilityCriterion[] =
  buildEligibilityCriteria(STEMJOINT_ELIGIBILITY_LIMITS);
