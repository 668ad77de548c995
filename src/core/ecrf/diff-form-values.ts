/**
 * Item-level differences between two versions of a form's values, for the audit trail (old and new
 * value per item), for "what changed since source data verification" and for deciding whether a
 * save changes anything at all.
 */
import { isPlainObject } from './form-index.js';

/** One changed value: its path (`item` or `group[row].item`) and the values before and after (null = none). */
export interface ValueChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Flattens values into `path → value`: top-level items by id, repeating-group rows as
 * `group[row].item`. Unanswered values (null) are omitted, so absent and null compare equal.
 */
export function flattenFormValues(values: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.every(isPlainObject)) {
      value.forEach((row, i) => {
        for (const [itemId, v] of Object.entries(row)) {
          if (v !== null && v !== undefined) flat.set(`${key}[${i}].${itemId}`, v);
        }
      });
      continue;
    }
    flat.set(key, value);
  }
  return flat;
}

/** Stable equality of JSON values (objects compared key by key, arrays in order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The changes from `before` to `after`, ordered by path as they appear (before's paths first, then
 * new ones). A value that appears or disappears is a change from or to null.
 */
export function diffFormValues(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): ValueChange[] {
  const a = flattenFormValues(before);
  const b = flattenFormValues(after);
  const changes: ValueChange[] = [];
  for (const [path, old] of a) {
    const next = b.has(path) ? b.get(path) : null;
    if (!jsonEqual(old, next)) changes.push({ path, before: old, after: next });
  }
  for (const [path, next] of b) if (!a.has(path)) changes.push({ path, before: null, after: next });
  return changes;
}

/** Changes as two objects keyed by path, the shape stored in the audit trail's before/after. */
export function changesAsRecords(changes: readonly ValueChange[]): {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
} {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const c of changes) {
    before[c.path] = c.before;
    after[c.path] = c.after;
  }
  return { before, after };
}
