/**
 * CSV as R (`read.csv`), SAS (`PROC IMPORT`), Stata (`import delimited`) and Python (`pandas`) read it
 * without options: UTF-8 without BOM, comma separated, a header row, `\n` line ends, fields quoted
 * only when they hold a comma, quote, line break or leading/trailing space, missing values empty.
 */

/** One CSV field. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (with its line end). */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\n`;
}
