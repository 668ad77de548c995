/**
 * Reading item values for conditions and derivations: same-form references read the form's own
 * values (a repeating-group item reads as the list of its row values, or the current row's value
 * inside that row); references to another form or another visit go through a lookup the caller
 * supplies (the service preloads those instances).
 */
import type { ItemRef } from '../protocol/condition.js';
import { evaluateCondition } from '../protocol/evaluate-condition.js';
import type { Condition } from '../protocol/condition.js';
import type { ItemDef } from '../protocol/item-types.js';
import { isPlainObject, type FormIndex } from './form-index.js';

/** Resolves references to other forms or visits (`{ form, item, visit }`); undefined = not available. */
export type CrossFormLookup = (ref: ItemRef) => unknown;

/** Whether a reference names the form being processed at its own visit. */
export function isSameFormRef(ref: ItemRef, formId: string, visitCode: string | null): boolean {
  const sameForm = ref.form === undefined || ref.form === formId;
  const sameVisit = ref.visit === undefined || ref.visit === visitCode;
  return sameForm && sameVisit;
}

/** Row values of a repeating group in a values object (an empty list when absent or malformed). */
export function rowsOf(values: Readonly<Record<string, unknown>>, groupId: string): Record<string, unknown>[] {
  const rows = values[groupId];
  return Array.isArray(rows) ? rows.filter(isPlainObject) : [];
}

/**
 * A reader for one form's values.
 *
 * @param index - the form index
 * @param values - the form's values (non-repeating items by id, repeating groups as row arrays)
 * @param visitCode - the visit the form belongs to (null for participant-level forms)
 * @param lookup - resolver for references to other forms or visits
 * @param row - inside a repeating group: the current row and its group id
 */
export function createValueReader(
  index: FormIndex,
  values: Readonly<Record<string, unknown>>,
  visitCode: string | null,
  lookup: CrossFormLookup | undefined,
  row?: { readonly groupId: string; readonly values: Readonly<Record<string, unknown>> },
): (ref: ItemRef) => unknown {
  return (ref) => {
    if (!isSameFormRef(ref, index.form.id, visitCode)) return lookup?.(ref);
    const entry = index.items.get(ref.item);
    if (entry === undefined) return undefined;
    if (!entry.inRepeatingGroup) return values[ref.item];
    if (row !== undefined && row.groupId === entry.group.id) return row.values[ref.item];
    return rowsOf(values, entry.group.id).map((r) => r[ref.item] ?? null);
  };
}

/** Whether a condition holds; an undecided condition counts as not holding (hidden). */
export function conditionHolds(condition: Condition | undefined, read: (ref: ItemRef) => unknown): boolean {
  return condition === undefined || evaluateCondition(condition, read) === true;
}

/** Whether an item applies at a visit (`onlyAtVisits`; participant-level forms have no visit). */
export function isApplicableAtVisit(item: ItemDef, visitCode: string | null): boolean {
  return item.onlyAtVisits === undefined || (visitCode !== null && item.onlyAtVisits.includes(visitCode));
}
