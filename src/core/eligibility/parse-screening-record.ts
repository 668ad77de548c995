/**
 * Validation of a raw screening record (JSON from the form, the API or the CLI). Every malformed
 * value — wrong type, outside its range, an impossible date, an unknown key — is an input error
 * naming its item, never treated as missing. Optionally derives the date of birth (and sex) from a
 * CPR number given under the key `cpr`.
 */
import type { FieldIssue } from '../errors.js';
import { parseCpr } from '../identity/parse-cpr.js';
import { compareIsoDates, isIsoDate } from '../schedule/plain-date.js';
import {
  SCREENING_ITEMS,
  isScreeningItemId,
  type ScreeningItemSpec,
  type ScreeningItemType,
  type ScreeningRecord,
  type ScreeningValue,
} from './screening-items.js';

/** The extra key that may carry a CPR number instead of (or besides) `date_of_birth`. */
export const CPR_KEY = 'cpr';

/** Result of `parseScreeningRecord`. `record` always holds the items that are valid. */
export type ScreeningParseResult =
  | { ok: true; record: ScreeningRecord; warnings: FieldIssue[]; derivedFromCpr: ('date_of_birth' | 'sex')[] }
  | {
      ok: false;
      /** One entry per offending item, `path` = the item id, in the spec table's order. */
      errors: FieldIssue[];
      record: ScreeningRecord;
      warnings: FieldIssue[];
      derivedFromCpr: ('date_of_birth' | 'sex')[];
    };

/** Checks one value against its item type; returns an error message or null when valid. */
function checkValue(type: ScreeningItemType, value: unknown): { code: string; message: string } | null {
  switch (type.kind) {
    case 'date':
      if (typeof value !== 'string') return { code: 'wrong_type', message: 'must be a date YYYY-MM-DD (a string)' };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return { code: 'wrong_type', message: `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}` };
      }
      return isIsoDate(value) ? null : { code: 'impossible_date', message: `${value} is not a calendar date` };
    case 'boolean':
      return typeof value === 'boolean'
        ? null
        : { code: 'wrong_type', message: `must be true or false, got ${JSON.stringify(value)}` };
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? null
        : { code: 'out_of_range', message: `must be one of ${type.values.join(', ')}, got ${JSON.stringify(value)}` };
    case 'integer': {
      const range = type.max === undefined ? `≥ ${type.min}` : `${type.min}–${type.max}`;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return { code: 'wrong_type', message: `must be an integer ${range}, got ${JSON.stringify(value)}` };
      }
      const inRange = value >= type.min && (type.max === undefined || value <= type.max);
      return inRange ? null : { code: 'out_of_range', message: `must be an integer ${range}, got ${value}` };
    }
    case 'decimal': {
      const range = type.exclusiveMin ? `> ${type.min}` : `≥ ${type.min}`;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { code: 'wrong_type', message: `must be a number ${range}, got ${JSON.stringify(value)}` };
      }
      const inRange = type.exclusiveMin ? value > type.min : value >= type.min;
      return inRange ? null : { code: 'out_of_range', message: `must be a number ${range}, got ${value}` };
    }
  }
}

/**
 * Validates a raw screening record. Keys are the spec §3 item ids plus the optional `cpr`; a null
 * value means "no value". When `cpr` is given and valid, a missing `date_of_birth` or `sex` is
 * derived from it; a `date_of_birth` that contradicts it is an error on `cpr`, a contradicting
 * `sex` only a warning, as is a CPR that fails the modulus-11 check. A date of birth after the
 * screening date is an error on `date_of_birth`.
 */
export function parseScreeningRecord(
  input: unknown,
  items: readonly ScreeningItemSpec[] = SCREENING_ITEMS,
): ScreeningParseResult {
  const record: ScreeningRecord = {};
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const derivedFromCpr: ('date_of_birth' | 'sex')[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push({
      path: '(record)',
      message: 'a screening record must be a JSON object keyed by item id',
      code: 'wrong_type',
    });
    return { ok: false, errors, record, warnings, derivedFromCpr };
  }
  const raw = input as Record<string, unknown>;
  const known = new Set<string>(items.map((i) => i.id));

  for (const item of items) {
    if (!Object.hasOwn(raw, item.id)) continue;
    const value = raw[item.id];
    if (value === null) {
      record[item.id] = null;
      continue;
    }
    const problem = checkValue(item.type, value);
    if (problem) errors.push({ path: item.id, ...problem });
    else (record as Record<string, ScreeningValue | null>)[item.id] = value as ScreeningValue;
  }

  if (Object.hasOwn(raw, CPR_KEY) && raw[CPR_KEY] !== null) {
    const text = raw[CPR_KEY];
    const cpr = typeof text === 'string' ? parseCpr(text) : null;
    if (!cpr || !cpr.ok) {
      const message = cpr && !cpr.ok ? cpr.errors.map((e) => e.message).join('; ') : 'must be a string DDMMYY-SSSS';
      errors.push({ path: CPR_KEY, message, code: 'invalid_cpr' });
    } else {
      for (const w of cpr.warnings) warnings.push({ path: CPR_KEY, message: w.message, code: w.code });
      const dobGiven = raw.date_of_birth != null;
      if (!dobGiven) {
        record.date_of_birth = cpr.dateOfBirth;
        derivedFromCpr.push('date_of_birth');
      } else if (record.date_of_birth != null && record.date_of_birth !== cpr.dateOfBirth) {
        errors.push({
          path: CPR_KEY,
          message: `date of birth in the CPR number (${cpr.dateOfBirth}) differs from date_of_birth (${record.date_of_birth})`,
          code: 'inconsistent',
        });
      }
      if (raw.sex == null) {
        record.sex = cpr.sex;
        derivedFromCpr.push('sex');
      } else if (record.sex != null && record.sex !== cpr.sex) {
        warnings.push({
          path: CPR_KEY,
          message: `the CPR number encodes sex ${cpr.sex}, the record says ${record.sex}`,
          code: 'inconsistent',
        });
      }
    }
  }

  if (record.date_of_birth != null && record.screening_date != null) {
    if (compareIsoDates(record.date_of_birth, record.screening_date) > 0) {
      errors.push({
        path: 'date_of_birth',
        message: `${record.date_of_birth} is after the screening date ${record.screening_date}`,
        code: 'impossible_date',
      });
      delete record.date_of_birth;
    }
  }

  for (const key of Object.keys(raw)) {
    if (!known.has(key) && key !== CPR_KEY) {
      errors.push({
        path: key,
        message: isScreeningItemId(key) ? 'not an item of this form' : 'unknown item',
        code: 'unknown_item',
      });
    }
  }

  if (errors.length > 0) {
    // Table order, then cpr, then unknown keys: the order an investigator reads the form in.
    const order = [...items.map((i) => i.id as string), CPR_KEY];
    const rank = (path: string): number => (order.includes(path) ? order.indexOf(path) : order.length);
    errors.sort((a, b) => rank(a.path) - rank(b.path));
    return { ok: false, errors, record, warnings, derivedFromCpr };
  }
  return { ok: true, record, warnings, derivedFromCpr };
}
