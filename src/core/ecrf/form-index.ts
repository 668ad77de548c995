/**
 * A per-form index of items and groups, built once per form definition (protocol definitions are
 * frozen, so the index can be memoised by object identity) and shared by validation, derivation,
 * diffs and the masking of blinded items.
 */
import type { CodeListDef, FormDef, ItemGroupDef, ProtocolDefinition } from '../protocol/definition-types.js';
import type { ItemDef } from '../protocol/item-types.js';

/** Where an item lives: its definition and its group. */
export interface IndexedItem {
  readonly item: ItemDef;
  readonly group: ItemGroupDef;
  /** True when the item belongs to a repeating group (its values are rows of the group). */
  readonly inRepeatingGroup: boolean;
}

/** Items and groups of one form, by id. */
export interface FormIndex {
  readonly form: FormDef;
  readonly items: ReadonlyMap<string, IndexedItem>;
  /** Repeating groups by group id: their values are arrays of row objects under the group id. */
  readonly repeatingGroups: ReadonlyMap<string, ItemGroupDef>;
  /** Derived items in definition order. */
  readonly derivedItems: readonly IndexedItem[];
  /** Whether any group or item is conditional (`showIf`, `onlyAtVisits`); most forms are not. */
  readonly conditional: boolean;
}

const FORM_INDEX = new WeakMap<FormDef, FormIndex>();

/** The index of a form (memoised per definition object). */
export function indexForm(form: FormDef): FormIndex {
  const cached = FORM_INDEX.get(form);
  if (cached !== undefined) return cached;
  const items = new Map<string, IndexedItem>();
  const repeatingGroups = new Map<string, ItemGroupDef>();
  const derivedItems: IndexedItem[] = [];
  let conditional = false;
  for (const group of form.itemGroups) {
    const repeating = group.repeating === true;
    if (group.showIf !== undefined) conditional = true;
    if (repeating) repeatingGroups.set(group.id, group);
    for (const item of group.items) {
      const entry: IndexedItem = { item, group, inRepeatingGroup: repeating };
      items.set(item.id, entry);
      if (item.derivation !== undefined) derivedItems.push(entry);
      if (item.showIf !== undefined || item.onlyAtVisits !== undefined) conditional = true;
    }
  }
  const index: FormIndex = { form, items, repeatingGroups, derivedItems, conditional };
  FORM_INDEX.set(form, index);
  return index;
}

const CODE_LISTS = new WeakMap<ProtocolDefinition, ReadonlyMap<string, CodeListDef>>();

/** The code lists of a protocol by id (memoised). */
export function codeListsOf(protocol: ProtocolDefinition): ReadonlyMap<string, CodeListDef> {
  const cached = CODE_LISTS.get(protocol);
  if (cached !== undefined) return cached;
  const map = new Map(protocol.codeLists.map((cl) => [cl.id, cl] as const));
  CODE_LISTS.set(protocol, map);
  return map;
}

/** Path of a value inside a form's values: `item` or `group[row].item` (rows counted from 0). */
export function valuePath(itemId: string, group?: { readonly id: string; readonly row: number }): string {
  return group === undefined ? itemId : `${group.id}[${group.row}].${itemId}`;
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ROW_PATH = /^([A-Za-z0-9_]+)\[(\d+)\]\.([A-Za-z0-9_]+)$/;

/**
 * Resolves a value path (`item` or `group[row].item`) against a form: the item and, for a row
 * item, the group and row. Null when the path does not name an item of the form.
 */
export function resolveValuePath(
  form: FormDef,
  path: string,
): { item: ItemDef; groupId: string | null; row: number | null } | null {
  const index = indexForm(form);
  const m = ROW_PATH.exec(path);
  if (m !== null) {
    const entry = index.items.get(m[3] ?? '');
    if (entry === undefined || !entry.inRepeatingGroup || entry.group.id !== m[1]) return null;
    return { item: entry.item, groupId: entry.group.id, row: Number(m[2]) };
  }
  const entry = index.items.get(path);
  if (entry === undefined || entry.inRepeatingGroup) return null;
  return { item: entry.item, groupId: null, row: null };
}

/** The value stored at a path of a form's values (null when absent). */
export function valueAtPath(values: Readonly<Record<string, unknown>>, path: string): unknown {
  const m = ROW_PATH.exec(path);
  if (m === null) return values[path] ?? null;
  const rows = values[m[1] ?? ''];
  const row = Array.isArray(rows) ? (rows[Number(m[2])] as unknown) : undefined;
  return isPlainObject(row) ? (row[m[3] ?? ''] ?? null) : null;
}
