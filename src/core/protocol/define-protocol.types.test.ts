/**
 * Type-level tests: each `@ts-expect-error` line must fail to compile for the stated reason
 * (`tsc --noEmit` reports an unused directive otherwise), and `expectTypeOf` pins inferred types.
 * The bodies are wrapped in functions that never run; only the compiler evaluates them.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ArmCode, ArmContrast, ArmDef } from './arms.js';
import type { Condition } from './condition.js';
import {
  defineCodeList,
  defineForm,
  defineProtocol,
  type FormIdOf,
  type FormOf,
  type ItemIdOf,
  type VisitCodeOf,
} from './define-protocol.js';
import type { ProtocolDefinition } from './definition-types.js';
import type { ItemDef } from './item-types.js';
import { getForm } from './protocol-queries.js';
import { STEMJOINT_PROTOCOL, type StemjointProtocol } from './stemjoint.js';

const label = { da: 'x', en: 'x' };
const group = { id: 'g', oid: 'IG.G', name: label } as const;
const formBase = { oid: 'F.X', title: label, kind: 'scheduled', repeating: false, respondent: 'site' } as const;
const visitBase = { oid: 'SE.M6', name: label, kind: 'follow_up', targetDay: 182, window: null } as const;

describe('inferred literal ids', () => {
  it('infers the form ids, visit codes and item ids of STEMJOINT', () => {
    expectTypeOf<FormIdOf<StemjointProtocol>>().toEqualTypeOf<
      | 'screening'
      | 'consent'
      | 'demographics'
      | 'medical_history'
      | 'xray'
      | 'koos'
      | 'nrs'
      | 'pain_diary'
      | 'clinical_exam'
      | 'mri_moaks'
      | 'mri_quant'
      | 'hla_typing'
      | 'hla_antibody'
      | 'blinding_assessment'
      | 'administration'
      | 'adverse_event'
      | 'conmed'
      | 'end_of_study'
      | 'unscheduled_visit'
      | 'protocol_deviation'
      | 'donor'
      | 'product_lot'
      | 'product_vial'
      | 'product_thaw'
      | 'dose_preparation'
      | 'donor_hla_typing'
    >();
    expectTypeOf<VisitCodeOf<StemjointProtocol>>().toEqualTypeOf<
      'SCR' | 'BL' | 'D' | 'M3' | 'M12' | 'M24' | 'Y3' | 'Y4' | 'Y5'
    >();
    expectTypeOf<'S7' | 'SP5' | 'koos_symptoms'>().toExtend<ItemIdOf<FormOf<StemjointProtocol, 'koos'>>>();
    expectTypeOf<'S8'>().not.toExtend<ItemIdOf<FormOf<StemjointProtocol, 'koos'>>>();
    expectTypeOf<'right_flexion_deg' | 'left_effusion'>().toExtend<
      ItemIdOf<FormOf<StemjointProtocol, 'clinical_exam'>>
    >();
    expectTypeOf<'pregnant_or_breastfeeding' | 'bmi'>().toExtend<ItemIdOf<FormOf<StemjointProtocol, 'screening'>>>();
  });

  it('keeps the typed protocol assignable to the loose definition type', () => {
    expectTypeOf(STEMJOINT_PROTOCOL).toExtend<ProtocolDefinition>();
    expectTypeOf(getForm(STEMJOINT_PROTOCOL, 'koos').id).toEqualTypeOf<'koos'>();
  });
});

describe('mistakes that do not compile', () => {
  it('item properties are checked per item type', () => {
    const check = () => [
      defineForm({
        ...formBase,
        id: 'items',
        itemGroups: [
          {
            ...group,
            items: [
              { id: 'ok', type: 'decimal', label, precision: 1, range: { hardMin: 0, hardMax: 1 } },
              // @ts-expect-error a decimal requires a range
              { id: 'no_range', type: 'decimal', label },
              // @ts-expect-error the range of a decimal must be numeric
              { id: 'text_range', type: 'decimal', label, range: { hardMin: '0', hardMax: 1 } },
              // @ts-expect-error precision is only allowed on decimals
              { id: 'int_precision', type: 'integer', label, precision: 1, range: { hardMin: 0, hardMax: 1 } },
              // @ts-expect-error a boolean has no range
              { id: 'bool_range', type: 'boolean', label, range: { hardMin: 0, hardMax: 1 } },
              // @ts-expect-error a code item needs a code list
              { id: 'no_list', type: 'code', label },
              // @ts-expect-error a date cannot name a code list
              { id: 'date_list', type: 'date', label, codeList: 'sex' },
              // @ts-expect-error unknown item type
              { id: 'float', type: 'float', label },
            ],
          },
        ],
      }),
    ];
    expect(typeof check).toBe('function');
    const ok: ItemDef = { id: 'x', type: 'text', label, pattern: { regex: '^a$', description: label } };
    expect(ok.type).toBe('text');
  });

  it('arm codes outside ADMSC | SALINE do not compile where arms are referenced', () => {
    const check = () => {
      const good: ArmCode = 'ADMSC';
      // @ts-expect-error PLACEBO is not an arm code
      const bad: ArmCode = 'PLACEBO';
      const arm: ArmDef = {
        // @ts-expect-error arms are ADMSC or SALINE
        code: 'CELLS',
        label,
        role: 'experimental',
        intervention: label,
        ratio: 1,
      };
      // @ts-expect-error contrasts name fixed arms
      const contrast: ArmContrast = { active: 'ADMSC', control: 'PLACEBO' };
      return [good, bad, arm, contrast];
    };
    expect(typeof check).toBe('function');
  });

  it('a schedule referencing an unknown form id does not compile', () => {
    const check = () =>
      defineProtocol({
        ...STEMJOINT_PROTOCOL,
        // @ts-expect-error visit M6 lists 'mri_moakz', which is not a declared form id
        visits: [...STEMJOINT_PROTOCOL.visits, { ...visitBase, code: 'M6', forms: ['koos', 'mri_moakz'] }],
      });
    expect(typeof check).toBe('function');
  });

  it('criteria, strata, outcomes and blinding reference declared forms, items and visits', () => {
    const check = () => [
      defineProtocol({
        ...STEMJOINT_PROTOCOL,
        criteria: [
          // @ts-expect-error 'birth_date' is not an item of the screening form
          { ...STEMJOINT_PROTOCOL.criteria[0], items: ['birth_date'] },
        ],
      }),
      defineProtocol({
        ...STEMJOINT_PROTOCOL,
        strata: [
          // @ts-expect-error 'site_id' is not an item of the screening form
          { id: 'site', label, form: 'screening', item: 'site_id', levels: [] },
        ],
      }),
      defineProtocol({
        ...STEMJOINT_PROTOCOL,
        outcomes: [
          {
            ...STEMJOINT_PROTOCOL.outcomes[1],
            // @ts-expect-error 'M6' is not a visit of the protocol
            visits: ['BL', 'M6'],
          },
        ],
      }),
      defineProtocol({
        ...STEMJOINT_PROTOCOL,
        // @ts-expect-error the blinding assessment must be a declared form
        blinding: { ...STEMJOINT_PROTOCOL.blinding, assessment: { form: 'blinding', visits: ['M3'] } },
      }),
    ];
    expect(typeof check).toBe('function');
  });

  it('a code item naming an undeclared code list does not compile in a protocol', () => {
    const sexList = defineCodeList({
      id: 'sex',
      oid: 'CL.SEX',
      name: label,
      dataType: 'text',
      items: [{ code: 'female', label }],
    });
    const form = defineForm({
      ...formBase,
      id: 'f',
      itemGroups: [{ ...group, items: [{ id: 'sex', type: 'code', codeList: 'gender', label }] }],
    });
    const check = () =>
      defineProtocol({
        ...STEMJOINT_PROTOCOL,
        codeLists: [sexList],
        // @ts-expect-error form 'f' uses code list 'gender', which is not declared
        forms: [form],
        visits: [],
        criteria: [],
        strata: [],
        outcomes: [],
        blinding: { ...STEMJOINT_PROTOCOL.blinding, assessment: { form: 'f', visits: [] } },
      });
    expect(typeof check).toBe('function');
  });

  it('roles, form lookups and condition operators are closed sets', () => {
    const check = () => [
      defineForm({
        ...formBase,
        id: 'secret',
        // @ts-expect-error 'pharmacist' is not a role
        blinding: { level: 'unblinded_only', visibleTo: ['pharmacist'], reason: label },
        itemGroups: [],
      }),
      // @ts-expect-error 'koo' is not a form of STEMJOINT
      getForm(STEMJOINT_PROTOCOL, 'koo'),
    ];
    // @ts-expect-error 'contains' is not a condition operator
    const condition: Condition = { op: 'contains', item: 'x', value: 'y' };
    expect(typeof check).toBe('function');
    expect(condition.op).toBe('contains');
  });
});
