import { notFound } from '../errors.js';
import type { FormOf } from './define-protocol.js';
import type { FormDef, ItemGroupDef, ProtocolDefinition, VisitDef } from './definition-types.js';
import type { ItemDef } from './item-types.js';
import type { Role } from './roles.js';

/**
 * Returns the form with the given id. With a protocol built by `defineProtocol` the id is checked at
 * compile time and the result is the precise form type; at run time an unknown id throws `not_found`.
 *
 * @param protocol - the protocol definition
 * @param formId - the form id
 */
export function getForm<P extends ProtocolDefinition, const Id extends P['forms'][number]['id']>(
  protocol: P,
  formId: Id,
): FormOf<P, Id> {
  const form = findForm(protocol, formId);
  if (form === undefined) throw notFound(`Form '${formId}' of protocol ${protocol.version}`);
  return form as FormOf<P, Id>;
}

/** Returns the form with the given id, or undefined. */
export function findForm(protocol: ProtocolDefinition, formId: string): FormDef | undefined {
  return protocol.forms.find((f) => f.id === formId);
}

/** All items of a form in definition order, across its item groups. */
export function itemsOf(form: FormDef): ItemDef[] {
  return form.itemGroups.flatMap((g) => [...g.items]);
}

/** The item with the given id in a form, or undefined. */
export function findItem(form: FormDef, itemId: string): ItemDef | undefined {
  for (const group of form.itemGroups) {
    const item = group.items.find((i) => i.id === itemId);
    if (item !== undefined) return item;
  }
  return undefined;
}

/** Returns the item of a form; throws `not_found` when it does not exist. */
export function getItem(form: FormDef, itemId: string): ItemDef {
  const item = findItem(form, itemId);
  if (item === undefined) throw notFound(`Item '${itemId}' of form '${form.id}'`);
  return item;
}

/** The item group that holds an item, or undefined. */
export function groupOfItem(form: FormDef, itemId: string): ItemGroupDef | undefined {
  return form.itemGroups.find((g) => g.items.some((i) => i.id === itemId));
}

/**
 * Resolves a visit code to its definition: `M3` to the M3 visit, a diary instance such as `D7`
 * to the repeating `D` definition with `day` 7. Returns undefined for unknown codes and for
 * instance numbers outside the repeat range.
 */
export function resolveVisit(
  protocol: ProtocolDefinition,
  visitCode: string,
): { visit: VisitDef; day: number | null } | undefined {
  const direct = protocol.visits.find((v) => v.code === visitCode);
  if (direct !== undefined) return { visit: direct, day: direct.targetDay };
  for (const visit of protocol.visits) {
    const repeat = visit.repeat;
    if (repeat === undefined || !visitCode.startsWith(repeat.codePrefix)) continue;
    const suffix = visitCode.slice(repeat.codePrefix.length);
    if (!/^[1-9]\d*$/.test(suffix)) continue;
    const day = Number(suffix);
    if (day >= repeat.fromDay && day <= repeat.toDay) return { visit, day };
  }
  return undefined;
}

/** Returns the visit definition for a code (instances like `D7` resolve to `D`); throws `not_found`. */
export function getVisit(protocol: ProtocolDefinition, visitCode: string): VisitDef {
  const resolved = resolveVisit(protocol, visitCode);
  if (resolved === undefined) throw notFound(`Visit '${visitCode}' of protocol ${protocol.version}`);
  return resolved.visit;
}

/**
 * The forms collected at a visit (schedule of assessments), in the visit's order. Accepts visit
 * definition codes (`M3`, `D`) and diary instances (`D7`); throws `not_found` for unknown codes.
 */
export function formsForVisit<P extends ProtocolDefinition>(protocol: P, visitCode: string): P['forms'][number][] {
  const visit = getVisit(protocol, visitCode);
  return visit.forms.map((id) => getForm(protocol, id));
}

/** The visit-definition codes at which a form is collected. */
export function visitsForForm(protocol: ProtocolDefinition, formId: string): string[] {
  return protocol.visits.filter((v) => v.forms.includes(formId)).map((v) => v.code);
}

/**
 * Every concrete visit code in schedule order, with the repeating diary expanded:
 * `SCR, BL, D1, …, D30, M3, …`.
 */
export function expandVisitCodes(protocol: ProtocolDefinition): string[] {
  return protocol.visits.flatMap((v) => {
    if (v.repeat === undefined) return [v.code];
    const codes: string[] = [];
    for (let day = v.repeat.fromDay; day <= v.repeat.toDay; day++) codes.push(`${v.repeat.codePrefix}${day}`);
    return codes;
  });
}

/** ODM ItemDef OID of an item: `I.<FORM>.<ITEM>` in upper case (e.g. `I.KOOS.S1`). */
export function itemOid(form: FormDef, itemId: string): string {
  const formPart = form.oid.startsWith('F.') ? form.oid.slice(2) : form.id.toUpperCase();
  return `I.${formPart}.${itemId.toUpperCase()}`;
}

/** Whether the database is locked; some roles are unblinded only afterwards. */
export type TrialPhase = 'blinded' | 'locked';

/**
 * Whether a role may see a form (and, with `itemId`, one of its items) under the blind. Open forms
 * and items are visible to every role (permissions decide the rest); unblinded-only forms and
 * potentially unblinding items only to the roles the protocol lists, plus the after-lock roles
 * once the database is locked.
 *
 * @param protocol - the protocol definition
 * @param role - the viewing role
 * @param formId - the form
 * @param itemId - optionally one item of the form
 * @param phase - `blinded` during the trial, `locked` after database lock
 */
export function isVisibleToRole(
  protocol: ProtocolDefinition,
  role: Role,
  formId: string,
  itemId?: string,
  phase: TrialPhase = 'blinded',
): boolean {
  if (phase === 'locked' && protocol.blinding.unblindedAfterLockRoles.includes(role)) return true;
  const form = findForm(protocol, formId);
  if (form === undefined) return false;
  if (form.blinding !== undefined && !form.blinding.visibleTo.includes(role)) return false;
  if (itemId === undefined) return true;
  const item = findItem(form, itemId);
  if (item === undefined) return false;
  return item.blinding === undefined || item.blinding.visibleTo.includes(role);
}

/** Every potentially unblinding item as `{ form, item }`, for blinding reports and audits. */
export function potentiallyUnblindingItems(protocol: ProtocolDefinition): { form: string; item: string }[] {
  return protocol.forms.flatMap((form) =>
    itemsOf(form)
      .filter((item) => item.blinding !== undefined)
      .map((item) => ({ form: form.id, item: item.id })),
  );
}
