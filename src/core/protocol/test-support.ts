import type { ProtocolDefinition } from './definition-types.js';
import { STEMJOINT_PROTOCOL } from './stemjoint.js';

/** Deeply mutable version of a readonly type, for tests that break a definition on purpose. */
export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

/** A mutable deep copy of the STEMJOINT protocol (the original stays untouched). */
export function stemjointDraft(): Mutable<ProtocolDefinition> {
  return structuredClone(STEMJOINT_PROTOCOL) as unknown as Mutable<ProtocolDefinition>;
}

/** The form of a draft, as a loose record so tests can write any property (as JSON input could). */
export function draftForm(
  draft: Mutable<ProtocolDefinition>,
  formId: string,
): Record<string, unknown> & Mutable<ProtocolDefinition>['forms'][number] {
  const form = draft.forms.find((f) => f.id === formId);
  if (form === undefined) throw new Error(`test setup: no form ${formId}`);
  return form as Record<string, unknown> & typeof form;
}

/** An item of a draft form, as a loose record. */
export function draftItem(draft: Mutable<ProtocolDefinition>, formId: string, itemId: string): Record<string, unknown> {
  for (const group of draftForm(draft, formId).itemGroups) {
    const item = group.items.find((i) => i.id === itemId);
    if (item !== undefined) return item as unknown as Record<string, unknown>;
  }
  throw new Error(`test setup: no item ${formId}.${itemId}`);
}

/** A visit of a draft. */
export function draftVisit(
  draft: Mutable<ProtocolDefinition>,
  code: string,
): Mutable<ProtocolDefinition>['visits'][number] {
  const visit = draft.visits.find((v) => v.code === code);
  if (visit === undefined) throw new Error(`test setup: no visit ${code}`);
  return visit;
}

/** Reads a mutable draft as a protocol definition. */
export function asDefinition(draft: Mutable<ProtocolDefinition>): ProtocolDefinition {
  return draft as unknown as ProtocolDefinition;
}
