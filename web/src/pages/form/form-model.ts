/**
 * The data-entry model of one eCRF form, driven by the form definition the server sends: what the
 * user has typed (raw text per item, rows of repeating groups), how it becomes typed JSON values,
 * which items `showIf` shows, and the inline checks (types, hard limits, decimals, patterns, dates,
 * required items on submit) with soft-limit warnings. The server checks everything again; these
 * checks only let people see problems beside the item while they type, in their own language.
 */
import type { Condition } from '../../../../src/core/protocol/condition.js';
import { evaluateCondition, isUnanswered } from '../../../../src/core/protocol/evaluate-condition.js';
import type { AttachmentRef, FormDefinition, GroupView, ItemIssue, ItemView } from '../../api/ecrf-api.js';
import type { EcrfKey } from './ecrf-i18n-types.js';

/** What a control holds: text, chosen codes (multiple choice), or an uploaded file. */
export type RawValue = string | string[] | AttachmentRef | null;

/** One row of a repeating group, by item id. */
export type RawRow = Record<string, RawValue>;

/** Everything typed into a form: plain items by id, repeating groups as rows. */
export interface RawForm {
  items: Record<string, RawValue>;
  rows: Record<string, RawRow[]>;
}

/** A problem or warning of one value, as a translation key with its parameters. */
export interface Problem {
  key: EcrfKey;
  values?: Record<string, string | number>;
}

/** The result of checking a whole form. */
export interface FormCheck {
  /** Typed values to send (only shown, enterable, answered items). */
  values: Record<string, unknown>;
  /** Input errors by value path (`item`, `group[row].item`). */
  errors: Record<string, Problem>;
  /** Soft-limit warnings by value path. */
  warnings: Record<string, Problem>;
  /** Whether each item path is currently shown. */
  shown: Record<string, boolean>;
  /** Answered / answerable items that are shown (for the progress indicator). */
  progress: { answered: number; total: number };
}

/** The value path of an item: `item`, or `group[row].item` inside a repeating group. */
export const valuePath = (itemId: string, row?: { groupId: string; index: number }): string =>
  row ? `${row.groupId}[${row.index}].${itemId}` : itemId;

/** A DOM id for the control of a value path (`beads[2].bead_mfi` → `item-beads-2-bead_mfi`). */
export const controlId = (path: string): string => `item-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;

/** Whether an item takes input from people (not derived, applicable, visible under the blind). */
export const isEnterable = (item: ItemView): boolean => !item.derived && item.applicable && item.visible;

/** Whether a code list should be shown as a row of numbered buttons (KOOS 0–4 and similar scales). */
export function isScale(item: ItemView): boolean {
  const list = item.codeList;
  return (
    item.type === 'code' &&
    !item.multiple &&
    list !== null &&
    list.ordered &&
    list.entries.length >= 3 &&
    list.entries.length <= 11 &&
    list.entries.every((e) => typeof e.code === 'number')
  );
}

function numberText(value: number, decimalComma: boolean): string {
  const text = String(value);
  return decimalComma ? text.replace('.', ',') : text;
}

/** The raw (control) form of a stored value. */
export function toRaw(item: ItemView, value: unknown, decimalComma: boolean): RawValue {
  if (item.type === 'file') return typeof value === 'object' && value !== null ? (value as AttachmentRef) : null;
  if (item.type === 'code' && item.multiple) return Array.isArray(value) ? value.map(String) : [];
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value, decimalComma);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (item.type === 'datetime' && typeof value === 'string') return value.slice(0, 16);
  return String(value);
}

/** The raw form of a form's stored values. */
export function rawFromValues(
  definition: FormDefinition,
  values: Record<string, unknown>,
  decimalComma: boolean,
): RawForm {
  const raw: RawForm = { items: {}, rows: {} };
  for (const group of definition.groups) {
    if (group.repeating) {
      const rows = Array.isArray(values[group.id]) ? (values[group.id] as unknown[]) : [];
      raw.rows[group.id] = rows.map((row) => {
        const r = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
        return Object.fromEntries(group.items.map((item) => [item.id, toRaw(item, r[item.id], decimalComma)]));
      });
    } else {
      for (const item of group.items) raw.items[item.id] = toRaw(item, values[item.id], decimalComma);
    }
  }
  return raw;
}

/** An empty row of a repeating group. */
export const emptyRow = (group: GroupView): RawRow =>
  Object.fromEntries(
    group.items.map((item) => [item.id, item.type === 'code' && item.multiple ? [] : item.type === 'file' ? null : '']),
  );

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;
const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function decimalsOf(text: string): number {
  const [, fraction = ''] = text.replace(',', '.').split('.');
  return fraction.length;
}

/** The local UTC offset of a `YYYY-MM-DDTHH:mm` time, as `+01:00`. */
function localOffset(local: string): string {
  const minutes = -new Date(`${local}:00`).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

type Parsed = { ok: true; value: unknown; warning?: Problem } | { ok: false; problem: Problem };

const range = (item: ItemView, min: number, max: number, unit: string): Record<string, string | number> => ({
  min: String(min),
  max: String(max),
  unit: unit === '' ? '' : item.unit?.display === '°' ? '°' : ` ${unit}`,
});

/** Parses and checks one raw value; null means unanswered. */
export function parseValue(item: ItemView, raw: RawValue): Parsed {
  if (raw === null) return { ok: true, value: null };
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { ok: true, value: null };
    const entries = item.codeList?.entries ?? [];
    return { ok: true, value: entries.filter((e) => raw.includes(String(e.code))).map((e) => e.code) };
  }
  if (typeof raw === 'object') return { ok: true, value: raw };
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  switch (item.type) {
    case 'integer':
    case 'decimal': {
      if (!NUMBER.test(text)) {
        return { ok: false, problem: { key: item.type === 'integer' ? 'problems.integer' : 'problems.number' } };
      }
      const n = Number(text.replace(',', '.'));
      if (item.type === 'integer' && !Number.isInteger(n)) return { ok: false, problem: { key: 'problems.integer' } };
      const precision = item.precision ?? null;
      if (item.type === 'decimal' && precision !== null && decimalsOf(text) > precision) {
        return { ok: false, problem: { key: 'problems.precision', values: { count: precision } } };
      }
      const r = item.range;
      const unit = item.unit?.display ?? '';
      if (r && (n < r.hardMin || n > r.hardMax)) {
        return { ok: false, problem: { key: 'problems.hardRange', values: range(item, r.hardMin, r.hardMax, unit) } };
      }
      if (r) {
        const softMin = r.softMin ?? r.hardMin;
        const softMax = r.softMax ?? r.hardMax;
        if (n < softMin || n > softMax) {
          return {
            ok: true,
            value: n,
            warning: { key: 'problems.softRange', values: range(item, softMin, softMax, unit) },
          };
        }
      }
      return { ok: true, value: n };
    }
    case 'boolean':
      return { ok: true, value: text === 'true' };
    case 'code': {
      const entry = item.codeList?.entries.find((e) => String(e.code) === text);
      return entry ? { ok: true, value: entry.code } : { ok: false, problem: { key: 'problems.code' } };
    }
    case 'date':
      return isCalendarDate(text) ? { ok: true, value: text } : { ok: false, problem: { key: 'problems.date' } };
    case 'partial-date': {
      const m = PARTIAL_DATE.exec(text);
      const valid =
        m !== null &&
        (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 12)) &&
        (m[3] === undefined || isCalendarDate(text));
      return valid ? { ok: true, value: text } : { ok: false, problem: { key: 'problems.partialDate' } };
    }
    case 'datetime': {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) || !isCalendarDate(text.slice(0, 10))) {
        return { ok: false, problem: { key: 'problems.datetime' } };
      }
      return { ok: true, value: `${text}:00${localOffset(text)}` };
    }
    case 'text': {
      if (item.maxLength !== null && text.length > item.maxLength) {
        return { ok: false, problem: { key: 'problems.maxLength', values: { count: item.maxLength } } };
      }
      if (item.pattern !== null) {
        let matches = true;
        try {
          matches = new RegExp(item.pattern.regex).test(text);
        } catch {
          // A pattern the browser cannot compile is left to the server.
        }
        if (!matches) return { ok: false, problem: { key: 'problems.pattern' } };
      }
      return { ok: true, value: text };
    }
    default:
      return { ok: true, value: text };
  }
}

/** Whether a condition from the definition holds over `read`; undecided counts as hidden. */
function holds(condition: unknown, read: (item: string) => unknown): boolean {
  if (condition === null || condition === undefined) return true;
  return evaluateCondition(condition as Condition, (ref) => read(ref.item)) === true;
}

/**
 * Checks the whole form. `mode: 'submit'` also reports unanswered required items; drafts may be
 * incomplete. Hidden items (their `showIf` does not hold) are left out of the values, as the
 * server would clear them.
 */
export function checkForm(definition: FormDefinition, raw: RawForm, mode: 'draft' | 'submit'): FormCheck {
  const typed: Record<string, unknown> = {};
  const errors: Record<string, Problem> = {};
  const warnings: Record<string, Problem> = {};
  const parsedRows: Record<string, Record<string, unknown>[]> = {};

  // First pass: parse everything, so conditions can read typed values (invalid input reads as unanswered).
  for (const group of definition.groups) {
    if (group.repeating) {
      parsedRows[group.id] = (raw.rows[group.id] ?? []).map((row) =>
        Object.fromEntries(
          group.items.map((item) => {
            const p = parseValue(item, row[item.id] ?? null);
            return [item.id, p.ok ? p.value : null];
          }),
        ),
      );
    } else {
      for (const item of group.items) {
        const p = parseValue(item, raw.items[item.id] ?? null);
        typed[item.id] = p.ok ? p.value : null;
      }
    }
  }
  const groupOf = new Map<string, GroupView>();
  for (const group of definition.groups) for (const item of group.items) groupOf.set(item.id, group);
  const read =
    (row?: Record<string, unknown>, rowGroup?: string) =>
    (itemId: string): unknown => {
      const group = groupOf.get(itemId);
      if (group === undefined) return undefined;
      if (!group.repeating) return typed[itemId];
      if (row !== undefined && rowGroup === group.id) return row[itemId];
      return (parsedRows[group.id] ?? []).map((r) => r[itemId] ?? null);
    };

  const values: Record<string, unknown> = {};
  const shown: Record<string, boolean> = {};
  let answered = 0;
  let total = 0;
  const visit = (
    item: ItemView,
    rawValue: RawValue,
    path: string,
    visible: boolean,
    into: Record<string, unknown>,
  ): void => {
    shown[path] = visible;
    if (!visible || !isEnterable(item)) return;
    total += 1;
    const p = parseValue(item, rawValue);
    if (!p.ok) {
      errors[path] = p.problem;
      answered += 1;
      return;
    }
    if (p.warning) warnings[path] = p.warning;
    if (isUnanswered(p.value)) {
      if (mode === 'submit' && item.required) errors[path] = { key: 'problems.required' };
      return;
    }
    answered += 1;
    into[item.id] = p.value;
  };

  for (const group of definition.groups) {
    const groupShown = holds(group.showIf, read());
    if (group.repeating) {
      const rows = raw.rows[group.id] ?? [];
      const out: Record<string, unknown>[] = [];
      rows.forEach((row, index) => {
        const parsed = parsedRows[group.id]?.[index] ?? {};
        const into: Record<string, unknown> = {};
        for (const item of group.items) {
          const visible = groupShown && item.applicable && holds(item.showIf, read(parsed, group.id));
          visit(item, row[item.id] ?? null, valuePath(item.id, { groupId: group.id, index }), visible, into);
        }
        out.push(into);
      });
      shown[group.id] = groupShown;
      if (groupShown && out.length > 0) values[group.id] = out;
    } else {
      for (const item of group.items) {
        const visible = groupShown && item.applicable && holds(item.showIf, read());
        visit(item, raw.items[item.id] ?? null, item.id, visible, values);
      }
    }
  }
  return { values, errors, warnings, shown, progress: { answered, total } };
}

/** The value path of a server issue (`values.beads[2].bead_mfi` → `beads[2].bead_mfi`). */
export const issuePath = (issue: ItemIssue): string => issue.path.replace(/^(body\.)?(values|derived)\./, '');

/** Whether two typed value records are the same (order of keys ignored). */
export function sameValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValues(x, b[i]));
  if (
    typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    return [...keys].every((k) => sameValues(ra[k] ?? null, rb[k] ?? null));
  }
  return false;
}
