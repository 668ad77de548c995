/**
 * Type and limit checks of one entered item value. Values arrive as JSON: numbers as numbers,
 * booleans as booleans, dates and codes as strings (integer code lists as numbers), multiple
 * choice as arrays, files as references to an uploaded attachment. `null`, an empty string and an
 * empty array all mean "unanswered".
 */
import type { CodeListDef } from '../protocol/definition-types.js';
import { isUnanswered } from '../protocol/evaluate-condition.js';
import type { ItemDef, NumericRange } from '../protocol/item-types.js';
import { isIsoDate } from '../schedule/plain-date.js';

/** A reference to an uploaded attachment, as stored in a `file` item. */
export interface FileReference {
  /** SHA-256 of the content, lower-case hex (the attachment's address). */
  readonly sha256: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
}

/** Outcome of checking one value. */
export type ItemValueCheck =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly warning?: { readonly code: string; readonly message: string };
    }
  | { readonly ok: false; readonly code: string; readonly message: string };

const fail = (code: string, message: string): ItemValueCheck => ({ ok: false, code, message });

const PATTERNS = new Map<string, RegExp>();

function compiledPattern(source: string): RegExp {
  let re = PATTERNS.get(source);
  if (re === undefined) {
    re = new RegExp(source);
    PATTERNS.set(source, re);
  }
  return re;
}

/** Number of decimals written in a finite number (`12.50` arrives as 12.5 and has 1). */
export function decimalPlaces(value: number): number {
  const text = String(value);
  const [mantissa = '', exponent] = text.toLowerCase().split('e');
  const decimals = (mantissa.split('.')[1] ?? '').length;
  return exponent === undefined ? decimals : Math.max(0, decimals - Number(exponent));
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Whether a text is a partial date `YYYY`, `YYYY-MM` or a real calendar date `YYYY-MM-DD`. */
export function isPartialDateText(value: string): boolean {
  const m = PARTIAL_DATE.exec(value);
  if (m === null || Number(m[1]) < 1) return false;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) return false;
  return m[3] === undefined || isIsoDate(value);
}

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Whether a text is an ISO 8601 date-time with a UTC offset (`2024-05-01T10:30:00+02:00`, `…Z`):
 * without the offset the instant would be ambiguous, so it is required.
 */
export function isIsoDateTimeText(value: string): boolean {
  const m = DATETIME.exec(value);
  if (m === null || !isIsoDate(m[1])) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || (m[4] !== undefined && Number(m[4]) > 59)) return false;
  return m[6] === undefined || (Number(m[6]) <= 14 && Number(m[7]) <= 59);
}

function formatNumber(value: number): string {
  return String(value);
}

function describeRange(range: NumericRange, unit: string): string {
  return `${formatNumber(range.hardMin)}–${formatNumber(range.hardMax)}${unit}`;
}

function checkNumber(item: ItemDef & { type: 'integer' | 'decimal' }, raw: unknown): ItemValueCheck {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail('type', `must be a number`);
  const unit = item.unit === undefined ? '' : ` ${item.unit.display}`;
  if (item.type === 'integer' && !Number.isInteger(raw)) return fail('type', 'must be a whole number');
  if (item.type === 'decimal' && item.precision !== undefined && decimalPlaces(raw) > item.precision) {
    return fail('precision', `at most ${item.precision} decimal${item.precision === 1 ? '' : 's'}`);
  }
  const range = item.range;
  if (raw < range.hardMin || raw > range.hardMax) {
    return fail('hard_range', `must be between ${describeRange(range, unit)}`);
  }
  const softMin = range.softMin ?? range.hardMin;
  const softMax = range.softMax ?? range.hardMax;
  if (raw < softMin || raw > softMax) {
    return {
      ok: true,
      value: raw,
      warning: {
        code: 'soft_range',
        message: `${formatNumber(raw)}${unit} is outside the expected range ${formatNumber(softMin)}–${formatNumber(softMax)}${unit}; please confirm or correct`,
      },
    };
  }
  return { ok: true, value: raw };
}

// Code lists are immutable protocol objects checked for every coded item of every save: their
// codes are collected once per list.
const codeCache = new WeakMap<
  CodeListDef,
  { codes: readonly (string | number)[]; known: ReadonlySet<string | number> }
>();

function codesOf(codeList: CodeListDef): { codes: readonly (string | number)[]; known: ReadonlySet<string | number> } {
  let entry = codeCache.get(codeList);
  if (!entry) {
    const codes = codeList.items.map((e) => e.code);
    entry = { codes, known: new Set(codes) };
    codeCache.set(codeList, entry);
  }
  return entry;
}

function checkCode(item: ItemDef & { type: 'code' }, raw: unknown, codeList: CodeListDef | undefined): ItemValueCheck {
  if (codeList === undefined) return fail('definition', `code list '${item.codeList}' is not defined`);
  const { codes, known } = codesOf(codeList);
  const expected = codeList.dataType === 'integer' ? 'number' : 'string';
  const one = (value: unknown): string | null => {
    if (typeof value !== expected) return `must be a ${codeList.dataType === 'integer' ? 'number' : 'text'} code`;
    if (!known.has(value as string | number)) return `must be one of ${codes.join(', ')}`;
    return null;
  };
  if (item.multiple === true) {
    if (!Array.isArray(raw)) return fail('type', 'must be a list of codes');
    const seen = new Set<unknown>();
    for (const value of raw) {
      const problem = one(value);
      if (problem !== null) return fail('code_list', problem);
      if (seen.has(value)) return fail('code_list', `lists ${String(value)} twice`);
      seen.add(value);
    }
    // Stored in code-list order, so that the same answer always has the same representation.
    return { ok: true, value: codes.filter((c) => seen.has(c)) };
  }
  const problem = one(raw);
  return problem === null ? { ok: true, value: raw } : fail(typeof raw === expected ? 'code_list' : 'type', problem);
}

function checkFile(item: ItemDef & { type: 'file' }, raw: unknown): ItemValueCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('type', 'must be an attachment reference { sha256, name, mediaType, size }');
  }
  const ref = raw as Record<string, unknown>;
  const extra = Object.keys(ref).filter((k) => !['sha256', 'name', 'mediaType', 'size'].includes(k));
  if (extra.length > 0) return fail('type', `unknown attachment field ${extra.join(', ')}`);
  if (typeof ref.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ref.sha256)) {
    return fail('type', 'sha256 must be 64 lower-case hex digits');
  }
  if (typeof ref.name !== 'string' || ref.name.trim() === '' || ref.name.length > 255) {
    return fail('type', 'name must be a file name of at most 255 characters');
  }
  if (typeof ref.mediaType !== 'string' || ref.mediaType === '') return fail('type', 'mediaType is required');
  if (typeof ref.size !== 'number' || !Number.isInteger(ref.size) || ref.size < 0) {
    return fail('type', 'size must be a whole number of bytes');
  }
  if (item.mediaTypes !== undefined && !item.mediaTypes.includes(ref.mediaType)) {
    return fail('media_type', `must be one of ${item.mediaTypes.join(', ')}`);
  }
  const value: FileReference = { sha256: ref.sha256, name: ref.name.trim(), mediaType: ref.mediaType, size: ref.size };
  return { ok: true, value };
}

/**
 * Checks one entered value against its item definition and returns the normalised value (text
 * trimmed, unanswered forms collapsed to null, multiple-choice codes in code-list order), a soft
 * warning, or an error with a stable code: `type`, `hard_range`, `precision`, `code_list`,
 * `pattern`, `max_length`, `date`, `media_type`.
 *
 * @param item - the item definition
 * @param raw - the value as received
 * @param codeList - the item's code list, for code items
 */
export function checkItemValue(item: ItemDef, raw: unknown, codeList?: CodeListDef): ItemValueCheck {
  if (isUnanswered(raw)) return { ok: true, value: null };
  switch (item.type) {
    case 'integer':
    case 'decimal':
      return checkNumber(item, raw);
    case 'text': {
      if (typeof raw !== 'string') return fail('type', 'must be text');
      const value = raw.trim();
      if (item.maxLength !== undefined && value.length > item.maxLength) {
        return fail('max_length', `at most ${item.maxLength} characters`);
      }
      if (item.pattern !== undefined && !compiledPattern(item.pattern.regex).test(value)) {
        return fail('pattern', `does not have the expected format (${item.pattern.description.en})`);
      }
      return { ok: true, value };
    }
    case 'date':
      if (typeof raw !== 'string') return fail('type', 'must be a date YYYY-MM-DD');
      return isIsoDate(raw) ? { ok: true, value: raw } : fail('date', 'must be a calendar date YYYY-MM-DD');
    case 'partial-date':
      if (typeof raw !== 'string') return fail('type', 'must be a date YYYY-MM-DD, YYYY-MM or YYYY');
      return isPartialDateText(raw)
        ? { ok: true, value: raw }
        : fail('date', 'must be a date YYYY-MM-DD, or YYYY-MM / YYYY when only partly known');
    case 'datetime':
      if (typeof raw !== 'string') return fail('type', 'must be a date-time');
      return isIsoDateTimeText(raw)
        ? { ok: true, value: raw }
        : fail('date', 'must be an ISO date-time with offset, e.g. 2024-05-01T10:30:00+02:00');
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : fail('type', 'must be true or false');
    case 'code':
      return checkCode(item, raw, codeList);
    case 'file':
      return checkFile(item, raw);
  }
}
