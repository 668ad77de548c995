/**
 * The screening form as data: which spec §3 item goes in which section with which control, how
 * typed text becomes a value, and the client-side check and assessment that give instant
 * feedback. The server validates and assesses again on save; its answer is what the page shows
 * once nothing is unsaved.
 */
import { assessEligibility, type EligibilityResult } from '../../../../src/core/eligibility/assess-eligibility.js';
import { parseScreeningRecord } from '../../../../src/core/eligibility/parse-screening-record.js';
import {
  SCREENING_ITEMS,
  type ScreeningItemId,
  type ScreeningItemSpec,
} from '../../../../src/core/eligibility/screening-items.js';
import type { ScreeningKey } from './screening-i18n-types.js';
import type { ScreeningT } from './screening-i18n.js';

/** The control used for an item. */
export type ItemControl = 'date' | 'yesno' | 'radio' | 'select' | 'integer' | 'decimal';

export const FORM_SECTIONS = ['dates', 'knee', 'xray', 'capacity', 'history'] as const;
/** A section (card) of the screening form. */
export type FormSection = (typeof FORM_SECTIONS)[number];

/** How one item appears on the form. */
export interface ItemUi {
  id: ScreeningItemId;
  section: FormSection;
  control: ItemControl;
  /** Choices of a radio group or select, in display order. */
  options?: readonly string[];
  /** Shown only when the predicate holds for the current raw form values (pregnancy: women only). */
  showWhen?: (raw: RawValues) => boolean;
  hint?: ScreeningKey;
}

/** The text of every control, keyed by item; '' means no value. Yes/no items hold 'true'/'false'. */
export type RawValues = Record<ScreeningItemId, string>;

const yesno = (id: ScreeningItemId, section: FormSection, hint?: ScreeningKey): ItemUi => ({
  id,
  section,
  control: 'yesno',
  ...(hint ? { hint } : {}),
});

/** Every spec §3 item, in the order the form shows them. */
export const FORM_ITEMS: readonly ItemUi[] = [
  { id: 'screening_date', section: 'dates', control: 'date' },
  { id: 'date_of_birth', section: 'dates', control: 'date', hint: 'form.hints.date_of_birth' },
  { id: 'sex', section: 'dates', control: 'radio', options: ['female', 'male'] },
  { id: 'height_cm', section: 'dates', control: 'decimal' },
  { id: 'weight_kg', section: 'dates', control: 'decimal' },
  { id: 'knee_pain_months', section: 'knee', control: 'integer', hint: 'form.hints.knee_pain_months' },
  { id: 'nrs_worst', section: 'knee', control: 'integer', hint: 'form.hints.nrs_worst' },
  { id: 'ap_laxity_mm', section: 'knee', control: 'decimal' },
  yesno('knee_instability', 'knee'),
  {
    id: 'kl_grade',
    section: 'xray',
    control: 'select',
    options: ['0', '1', '2', '3', '4'],
    hint: 'form.hints.kl_grade',
  },
  { id: 'jsw_mm', section: 'xray', control: 'decimal' },
  { id: 'alignment_deg', section: 'xray', control: 'decimal' },
  { id: 'oa_compartment', section: 'xray', control: 'radio', options: ['medial', 'lateral', 'dual', 'none'] },
  yesno('danish_speaker', 'capacity'),
  yesno('legally_competent', 'capacity'),
  yesno('ia_tumor_infection_fracture', 'history'),
  {
    ...yesno('pregnant_or_breastfeeding', 'history', 'form.hints.pregnant_or_breastfeeding'),
    showWhen: (raw) => raw.sex === 'female',
  },
  yesno('cognitive_impairment', 'history'),
  yesno('cytostatic_treatment', 'history'),
  { id: 'last_ia_injection_date', section: 'history', control: 'date', hint: 'form.hints.last_ia_injection_date' },
  yesno('mri_contraindication', 'history'),
  yesno('ligament_reconstruction', 'history'),
  yesno('meniscal_resection_over_50pct', 'history'),
  { id: 'meniscal_operations', section: 'history', control: 'integer', hint: 'form.hints.meniscal_operations' },
  yesno('diabetes', 'history'),
  yesno('antibiotic_allergy', 'history'),
  yesno('severe_systemic_condition', 'history'),
  yesno('inflammatory_arthritis', 'history'),
];

const SPECS = new Map<ScreeningItemId, ScreeningItemSpec>(SCREENING_ITEMS.map((s) => [s.id, s]));

/** The form text for a stored value (decimals with a comma in Danish). */
export function rawFromValue(value: unknown, decimalComma: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return decimalComma ? String(value).replace('.', ',') : String(value);
  return String(value);
}

/** The form text of every item for the stored values. */
export function rawFromValues(values: Partial<Record<ScreeningItemId, unknown>>, decimalComma: boolean): RawValues {
  const raw = {} as RawValues;
  for (const item of FORM_ITEMS) raw[item.id] = rawFromValue(values[item.id], decimalComma);
  return raw;
}

/** A problem with one item's text, as a translation key and its values. */
export interface ItemProblem {
  key: ScreeningKey;
  values?: Record<string, string | number>;
}

/** The message for an item whose value is of the wrong type or out of range. */
export function rangeProblem(item: ScreeningItemId): ItemProblem {
  const spec = SPECS.get(item);
  const type = spec?.type;
  if (!type) return { key: 'form.errors.invalid' };
  switch (type.kind) {
    case 'date':
      return { key: 'form.errors.date' };
    case 'integer':
      return type.max === undefined
        ? { key: 'form.errors.min', values: { min: type.min } }
        : { key: 'form.errors.range', values: { min: type.min, max: type.max } };
    case 'decimal':
      return type.exclusiveMin
        ? { key: 'form.errors.above', values: { min: type.min } }
        : { key: 'form.errors.min', values: { min: type.min } };
    case 'boolean':
    case 'enum':
      return { key: 'form.errors.invalid' };
  }
}

type Parsed = { ok: true; value: string | number | boolean | null } | { ok: false; problem: ItemProblem };

/** Turns one control's text into a value (null = no value); numbers accept a decimal comma. */
export function parseRaw(item: ItemUi, text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  switch (item.control) {
    case 'yesno':
      return { ok: true, value: trimmed === 'true' };
    case 'integer':
      return /^-?\d+$/.test(trimmed)
        ? { ok: true, value: Number(trimmed) }
        : { ok: false, problem: { key: 'form.errors.wholeNumber' } };
    case 'select':
      // The only select holds the Kellgren–Lawrence grade, a number.
      return { ok: true, value: item.id === 'kl_grade' ? Number(trimmed) : trimmed };
    case 'decimal': {
      const normal = trimmed.replace(',', '.');
      if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(normal)) return { ok: false, problem: { key: 'form.errors.number' } };
      return { ok: true, value: Number(normal) };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed)
        ? { ok: true, value: trimmed }
        : { ok: false, problem: { key: 'form.errors.date' } };
    case 'radio':
      return { ok: true, value: trimmed };
  }
}

/** Same value? (null and absent are the same: no value.) */
const sameValue = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null);

/** The result of checking the whole form on the client. */
export interface FormCheck {
  /** Items whose text cannot be used, with the reason. */
  problems: Partial<Record<ScreeningItemId, ItemProblem>>;
  /** Items whose (valid) value differs from the stored one: what a save sends. */
  changes: Partial<Record<ScreeningItemId, string | number | boolean | null>>;
  /** Items the user has touched in a way that differs from the stored value (valid or not). */
  dirty: ScreeningItemId[];
  /** Eligibility of the values as typed (invalid items count as having no value). */
  assessment: EligibilityResult;
}

/**
 * Checks the form as typed against the stored values: type and range problems (with the core's
 * own parser, so the client never disagrees with the server about what is valid), the changes a
 * save would send, and the live eligibility assessment.
 */
export function checkForm(raw: RawValues, stored: Partial<Record<ScreeningItemId, unknown>>): FormCheck {
  const problems: FormCheck['problems'] = {};
  const changes: FormCheck['changes'] = {};
  const dirty: ScreeningItemId[] = [];
  const candidate: Record<string, unknown> = {};
  for (const item of FORM_ITEMS) {
    const parsed = parseRaw(item, raw[item.id]);
    if (!parsed.ok) {
      problems[item.id] = parsed.problem;
      dirty.push(item.id);
      continue;
    }
    candidate[item.id] = parsed.value;
    if (!sameValue(parsed.value, stored[item.id])) {
      changes[item.id] = parsed.value;
      dirty.push(item.id);
    }
  }
  const result = parseScreeningRecord(candidate);
  if (!result.ok) {
    for (const error of result.errors) {
      const id = error.path as ScreeningItemId;
      if (error.code === 'impossible_date' && id === 'date_of_birth' && candidate.screening_date) {
        problems[id] = { key: 'form.errors.dobAfterScreening' };
      } else {
        problems[id] = rangeProblem(id);
      }
    }
  }
  return { problems, changes, dirty, assessment: assessEligibility(result.record) };
}

/** A problem translated for display. */
export const problemText = (st: ScreeningT, problem: ItemProblem): string => st(problem.key, problem.values);

/**
 * The item a server field path names (`values.kl_grade`, `body.values.kl_grade`), or null when the
 * path is about something else.
 */
export function itemFromPath(path: string): ScreeningItemId | null {
  const segments = path.split(/[.[\]]/).filter((s) => s !== '');
  if (segments[0] === 'body') segments.shift();
  if (segments[0] !== 'values') return null;
  const id = segments[1];
  return id && SPECS.has(id as ScreeningItemId) ? (id as ScreeningItemId) : null;
}
