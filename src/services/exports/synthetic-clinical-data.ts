/**
 * Plausible, valid form values generated from the protocol definition, for the export tests and
 * benchmarks (never for real data): numbers inside the soft limits at the item's precision, codes
 * from the code list, dates from the visit, text matching the item's pattern. The result is passed
 * through the eCRF validation, so hidden items are dropped exactly as a submission would drop them.
 */
import { validateFormData } from '../../core/ecrf/validate-form-data.js';
import type { FormDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { addCalendarDays } from '../../core/schedule/plain-date.js';

/** Values of text items that must match a pattern, by item id. */
const PATTERNED: Readonly<Record<string, (rand: () => number) => string>> = {
  db_version: () => '3.54.0',
  bead_specificity: (r) =>
    `${['A', 'B', 'DRB1', 'DQB1'][Math.floor(r() * 4)]}*${String(1 + Math.floor(r() * 30)).padStart(2, '0')}:01`,
  meddra_llt_code: () => '10003239',
  meddra_pt_code: () => '10003239',
  meddra_soc_code: () => '10028395',
  meddra_version: () => '27.1',
  cm_atc: () => 'M01AE01',
  dv_visit: () => 'M3',
};

function hlaAllele(itemId: string, rand: () => number): string | undefined {
  const m = /^hla_([a-z0-9]+)_\d$/.exec(itemId);
  if (!m) return undefined;
  return `${m[1]!.toUpperCase()}*${String(1 + Math.floor(rand() * 30)).padStart(2, '0')}:${String(1 + Math.floor(rand() * 9)).padStart(2, '0')}`;
}

function numberIn(item: ItemDef & { type: 'integer' | 'decimal' }, rand: () => number): number {
  const lo = item.range.softMin ?? item.range.hardMin;
  const hi = item.range.softMax ?? item.range.hardMax;
  const v = lo + rand() * (hi - lo);
  if (item.type === 'integer') return Math.round(v);
  const p = Math.min(item.precision ?? 1, 3);
  return Number(v.toFixed(p));
}

function valueFor(protocol: ProtocolDefinition, item: ItemDef, date: string, rand: () => number): unknown {
  switch (item.type) {
    case 'integer':
    case 'decimal':
      return numberIn(item, rand);
    case 'boolean':
      return rand() < 0.3;
    case 'code': {
      const list = protocol.codeLists.find((c) => c.id === item.codeList);
      if (!list || list.items.length === 0) return undefined;
      const code = list.items[Math.floor(rand() * list.items.length)]!.code;
      return item.multiple ? [code] : code;
    }
    case 'date':
    case 'partial-date':
      return date;
    case 'datetime':
      return `${date}T09:30:00.000Z`;
    case 'text': {
      const special = PATTERNED[item.id]?.(rand) ?? hlaAllele(item.id, rand);
      if (special !== undefined) return special;
      if (item.pattern) return undefined;
      const text = `${item.id.replace(/_/g, ' ')} ${Math.floor(rand() * 1000)}`;
      return text.slice(0, item.maxLength ?? 200);
    }
    default:
      return undefined;
  }
}

/**
 * Valid values of one form at one visit.
 *
 * @param protocol - the protocol
 * @param form - the form
 * @param visitCode - the visit (null for participant-level forms)
 * @param date - the date used for date items (the visit date)
 * @param rand - uniform random numbers in [0, 1)
 * @param rows - rows per repeating group (default 2)
 */
export function syntheticFormValues(
  protocol: ProtocolDefinition,
  form: FormDef,
  visitCode: string | null,
  date: string,
  rand: () => number,
  rows = 2,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const group of form.itemGroups) {
    const fill = (): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const item of group.items) {
        if (item.derivation) continue;
        const v = valueFor(protocol, item, date, rand);
        if (v !== undefined) out[item.id] = v;
      }
      return out;
    };
    if (group.repeating === true) values[group.id] = Array.from({ length: rows }, fill);
    else Object.assign(values, fill());
  }
  // Diary: the entry date is the diary day's own date; the analgesic rows need the flag.
  if (form.id === 'pain_diary') values.analgesic_taken = true;
  const checked = validateFormData(form, protocol, values, { mode: 'draft', visitCode });
  return checked.normalized;
}

/** The date of a visit from Day 0 (screening 14 days before). */
export function syntheticVisitDate(day0: string, protocol: ProtocolDefinition, visitCode: string): string {
  if (visitCode === 'SCR') return addCalendarDays(day0, -14);
  const diary = /^D(\d+)$/.exec(visitCode);
  if (diary) return addCalendarDays(day0, Number(diary[1]));
  const visit = protocol.visits.find((v) => v.code === visitCode);
  return addCalendarDays(day0, visit?.targetDay ?? 0);
}
