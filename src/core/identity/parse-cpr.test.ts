import { describe, expect, it } from 'vitest';
import { checkCprModulus11, cprBirthYear, parseCpr } from './parse-cpr.js';

/** Parses and expects success; returns the parsed value. */
function parsed(text: string) {
  const r = parseCpr(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${JSON.stringify(r.errors)}`);
  return r;
}

describe('parseCpr', () => {
  it('reads date of birth, sex and normalizes with or without the hyphen', () => {
    for (const text of ['070589-1028', '0705891028', ' 070589-1028 ']) {
      expect(parseCpr(text)).toEqual({
        ok: true,
        normalized: '0705891028',
        dateOfBirth: '1989-05-07',
        sex: 'female',
        modulus11Valid: true,
        warnings: [],
      });
    }
    expect(parsed('070589-1001').sex).toBe('male');
  });

  it('7th digit 0–3: 1900s', () => {
    expect(parsed('290100-0002').dateOfBirth).toBe('1900-01-29');
    expect(parsed('150364-3002').dateOfBirth).toBe('1964-03-15');
    expect(parsed('290296-2002').dateOfBirth).toBe('1996-02-29');
  });

  it('7th digit 4 or 9: 2000s for 00–36, 1900s for 37–99', () => {
    expect(parsed('311236-4004').dateOfBirth).toBe('2036-12-31');
    expect(parsed('010137-4009').dateOfBirth).toBe('1937-01-01');
    expect(parsed('010136-9005').dateOfBirth).toBe('2036-01-01');
    expect(parsed('010137-9000').dateOfBirth).toBe('1937-01-01');
  });

  it('7th digit 5–8: 2000s for 00–57, 1800s for 58–99', () => {
    expect(parsed('150357-5007').dateOfBirth).toBe('2057-03-15');
    expect(parsed('150358-5002').dateOfBirth).toBe('1858-03-15');
    expect(parsed('010157-6000').dateOfBirth).toBe('2057-01-01');
    expect(parsed('010158-7029').dateOfBirth).toBe('1858-01-01');
    expect(parsed('010158-8009').dateOfBirth).toBe('1858-01-01');
  });

  it('accepts 29 February only in leap years of the derived century', () => {
    expect(parsed('290200-4028').dateOfBirth).toBe('2000-02-29');
    expect(parsed('290200-5059').dateOfBirth).toBe('2000-02-29');
    expect(parsed('290204-9005').dateOfBirth).toBe('2004-02-29');
    // 29 Feb 1900 (7th digit 0–3) never existed: 1900 is not a leap year.
    expect(parseCpr('290200-2068')).toMatchObject({ ok: false, errors: [{ code: 'impossible_date' }] });
    expect(parseCpr('290201-1234')).toMatchObject({ ok: false, errors: [{ code: 'impossible_date' }] });
  });

  it('rejects impossible dates', () => {
    for (const text of ['310489-1234', '000189-1234', '011389-1234', '320189-1234']) {
      expect(parseCpr(text)).toMatchObject({ ok: false, errors: [{ code: 'impossible_date' }] });
    }
  });

  it('rejects other formats', () => {
    for (const text of ['07058-91028', '070589-102', '070589--1028', '070589 1028', '0705891028a', 'abcdefghij', '']) {
      expect(parseCpr(text)).toMatchObject({ ok: false, errors: [{ code: 'format' }] });
    }
  });

  it('only warns when the modulus-11 check fails', () => {
    const r = parsed('070589-1234');
    expect(r.modulus11Valid).toBe(false);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'modulus11_failed' })]);
    expect(r.dateOfBirth).toBe('1989-05-07');
    expect(r.sex).toBe('female');
  });
});

describe('checkCprModulus11', () => {
  it('uses weights 4,3,2,7,6,5,4,3,2,1', () => {
    expect(checkCprModulus11('1111111118')).toBe(true); // 1×(4+3+2+7+6+5+4+3+2) + 8 = 44
    expect(checkCprModulus11('1111111119')).toBe(false);
    expect(checkCprModulus11('0705891028')).toBe(true);
    expect(checkCprModulus11('070589102')).toBe(false);
  });
});

describe('cprBirthYear', () => {
  it('covers every 7th digit at the century boundaries', () => {
    const table: [number, number, number][] = [
      [0, 0, 1900],
      [99, 3, 1999],
      [36, 4, 2036],
      [37, 4, 1937],
      [0, 9, 2000],
      [99, 9, 1999],
      [57, 5, 2057],
      [58, 5, 1858],
      [0, 8, 2000],
      [99, 6, 1899],
    ];
    for (const [yy, digit, year] of table) expect(cprBirthYear(yy, digit)).toBe(year);
  });
});
