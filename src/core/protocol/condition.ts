/**
 * Conditions (show-conditions, expression derivations) are small typed expression trees, never
 * strings to evaluate: they can be validated, diffed, exported (ODM ConditionDef / FHIR enableWhen)
 * and evaluated by one pure function.
 */

/**
 * Reference to an item. Without `form` it names an item of the same form; with `form` (and
 * optionally `visit`) it is an explicit, declared cross-form or cross-visit reference, which the
 * validator resolves against the protocol. `visit` alone means the same form at another visit
 * (e.g. the baseline value of the same item).
 */
export interface ItemRef {
  readonly item: string;
  readonly form?: string;
  readonly visit?: string;
}

/** A literal a condition compares an item with. */
export type ConditionScalar = string | number | boolean;

/** Operators that compare an item with one literal for (in)equality. */
export const EQUALITY_OPS = ['eq', 'ne'] as const;
/** Operators that order an item against a literal (numbers, or ISO date strings). */
export const ORDER_OPS = ['lt', 'le', 'gt', 'ge'] as const;
/** Boolean connectives. */
export const LOGICAL_OPS = ['and', 'or'] as const;
/** Every condition operator. */
export const CONDITION_OPS = [...EQUALITY_OPS, ...ORDER_OPS, 'in', 'answered', ...LOGICAL_OPS, 'not'] as const;

/** One condition operator. */
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** `item = value` / `item ≠ value`. */
export interface EqualityCondition extends ItemRef {
  readonly op: (typeof EQUALITY_OPS)[number];
  readonly value: ConditionScalar;
}

/** `item < value` etc.; numbers compare numerically, strings (ISO dates) lexicographically. */
export interface OrderCondition extends ItemRef {
  readonly op: (typeof ORDER_OPS)[number];
  readonly value: number | string;
}

/** `item ∈ values`. */
export interface InCondition extends ItemRef {
  readonly op: 'in';
  readonly values: readonly ConditionScalar[];
}

/** True when the item has a value, false when it has none; never unknown. */
export interface AnsweredCondition extends ItemRef {
  readonly op: 'answered';
}

/** Kleene conjunction / disjunction of sub-conditions. */
export interface LogicalCondition {
  readonly op: (typeof LOGICAL_OPS)[number];
  readonly conditions: readonly Condition[];
}

/** Kleene negation. */
export interface NotCondition {
  readonly op: 'not';
  readonly condition: Condition;
}

/** A typed condition tree, e.g. `{ op: 'eq', item: 'sex', value: 'female' }`. */
export type Condition =
  EqualityCondition | OrderCondition | InCondition | AnsweredCondition | LogicalCondition | NotCondition;

/**
 * The key under which a referenced value is looked up in a plain value record:
 * `item`, `form.item`, `item@visit` or `form.item@visit`.
 */
export function refKey(ref: ItemRef): string {
  const base = ref.form === undefined ? ref.item : `${ref.form}.${ref.item}`;
  return ref.visit === undefined ? base : `${base}@${ref.visit}`;
}

/** Every item reference a condition reads, in depth-first order (duplicates kept). */
export function collectConditionRefs(condition: Condition): ItemRef[] {
  switch (condition.op) {
    case 'and':
    case 'or':
      return condition.conditions.flatMap(collectConditionRefs);
    case 'not':
      return collectConditionRefs(condition.condition);
    default: {
      const ref: { item: string; form?: string; visit?: string } = { item: condition.item };
      if (condition.form !== undefined) ref.form = condition.form;
      if (condition.visit !== undefined) ref.visit = condition.visit;
      return [ref];
    }
  }
}
