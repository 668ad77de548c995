/**
 * Validation of the values of one form instance against the protocol definition (the edit checks
 * of the eCRF). Values are an object keyed by item id; a repeating item group is an array of row
 * objects under the group's id (`{ beads: [{ bead_mfi: 1200, … }, …] }`).
 *
 * - Unknown keys, wrong types, hard-limit violations, too many decimals, codes outside the code
 *   list, text over its length or not matching its pattern, impossible dates → errors.
 * - Soft-limit violations → warnings (code `soft_range`); on submission the service raises a query.
 * - Required items are enforced on submit only, and only when the item is shown.
 * - Hidden items (a `showIf` that does not hold — undecided counts as hidden — a hidden group, or an
 *   item that does not apply at this visit): their values are **cleared**, never stored. Each cleared
 *   path is listed in `hidden` and reported as a warning (code `cleared_hidden`) so that the page can
 *   tell the user; after submission the clearing is a change like any other and needs a reason.
 * - Derived items are computed by the server and cannot be entered (null is accepted and ignored).
 *
 * Every issue's path names the value: `values.right_flexion_deg`, `values.beads[2].bead_mfi`.
 */
import type { FieldIssue } from '../errors.js';
import type { FormDef, ProtocolDefinition } from '../protocol/definition-types.js';
import type { ItemDef } from '../protocol/item-types.js';
import { isUnanswered } from '../protocol/evaluate-condition.js';
import { checkItemValue } from './check-item-value.js';
import { codeListsOf, indexForm, isPlainObject, valuePath, type FormIndex } from './form-index.js';
import { conditionHolds, createValueReader, isApplicableAtVisit, type CrossFormLookup } from './form-scope.js';

/** Draft saves may be incomplete; submission enforces required items. */
export const SAVE_MODES = ['draft', 'submit'] as const;

/** Draft or submit. */
export type SaveMode = (typeof SAVE_MODES)[number];

/** Options of {@link validateFormData}. */
export interface ValidateFormOptions {
  readonly mode: SaveMode;
  /** The visit of the instance (null for participant-level forms such as the medication log). */
  readonly visitCode: string | null;
  /** Values of other forms or visits that show-conditions read. */
  readonly lookup?: CrossFormLookup;
  /**
   * Items the caller may not enter (potentially unblinding items hidden from their role): they are
   * never required of this caller. Values for them are refused by the service before validation.
   */
  readonly unenterable?: ReadonlySet<string>;
}

/** Result of {@link validateFormData}. */
export interface FormValidation {
  /** Input errors; when any is present nothing may be stored. */
  readonly errors: FieldIssue[];
  /** Soft edit-check warnings (`soft_range`) and cleared hidden values (`cleared_hidden`). */
  readonly warnings: FieldIssue[];
  /** The values to store: typed, trimmed, unanswered items omitted, hidden items cleared. */
  readonly normalized: Record<string, unknown>;
  /** Paths (without the `values.` prefix) whose values were cleared because the item is hidden. */
  readonly hidden: string[];
}

const PREFIX = 'values';

const issue = (path: string, message: string, code: string): FieldIssue => ({
  path: `${PREFIX}.${path}`,
  message,
  code,
});

interface TypedPass {
  typed: Record<string, unknown>;
  errors: FieldIssue[];
  warnings: Map<string, FieldIssue>;
}

function checkOne(
  protocol: ProtocolDefinition,
  item: ItemDef,
  raw: unknown,
  path: string,
  pass: TypedPass,
): unknown | undefined {
  if (item.derivation !== undefined) {
    if (!isUnanswered(raw)) pass.errors.push(issue(path, 'is derived by the server and cannot be entered', 'derived'));
    return undefined;
  }
  const codeList = item.type === 'code' ? codeListsOf(protocol).get(item.codeList) : undefined;
  const result = checkItemValue(item, raw, codeList);
  if (!result.ok) {
    pass.errors.push(issue(path, result.message, result.code));
    return undefined;
  }
  if (result.warning !== undefined) pass.warnings.set(path, issue(path, result.warning.message, result.warning.code));
  return result.value ?? undefined;
}

/** First pass: types and limits of every key, collecting the typed values. */
function typeCheck(protocol: ProtocolDefinition, index: FormIndex, values: Record<string, unknown>): TypedPass {
  const pass: TypedPass = { typed: {}, errors: [], warnings: new Map() };
  for (const [key, raw] of Object.entries(values)) {
    const group = index.repeatingGroups.get(key);
    if (group !== undefined) {
      if (raw === null) continue;
      if (!Array.isArray(raw)) {
        pass.errors.push(issue(key, `must be a list of rows (repeating group '${group.id}')`, 'type'));
        continue;
      }
      pass.typed[key] = raw.map((row: unknown, i) => {
        const typedRow: Record<string, unknown> = {};
        if (!isPlainObject(row)) {
          pass.errors.push(issue(`${key}[${i}]`, 'must be an object of item values', 'type'));
          return typedRow;
        }
        for (const [itemId, rawValue] of Object.entries(row)) {
          const path = valuePath(itemId, { id: key, row: i });
          const entry = index.items.get(itemId);
          if (entry === undefined || entry.group.id !== key) {
            pass.errors.push(issue(path, `is not an item of group '${key}'`, 'unknown_item'));
            continue;
          }
          const value = checkOne(protocol, entry.item, rawValue, path, pass);
          if (value !== undefined) typedRow[itemId] = value;
        }
        return typedRow;
      });
      continue;
    }
    const entry = index.items.get(key);
    if (entry === undefined) {
      pass.errors.push(issue(key, `is not an item of form '${index.form.id}'`, 'unknown_item'));
      continue;
    }
    if (entry.inRepeatingGroup) {
      pass.errors.push(
        issue(
          key,
          `belongs to the repeating group '${entry.group.id}'; send it in values.${entry.group.id}[]`,
          'unknown_item',
        ),
      );
      continue;
    }
    const value = checkOne(protocol, entry.item, raw, key, pass);
    if (value !== undefined) pass.typed[key] = value;
  }
  return pass;
}

/**
 * Validates the values of one form instance.
 *
 * @param form - the form definition
 * @param protocol - the protocol the instance is collected under (code lists)
 * @param values - the values as received
 * @param options - draft or submit, the visit, cross-form lookup, items the caller may not enter
 */
export function validateFormData(
  form: FormDef,
  protocol: ProtocolDefinition,
  values: unknown,
  options: ValidateFormOptions,
): FormValidation {
  if (!isPlainObject(values)) {
    return {
      errors: [{ path: PREFIX, message: 'must be an object keyed by item id', code: 'type' }],
      warnings: [],
      normalized: {},
      hidden: [],
    };
  }
  const index = indexForm(form);
  const pass = typeCheck(protocol, index, values);
  const { typed } = pass;
  // Conditions read the values that stay: clearing one hidden answer may hide another item in turn
  // (a reason hidden by a status hides the "other reason" that depended on it), so visibility is
  // iterated to a fixed point. Chains are short; the bound only guards against a cycle.
  let hiddenPaths = index.conditional ? hiddenPathsOf(index, typed, typed, options) : new Set<string>();
  for (let round = 0; round < 16 && index.conditional; round++) {
    const next = hiddenPathsOf(index, typed, withoutPaths(index, typed, hiddenPaths), options);
    if (sameSet(next, hiddenPaths)) break;
    hiddenPaths = next;
  }
  const errors = [...pass.errors];
  const warnings: FieldIssue[] = [];
  const hidden: string[] = [];
  const normalized: Record<string, unknown> = {};
  const unenterable = options.unenterable ?? new Set<string>();
  const submitting = options.mode === 'submit';
  // A value refused as invalid is not also reported as missing.
  const refused = new Set(pass.errors.map((e) => e.path));

  const consider = (item: ItemDef, value: unknown, path: string, target: Record<string, unknown>): void => {
    if (item.derivation !== undefined) return;
    if (hiddenPaths.has(path)) {
      if (value !== undefined) {
        hidden.push(path);
        warnings.push(issue(path, 'cleared: the item does not apply with the other answers given', 'cleared_hidden'));
      }
      return;
    }
    if (value === undefined) {
      if (submitting && item.required === true && !unenterable.has(item.id) && !refused.has(`${PREFIX}.${path}`)) {
        errors.push(issue(path, 'is required', 'required'));
      }
      return;
    }
    const warning = pass.warnings.get(path);
    if (warning !== undefined) warnings.push(warning);
    target[item.id] = value;
  };

  for (const group of form.itemGroups) {
    if (group.repeating === true) {
      const rows = typedRows(typed, group.id);
      if (hiddenPaths.has(group.id)) {
        rows.forEach((row, i) => {
          for (const itemId of Object.keys(row)) hidden.push(valuePath(itemId, { id: group.id, row: i }));
        });
        if (rows.some((row) => Object.keys(row).length > 0)) {
          warnings.push(
            issue(group.id, 'cleared: the group does not apply with the other answers given', 'cleared_hidden'),
          );
        }
        continue;
      }
      const normalizedRows = rows.map((row, i) => {
        const out: Record<string, unknown> = {};
        for (const item of group.items) consider(item, row[item.id], valuePath(item.id, { id: group.id, row: i }), out);
        return out;
      });
      if (normalizedRows.length > 0) normalized[group.id] = normalizedRows;
      continue;
    }
    for (const item of group.items) consider(item, typed[item.id], item.id, normalized);
  }
  return { errors: inFormOrder(index, errors), warnings: inFormOrder(index, warnings), normalized, hidden };
}

/**
 * Issues in the order the form shows its items (rows in row order), unknown keys last, so that a
 * page can list them top to bottom. The sort is stable: issues of one path keep their order.
 */
function inFormOrder(index: FormIndex, issues: FieldIssue[]): FieldIssue[] {
  const position = new Map<string, number>();
  for (const id of index.items.keys()) position.set(id, position.size);
  const last = position.size;
  const groupStart = (groupId: string): number =>
    position.get(index.repeatingGroups.get(groupId)?.items[0]?.id ?? '') ?? last;
  // Rank: [position of the item or of its group, row (-1 outside rows), position inside the row].
  const rank = (issue: FieldIssue): [number, number, number] => {
    const path = issue.path.replace(/^values\./, '');
    const row = /^([^[]+)\[(\d+)\](?:\.(.+))?$/.exec(path);
    if (row !== null) {
      return [groupStart(row[1] ?? ''), Number(row[2]), row[3] === undefined ? -1 : (position.get(row[3]) ?? last)];
    }
    if (index.repeatingGroups.has(path)) return [groupStart(path), -1, -1];
    return [position.get(path) ?? last, -1, -1];
  };
  const ranked = issues.map((issue, i) => ({ issue, i, r: rank(issue) }));
  ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.i - b.i);
  return ranked.map((e) => e.issue);
}

function typedRows(values: Readonly<Record<string, unknown>>, groupId: string): Record<string, unknown>[] {
  const rows = values[groupId];
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}

/**
 * The paths that are hidden when conditions read `readValues`: a hidden repeating group by its id,
 * items by their value path (rows of `typed` for repeating groups).
 */
function hiddenPathsOf(
  index: FormIndex,
  typed: Readonly<Record<string, unknown>>,
  readValues: Readonly<Record<string, unknown>>,
  options: ValidateFormOptions,
): Set<string> {
  const hidden = new Set<string>();
  const read = createValueReader(index, readValues, options.visitCode, options.lookup);
  for (const group of index.form.itemGroups) {
    const groupShown = conditionHolds(group.showIf, read);
    if (group.repeating === true) {
      if (!groupShown) {
        hidden.add(group.id);
        continue;
      }
      const readRows = typedRows(readValues, group.id);
      typedRows(typed, group.id).forEach((_row, i) => {
        const rowRead = createValueReader(index, readValues, options.visitCode, options.lookup, {
          groupId: group.id,
          values: readRows[i] ?? {},
        });
        for (const item of group.items) {
          if (!isApplicableAtVisit(item, options.visitCode) || !conditionHolds(item.showIf, rowRead)) {
            hidden.add(valuePath(item.id, { id: group.id, row: i }));
          }
        }
      });
      continue;
    }
    for (const item of group.items) {
      if (!groupShown || !isApplicableAtVisit(item, options.visitCode) || !conditionHolds(item.showIf, read)) {
        hidden.add(item.id);
      }
    }
  }
  return hidden;
}

/** `values` without the hidden paths (hidden groups dropped, hidden row items removed). */
function withoutPaths(
  index: FormIndex,
  values: Readonly<Record<string, unknown>>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (hidden.has(key)) continue;
    if (index.repeatingGroups.has(key)) {
      out[key] = typedRows(values, key).map((row, i) =>
        Object.fromEntries(
          Object.entries(row).filter(([itemId]) => !hidden.has(valuePath(itemId, { id: key, row: i }))),
        ),
      );
      continue;
    }
    out[key] = value;
  }
  return out;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const v of a) if (!b.has(v)) return false;
  return true;
}
