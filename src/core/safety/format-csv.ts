/**
 * CSV for safety extracts (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold
 * a comma, quote or line break). Text that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with an apostrophe: an extract is opened in
 * spreadsheets, and a verbatim term must never execute. Numbers are written as numbers.
 */

/** A cell value. */
export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: the header row, then one row per record in column order. */
export function formatCsv<K extends string>(columns: readonly K[], rows: readonly Record<K, CsvValue>[]): string {
  const lines = [
    columns.map((c) => csvField(c)).join(','),
    ...rows.map((r) => columns.map((c) => csvField(r[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
