/**
 * How stored item values become text in the exports, and back (ODM import). One place decides the
 * spelling of numbers (never exponent notation, so ODM `float` = xs:decimal holds), booleans, codes
 * and multiple choice, and the pseudonymisation of the date of birth.
 *
 * Stale codes: the blinding-assessment guess was once coded with the arm codes (`ADMSC`, `SALINE`);
 * the protocol now codes it `cells` / `saline` so that no file ever holds an arm code as anything
 * but an allocation. Values stored under the old codes are written with the current ones.
 */
import type { CodeListDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { ItemDef } from '../../core/protocol/item-types.js';

/** Codes some stored values may still carry, per code list: stale code → current code. */
export const STALE_CODES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  blinding_guess: { ADMSC: 'cells', SALINE: 'saline' },
};

/** Separator of the codes of a multiple-choice item in one exported value. */
export const MULTIPLE_CHOICE_SEPARATOR = ';';

/**
 * Items exported in reduced form (pseudonymisation, spec §9): the full date of birth together with
 * sex nearly spells the CPR number, so exports carry the year of birth only.
 */
export const PSEUDONYMISED_ITEMS: Readonly<Record<string, 'year'>> = { 'screening.date_of_birth': 'year' };

/** Whether an item is exported in reduced form. */
export function isPseudonymised(formId: string, itemId: string): boolean {
  return PSEUDONYMISED_ITEMS[`${formId}.${itemId}`] !== undefined;
}

/** The exported spelling of one code of a code list (stale codes replaced by current ones). */
export function exportCode(codeListId: string, code: string | number): string {
  return STALE_CODES[codeListId]?.[String(code)] ?? String(code);
}

/** A finite number as plain decimal text (`0.0000001`, never `1e-7`). */
export function formatNumber(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  const fixed = n.toFixed(20).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** Booleans in ODM and FHIR-adjacent text: `true` / `false`. */
export type BooleanStyle = 'word' | 'digit' | 'yn';

/** Options of {@link formatItemValue}. */
export interface FormatOptions {
  /** `word`: true/false (ODM), `digit`: 1/0 (CSV for R/SAS/Stata/Python), `yn`: Y/N (SDTM). */
  readonly booleans: BooleanStyle;
}

const formatBoolean = (b: boolean, style: BooleanStyle): string =>
  style === 'word' ? String(b) : style === 'digit' ? (b ? '1' : '0') : b ? 'Y' : 'N';

/**
 * The exported text of a stored value, or null when there is nothing to write.
 *
 * @param formId - the item's form (for pseudonymisation)
 * @param item - the item definition
 * @param value - the stored (JSON) value
 * @param options - boolean spelling
 */
export function formatItemValue(formId: string, item: ItemDef, value: unknown, options: FormatOptions): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (isPseudonymised(formId, item.id) && typeof value === 'string') return value.slice(0, 4);
  switch (item.type) {
    case 'integer':
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? formatNumber(value) : String(value);
    case 'boolean':
      return typeof value === 'boolean' ? formatBoolean(value, options.booleans) : String(value);
    case 'code': {
      const codes = Array.isArray(value) ? value : [value];
      if (codes.length === 0) return null;
      return codes.map((c) => exportCode(item.codeList, c as string | number)).join(MULTIPLE_CHOICE_SEPARATOR);
    }
    case 'file': {
      if (typeof value === 'object' && value !== null && 'sha256' in value) {
        return `sha256:${String((value as { sha256: unknown }).sha256)}`;
      }
      return String(value);
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** A derived value (number, boolean or null) as text. */
export function formatDerivedValue(
  item: ItemDef,
  value: boolean | number | null | undefined,
  options: FormatOptions,
): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return formatBoolean(value, options.booleans);
  return item.type === 'integer' || item.type === 'decimal' ? formatNumber(value) : String(value);
}

/** Outcome of reading one exported value back. */
export type ParsedValue = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Reads the exported text of an item back into the stored JSON value (ODM import). Type problems
 * are reported here; limits, code lists and patterns are checked afterwards by the eCRF validation.
 *
 * @param protocol - for the item's code list
 * @param item - the item definition
 * @param text - the exported text
 */
export function parseItemValue(protocol: ProtocolDefinition, item: ItemDef, text: string): ParsedValue {
  switch (item.type) {
    case 'integer':
      return /^[+-]?\d+$/.test(text.trim())
        ? { ok: true, value: Number(text.trim()) }
        : { ok: false, message: `"${text}" is not an integer` };
    case 'decimal':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text.trim())
        ? { ok: true, value: Number(text.trim()) }
        : { ok: false, message: `"${text}" is not a decimal number` };
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'y' || t === 'yes') return { ok: true, value: true };
      if (t === 'false' || t === '0' || t === 'n' || t === 'no') return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not a boolean (true/false)` };
    }
    case 'code': {
      const list: CodeListDef | undefined = protocol.codeLists.find((c) => c.id === item.codeList);
      const one = (raw: string): ParsedValue => {
        const code = raw.trim();
        if (list?.dataType === 'integer') {
          return /^[+-]?\d+$/.test(code)
            ? { ok: true, value: Number(code) }
            : { ok: false, message: `"${raw}" is not an integer code of ${list.oid}` };
        }
        return { ok: true, value: code };
      };
      if (item.multiple !== true) return one(text);
      const parts = text.split(MULTIPLE_CHOICE_SEPARATOR).filter((p) => p.trim() !== '');
      const values: unknown[] = [];
      for (const p of parts) {
        const r = one(p);
        if (!r.ok) return r;
        values.push(r.value);
      }
      return { ok: true, value: values };
    }
    case 'file':
      return { ok: false, message: 'attachments are not imported from ODM files; upload them in the eCRF' };
    default:
      return { ok: true, value: text };
  }
}
