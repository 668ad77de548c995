import { describe, expect, it } from 'vitest';
import { collectConditionRefs, refKey, type Condition } from './condition.js';
import { combineAnd, combineOr, evaluateCondition, isUnanswered, negate, type Truth } from './evaluate-condition.js';

const T: Condition = { op: 'eq', item: 't', value: true };
const F: Condition = { op: 'eq', item: 'f', value: true };
const U: Condition = { op: 'eq', item: 'u', value: true };
const values = { t: true, f: false, u: null };
const operand: Record<string, Condition> = { true: T, false: F, unknown: U };
const truths: Truth[] = [true, false, 'unknown'];

describe('evaluateCondition — Kleene truth tables', () => {
  it('evaluates the three operands as intended', () => {
    expect(evaluateCondition(T, values)).toBe(true);
    expect(evaluateCondition(F, values)).toBe(false);
    expect(evaluateCondition(U, values)).toBe('unknown');
  });

  // Expected AND / OR tables, row = left operand, column = right operand, in the order true, false, unknown.
  const AND: Truth[][] = [
    [true, false, 'unknown'],
    [false, false, false],
    ['unknown', false, 'unknown'],
  ];
  const OR: Truth[][] = [
    [true, true, true],
    [true, false, 'unknown'],
    [true, 'unknown', 'unknown'],
  ];

  truths.forEach((a, i) =>
    truths.forEach((b, j) => {
      const left = operand[String(a)] as Condition;
      const right = operand[String(b)] as Condition;
      it(`${String(a)} AND ${String(b)} = ${String(AND[i]?.[j])}`, () => {
        expect(evaluateCondition({ op: 'and', conditions: [left, right] }, values)).toBe(AND[i]?.[j]);
        expect(combineAnd([a, b])).toBe(AND[i]?.[j]);
      });
      it(`${String(a)} OR ${String(b)} = ${String(OR[i]?.[j])}`, () => {
        expect(evaluateCondition({ op: 'or', conditions: [left, right] }, values)).toBe(OR[i]?.[j]);
        expect(combineOr([a, b])).toBe(OR[i]?.[j]);
      });
    }),
  );

  it('NOT swaps true and false and keeps unknown', () => {
    expect(evaluateCondition({ op: 'not', condition: T }, values)).toBe(false);
    expect(evaluateCondition({ op: 'not', condition: F }, values)).toBe(true);
    expect(evaluateCondition({ op: 'not', condition: U }, values)).toBe('unknown');
    expect(truths.map(negate)).toEqual([false, true, 'unknown']);
  });

  it('empty AND is true and empty OR is false', () => {
    expect(evaluateCondition({ op: 'and', conditions: [] }, values)).toBe(true);
    expect(evaluateCondition({ op: 'or', conditions: [] }, values)).toBe(false);
  });

  it('a decided operand decides an n-ary connective whatever the others are', () => {
    expect(evaluateCondition({ op: 'and', conditions: [U, U, F] }, values)).toBe(false);
    expect(evaluateCondition({ op: 'or', conditions: [U, T, U] }, values)).toBe(true);
  });
});

describe('evaluateCondition — comparisons', () => {
  it('eq / ne on a code value', () => {
    const female: Condition = { op: 'eq', item: 'sex', value: 'female' };
    expect(evaluateCondition(female, { sex: 'female' })).toBe(true);
    expect(evaluateCondition(female, { sex: 'male' })).toBe(false);
    expect(evaluateCondition(female, {})).toBe('unknown');
    expect(evaluateCondition({ op: 'ne', item: 'sex', value: 'female' }, { sex: 'male' })).toBe(true);
    expect(evaluateCondition({ op: 'ne', item: 'sex', value: 'female' }, { sex: null })).toBe('unknown');
  });

  it('compares strictly: the number 2 is not the string "2"', () => {
    expect(evaluateCondition({ op: 'eq', item: 'kl', value: 2 }, { kl: '2' })).toBe(false);
    expect(evaluateCondition({ op: 'eq', item: 'kl', value: 2 }, { kl: 2 })).toBe(true);
  });

  it('orders numbers, including the boundaries', () => {
    const cases: [Condition['op'], number, Truth][] = [
      ['lt', 3, false],
      ['le', 3, true],
      ['gt', 3, false],
      ['ge', 3, true],
      ['lt', 4, true],
      ['gt', 2.5, true],
    ];
    for (const [op, value, expected] of cases) {
      expect(evaluateCondition({ op, item: 'x', value } as Condition, { x: 3 })).toBe(expected);
    }
  });

  it('orders ISO date strings lexicographically', () => {
    const before: Condition = { op: 'lt', item: 'd', value: '2024-03-01' };
    expect(evaluateCondition(before, { d: '2024-02-29' })).toBe(true);
    expect(evaluateCondition(before, { d: '2024-03-01' })).toBe(false);
  });

  it('is unknown when an order comparison mixes types', () => {
    expect(evaluateCondition({ op: 'gt', item: 'x', value: 3 }, { x: '4' })).toBe('unknown');
    expect(evaluateCondition({ op: 'gt', item: 'x', value: 3 }, { x: true })).toBe('unknown');
  });

  it('in: membership, and unknown when unanswered', () => {
    const effusion: Condition = { op: 'in', item: 'stroke', values: ['trace', '1+', '2+', '3+'] };
    expect(evaluateCondition(effusion, { stroke: '2+' })).toBe(true);
    expect(evaluateCondition(effusion, { stroke: '0' })).toBe(false);
    expect(evaluateCondition(effusion, { stroke: undefined })).toBe('unknown');
  });

  it('a multi-select value equals a literal when it contains it', () => {
    expect(evaluateCondition({ op: 'eq', item: 'm', value: 'prp' }, { m: ['corticosteroid', 'prp'] })).toBe(true);
    expect(evaluateCondition({ op: 'in', item: 'm', values: ['other'] }, { m: ['prp'] })).toBe(false);
  });

  it('answered is never unknown', () => {
    const answered: Condition = { op: 'answered', item: 'x' };
    expect(evaluateCondition(answered, { x: 0 })).toBe(true);
    expect(evaluateCondition(answered, { x: false })).toBe(true);
    expect(evaluateCondition(answered, { x: null })).toBe(false);
    expect(evaluateCondition(answered, { x: '  ' })).toBe(false);
    expect(evaluateCondition(answered, {})).toBe(false);
  });
});

describe('references and unanswered values', () => {
  it('looks cross-form and cross-visit references up by their key', () => {
    const cond: Condition = {
      op: 'and',
      conditions: [
        { op: 'eq', item: 'sex', form: 'screening', value: 'female' },
        { op: 'eq', item: 'dsa', visit: 'BL', value: false },
      ],
    };
    expect(evaluateCondition(cond, { 'screening.sex': 'female', 'dsa@BL': false })).toBe(true);
    expect(evaluateCondition(cond, { sex: 'female', dsa: false })).toBe('unknown');
  });

  it('accepts a resolver function', () => {
    const cond: Condition = { op: 'ge', item: 'nrs', form: 'nrs', visit: 'M3', value: 4 };
    expect(evaluateCondition(cond, (ref) => (ref.form === 'nrs' && ref.visit === 'M3' ? 5 : null))).toBe(true);
  });

  it('builds reference keys', () => {
    expect(refKey({ item: 'a' })).toBe('a');
    expect(refKey({ item: 'a', form: 'f' })).toBe('f.a');
    expect(refKey({ item: 'a', visit: 'BL' })).toBe('a@BL');
    expect(refKey({ item: 'a', form: 'f', visit: 'BL' })).toBe('f.a@BL');
  });

  it('collects every reference of a tree', () => {
    const cond: Condition = {
      op: 'or',
      conditions: [
        { op: 'not', condition: { op: 'answered', item: 'a' } },
        { op: 'eq', item: 'b', form: 'f', value: 1 },
      ],
    };
    expect(collectConditionRefs(cond)).toEqual([{ item: 'a' }, { item: 'b', form: 'f' }]);
  });

  it('treats null, undefined, blank strings, empty arrays and NaN as unanswered', () => {
    expect([null, undefined, '', ' ', [], Number.NaN].every(isUnanswered)).toBe(true);
    expect([0, false, 'x', ['a']].some(isUnanswered)).toBe(false);
  });
});
