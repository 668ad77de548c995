import type { Condition, ItemRef } from './condition.js';
import type { LocalizedText } from './localized-text.js';
import type { Role } from './roles.js';

/** The item data types of the eCRF (mapped to ODM DataType by the exporters). */
export const ITEM_TYPES = [
  'integer',
  'decimal',
  'text',
  'date',
  'datetime',
  'boolean',
  'code',
  'partial-date',
  'file',
] as const;

/** One item data type. */
export type ItemType = (typeof ITEM_TYPES)[number];

/** The item types that carry a numeric range, a unit and (decimals only) a precision. */
export const NUMERIC_ITEM_TYPES = ['integer', 'decimal'] as const;

/** A measurement unit: the UCUM code for exchange and a display form for humans. */
export interface Unit {
  /** UCUM case-sensitive code, e.g. `cm`, `kg`, `mm3`, `ms`, `deg`, `10*6`. */
  readonly ucum: string;
  /** How the unit is shown, e.g. `cm`, `mm³`, `°`. */
  readonly display: string;
}

/**
 * Value limits of a numeric item. A value outside the hard limits is refused (input error);
 * a value outside the soft limits is accepted with a warning that the site must confirm.
 * The validator checks hardMin ≤ softMin ≤ softMax ≤ hardMax.
 */
export interface NumericRange {
  readonly hardMin: number;
  readonly hardMax: number;
  readonly softMin?: number;
  readonly softMax?: number;
}

/** A regular-expression constraint on a text item, with a human description of the format. */
export interface TextPattern {
  /** ECMAScript regular expression source (anchored by the author). */
  readonly regex: string;
  /** Format description shown with the validation message, e.g. `A*02:01`. */
  readonly description: LocalizedText;
}

/** Why a value in the definition is what it is: a **default** of the spec, our design, or unverified. */
export const BASES = ['spec', 'default', 'design', 'unverified'] as const;

/** Basis of a value (see {@link BASES}). */
export type Basis = (typeof BASES)[number];

/** CDISC SDTM mapping hint for exporters (not a full mapping specification). */
export interface SdtmHint {
  /** Two-letter SDTM domain, e.g. `QS`, `MK`, `AE`. */
  readonly domain: string;
  /** --TESTCD: at most 8 characters, upper case, not starting with a digit. */
  readonly testCode?: string;
  /** --TEST: at most 40 characters. */
  readonly test?: string;
  /** --CAT, e.g. the instrument name. */
  readonly category?: string;
  /** SDTM variable the item maps to when it is not a test result (e.g. `AETERM`, `AESER`). */
  readonly variable?: string;
}

/** A code from an external terminology (LOINC, SNOMED CT, UCUM …). */
export interface Coding {
  /** Terminology URI, e.g. `http://loinc.org`. */
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/**
 * How a derived item is computed: a named method implemented elsewhere (e.g. `koos.symptoms` in
 * `src/core/scoring`) applied to the referenced inputs, with method parameters as data. The
 * built-in method `expression` computes a boolean from {@link Derivation.expression} with
 * `evaluateCondition`, so simple derived flags need no code at all.
 */
export interface Derivation {
  /** Method id; must be declared in the protocol's `derivationMethods` (or be `expression`). */
  readonly method: string;
  /** Items the method reads, in the order the method expects them. */
  readonly inputs: readonly ItemRef[];
  /** Method parameters (thresholds, rule versions) kept as configurable data. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** Only for `method: 'expression'`: the condition whose truth value is the item's value. */
  readonly expression?: Condition;
}

/**
 * Blinding metadata of one item: a potentially unblinding value (e.g. a de novo donor-specific
 * antibody, which only cell recipients can develop) is hidden from blinded roles unless listed.
 */
export interface ItemBlinding {
  readonly potentiallyUnblinding: true;
  /** Roles that may see the value while the trial is blinded. */
  readonly visibleTo: readonly Role[];
  /** Why the value could reveal the allocation. */
  readonly reason: LocalizedText;
}

/** Properties every item has, whatever its type. */
export interface ItemBase<Id extends string = string> {
  /** Item id, unique within its form; stable (it appears in stored records and exports). */
  readonly id: Id;
  /** Short label in our own wording. */
  readonly label: LocalizedText;
  /** Longer help text for the data-entry screen. */
  readonly help?: LocalizedText;
  /** The site must give a value when the item is shown (never set on derived items). */
  readonly required?: boolean;
  /** The item is shown (and may be required) only when this holds; unknown counts as hidden. */
  readonly showIf?: Condition;
  /** Present for derived (computed, read-only) items. */
  readonly derivation?: Derivation;
  /** What a missing value means when the item is optional, e.g. "null = never". */
  readonly nullMeaning?: LocalizedText;
  /** Restricts the item to some visits of the form's schedule (e.g. the M3-only de novo DSA). */
  readonly onlyAtVisits?: readonly string[];
  /** Key of the licensed wording in the site-installed translation file (e.g. `koos.S1`). */
  readonly licensedTextKey?: string;
  /** SDTM mapping hint. */
  readonly sdtm?: SdtmHint;
  /** External codes for the item (e.g. LOINC for KOOS subscale scores). */
  readonly codes?: readonly Coding[];
  /** Blinding metadata for potentially unblinding values. */
  readonly blinding?: ItemBlinding;
  /** Why this definition is as it is (spec fact, configurable default, design, unverified). */
  readonly basis?: Basis;
  /** Free-text note for the auditor (sources, open questions). */
  readonly note?: string;
}

/**
 * Properties that only some item types allow. Declared as `never` on the others, so a precision on
 * an integer item or a code list on a date item is a compile error even under const inference
 * (where excess-property checks do not apply).
 */
interface NoNumericProps {
  readonly unit?: never;
  readonly range?: never;
  readonly precision?: never;
}
interface NoCodeProps {
  readonly codeList?: never;
  readonly multiple?: never;
}
interface NoTextProps {
  readonly pattern?: never;
  readonly maxLength?: never;
  readonly multiline?: never;
}
interface NoFileProps {
  readonly mediaTypes?: never;
}

/** Whole number with unit and range (e.g. NRS 0–10, flexion degrees). */
export interface IntegerItem<Id extends string = string> extends ItemBase<Id>, NoCodeProps, NoTextProps, NoFileProps {
  readonly type: 'integer';
  readonly unit?: Unit;
  /** Required: every numeric item has hard limits. */
  readonly range: NumericRange;
  readonly precision?: never;
}

/** Decimal number with unit, range and number of decimals. */
export interface DecimalItem<Id extends string = string> extends ItemBase<Id>, NoCodeProps, NoTextProps, NoFileProps {
  readonly type: 'decimal';
  readonly unit?: Unit;
  /** Required: every numeric item has hard limits. */
  readonly range: NumericRange;
  /** Maximum number of decimals entered and shown (stored values may be unrounded when derived). */
  readonly precision?: number;
}

/** Free or patterned text. */
export interface TextItem<Id extends string = string> extends ItemBase<Id>, NoNumericProps, NoCodeProps, NoFileProps {
  readonly type: 'text';
  readonly maxLength?: number;
  readonly pattern?: TextPattern;
  /** Rendered as a text area. */
  readonly multiline?: boolean;
}

/** A value from a code list (single or multiple choice). */
export interface CodeItem<Id extends string = string, CL extends string = string>
  extends ItemBase<Id>, NoNumericProps, NoTextProps, NoFileProps {
  readonly type: 'code';
  /** Id of a code list declared in the protocol. */
  readonly codeList: CL;
  /** Multiple choice: the value is an array of codes. */
  readonly multiple?: boolean;
}

/** Items without type-specific properties: dates, date-times, partial dates, booleans. */
export interface PlainItem<Id extends string = string>
  extends ItemBase<Id>, NoNumericProps, NoCodeProps, NoTextProps, NoFileProps {
  readonly type: 'date' | 'datetime' | 'partial-date' | 'boolean';
}

/** An uploaded file (e.g. a signed consent scan, an MRI report). */
export interface FileItem<Id extends string = string> extends ItemBase<Id>, NoNumericProps, NoCodeProps, NoTextProps {
  readonly type: 'file';
  /** Accepted media types, e.g. `application/pdf`. */
  readonly mediaTypes?: readonly string[];
}

/** One eCRF item; a discriminated union on `type`. */
export type ItemDef<Id extends string = string, CL extends string = string> =
  IntegerItem<Id> | DecimalItem<Id> | TextItem<Id> | CodeItem<Id, CL> | PlainItem<Id> | FileItem<Id>;
