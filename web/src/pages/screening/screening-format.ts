/**
 * Display helpers shared by the screening and participant pages: plain dates, numbers, item
 * values with their units, criterion names with the protocol's cut-offs, and grant checks per site.
 */
import { sitesAllowed, type Operation } from '../../../../src/core/authorization.js';
import { STEMJOINT_ELIGIBILITY_LIMITS } from '../../../../src/core/eligibility/eligibility-criteria.js';
import { isScreeningItemId, type ScreeningItemId } from '../../../../src/core/eligibility/screening-items.js';
import type { RoleGrant } from '../../api/types.js';
import type { ScreeningKey } from './screening-i18n-types.js';
import type { ScreeningT } from './screening-i18n.js';

/** A calendar date `YYYY-MM-DD` in `locale`, without any time-zone shift. */
export function formatPlainDate(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.slice(0, 10));
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A number in `locale` with at most `maxDigits` decimals (and at least `minDigits`). */
export function formatNumber(n: number, locale: string, maxDigits = 2, minDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits, minimumFractionDigits: minDigits }).format(
    n,
  );
}

/** Today's date in the browser's time zone as `YYYY-MM-DD` (the default for dates people enter). */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The translated label of a screening item (the id itself for an unknown item). */
export function itemLabel(st: ScreeningT, item: string): string {
  return isScreeningItemId(item) ? st(`form.items.${item}`) : item;
}

const UNIT_KEYS: Partial<Record<ScreeningItemId, ScreeningKey>> = {
  knee_pain_months: 'form.units.months',
  jsw_mm: 'form.units.mm',
  alignment_deg: 'form.units.deg',
  height_cm: 'form.units.cm',
  weight_kg: 'form.units.kg',
  ap_laxity_mm: 'form.units.mm',
};

/** The translated unit of an item, or null when it has none. */
export function itemUnit(st: ScreeningT, item: ScreeningItemId): string | null {
  const key = UNIT_KEYS[item];
  return key ? st(key) : null;
}

/** One item value for people: yes/no, translated codes, numbers with their unit, dates. */
export function formatItemValue(st: ScreeningT, locale: string, item: string, value: unknown): string {
  if (value === null || value === undefined) {
    return item === 'last_ia_injection_date' ? st('panel.never') : st('common.none');
  }
  if (typeof value === 'boolean') return value ? st('common.yes') : st('common.no');
  if (item === 'sex' && (value === 'female' || value === 'male')) return st(`form.sex.${value}`);
  if (
    item === 'oa_compartment' &&
    (value === 'medial' || value === 'lateral' || value === 'dual' || value === 'none')
  ) {
    return st(`form.compartment.${value}`);
  }
  if (typeof value === 'number') {
    const unit = isScreeningItemId(item) ? itemUnit(st, item) : null;
    const text = formatNumber(value, locale);
    return unit === null ? text : unit === '°' ? `${text}°` : `${text} ${unit}`;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatPlainDate(value, locale);
  return String(value);
}

/** The criterion's name in the current language, with the cut-offs of the protocol in force. */
export function criterionName(st: ScreeningT, locale: string, id: string): string {
  const L = STEMJOINT_ELIGIBILITY_LIMITS;
  const one = (n: number): string => formatNumber(n, locale, 1, 1);
  switch (id) {
    case 'IC1':
      return st('criteria.IC1', { min: L.ageMin, max: L.ageMax });
    case 'IC2':
      return st('criteria.IC2', { months: L.kneePainMonthsMin, nrs: L.nrsWorstMin });
    case 'IC3':
      return st('criteria.IC3', {
        grades: L.includedKlGrades.join('/'),
        jswMin: one(L.jswMinMm),
        jswMax: one(L.jswMaxMm),
      });
    case 'IC4':
      return st('criteria.IC4', { deg: one(L.alignmentMaxDeg) });
    case 'IC6':
      return st('criteria.IC6', { bmi: one(L.bmiCutOff) });
    case 'EC1':
      return st('criteria.EC1', { grade: L.excludedKlGrade });
    case 'EC6':
      return st('criteria.EC6', { months: L.iaInjectionWashoutMonths });
    case 'EC7':
      return st('criteria.EC7', { bmi: one(L.bmiCutOff) });
    case 'EC9':
      return st('criteria.EC9', { max: L.meniscalOperationsMax });
    case 'EC11':
      return st('criteria.EC11', { mm: one(L.apLaxityMinMm) });
    case 'IC5':
    case 'IC7':
    case 'IC8':
    case 'EC2':
    case 'EC3':
    case 'EC4':
    case 'EC5':
    case 'EC8':
    case 'EC10':
    case 'EC12':
    case 'EC13':
    case 'EC14':
      return st(`criteria.${id}`);
    default:
      return id;
  }
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
