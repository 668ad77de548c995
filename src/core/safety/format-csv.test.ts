import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvField, formatCsv } from './format-csv.js';

describe('formatCsv', () => {
  it('quotes what needs quoting and round-trips through a CSV parser', () => {
    const rows = [
      { term: 'Pain, swelling', note: 'said "ouch"\nthen left', grade: 2, serious: false },
      { term: '=HYPERLINK("x")', note: null, grade: -1, serious: true },
    ];
    const text = formatCsv(['term', 'note', 'grade', 'serious'] as const, rows);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    expect(parsed).toEqual([
      { term: 'Pain, swelling', note: 'said "ouch"\nthen left', grade: '2', serious: 'N' },
      { term: `'=HYPERLINK("x")`, note: '', grade: '-1', serious: 'Y' },
    ]);
  });

  it('neutralises formula starts in text only', () => {
    expect(csvField('-3')).toBe("'-3");
    expect(csvField(-3)).toBe('-3');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(Number.NaN)).toBe('');
  });
});
