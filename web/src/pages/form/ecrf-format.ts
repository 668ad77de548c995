/**
 * Display helpers of the eCRF pages: plain dates and numbers in the user's locale, stored values
 * with their units and code labels, links to forms, and grant checks per site.
 */
import { sitesAllowed, type Operation } from '../../../../src/core/authorization.js';
import type { ItemView, Localized } from '../../api/ecrf-api.js';
import type { RoleGrant } from '../../api/types.js';
import type { EcrfT } from './ecrf-i18n.js';

/** A calendar date `YYYY-MM-DD` in `locale`, without any time-zone shift. */
export function formatPlainDate(iso: string | null, locale: string, style: 'medium' | 'short' = 'medium'): string {
  if (iso === null) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.slice(0, 10));
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(date);
}

/** A date range, the year written once when both dates share it: "16 Sept – 14 Oct 2026". */
export function formatDateRange(from: string | null, to: string | null, locale: string): string {
  if (from === null || to === null) return '—';
  if (from === to) return formatPlainDate(from, locale);
  if (from.slice(0, 4) !== to.slice(0, 4)) return `${formatPlainDate(from, locale)} – ${formatPlainDate(to, locale)}`;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from.slice(0, 10));
  if (!m) return `${from} – ${to}`;
  const first = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))),
  );
  return `${first} – ${formatPlainDate(to, locale)}`;
}

/** A number in `locale` with at most `maxDigits` decimals (and at least `minDigits`). */
export function formatNumber(n: number, locale: string, maxDigits = 2, minDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits, minimumFractionDigits: minDigits }).format(
    n,
  );
}

/** Whether `grants` allow `operation` at `siteId` (the server checks again; this only shapes the page). */
export function canAtSite(grants: readonly RoleGrant[], operation: Operation, siteId: string): boolean {
  const sites = sitesAllowed(grants, operation);
  return sites === 'all' || sites.includes(siteId);
}

/** Whether `grants` allow `operation` at any site. */
export function canAnywhere(grants: readonly RoleGrant[], operation: Operation): boolean {
  const sites = sitesAllowed(grants, operation);
  return sites === 'all' || sites.length > 0;
}

/** One stored value for people: code labels, yes/no, numbers with unit and precision, dates, files. */
export function formatValue(
  item: ItemView | undefined,
  value: unknown,
  ctx: { et: EcrfT; pick: (t: Localized) => string; locale: string },
): string {
  const { et, pick, locale } = ctx;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return et('common.empty');
  }
  if (typeof value === 'boolean') return value ? et('common.yes') : et('common.no');
  if (item?.codeList) {
    const label = (code: unknown): string => {
      const entry = item.codeList?.entries.find((e) => e.code === code);
      return entry ? pick(entry.label) : String(code);
    };
    return Array.isArray(value) ? value.map(label).join('; ') : label(value);
  }
  if (typeof value === 'number') {
    const digits = item?.precision ?? 2;
    const text = formatNumber(value, locale, digits, item?.derived ? digits : 0);
    const unit = item?.unit?.display;
    return unit ? (unit === '°' ? `${text}°` : `${text} ${unit}`) : text;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatPlainDate(value, locale);
  if (typeof value === 'object' && value !== null && 'name' in value) return String((value as { name: unknown }).name);
  if (Array.isArray(value)) return value.map(String).join('; ');
  return String(value);
}

/** The page of a form at a visit. */
export const visitFormHref = (participantId: string, visitCode: string, formId: string): string =>
  `/participants/${encodeURIComponent(participantId)}/visits/${encodeURIComponent(visitCode)}/forms/${encodeURIComponent(formId)}`;

/** The page of a participant-level form that occurs once. */
export const participantFormHref = (participantId: string, formId: string): string =>
  `/participants/${encodeURIComponent(participantId)}/forms/${encodeURIComponent(formId)}`;

/** The page of one form instance (repeating forms). */
export const instanceHref = (instanceId: string): string => `/form-instances/${encodeURIComponent(instanceId)}`;

/** The casebook page of a participant. */
export const casebookHref = (participantId: string): string =>
  `/participants/${encodeURIComponent(participantId)}/casebook`;

/** The page of a form as a query or worklist names it (visit form, participant form or instance). */
export function formHref(at: {
  participantId: string;
  visitCode: string | null;
  formId: string;
  instanceId: string;
}): string {
  return at.visitCode === null ? instanceHref(at.instanceId) : visitFormHref(at.participantId, at.visitCode, at.formId);
}

/** The item id of a value path (`beads[2].bead_mfi` → `bead_mfi`). */
export const itemIdOfPath = (path: string): string => path.split('.').at(-1) ?? path;
