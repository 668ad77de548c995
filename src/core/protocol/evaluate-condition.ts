import { refKey, type Condition, type ConditionScalar, type ItemRef } from './condition.js';

/** Three-valued (Kleene) truth: a condition over incomplete data may be undecided. */
export type Truth = true | false | 'unknown';

/**
 * Where `evaluateCondition` reads values: a plain record keyed by {@link refKey}
 * (`sex`, `screening.sex`, `dsa_detected@BL`), or a resolver function.
 */
export type ConditionValues = Readonly<Record<string, unknown>> | ((ref: ItemRef) => unknown);

/**
 * Whether a stored value counts as "no answer". `null`/`undefined`, the empty string and an empty
 * array (multi-select) are all unanswered, so that a cleared field behaves like a never-filled one.
 */
export function isUnanswered(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'number' && Number.isNaN(value))
  );
}

/**
 * Evaluates a condition with Kleene three-valued logic.
 *
 * - A comparison on an unanswered item is `unknown`; `answered` is never unknown.
 * - `and` is false as soon as one operand is false, true only when all are true (empty `and` = true);
 *   `or` is true as soon as one operand is true, false only when all are false (empty `or` = false).
 * - `eq`/`ne`/`in` compare strictly (the number 2 is not the string '2'); a multi-select (array)
 *   value equals a literal when it contains it.
 * - Order comparisons need two numbers or two strings (ISO dates order lexicographically);
 *   anything else is `unknown`, because the comparison is undefined rather than false.
 *
 * @param condition - the condition tree
 * @param values - the values the condition reads
 * @returns true, false or 'unknown'
 */
export function evaluateCondition(condition: Condition, values: ConditionValues): Truth {
  const read = (ref: ItemRef): unknown => (typeof values === 'function' ? values(ref) : values[refKey(ref)]);
  switch (condition.op) {
    case 'and':
      return combineAnd(condition.conditions.map((c) => evaluateCondition(c, values)));
    case 'or':
      return combineOr(condition.conditions.map((c) => evaluateCondition(c, values)));
    case 'not':
      return negate(evaluateCondition(condition.condition, values));
    case 'answered':
      return !isUnanswered(read(condition));
    case 'eq':
    case 'ne': {
      const value = read(condition);
      if (isUnanswered(value)) return 'unknown';
      const equal = matchesScalar(value, condition.value);
      return condition.op === 'eq' ? equal : !equal;
    }
    case 'in': {
      const value = read(condition);
      if (isUnanswered(value)) return 'unknown';
      return condition.values.some((literal) => matchesScalar(value, literal));
    }
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const value = read(condition);
      if (isUnanswered(value)) return 'unknown';
      const order = compare(value, condition.value);
      if (order === undefined) return 'unknown';
      switch (condition.op) {
        case 'lt':
          return order < 0;
        case 'le':
          return order <= 0;
        case 'gt':
          return order > 0;
        case 'ge':
          return order >= 0;
      }
    }
  }
}

/** Kleene AND over already evaluated operands. */
export function combineAnd(operands: readonly Truth[]): Truth {
  if (operands.includes(false)) return false;
  return operands.includes('unknown') ? 'unknown' : true;
}

/** Kleene OR over already evaluated operands. */
export function combineOr(operands: readonly Truth[]): Truth {
  if (operands.includes(true)) return true;
  return operands.includes('unknown') ? 'unknown' : false;
}

/** Kleene NOT. */
export function negate(operand: Truth): Truth {
  return operand === 'unknown' ? 'unknown' : !operand;
}

function matchesScalar(value: unknown, literal: ConditionScalar): boolean {
  if (Array.isArray(value)) return value.some((v) => v === literal);
  return value === literal;
}

function compare(value: unknown, literal: number | string): number | undefined {
  if (typeof value === 'number' && typeof literal === 'number') return value - literal;
  if (typeof value === 'string' && typeof literal === 'string') return value < literal ? -1 : value > literal ? 1 : 0;
  return undefined;
}
