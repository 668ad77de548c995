/**
 * Formatting shared by the randomization, unblinding, pharmacy and safety pages. The trial runs in
 * Denmark and its regulatory clocks are defined in Europe/Copenhagen, so times are shown — and
 * entered — in Copenhagen time whatever the browser's own time zone is; the labels say so.
 */
import { TZDate } from '@date-fns/tz';

/** The trial's time zone. */
export const COPENHAGEN = 'Europe/Copenhagen';

const valid = (iso: string): Date | null => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** An instant as date and time in Copenhagen, e.g. "25 Nov 2026, 14:05". */
export function formatCph(iso: string, locale: string): string {
  const date = valid(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: COPENHAGEN }).format(
    date,
  );
}

/** An instant as a full date with weekday and time in Copenhagen, for deadlines. */
export function formatCphLong(iso: string, locale: string): string {
  const date = valid(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: COPENHAGEN,
  }).format(date);
}

/**
 * A deadline in Copenhagen. A deadline counted in calendar days (`calendarDays`, the SUSAR clocks)
 * falls at the midnight that ends its last day, so that day is named instead — "by the end of Thu 10 Dec 2026" rather than
 * "Fri 11 Dec 00:00", which readers take for the wrong day.
 */
export function formatCphDue(iso: string, locale: string, calendarDays: boolean): { endOfDay: boolean; text: string } {
  const date = valid(iso);
  if (!date) return { endOfDay: false, text: iso };
  if (!calendarDays) return { endOfDay: false, text: formatCphLong(iso, locale) };
  const z = new TZDate(date.getTime(), COPENHAGEN);
  if (z.getHours() !== 0 || z.getMinutes() !== 0) return { endOfDay: false, text: formatCphLong(iso, locale) };
  const dayBefore = new Date(date.getTime() - 1);
  const text = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: COPENHAGEN,
  }).format(dayBefore);
  return { endOfDay: true, text };
}

/** A calendar date `YYYY-MM-DD` in `locale`, without any time-zone shift. */
export function formatPlainDate(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.slice(0, 10));
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A partial date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) shown with only what is known. */
export function formatPartialDate(value: string, locale: string): string {
  if (/^\d{4}$/.test(value)) return value;
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) {
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  }
  return formatPlainDate(value, locale);
}

/** A number in `locale` with at most `maxDigits` decimals. */
export function formatNumber(n: number, locale: string, maxDigits = 2, minDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits, minimumFractionDigits: minDigits }).format(
    n,
  );
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The Copenhagen wall time of `instant` as a `datetime-local` input value (`YYYY-MM-DDTHH:mm`). */
export function cphInputValue(instant: Date): string {
  const z = new TZDate(instant.getTime(), COPENHAGEN);
  return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}T${pad(z.getHours())}:${pad(z.getMinutes())}`;
}

/** Today's date in Copenhagen as `YYYY-MM-DD`. */
export function cphToday(now: Date = new Date()): string {
  return cphInputValue(now).slice(0, 10);
}

/**
 * The instant of a `datetime-local` value read as Copenhagen wall time, as ISO 8601 with its
 * offset (e.g. `2026-03-29T03:30:00.000+02:00`); null when the value is not a date and time.
 */
export function instantFromCphInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const z = new TZDate(y, mo - 1, d, h, mi, COPENHAGEN);
  return Number.isNaN(z.getTime()) ? null : z.toISOString();
}

/** The parts of a duration, for "2 d 3 h 5 min" style texts. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const totalMinutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  return {
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}

/** A fresh idempotency key for a write that may be retried (8–100 of [A-Za-z0-9_-]). */
export function newRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `web-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A decimal number typed with a point or a comma (Danish); null when it is not one. */
export function parseDecimal(text: string): number | null {
  const normalized = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalized)) return null;
  return Number(normalized);
}
