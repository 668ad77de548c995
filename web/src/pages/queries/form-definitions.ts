/**
 * Form definitions fetched once per form and kept for the session, so lists that name forms and
 * items (the query inbox, the SDV worklist) can show their titles and labels in either language.
 */
import { useEffect, useState } from 'react';
import { fetchFormDefinition, type FormDefinition } from '../../api/ecrf-api.js';

const cache = new Map<string, Promise<FormDefinition | null>>();

/** The definition of `formId` (null when it cannot be read). */
export function formDefinition(formId: string): Promise<FormDefinition | null> {
  let p = cache.get(formId);
  if (!p) {
    p = fetchFormDefinition(formId).catch(() => null);
    cache.set(formId, p);
  }
  return p;
}

/** The definitions of the given forms, filled in as they arrive. */
export function useFormDefinitions(formIds: readonly string[]): ReadonlyMap<string, FormDefinition> {
  const [defs, setDefs] = useState<ReadonlyMap<string, FormDefinition>>(new Map());
  const key = [...new Set(formIds)].sort().join(',');
  useEffect(() => {
    let current = true;
    const ids = key === '' ? [] : key.split(',');
    void Promise.all(ids.map(async (id) => [id, await formDefinition(id)] as const)).then((pairs) => {
      if (!current) return;
      setDefs(new Map(pairs.filter((p): p is readonly [string, FormDefinition] => p[1] !== null)));
    });
    return () => {
      current = false;
    };
  }, [key]);
  return defs;
}

/** The label of the item a value path names, or the path itself. */
export function itemLabelOf(
  def: FormDefinition | undefined,
  path: string,
  pick: (t: { da: string; en: string }) => string,
): string {
  const m = /^(?:(\w+)\[(\d+)\]\.)?(\w+)$/.exec(path);
  const itemId = m?.[3] ?? path;
  for (const g of def?.groups ?? []) {
    const item = g.items.find((i) => i.id === itemId);
    if (item) return m?.[1] ? `${pick(g.name)} ${Number(m[2]) + 1}: ${pick(item.label)}` : pick(item.label);
  }
  return path;
}
