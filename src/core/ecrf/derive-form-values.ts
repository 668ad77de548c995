/**
 * Derived items, computed on the server from the (validated) entered values by method id: the
 * built-in `expression` (a condition whose truth value is the item's value), the KOOS subscales,
 * BMI, age, the diary day and late-entry flag, donor-specific and de novo donor-specific
 * antibodies, and change from baseline. Inputs that live in another form or at another visit
 * (`{ item, visit: 'BL' }`) are read through the context's lookup.
 */
import type { FieldIssue } from '../errors.js';
import type { ItemRef } from '../protocol/condition.js';
import type { FormDef } from '../protocol/definition-types.js';
import { evaluateCondition } from '../protocol/evaluate-condition.js';
import type { Derivation, ItemDef } from '../protocol/item-types.js';
import { calendarDaysBetween, isIsoDate } from '../schedule/plain-date.js';
import { computeAge } from '../scoring/compute-age.js';
import { computeBmi } from '../scoring/compute-bmi.js';
import { computeChangeFromBaseline } from '../scoring/compute-change-from-baseline.js';
import { deriveDeNovoDsa, type HlaAntibodyResult } from '../scoring/derive-de-novo-dsa.js';
import { isKoosItemId, type KoosAnswer, type KoosAnswers } from '../scoring/koos-items.js';
import { scoreKoosSubscale } from '../scoring/score-koos.js';
import { indexForm } from './form-index.js';
import { createValueReader, isApplicableAtVisit, type CrossFormLookup } from './form-scope.js';

/** What a derivation may need besides the form's own values. */
export interface DerivationContext {
  /** The visit of the instance (null for participant-level forms). */
  readonly visitCode: string | null;
  /** Values of other forms or visits (e.g. the baseline bead results for de novo DSA). */
  readonly lookup?: CrossFormLookup;
}

/** Result of {@link deriveFormValues}. */
export interface DerivedValues {
  /** Every derived item of the form that applies at the visit, by id; null when it cannot be computed. */
  readonly values: Record<string, boolean | number | null>;
  /** Derived values outside their item's hard limits (`derived_out_of_range`), for review. */
  readonly warnings: FieldIssue[];
}

/** A derivation method: the values of the inputs (in declared order) → the derived value. */
type DerivationMethod = (
  inputs: readonly unknown[],
  derivation: Derivation,
  read: (ref: ItemRef) => unknown,
) => boolean | number | null;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): unknown[] | null => (Array.isArray(v) ? v : null);

/** The calendar date of a date or an ISO date-time as written (its local date part). */
function datePart(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 10) return null;
  const date = v.slice(0, 10);
  return isIsoDate(date) ? date : null;
}

function scoreSubscale(derivation: Derivation, inputs: readonly unknown[]): number | null {
  const ids = derivation.inputs.map((r) => r.item);
  const minAnswered =
    typeof derivation.params?.minAnswered === 'number' ? derivation.params.minAnswered : Math.ceil(ids.length / 2);
  if (!ids.every(isKoosItemId)) return null;
  const answers: KoosAnswers = {};
  ids.forEach((id, i) => {
    const v = inputs[i];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 4) answers[id] = v as KoosAnswer;
  });
  return scoreKoosSubscale({ id: 'symptoms', label: derivation.method, items: ids, minAnswered }, answers);
}

/**
 * Bead rows as antibody results, zipped from the per-row value lists of specificity, positivity and
 * donor-specificity. Rows with a missing part are reported separately: they cannot be matched.
 */
function beadResults(
  spec: unknown,
  positive: unknown,
  dsa: unknown,
): { complete: HlaAntibodyResult[]; incomplete: number } | null {
  const s = list(spec);
  if (s === null) return null;
  const p = list(positive) ?? [];
  const d = list(dsa) ?? [];
  const complete: HlaAntibodyResult[] = [];
  let incomplete = 0;
  s.forEach((beadSpecificity, i) => {
    const pos = p[i];
    const ds = d[i];
    if (typeof beadSpecificity === 'string' && typeof pos === 'boolean' && typeof ds === 'boolean') {
      complete.push({ beadSpecificity, positive: pos, isDonorSpecific: ds });
    } else incomplete += 1;
  });
  return { complete, incomplete };
}

/** The derivation methods by id. `koos.*` share one implementation parameterised by the inputs. */
const METHODS: Readonly<Record<string, DerivationMethod>> = {
  expression: (_inputs, derivation, read) => {
    if (derivation.expression === undefined) return null;
    const truth = evaluateCondition(derivation.expression, read);
    return truth === 'unknown' ? null : truth;
  },
  bmi: ([height, weight]) => computeBmi(num(height), num(weight)),
  'age.completedYears': ([dob, onDate]) => computeAge(datePart(dob), datePart(onDate)),
  'diary.studyDay': ([entryDate, day0]) => {
    const entry = datePart(entryDate);
    const zero = datePart(day0);
    return entry === null || zero === null ? null : calendarDaysBetween(zero, entry);
  },
  'diary.lateEntry': ([entryDate, enteredAt]) => {
    const entry = datePart(entryDate);
    const entered = datePart(enteredAt);
    return entry === null || entered === null ? null : entered > entry;
  },
  'hla.donorSpecificDetected': ([positive, dsa]) => {
    const p = list(positive);
    const d = list(dsa);
    if (p === null || d === null || p.length === 0) return null;
    let undecided = false;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === true && d[i] === true) return true;
      if (typeof p[i] !== 'boolean' || typeof d[i] !== 'boolean') undecided = true;
    }
    return undecided ? null : false;
  },
  'hla.deNovoDsa': ([specBl, posBl, dsaBl, spec, pos, dsa]) => {
    const month3 = beadResults(spec, pos, dsa);
    if (month3 === null) return null;
    const baseline = beadResults(specBl, posBl, dsaBl);
    const result = deriveDeNovoDsa(baseline?.complete ?? null, month3.complete);
    // A bead row with a missing part could hold the de novo antibody: only "yes" survives it.
    return result === true || month3.incomplete === 0 ? result : null;
  },
  'change.fromBaseline': ([value, baseline]) => computeChangeFromBaseline(num(value), num(baseline)),
};

/** Whether the engine implements a derivation method id (`koos.<subscale>` included). */
export function isKnownDerivationMethod(method: string): boolean {
  return method in METHODS || method.startsWith('koos.');
}

function rangeProblem(item: ItemDef, value: boolean | number | null): string | null {
  if (typeof value !== 'number' || (item.type !== 'integer' && item.type !== 'decimal')) return null;
  const { hardMin, hardMax } = item.range;
  return value < hardMin || value > hardMax ? `derived value ${value} is outside ${hardMin}–${hardMax}` : null;
}

/**
 * Computes every derived item of a form from its entered values. Derived items are evaluated in
 * definition order and may read derived items defined before them. Items that do not apply at
 * the visit (`onlyAtVisits`) are left out; an unknown method id yields null.
 *
 * @param form - the form definition
 * @param values - validated (normalised) entered values
 * @param context - the visit and a lookup for inputs in other forms or at other visits
 */
export function deriveFormValues(
  form: FormDef,
  values: Readonly<Record<string, unknown>>,
  context: DerivationContext,
): DerivedValues {
  const index = indexForm(form);
  const scope: Record<string, unknown> = { ...values };
  const out: Record<string, boolean | number | null> = {};
  const warnings: FieldIssue[] = [];
  for (const { item } of index.derivedItems) {
    const derivation = item.derivation;
    if (derivation === undefined || !isApplicableAtVisit(item, context.visitCode)) continue;
    const read = createValueReader(index, scope, context.visitCode, context.lookup);
    const inputs = derivation.inputs.map(read);
    const method = derivation.method.startsWith('koos.') ? null : METHODS[derivation.method];
    const value =
      method === null
        ? scoreSubscale(derivation, inputs)
        : method === undefined
          ? null
          : method(inputs, derivation, read);
    out[item.id] = value;
    scope[item.id] = value;
    const problem = rangeProblem(item, value);
    if (problem !== null) warnings.push({ path: `derived.${item.id}`, message: problem, code: 'derived_out_of_range' });
  }
  return { values: out, warnings };
}
