/**
 * The item metadata a data-entry page needs to render a form and validate inline, taken from the
 * protocol definition: labels, types, units, limits, code lists with their labels, conditions,
 * required and derived flags, whether the item applies at the visit and whether the viewer may see
 * its value under the blind.
 */
import type { Condition } from '../protocol/condition.js';
import type { FormDef, FormKind, ProtocolDefinition, Respondent } from '../protocol/definition-types.js';
import type { ItemType, NumericRange, Unit } from '../protocol/item-types.js';
import type { LocalizedText } from '../protocol/localized-text.js';
import { codeListsOf } from './form-index.js';
import { isApplicableAtVisit } from './form-scope.js';

/** A code-list entry as shown. */
export interface CodeEntryView {
  readonly code: string | number;
  readonly label: LocalizedText;
}

/** One item as a page renders it. */
export interface ItemView {
  readonly id: string;
  readonly type: ItemType;
  readonly label: LocalizedText;
  readonly help: LocalizedText | null;
  readonly unit: Unit | null;
  readonly range: NumericRange | null;
  readonly precision: number | null;
  readonly codeList: { readonly id: string; readonly ordered: boolean; readonly entries: CodeEntryView[] } | null;
  readonly multiple: boolean;
  readonly pattern: { readonly regex: string; readonly description: LocalizedText } | null;
  readonly maxLength: number | null;
  readonly multiline: boolean;
  readonly mediaTypes: string[] | null;
  readonly required: boolean;
  readonly showIf: Condition | null;
  readonly derived: boolean;
  readonly derivationMethod: string | null;
  /** False when the item does not apply at this visit (`onlyAtVisits`). */
  readonly applicable: boolean;
  /** The value could reveal the allocation (it is hidden from blinded roles). */
  readonly potentiallyUnblinding: boolean;
  /** Whether the viewer may see (and enter) the value. */
  readonly visible: boolean;
  readonly licensedTextKey: string | null;
  readonly nullMeaning: LocalizedText | null;
}

/** One item group as a page renders it. */
export interface GroupView {
  readonly id: string;
  readonly name: LocalizedText;
  readonly repeating: boolean;
  readonly showIf: Condition | null;
  readonly respondent: Respondent | null;
  readonly items: ItemView[];
}

/** A form definition as a page renders it. */
export interface FormDefinitionView {
  readonly id: string;
  readonly title: LocalizedText;
  readonly kind: FormKind;
  readonly repeating: boolean;
  readonly respondent: Respondent;
  readonly epro: boolean;
  readonly recallPeriod: LocalizedText | null;
  readonly licenceNote: string | null;
  readonly description: LocalizedText | null;
  readonly groups: GroupView[];
}

/**
 * Describes a form for a page.
 *
 * @param protocol - the protocol the data are collected under
 * @param form - the form
 * @param options - the visit (for `onlyAtVisits`) and whether the viewer may see an item
 */
export function describeForm(
  protocol: ProtocolDefinition,
  form: FormDef,
  options: { readonly visitCode: string | null; readonly canSee: (itemId: string) => boolean },
): FormDefinitionView {
  const lists = codeListsOf(protocol);
  return {
    id: form.id,
    title: form.title,
    kind: form.kind,
    repeating: form.repeating,
    respondent: form.respondent,
    epro: form.epro === true,
    recallPeriod: form.recallPeriod ?? null,
    licenceNote: form.licenceNote ?? null,
    description: form.description ?? null,
    groups: form.itemGroups.map((group) => ({
      id: group.id,
      name: group.name,
      repeating: group.repeating === true,
      showIf: group.showIf ?? null,
      respondent: group.respondent ?? null,
      items: group.items.map((item): ItemView => {
        const list = item.type === 'code' ? lists.get(item.codeList) : undefined;
        return {
          id: item.id,
          type: item.type,
          label: item.label,
          help: item.help ?? null,
          unit: item.type === 'integer' || item.type === 'decimal' ? (item.unit ?? null) : null,
          range: item.type === 'integer' || item.type === 'decimal' ? item.range : null,
          precision: item.type === 'decimal' ? (item.precision ?? null) : item.type === 'integer' ? 0 : null,
          codeList:
            item.type === 'code' && list !== undefined
              ? {
                  id: list.id,
                  ordered: list.ordered === true,
                  entries: list.items.map((e) => ({ code: e.code, label: e.label })),
                }
              : null,
          multiple: item.type === 'code' && item.multiple === true,
          pattern: item.type === 'text' && item.pattern !== undefined ? item.pattern : null,
          maxLength: item.type === 'text' ? (item.maxLength ?? null) : null,
          multiline: item.type === 'text' && item.multiline === true,
          mediaTypes: item.type === 'file' && item.mediaTypes !== undefined ? [...item.mediaTypes] : null,
          required: item.required === true,
          showIf: item.showIf ?? null,
          derived: item.derivation !== undefined,
          derivationMethod: item.derivation?.method ?? null,
          applicable: isApplicableAtVisit(item, options.visitCode),
          potentiallyUnblinding: item.blinding !== undefined,
          visible: options.canSee(item.id),
          licensedTextKey: item.licensedTextKey ?? null,
          nullMeaning: item.nullMeaning ?? null,
        };
      }),
    })),
  };
}
