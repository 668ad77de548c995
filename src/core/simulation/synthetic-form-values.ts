/**
 * Plausible values for any eCRF form, read from its definition (pure, seeded): a code from each code
 * list, numbers inside the soft limits at the item's precision, mostly "no" for yes/no questions,
 * the given date for dates. Used by the simulator and the demo for the forms whose values carry no
 * simulated outcome (demographics, medical history, x-ray, MRI); patterned texts and clinically
 * correlated items are filled by the callers.
 */
import type { FormDef, ProtocolDefinition } from '../protocol/definition-types.js';
import type { ItemDef } from '../protocol/item-types.js';
import { codeListsOf } from '../ecrf/form-index.js';
import type { SeededRandom } from './seeded-random.js';

const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;

export function syntheticItemValues(
  protocol: ProtocolDefinition,
  form: FormDef,
  rng: SeededRandom,
  date: string,
): Record<string, unknown> {
  const lists = codeListsOf(protocol);
  const value = (item: ItemDef): unknown => {
    switch (item.type) {
      case 'integer': {
        const lo = item.range.softMin ?? item.range.hardMin;
        const hi = item.range.softMax ?? item.range.hardMax;
        return Math.round(lo + (hi - lo) * rng.next() * rng.next());
      }
      case 'decimal': {
        const lo = item.range.softMin ?? item.range.hardMin;
        const hi = item.range.softMax ?? item.range.hardMax;
        return round(lo + (hi - lo) * (0.25 + 0.5 * rng.next()), item.precision ?? 2);
      }
      case 'code': {
        const codes = (lists.get(item.codeList)?.items ?? []).map((e) => e.code);
        // Ordered scales (MOAKS grades) are mostly low in early OA.
        const code =
          lists.get(item.codeList)?.ordered === true || typeof codes[0] === 'number'
            ? codes[Math.min(codes.length - 1, Math.floor(rng.next() * rng.next() * codes.length))]
            : rng.pick(codes);
        return item.multiple === true ? [code] : code;
      }
      case 'boolean':
        return rng.chance(0.15);
      case 'date':
        return date;
      case 'datetime':
        return `${date}T10:00:00+01:00`;
      case 'partial-date':
        return date.slice(0, 7);
      case 'text':
        return item.pattern === undefined
          ? `demo ${item.id.replaceAll('_', ' ')}`.slice(0, item.maxLength ?? 40)
          : undefined;
      case 'file':
        return undefined;
    }
  };
  const out: Record<string, unknown> = {};
  for (const group of form.itemGroups) {
    const row = (): Record<string, unknown> => {
      const r: Record<string, unknown> = {};
      for (const item of group.items) {
        if (item.derivation !== undefined) continue;
        const v = value(item);
        if (v !== undefined) r[item.id] = v;
      }
      return r;
    };
    if (group.repeating === true) out[group.id] = Array.from({ length: rng.int(1, 2) }, row);
    else Object.assign(out, row());
  }
  return out;
}
