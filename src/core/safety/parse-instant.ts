/**
 * Strict parsing of ISO 8601 / RFC 3339 instants for regulatory clocks. An explicit offset (`Z` or
 * `±HH:MM`) is required: a bare local time would be read in the host's zone, and a clock that
 * silently depends on the server's TZ setting is not acceptable for a 24-hour reporting deadline.
 */

const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why a text is not an instant; null when it is one. */
export function describeInstantProblem(text: string): string | null {
  const match = INSTANT_PATTERN.exec(text);
  if (!match) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)
      ? 'missing UTC offset (add Z or ±HH:MM)'
      : 'must be an ISO 8601 instant with offset, e.g. 2026-03-28T12:00:00+01:00';
  }
  const [, y, mo, d, h, mi, s, , offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return 'month out of range';
  if (day < 1 || day > daysInMonth(year, month)) return 'day out of range';
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? '0') > 59) return 'time out of range';
  if (offset !== 'Z' && (Number(offset!.slice(1, 3)) > 23 || Number(offset!.slice(4, 6)) > 59)) {
    return 'offset out of range';
  }
  return null;
}

/** Parses an instant with a required offset; null when the text is not one (see {@link describeInstantProblem}). */
export function parseInstant(text: string): Date | null {
  if (describeInstantProblem(text) !== null) return null;
  // Date.parse handles the validated RFC 3339 subset exactly; digits beyond milliseconds are truncated.
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : new Date(ms);
}
