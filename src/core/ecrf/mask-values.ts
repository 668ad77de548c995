/**
 * Blinding on the read path: values of potentially unblinding items (e.g. donor-specific antibody
 * results, which only cell recipients can develop) are removed for viewers who may not see them,
 * and the removed paths are listed so that a page can show "hidden under the blind" instead of
 * "not entered". Pure: the caller decides which items the viewer may see.
 */
import type { FormDef } from '../protocol/definition-types.js';
import { indexForm, isPlainObject } from './form-index.js';
import { flattenFormValues } from './diff-form-values.js';

/** Values with the invisible items removed, and the removed paths. */
export interface MaskedValues {
  readonly values: Record<string, unknown>;
  readonly masked: string[];
}

/** The item ids of a form that the viewer may not see (empty for most forms). */
export function hiddenItemIds(form: FormDef, canSee: (itemId: string) => boolean): Set<string> {
  const hidden = new Set<string>();
  for (const id of indexForm(form).items.keys()) if (!canSee(id)) hidden.add(id);
  return hidden;
}

/** The item id a value path ends with (`beads[2].bead_mfi` → `bead_mfi`). */
export function itemIdOfPath(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

/**
 * Removes the values of `hidden` items from a form's values (top-level items and row items).
 * Values are never reported as masked when there was nothing to hide.
 */
export function maskFormValues(values: Readonly<Record<string, unknown>>, hidden: ReadonlySet<string>): MaskedValues {
  if (hidden.size === 0) return { values: { ...values }, masked: [] };
  const masked: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value) && value.every(isPlainObject)) {
      out[key] = value.map((row, i) => {
        const kept: Record<string, unknown> = {};
        for (const [itemId, v] of Object.entries(row)) {
          if (hidden.has(itemId)) masked.push(`${key}[${i}].${itemId}`);
          else kept[itemId] = v;
        }
        return kept;
      });
      continue;
    }
    if (hidden.has(key)) masked.push(key);
    else out[key] = value;
  }
  return { values: out, masked };
}

/** Removes hidden items from a path-keyed record (audit before/after, SDV changes). */
export function maskPathRecord(
  record: Readonly<Record<string, unknown>>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  if (hidden.size === 0) return { ...record };
  return Object.fromEntries(Object.entries(record).filter(([path]) => !hidden.has(itemIdOfPath(path))));
}

/**
 * Puts back the stored values of items the writer may not see, so that a blinded user's save never
 * erases them: top-level items by id, row items by row position.
 */
export function restoreHiddenValues(
  entered: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  if (hidden.size === 0) return { ...entered };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entered)) out[key] = Array.isArray(value) ? [...value] : value;
  const storedFlat = flattenFormValues(stored);
  for (const [path, value] of storedFlat) {
    if (!hidden.has(itemIdOfPath(path))) continue;
    const m = /^([^[]+)\[(\d+)\]\.(.+)$/.exec(path);
    if (m === null) {
      out[path] = value;
      continue;
    }
    const [, group = '', rowText = '0', itemId = ''] = m;
    const rows = Array.isArray(out[group]) ? (out[group] as unknown[]) : null;
    const row = rows?.[Number(rowText)];
    // A row the writer removed takes its hidden values with it.
    if (rows !== null && isPlainObject(row)) rows[Number(rowText)] = { ...row, [itemId]: value };
  }
  return out;
}
