import { canonicalJson } from '../canonical-json.js';
import type { CodeListEntry, ProtocolDefinition } from './definition-types.js';
import { itemsOf } from './protocol-queries.js';

/** The kind of protocol element a diff entry is about. */
export const DIFF_KINDS = [
  'study',
  'arm',
  'role',
  'codeList',
  'code',
  'form',
  'item',
  'visit',
  'schedule',
  'criterion',
  'stratum',
  'randomization',
  'outcome',
  'blinding',
  'safetyClock',
  'derivationMethod',
] as const;

/** Element kind of a diff entry. */
export type DiffKind = (typeof DIFF_KINDS)[number];

/** Whether the element was added, removed or changed. */
export type DiffChange = 'added' | 'removed' | 'changed';

/** One difference between two protocol versions. */
export interface DiffEntry {
  readonly kind: DiffKind;
  readonly change: DiffChange;
  /** Path of the element in the newer (added/changed) or older (removed) version, e.g. `forms[koos].items[S1]`. */
  readonly path: string;
  /** For `changed`: the names of the properties that differ (e.g. `range`, `label`). */
  readonly fields?: readonly string[];
}

/** Summary of the differences between two protocol versions, for amendment review. */
export interface ProtocolDiff {
  readonly from: string;
  readonly to: string;
  readonly entries: readonly DiffEntry[];
  readonly counts: Readonly<Record<DiffChange, number>>;
  /** True when nothing differs except the version history. */
  readonly identical: boolean;
}

/**
 * Summarises what an amendment changed: added, removed and changed forms, items (per form),
 * code lists and codes, visits and their schedules (form added to / removed from a visit),
 * criteria, strata, outcomes, roles, arms, safety clocks, derivation methods, and the study,
 * randomization and blinding sections. Element order is ignored; item moves between groups
 * within a form are not reported. Pure.
 *
 * @param a - the older version
 * @param b - the newer version
 */
export function diffProtocols(a: ProtocolDefinition, b: ProtocolDefinition): ProtocolDiff {
  const entries: DiffEntry[] = [];
  const section = <T>(
    kind: DiffKind,
    prefix: string,
    as: readonly T[],
    bs: readonly T[],
    key: (t: T) => string,
    ignore: readonly string[] = [],
  ): void => {
    diffKeyed(entries, kind, (k) => `${prefix}[${k}]`, as, bs, key, ignore);
  };
  diffObject(entries, 'study', 'study', a.study, b.study);
  section('arm', 'arms', a.arms, b.arms, (x) => x.code);
  section('role', 'roles', a.roles, b.roles, (x) => x.id);
  section('codeList', 'codeLists', a.codeLists, b.codeLists, (x) => x.id, ['items']);
  for (const list of b.codeLists) {
    const old = a.codeLists.find((l) => l.id === list.id);
    if (old === undefined) continue;
    section<CodeListEntry>('code', `codeLists[${list.id}].items`, old.items, list.items, (x) => String(x.code));
  }
  section('form', 'forms', a.forms, b.forms, (x) => x.id, ['itemGroups']);
  for (const form of b.forms) {
    const old = a.forms.find((f) => f.id === form.id);
    if (old === undefined) continue;
    const groupsOf = (f: typeof form): string =>
      canonicalJson(f.itemGroups.map((g) => ({ ...g, items: g.items.map((i) => i.id) })));
    if (groupsOf(old) !== groupsOf(form)) {
      const groupFields = diffFields(
        Object.fromEntries(old.itemGroups.map((g) => [g.id, { ...g, items: g.items.map((i) => i.id) }])),
        Object.fromEntries(form.itemGroups.map((g) => [g.id, { ...g, items: g.items.map((i) => i.id) }])),
      );
      entries.push({ kind: 'form', change: 'changed', path: `forms[${form.id}].itemGroups`, fields: groupFields });
    }
    section('item', `forms[${form.id}].items`, itemsOf(old), itemsOf(form), (x) => x.id);
  }
  section('visit', 'visits', a.visits, b.visits, (x) => x.code, ['forms']);
  for (const visit of b.visits) {
    const old = a.visits.find((v) => v.code === visit.code);
    if (old === undefined) continue;
    for (const formId of visit.forms) {
      if (!old.forms.includes(formId)) {
        entries.push({ kind: 'schedule', change: 'added', path: `visits[${visit.code}].forms[${formId}]` });
      }
    }
    for (const formId of old.forms) {
      if (!visit.forms.includes(formId)) {
        entries.push({ kind: 'schedule', change: 'removed', path: `visits[${visit.code}].forms[${formId}]` });
      }
    }
  }
  section('criterion', 'criteria', a.criteria, b.criteria, (x) => x.id);
  section('stratum', 'strata', a.strata, b.strata, (x) => x.id);
  diffObject(entries, 'randomization', 'randomization', a.randomization, b.randomization);
  section('outcome', 'outcomes', a.outcomes, b.outcomes, (x) => x.id);
  diffObject(entries, 'blinding', 'blinding', a.blinding, b.blinding);
  section('safetyClock', 'safetyClocks', a.safetyClocks, b.safetyClocks, (x) => x.id);
  section('derivationMethod', 'derivationMethods', a.derivationMethods, b.derivationMethods, (x) => x.id);
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const e of entries) counts[e.change]++;
  return { from: a.version, to: b.version, entries, counts, identical: entries.length === 0 };
}

function diffKeyed<T>(
  entries: DiffEntry[],
  kind: DiffKind,
  pathOf: (key: string) => string,
  as: readonly T[],
  bs: readonly T[],
  key: (t: T) => string,
  ignore: readonly string[],
): void {
  const before = new Map(as.map((x) => [key(x), x]));
  const after = new Map(bs.map((x) => [key(x), x]));
  for (const [k, x] of after) {
    const old = before.get(k);
    if (old === undefined) {
      entries.push({ kind, change: 'added', path: pathOf(k) });
      continue;
    }
    const fields = diffFields(old as object, x as object).filter((f) => !ignore.includes(f));
    if (fields.length > 0) entries.push({ kind, change: 'changed', path: pathOf(k), fields });
  }
  for (const k of before.keys()) {
    if (!after.has(k)) entries.push({ kind, change: 'removed', path: pathOf(k) });
  }
}

function diffObject(entries: DiffEntry[], kind: DiffKind, path: string, a: object, b: object): void {
  const fields = diffFields(a, b);
  if (fields.length > 0) entries.push({ kind, change: 'changed', path, fields });
}

/** Names of the top-level properties whose canonical JSON differs. */
function diffFields(a: object, b: object): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  return keys.filter((k) => canonicalJson(ra[k] ?? null) !== canonicalJson(rb[k] ?? null));
}
