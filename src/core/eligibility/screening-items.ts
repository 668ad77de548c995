/**
 * The screening items of spec §3, in the spec table's order (that order is the order of `missing`).
 * Item ids are fixed: they appear in APIs, exports and forms.
 */
import type { IsoDate } from '../schedule/plain-date.js';

/** Screening item ids in the order of the spec table. */
export const SCREENING_ITEM_IDS = [
  'screening_date',
  'date_of_birth',
  'sex',
  'knee_pain_months',
  'nrs_worst',
  'kl_grade',
  'jsw_mm',
  'alignment_deg',
  'oa_compartment',
  'height_cm',
  'weight_kg',
  'danish_speaker',
  'legally_competent',
  'ia_tumor_infection_fracture',
  'pregnant_or_breastfeeding',
  'cognitive_impairment',
  'cytostatic_treatment',
  'last_ia_injection_date',
  'mri_contraindication',
  'ligament_reconstruction',
  'meniscal_resection_over_50pct',
  'meniscal_operations',
  'diabetes',
  'ap_laxity_mm',
  'knee_instability',
  'antibiotic_allergy',
  'severe_systemic_condition',
  'inflammatory_arthritis',
] as const;
/** A screening item id. */
export type ScreeningItemId = (typeof SCREENING_ITEM_IDS)[number];

/** Values of `sex`. */
export const SEX_VALUES = ['female', 'male'] as const;
/** Sex as recorded at screening. */
export type Sex = (typeof SEX_VALUES)[number];

/** Values of `oa_compartment` (tibiofemoral compartment(s) with osteoarthritis). */
export const OA_COMPARTMENT_VALUES = ['medial', 'lateral', 'dual', 'none'] as const;
/** The compartment(s) affected. */
export type OaCompartment = (typeof OA_COMPARTMENT_VALUES)[number];

/** The value type of every screening item once validated. */
export interface ScreeningValues {
  screening_date: IsoDate;
  date_of_birth: IsoDate;
  sex: Sex;
  knee_pain_months: number;
  nrs_worst: number;
  kl_grade: number;
  jsw_mm: number;
  alignment_deg: number;
  oa_compartment: OaCompartment;
  height_cm: number;
  weight_kg: number;
  danish_speaker: boolean;
  legally_competent: boolean;
  ia_tumor_infection_fracture: boolean;
  pregnant_or_breastfeeding: boolean;
  cognitive_impairment: boolean;
  cytostatic_treatment: boolean;
  last_ia_injection_date: IsoDate;
  mri_contraindication: boolean;
  ligament_reconstruction: boolean;
  meniscal_resection_over_50pct: boolean;
  meniscal_operations: number;
  diabetes: boolean;
  ap_laxity_mm: number;
  knee_instability: boolean;
  antibiotic_allergy: boolean;
  severe_systemic_condition: boolean;
  inflammatory_arthritis: boolean;
}

/**
 * A (validated) screening record. An absent key or null means "no value"; for
 * `last_ia_injection_date` no value means "never injected".
 */
export type ScreeningRecord = { [K in ScreeningItemId]?: ScreeningValues[K] | null };

/** Any value of a screening item. */
export type ScreeningValue = ScreeningValues[ScreeningItemId];

/** How an item's value is checked. Ranges are inclusive unless `exclusiveMin`. */
export type ScreeningItemType =
  | { kind: 'date' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'decimal'; min: number; exclusiveMin?: boolean };

/**
 * When an item without a value counts as missing: `required` always; `required_if_female` only
 * when `sex` is female (pregnancy); `null_means_never` never (no value = no injection).
 */
export type MissingRule = 'required' | 'required_if_female' | 'null_means_never';

/** Definition of one screening item. */
export interface ScreeningItemSpec {
  readonly id: ScreeningItemId;
  readonly label: string;
  readonly type: ScreeningItemType;
  readonly missingRule: MissingRule;
  /** Unit shown after values, if any. */
  readonly unit?: string;
}

const DATE = { kind: 'date' } as const;
const BOOLEAN = { kind: 'boolean' } as const;
const COUNT = { kind: 'integer', min: 0 } as const;
const NON_NEGATIVE = { kind: 'decimal', min: 0 } as const;
const POSITIVE = { kind: 'decimal', min: 0, exclusiveMin: true } as const;

/** Every screening item with its type, in table order. */
export const SCREENING_ITEMS: readonly ScreeningItemSpec[] = [
  { id: 'screening_date', label: 'Screening date', type: DATE, missingRule: 'required' },
  { id: 'date_of_birth', label: 'Date of birth', type: DATE, missingRule: 'required' },
  { id: 'sex', label: 'Sex', type: { kind: 'enum', values: SEX_VALUES }, missingRule: 'required' },
  {
    id: 'knee_pain_months',
    label: 'Duration of chronic knee pain',
    type: COUNT,
    missingRule: 'required',
    unit: 'months',
  },
  {
    id: 'nrs_worst',
    label: 'Pain NRS when worst',
    type: { kind: 'integer', min: 0, max: 10 },
    missingRule: 'required',
  },
  {
    id: 'kl_grade',
    label: 'Kellgren–Lawrence grade',
    type: { kind: 'integer', min: 0, max: 4 },
    missingRule: 'required',
  },
  { id: 'jsw_mm', label: 'Joint space width', type: NON_NEGATIVE, missingRule: 'required', unit: 'mm' },
  { id: 'alignment_deg', label: 'Varus/valgus deviation', type: NON_NEGATIVE, missingRule: 'required', unit: '°' },
  {
    id: 'oa_compartment',
    label: 'OA compartment',
    type: { kind: 'enum', values: OA_COMPARTMENT_VALUES },
    missingRule: 'required',
  },
  { id: 'height_cm', label: 'Height', type: POSITIVE, missingRule: 'required', unit: 'cm' },
  { id: 'weight_kg', label: 'Weight', type: POSITIVE, missingRule: 'required', unit: 'kg' },
  { id: 'danish_speaker', label: 'Danish-speaking', type: BOOLEAN, missingRule: 'required' },
  { id: 'legally_competent', label: 'Legally competent', type: BOOLEAN, missingRule: 'required' },
  {
    id: 'ia_tumor_infection_fracture',
    label: 'Intra-articular tumour, infection or fracture',
    type: BOOLEAN,
    missingRule: 'required',
  },
  {
    id: 'pregnant_or_breastfeeding',
    label: 'Pregnant or breastfeeding',
    type: BOOLEAN,
    missingRule: 'required_if_female',
  },
  { id: 'cognitive_impairment', label: 'Cognitive impairment', type: BOOLEAN, missingRule: 'required' },
  { id: 'cytostatic_treatment', label: 'Cytostatic treatment', type: BOOLEAN, missingRule: 'required' },
  {
    id: 'last_ia_injection_date',
    label: 'Last intra-articular injection',
    type: DATE,
    missingRule: 'null_means_never',
  },
  { id: 'mri_contraindication', label: 'MRI contraindication', type: BOOLEAN, missingRule: 'required' },
  { id: 'ligament_reconstruction', label: 'Ligament reconstruction', type: BOOLEAN, missingRule: 'required' },
  { id: 'meniscal_resection_over_50pct', label: 'Meniscal resection > 50 %', type: BOOLEAN, missingRule: 'required' },
  { id: 'meniscal_operations', label: 'Number of meniscal operations', type: COUNT, missingRule: 'required' },
  { id: 'diabetes', label: 'Diabetes (type 1 or 2)', type: BOOLEAN, missingRule: 'required' },
  { id: 'ap_laxity_mm', label: 'Anterior–posterior laxity', type: NON_NEGATIVE, missingRule: 'required', unit: 'mm' },
  { id: 'knee_instability', label: 'Knee instability', type: BOOLEAN, missingRule: 'required' },
  { id: 'antibiotic_allergy', label: 'Antibiotic allergy', type: BOOLEAN, missingRule: 'required' },
  { id: 'severe_systemic_condition', label: 'Severe systemic condition', type: BOOLEAN, missingRule: 'required' },
  { id: 'inflammatory_arthritis', label: 'Other inflammatory arthritis', type: BOOLEAN, missingRule: 'required' },
];

/** True when `key` is a screening item id. */
export function isScreeningItemId(key: string): key is ScreeningItemId {
  return (SCREENING_ITEM_IDS as readonly string[]).includes(key);
}

/**
 * The items without a value that the investigator still has to fill in, in table order:
 * `last_ia_injection_date` never (no value = never), `pregnant_or_breastfeeding` only when `sex`
 * is female.
 */
export function listMissingItems(
  record: ScreeningRecord,
  items: readonly ScreeningItemSpec[] = SCREENING_ITEMS,
): ScreeningItemId[] {
  return items
    .filter((item) => {
      if (record[item.id] != null) return false;
      switch (item.missingRule) {
        case 'required':
          return true;
        case 'required_if_female':
          return record.sex === 'female';
        case 'null_means_never':
          return false;
      }
    })
    .map((item) => item.id);
}
