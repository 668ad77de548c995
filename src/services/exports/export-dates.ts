/**
 * The few calendar computations the exports need, on ISO strings with the platform's own Intl and
 * Date.UTC. The general date helpers (core/schedule, core/safety) import the date-fns barrel, which
 * loads some 250 modules (about 20 MB of resident memory under the tsx loader) into every export
 * process; these two functions are all an export needs of them.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid ISO calendar date, or null. */
function epochDay(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Date.UTC rolls 2024-02-30 over into March: such a string is not a date.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / 86_400_000;
}

/** The ISO date part of a date or date-time string when it is a real calendar date, else null. */
export function isoDatePart(value: string | null | undefined): string | null {
  if (!value || value.length < 10) return null;
  const d = value.slice(0, 10);
  return epochDay(d) === null ? null : d;
}

/** Calendar days from `from` to `to` (both ISO dates); null when either is not a date. */
export function daysBetween(from: string, to: string): number | null {
  const a = epochDay(from);
  const b = epochDay(to);
  return a === null || b === null ? null : b - a;
}

const copenhagenParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Copenhagen calendar date of an instant (Day 0 of an injection given at that instant). */
export function copenhagenDateOfInstant(instant: string): string {
  const parts = copenhagenParts.formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
