import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTrialError, type TrialError } from '../errors.js';
import type { ProtocolDefinition } from './definition-types.js';
import { loadProtocol } from './load-protocol.js';
import { STEMJOINT_PROTOCOL } from './stemjoint.js';
import { asDefinition, draftForm, draftItem, draftVisit, stemjointDraft } from './test-support.js';
import { validateProtocol, type ValidationResult } from './validate-protocol.js';

/** The error issues whose path is exactly `path`. */
const at = (result: ValidationResult, path: string) => result.errors.filter((e) => e.path === path);

/** Validates a draft after applying `edit`. */
function validateWith(edit: (draft: ReturnType<typeof stemjointDraft>) => void): ValidationResult {
  const draft = stemjointDraft();
  edit(draft);
  return validateProtocol(asDefinition(draft));
}

function loadError(definition: ProtocolDefinition): TrialError {
  try {
    loadProtocol(definition);
  } catch (error) {
    if (isTrialError(error)) return error;
    throw error;
  }
  throw new Error('expected loadProtocol to throw');
}

describe('validateProtocol on STEMJOINT', () => {
  it('has no errors and no warnings', () => {
    const result = validateProtocol(STEMJOINT_PROTOCOL);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('loadProtocol returns the definition frozen', () => {
    const loaded = loadProtocol(stemjointDraft() as unknown as ProtocolDefinition);
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.forms[0]?.itemGroups[0]?.items[0])).toBe(true);
  });
});

describe('dangling references', () => {
  it('a visit listing an undefined form fails to load, naming the form and the path', () => {
    const draft = stemjointDraft();
    draftVisit(draft, 'M3').forms.push('mri_moakz');
    const result = validateProtocol(asDefinition(draft));
    expect(at(result, 'visits[M3].forms[mri_moakz]')).toMatchObject([
      { code: 'unresolved_reference', message: "form 'mri_moakz' is not defined" },
    ]);
    const error = loadError(asDefinition(draft));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('mri_moakz');
    expect(error.message).toContain('visits[M3].forms[mri_moakz]');
    expect(error.details).toContainEqual({
      path: 'visits[M3].forms[mri_moakz]',
      message: "form 'mri_moakz' is not defined",
      code: 'unresolved_reference',
    });
  });

  it('a code item naming an undefined code list', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'sex').codeList = 'gender';
    });
    expect(at(result, 'forms[screening].items[sex].codeList')[0]?.message).toBe("code list 'gender' is not defined");
  });

  it('a show-condition reading an item that is not in the same form', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'pregnant_or_breastfeeding').showIf = { op: 'eq', item: 'gender', value: 'female' };
    });
    expect(at(result, 'forms[screening].items[pregnant_or_breastfeeding].showIf[gender]')[0]?.message).toContain(
      "item 'gender' does not exist in the same form 'screening'",
    );
  });

  it('a cross-form reference must name an existing form and item', () => {
    const result = validateWith((d) => {
      draftItem(d, 'demographics', 'alcohol_units_week').showIf = {
        op: 'or',
        conditions: [
          { op: 'eq', item: 'sex', form: 'screenin', value: 'female' },
          { op: 'eq', item: 'sexx', form: 'screening', value: 'female' },
          { op: 'eq', item: 'sex', form: 'screening', value: 'female' },
        ],
      };
    });
    const base = 'forms[demographics].items[alcohol_units_week].showIf';
    expect(at(result, `${base}.conditions[0][screenin.sex]`)[0]?.message).toBe("form 'screenin' is not defined");
    expect(at(result, `${base}.conditions[1][screening.sexx]`)[0]?.message).toBe(
      "item 'sexx' does not exist in form 'screening'",
    );
    expect(result.errors).toHaveLength(2);
  });

  it('a cross-visit reference needs the form to be collected at that visit', () => {
    const result = validateWith((d) => {
      const derivation = draftItem(d, 'pain_diary', 'diary_day').derivation as { inputs: unknown[] };
      derivation.inputs[1] = { form: 'administration', item: 'administration_datetime', visit: 'M3' };
    });
    expect(
      at(result, 'forms[pain_diary].items[diary_day].derivation.inputs[administration.administration_datetime@M3]'),
    ).toMatchObject([{ code: 'not_scheduled', message: "form 'administration' is not collected at visit 'M3'" }]);
  });

  it('a derivation with an undeclared method or a missing input', () => {
    const result = validateWith((d) => {
      draftItem(d, 'koos', 'koos_pain').derivation = {
        method: 'koos.painn',
        inputs: [{ item: 'P1' }, { item: 'P10' }],
      };
    });
    expect(at(result, 'forms[koos].items[koos_pain].derivation.method')[0]?.message).toBe(
      "derivation method 'koos.painn' is not declared",
    );
    expect(at(result, 'forms[koos].items[koos_pain].derivation.inputs[P10]')[0]?.code).toBe('unresolved_reference');
  });

  it('an expression that reads an item not listed among its inputs', () => {
    const result = validateWith((d) => {
      const derivation = draftItem(d, 'clinical_exam', 'right_effusion').derivation as { inputs: unknown[] };
      derivation.inputs.pop();
    });
    expect(
      at(result, 'forms[clinical_exam].items[right_effusion].derivation.expression[right_patellar_tap]')[0]?.message,
    ).toContain('not among the inputs');
  });

  it('a criterion reading an item the screening form does not have', () => {
    const result = validateWith((d) => {
      const ec9 = d.criteria.find((c) => c.id === 'EC9');
      ec9?.items.push('meniscal_surgeries');
    });
    expect(at(result, 'criteria[EC9].items[meniscal_surgeries]')[0]?.message).toBe(
      "item 'meniscal_surgeries' does not exist in form 'screening'",
    );
  });

  it('a stratum on an unknown item, and a level value outside the item range', () => {
    const unknownItem = validateWith((d) => {
      const stratum = d.strata[0];
      if (stratum) stratum.item = 'kl';
    });
    expect(at(unknownItem, 'strata[kl_grade].item')[0]?.code).toBe('unresolved_reference');
    const outOfRange = validateWith((d) => {
      d.strata[0]?.levels[1]?.values.push(5);
    });
    expect(at(outOfRange, 'strata[kl_grade].levels[KL3]')[0]?.message).toContain('outside the range');
  });

  it('outcomes must read existing items at visits where their forms are collected', () => {
    const result = validateWith((d) => {
      const koos = d.outcomes.find((o) => o.id === 'koos_symptoms');
      koos?.data[0]?.items.push('koos_total');
      const moaks = d.outcomes.find((o) => o.id === 'moaks');
      moaks?.visits.push('Y3', 'Y9');
    });
    expect(at(result, 'outcomes[koos_symptoms].data[koos].items[koos_total]')[0]?.code).toBe('unresolved_reference');
    expect(at(result, 'outcomes[moaks].visits[Y3]')[0]?.message).toBe(
      "none of the outcome's forms (mri_moaks) is collected at visit 'Y3'",
    );
    expect(at(result, 'outcomes[moaks].visits[Y9]')[0]?.message).toBe("visit 'Y9' is not defined");
  });

  it('blinding metadata must name declared roles', () => {
    const result = validateWith((d) => {
      const blinding = draftItem(d, 'hla_antibody', 'de_novo_dsa').blinding as { visibleTo: string[] };
      blinding.visibleTo = ['dsmb', 'pharmacist'];
    });
    expect(at(result, 'forms[hla_antibody].items[de_novo_dsa].blinding.visibleTo[pharmacist]')[0]?.message).toBe(
      "role 'pharmacist' is not defined",
    );
  });

  it('an item restricted to a visit where its form is not collected', () => {
    const result = validateWith((d) => {
      draftItem(d, 'hla_antibody', 'de_novo_dsa').onlyAtVisits = ['M12'];
    });
    expect(at(result, 'forms[hla_antibody].items[de_novo_dsa].onlyAtVisits[M12]')[0]?.code).toBe('not_scheduled');
  });

  it('the blinding assessment must be scheduled at its visits', () => {
    const result = validateWith((d) => {
      d.blinding.assessment.visits.push('M24');
    });
    expect(at(result, 'blinding.assessment.visits[M24]')[0]?.code).toBe('not_scheduled');
  });

  it('an arm code outside ADMSC | SALINE (JSON input) and a missing fixed arm', () => {
    const result = validateWith((d) => {
      const arm = d.arms[1] as unknown as { code: string };
      arm.code = 'PLACEBO';
    });
    expect(at(result, 'arms[PLACEBO]')[0]?.message).toContain("arm code 'PLACEBO' is not one of ADMSC, SALINE");
    expect(at(result, 'arms')[0]?.message).toBe("fixed arm 'SALINE' is missing");
    expect(at(result, 'outcomes[koos_symptoms].analysis.contrast.control')[0]?.code).toBe('unresolved_reference');
  });

  it('a value literal that is not a code of the item', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'pregnant_or_breastfeeding').showIf = { op: 'eq', item: 'sex', value: 'F' };
    });
    expect(at(result, 'forms[screening].items[pregnant_or_breastfeeding].showIf[sex]')[0]?.message).toBe(
      `"F" is not a code of code list 'sex' of item 'sex'`,
    );
  });
});

describe('duplicate ids', () => {
  it('duplicate form id', () => {
    const result = validateWith((d) => {
      const copy = structuredClone(draftForm(d, 'nrs'));
      copy.oid = 'F.NRS2';
      copy.itemGroups = [];
      d.forms.push(copy);
    });
    expect(at(result, 'forms[nrs]')[0]?.message).toBe("duplicate form id 'nrs'");
  });

  it('duplicate item id within a form, even across item groups', () => {
    const result = validateWith((d) => {
      const qol = draftForm(d, 'koos').itemGroups.find((g) => g.id === 'qol');
      const s1 = structuredClone(draftItem(d, 'koos', 'S1'));
      qol?.items.push(s1 as unknown as NonNullable<typeof qol>['items'][number]);
    });
    expect(at(result, 'forms[koos].items[S1]')[0]?.message).toBe("duplicate item id 'S1'");
  });

  it('the same item id in two different forms is fine', () => {
    expect(validateProtocol(STEMJOINT_PROTOCOL).ok).toBe(true);
    // knee_side exists in mri_moaks, mri_quant and administration.
    const forms = STEMJOINT_PROTOCOL.forms.filter((f) =>
      f.itemGroups.some((g) => g.items.some((i) => i.id === 'knee_side')),
    );
    expect(forms.length).toBeGreaterThan(1);
  });

  it('duplicate visit, code list, criterion, outcome and OID', () => {
    const result = validateWith((d) => {
      d.visits.push({ ...structuredClone(draftVisit(d, 'Y5')), oid: 'SE.Y5B', targetDay: 1900 });
      const sex = d.codeLists.find((c) => c.id === 'sex');
      if (sex) d.codeLists.push({ ...structuredClone(sex), oid: 'CL.SEX2' });
      const ec1 = d.criteria.find((c) => c.id === 'EC1');
      if (ec1) d.criteria.push(structuredClone(ec1));
      const o = d.outcomes[0];
      if (o) d.outcomes.push({ ...structuredClone(o), registryOrder: 11 });
      draftForm(d, 'conmed').oid = 'F.AE';
    });
    expect(at(result, 'visits[Y5]')[0]?.code).toBe('duplicate_id');
    expect(at(result, 'codeLists[sex]')[0]?.code).toBe('duplicate_id');
    expect(at(result, 'criteria[EC1]')[0]?.code).toBe('duplicate_id');
    expect(at(result, 'outcomes[adverse_events]')[0]?.code).toBe('duplicate_id');
    expect(at(result, 'forms[conmed].oid')[0]?.message).toBe("OID 'F.AE' is also used by forms[adverse_event].oid");
  });

  it('code lists must be non-empty with unique codes fitting their data type', () => {
    const result = validateWith((d) => {
      const swelling = d.codeLists.find((c) => c.id === 'swelling');
      (swelling?.items as unknown[] | undefined)?.push({ code: 'mild', label: { da: 'Let', en: 'Mild' } });
      const sex = d.codeLists.find((c) => c.id === 'sex');
      if (sex) sex.items = [];
      const koos = d.codeLists.find((c) => c.id === 'koos_a');
      (koos?.items as unknown[] | undefined)?.push({ code: '5', label: { da: '5', en: '5' } });
    });
    expect(at(result, 'codeLists[swelling].items[mild]')[0]).toMatchObject({ code: 'duplicate_code' });
    expect(at(result, 'codeLists[sex].items')[0]).toMatchObject({ code: 'empty_code_list' });
    expect(at(result, 'codeLists[koos_a].items[5]')[0]?.message).toContain("does not fit data type 'integer'");
  });
});

describe('ranges and type-specific properties', () => {
  it('hard min above hard max (the S9 example from the brief)', () => {
    const result = validateWith((d) => {
      const pain = draftForm(d, 'koos').itemGroups.find((g) => g.id === 'pain');
      pain?.items.push({
        id: 'S9',
        type: 'integer',
        label: { da: 'x', en: 'x' },
        range: { hardMin: 4, hardMax: 0 },
      } as unknown as NonNullable<typeof pain>['items'][number]);
    });
    expect(at(result, 'forms[koos].items[S9].range')[0]?.message).toContain('hardMin (4) must not exceed hardMax (0)');
  });

  it.each([
    [{ hardMin: 120, softMin: 100, softMax: 205, hardMax: 220 }, 'hardMin (120) must not exceed softMin (100)'],
    [{ hardMin: 120, softMin: 145, softMax: 230, hardMax: 220 }, 'softMax (230) must not exceed hardMax (220)'],
    [{ hardMin: 120, softMin: 210, softMax: 150, hardMax: 220 }, 'softMin (210) must not exceed softMax (150)'],
  ])('range %j is rejected', (range, message) => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'height_cm').range = range;
    });
    expect(
      at(result, 'forms[screening].items[height_cm].range')
        .map((e) => e.message)
        .join(' | '),
    ).toContain(message);
  });

  it('reports structural problems (missing or mistyped properties, unknown keys) with precise paths', () => {
    const result = validateWith((d) => {
      const height = draftItem(d, 'screening', 'height_cm');
      height.range = { hardMin: 120 };
      height.rnage = { hardMin: 120, hardMax: 220 };
      draftItem(d, 'screening', 'weight_kg').range = { hardMin: Number.NaN, hardMax: 250 };
      (draftVisit(d, 'M3') as unknown as Record<string, unknown>).forms = 'koos';
    });
    expect(result.errors).toEqual([
      {
        severity: 'error',
        code: 'invalid_structure',
        path: 'forms[screening].items[height_cm].range.hardMax',
        message: 'is required (number)',
      },
      {
        severity: 'error',
        code: 'invalid_structure',
        path: 'forms[screening].items[height_cm].rnage',
        message: "unknown property 'rnage'",
      },
      {
        severity: 'error',
        code: 'invalid_structure',
        path: 'forms[screening].items[weight_kg].range.hardMin',
        message: 'expected number, received NaN',
      },
      {
        severity: 'error',
        code: 'invalid_structure',
        path: 'visits[M3].forms',
        message: 'expected array, received string',
      },
    ]);
  });

  it('a numeric item without a range', () => {
    const result = validateWith((d) => {
      delete draftItem(d, 'screening', 'weight_kg').range;
    });
    expect(at(result, 'forms[screening].items[weight_kg].range')[0]?.message).toBe(
      "decimal item 'weight_kg' needs a range",
    );
  });

  it('integer limits must be integers', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'nrs_worst').range = { hardMin: 0, hardMax: 10.5 };
    });
    expect(at(result, 'forms[screening].items[nrs_worst].range')[0]?.message).toBe(
      'hardMax of an integer item must be an integer',
    );
  });

  it('precision only on decimals, and only whole non-negative numbers of decimals', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'kl_grade').precision = 1;
      draftItem(d, 'screening', 'jsw_mm').precision = -1;
    });
    expect(at(result, 'forms[screening].items[kl_grade].precision')[0]?.message).toBe(
      'precision is only allowed on decimal items',
    );
    expect(at(result, 'forms[screening].items[jsw_mm].precision')[0]?.code).toBe('invalid_property');
  });

  it('range and code list only where they belong, and a valid text pattern', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'diabetes').range = { hardMin: 0, hardMax: 1 };
      draftItem(d, 'screening', 'screening_date').codeList = 'sex';
      draftItem(d, 'hla_typing', 'hla_a_1').pattern = { regex: '^A*[', description: { da: 'x', en: 'x' } };
    });
    expect(at(result, 'forms[screening].items[diabetes].range')[0]?.message).toBe(
      'range is only allowed on integer and decimal items',
    );
    expect(at(result, 'forms[screening].items[screening_date].codeList')[0]?.code).toBe('invalid_property');
    expect(at(result, 'forms[hla_typing].items[hla_a_1].pattern')[0]?.message).toContain(
      'not a valid regular expression',
    );
  });

  it('labels need Danish and English text', () => {
    const result = validateWith((d) => {
      draftItem(d, 'nrs', 'nrs_pain').label = { da: '', en: 'Pain' };
    });
    expect(at(result, 'forms[nrs].items[nrs_pain].label.da')[0]?.code).toBe('invalid_property');
  });

  it('SDTM test codes must be at most 8 characters and not start with a digit', () => {
    const result = validateWith((d) => {
      draftItem(d, 'koos', 'S1').sdtm = { domain: 'QS', testCode: 'KOOSSYMPTOM' };
      draftItem(d, 'koos', 'S2').sdtm = { domain: 'QS', testCode: '1KOOS' };
    });
    expect(at(result, 'forms[koos].items[S1].sdtm.testCode')).toHaveLength(1);
    expect(at(result, 'forms[koos].items[S2].sdtm.testCode')).toHaveLength(1);
  });
});

describe('derivations and visits', () => {
  it('detects cyclic derivations', () => {
    const result = validateWith((d) => {
      draftItem(d, 'koos', 'koos_pain').derivation = { method: 'koos.pain', inputs: [{ item: 'koos_qol' }] };
      draftItem(d, 'koos', 'koos_qol').derivation = { method: 'koos.qol', inputs: [{ item: 'koos_pain' }] };
    });
    expect(result.errors.filter((e) => e.code === 'cycle')).toHaveLength(1);
    expect(result.errors.find((e) => e.code === 'cycle')?.message).toMatch(
      /koos_pain → koos_qol → koos_pain|koos_qol → koos_pain → koos_qol/,
    );
  });

  it('a derived item cannot be required, and its type must match the method', () => {
    const result = validateWith((d) => {
      draftItem(d, 'screening', 'bmi').required = true;
      draftItem(d, 'screening', 'age').derivation = { method: 'bmi', inputs: [{ item: 'height_cm' }] };
    });
    expect(at(result, 'forms[screening].items[bmi].required')[0]?.code).toBe('invalid_property');
    expect(at(result, 'forms[screening].items[age].derivation.method')[0]?.message).toBe(
      "method 'bmi' yields decimal but item 'age' is integer",
    );
  });

  it('windows must be non-negative and the diary instance codes must not collide with visits', () => {
    const result = validateWith((d) => {
      const m3 = draftVisit(d, 'M3');
      m3.window = { before: -1, after: 14 };
      const y5 = draftVisit(d, 'Y5');
      y5.code = 'D12';
    });
    expect(at(result, 'visits[M3].window')[0]?.code).toBe('invalid_range');
    expect(at(result, 'visits[D].repeat')[0]?.message).toBe("diary instance code 'D12' collides with a visit");
  });

  it('a scheduled form that no visit collects is a warning, not an error', () => {
    const result = validateWith((d) => {
      const m3 = draftVisit(d, 'M3');
      const m12 = draftVisit(d, 'M12');
      m3.forms = m3.forms.filter((f) => f !== 'blinding_assessment');
      m12.forms = m12.forms.filter((f) => f !== 'blinding_assessment');
      d.blinding.assessment.visits = [];
    });
    expect(result.ok).toBe(true);
    expect(result.warnings).toMatchObject([{ code: 'not_scheduled', path: 'forms[blinding_assessment]' }]);
  });
});

describe('robustness', () => {
  it('reports malformed JSON input as issues instead of throwing', () => {
    const broken = { version: 'one', forms: 'none', visits: [{ code: 'X' }] } as unknown as ProtocolDefinition;
    const result = validateProtocol(broken);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'forms', message: 'expected array, received string' }),
        expect.objectContaining({ path: 'study', message: 'is required (object)' }),
        expect.objectContaining({ path: 'visits[X].forms', message: 'is required (array)' }),
      ]),
    );
    expect(result.errors.every((e) => e.code === 'invalid_structure')).toBe(true);
  });

  it('loadProtocol lists the first problems and counts the rest', () => {
    const draft = stemjointDraft();
    for (const code of ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5']) draftVisit(draft, code).forms.push('nope');
    const error = loadError(asDefinition(draft));
    expect(error.details).toHaveLength(6);
    expect(error.message).toMatch(
      /^Protocol version 1\.0 is invalid \(6 errors\): visits\[M3\]\.forms\[nope\].*; and 1 more$/,
    );
  });

  it('never throws, whatever value replaces a section, a form property or an item property', () => {
    const sections = Object.keys(STEMJOINT_PROTOCOL);
    fc.assert(
      fc.property(
        fc.constantFrom(...sections),
        fc.nat(25),
        fc.constantFrom('id', 'itemGroups', 'kind', 'oid', 'title'),
        fc.constantFrom('type', 'range', 'showIf', 'derivation', 'codeList', 'label', 'precision', 'pattern'),
        fc.anything(),
        (section, formIndex, formKey, itemKey, value) => {
          for (const target of ['section', 'form', 'item'] as const) {
            const draft = stemjointDraft() as unknown as Record<string, unknown>;
            const forms = draft.forms as Record<string, unknown>[];
            const form = forms[formIndex % forms.length] as Record<string, unknown>;
            if (target === 'section') draft[section] = value;
            if (target === 'form') form[formKey] = value;
            if (target === 'item') {
              const firstGroup = (form.itemGroups as { items: Record<string, unknown>[] }[])[0];
              const item = firstGroup?.items[0];
              if (item) item[itemKey] = value;
            }
            const result = validateProtocol(draft as unknown as ProtocolDefinition);
            expect(typeof result.ok).toBe('boolean');
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
