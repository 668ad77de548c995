/**
 * Danish CPR numbers (personnummer): format, century rule, date of birth, sex and the modulus-11
 * check (spec §9, data dictionary §9). Pure; the CPR itself belongs in the identity store only.
 */
import { makeIsoDate, type IsoDate } from '../schedule/plain-date.js';

/** Sex as encoded by the last digit of a CPR number (odd = male, even = female). */
export type CprSex = 'female' | 'male';

/** A problem found while parsing a CPR number; `code` is stable, `message` is for people. */
export interface CprIssue {
  code: 'format' | 'impossible_date' | 'modulus11_failed';
  message: string;
}

/** A CPR number that could be read. */
export interface ParsedCpr {
  ok: true;
  /** The ten digits, without the hyphen: `DDMMYYSSSS`. */
  normalized: string;
  dateOfBirth: IsoDate;
  sex: CprSex;
  /** Whether the weighted digit sum is divisible by 11. Numbers issued since 2007 may fail it. */
  modulus11Valid: boolean;
  /** Non-fatal findings (a failing modulus-11 check). */
  warnings: CprIssue[];
}

/** A CPR number that could not be read. */
export interface RejectedCpr {
  ok: false;
  errors: CprIssue[];
}

/** Result of `parseCpr`. */
export type CprParseResult = ParsedCpr | RejectedCpr;

/** Modulus-11 weights for the ten digits. */
const MODULUS11_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;

/** True when the ten digits' weighted sum (weights 4,3,2,7,6,5,4,3,2,1) is divisible by 11. */
export function checkCprModulus11(tenDigits: string): boolean {
  if (!/^\d{10}$/.test(tenDigits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(tenDigits[i]) * MODULUS11_WEIGHTS[i]!;
  return sum % 11 === 0;
}

/**
 * Full birth year from the two-digit year and the 7th digit (first digit of SSSS):
 * 0–3 → 1900s; 4 or 9 → 2000s for 00–36, else 1900s; 5–8 → 2000s for 00–57, else 1800s.
 */
export function cprBirthYear(twoDigitYear: number, seventhDigit: number): number {
  if (seventhDigit <= 3) return 1900 + twoDigitYear;
  if (seventhDigit === 4 || seventhDigit === 9) return (twoDigitYear <= 36 ? 2000 : 1900) + twoDigitYear;
  return (twoDigitYear <= 57 ? 2000 : 1800) + twoDigitYear;
}

/**
 * Parses `DDMMYY-SSSS` (the hyphen is optional; surrounding spaces are ignored). An impossible
 * date of birth rejects the number; a failing modulus-11 check is only a warning, because valid
 * numbers issued since 2007 can fail it.
 */
export function parseCpr(text: string): CprParseResult {
  const match = typeof text === 'string' ? /^(\d{2})(\d{2})(\d{2})-?(\d{4})$/.exec(text.trim()) : null;
  if (!match) {
    return {
      ok: false,
      errors: [{ code: 'format', message: 'a CPR number is DDMMYY-SSSS (10 digits, hyphen optional)' }],
    };
  }
  const [, dd, mm, yy, serial] = match as unknown as [string, string, string, string, string];
  const year = cprBirthYear(Number(yy), Number(serial[0]));
  const dateOfBirth = makeIsoDate(year, Number(mm), Number(dd));
  if (!dateOfBirth) {
    return {
      ok: false,
      errors: [{ code: 'impossible_date', message: `${dd}-${mm}-${year} is not a calendar date` }],
    };
  }
  const normalized = `${dd}${mm}${yy}${serial}`;
  const modulus11Valid = checkCprModulus11(normalized);
  return {
    ok: true,
    normalized,
    dateOfBirth,
    sex: Number(serial[3]) % 2 === 1 ? 'male' : 'female',
    modulus11Valid,
    warnings: modulus11Valid
      ? []
      : [{ code: 'modulus11_failed', message: 'fails the modulus-11 check (allowed: numbers since 2007 may fail it)' }],
  };
}
