import { describe, expect, it } from 'vitest';
import { isTrialError } from '../errors.js';
import { SCREENING_ITEM_IDS } from '../eligibility/screening-items.js';
import { ARM_CODES } from './arms.js';
import type { Derivation } from './item-types.js';
import { evaluateCondition } from './evaluate-condition.js';
import {
  expandVisitCodes,
  findForm,
  findItem,
  formsForVisit,
  getForm,
  getItem,
  getVisit,
  isVisibleToRole,
  itemOid,
  itemsOf,
  potentiallyUnblindingItems,
  resolveVisit,
  visitsForForm,
} from './protocol-queries.js';
import { ROLES } from './roles.js';
import { STEMJOINT_PROTOCOL as P } from './stemjoint.js';
import { currentStemjointProtocol, getStemjointProtocol, stemjointRegistry } from './stemjoint-registry.js';
import { validateProtocol } from './validate-protocol.js';

const ids = (formId: string, groupId: string): string[] =>
  findForm(P, formId)
    ?.itemGroups.find((g) => g.id === groupId)
    ?.items.map((i) => i.id) ?? [];
const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('STEMJOINT protocol definition', () => {
  it('validates without issues', () => {
    expect(validateProtocol(P).issues).toEqual([]);
  });

  it('survives a JSON round trip (definitions can be stored and exchanged as JSON)', () => {
    const json: unknown = JSON.parse(JSON.stringify(P));
    expect(json).toEqual(P);
    expect(validateProtocol(json).ok).toBe(true);
  });

  it('identifies the study as in spec §1', () => {
    expect(P.study).toMatchObject({
      id: 'STEMJOINT01',
      acronym: 'STEMJOINT',
      enrolmentTarget: 80,
      followUpYears: 5,
      design: { allocation: 'randomized', model: 'parallel', masking: 'double', ratio: '1:1' },
    });
    expect(P.study.registryIds).toContainEqual({ registry: 'ClinicalTrials.gov', id: 'NCT05933434' });
    expect(P.study.title.en).toBe(
      'Allogenic Mesenchymal Stem Cell Intraarticular Injection for Knee Osteoarthritis Therapy, an RCT Explorative Mode-of-action Study',
    );
    expect(P.version).toBe('1.0');
  });

  it('has the two fixed arms 1:1 and the nine roles', () => {
    expect(P.arms.map((a) => [a.code, a.ratio])).toEqual([
      ['ADMSC', 1],
      ['SALINE', 1],
    ]);
    expect(P.arms.map((a) => a.code)).toEqual([...ARM_CODES]);
    expect(P.roles.map((r) => r.id)).toEqual([...ROLES]);
  });
});

describe('KOOS', () => {
  const koos = getForm(P, 'koos');
  const questions = itemsOf(koos).filter((i) => i.derivation === undefined);

  it('has the 42 items in official order', () => {
    expect(questions).toHaveLength(42);
    expect(ids('koos', 'symptoms')).toEqual(range('S', 7));
    expect(ids('koos', 'pain')).toEqual(range('P', 9));
    expect(ids('koos', 'adl')).toEqual(range('A', 17));
    expect(ids('koos', 'sport')).toEqual(range('SP', 5));
    expect(ids('koos', 'qol')).toEqual(range('Q', 4));
  });

  it('uses the anchor set of the data dictionary for each item', () => {
    const scale = (id: string) => {
      const item = getItem(koos, id);
      return item.type === 'code' ? item.codeList : null;
    };
    expect(['S1', 'S2', 'S3'].map(scale)).toEqual(['koos_b', 'koos_b', 'koos_b']);
    expect(['S4', 'S5'].map(scale)).toEqual(['koos_c', 'koos_c']);
    expect(['S6', 'S7', 'P2', 'A17', 'SP5', 'Q4'].every((id) => scale(id) === 'koos_a')).toBe(true);
    expect(['P1', 'Q1'].map(scale)).toEqual(['koos_d', 'koos_d']);
    expect(['Q2', 'Q3'].map(scale)).toEqual(['koos_e', 'koos_e']);
  });

  it('codes every answer scale 0–4 with neutral labels of our own', () => {
    const scales = P.codeLists.filter((c) => c.id.startsWith('koos_'));
    expect(scales.map((c) => c.id)).toEqual(['koos_a', 'koos_b', 'koos_c', 'koos_d', 'koos_e']);
    // Words of the validated anchors must never ship (licensed text); labels are positional.
    const licensed =
      /\b(none|mild|moderate|severe|extreme|never|rarely|sometimes|often|always|monthly|weekly|daily|mildly|moderately|severely|totally|not at all)\b/i;
    for (const scale of scales) {
      expect(scale.items.map((e) => e.code)).toEqual([0, 1, 2, 3, 4]);
      for (const entry of scale.items) {
        expect(entry.label.en).not.toMatch(licensed);
        expect(entry.label.da).not.toMatch(
          /\b(ingen|let|moderat|svær|ekstrem|aldrig|sjældent|nogle gange|ofte|altid)\b/i,
        );
      }
    }
    expect(questions.every((i) => i.licensedTextKey === `koos.${i.id}`)).toBe(true);
  });

  it('derives the five subscale scores with the 2012 minimum-answered rule and LOINC codes', () => {
    const scores = itemsOf(koos).filter((i) => i.derivation !== undefined);
    expect(
      scores.map((i) => [
        i.id,
        i.derivation?.method,
        i.derivation?.inputs.length,
        i.derivation?.params?.minAnswered,
        i.codes?.[0]?.code,
      ]),
    ).toEqual([
      ['koos_symptoms', 'koos.symptoms', 7, 4, '72101-9'],
      ['koos_pain', 'koos.pain', 9, 5, '72102-7'],
      ['koos_adl', 'koos.adl', 17, 9, '72100-1'],
      ['koos_sport', 'koos.sport', 5, 3, '72099-5'],
      ['koos_qol', 'koos.qol', 4, 2, '72098-7'],
    ]);
    expect(scores.every((i) => i.type === 'decimal' && i.range.hardMin === 0 && i.range.hardMax === 100)).toBe(true);
  });
});

describe('eligibility declarations', () => {
  it('has the screening items of spec §3 with the exact ids, in table order', () => {
    expect(ids('screening', 'eligibility_inputs')).toEqual([...SCREENING_ITEM_IDS]);
    expect(ids('screening', 'derived')).toEqual(['age', 'bmi']);
  });

  it('types and ranges the screening items as in spec §3', () => {
    const form = getForm(P, 'screening');
    const item = (id: string) => getItem(form, id);
    expect(item('nrs_worst')).toMatchObject({ type: 'integer', range: { hardMin: 0, hardMax: 10 } });
    expect(item('kl_grade')).toMatchObject({ type: 'integer', range: { hardMin: 0, hardMax: 4 } });
    expect(item('knee_pain_months')).toMatchObject({ type: 'integer', range: { hardMin: 0 } });
    expect(item('meniscal_operations')).toMatchObject({ type: 'integer', range: { hardMin: 0 } });
    for (const id of ['jsw_mm', 'alignment_deg', 'ap_laxity_mm', 'height_cm', 'weight_kg']) {
      expect(item(id).type).toBe('decimal');
    }
    expect(item('height_cm')).toMatchObject({ range: { hardMin: 120, hardMax: 220 }, unit: { ucum: 'cm' } });
    expect(item('weight_kg')).toMatchObject({ range: { hardMin: 35, hardMax: 250 }, unit: { ucum: 'kg' } });
    expect(item('sex')).toMatchObject({ type: 'code', codeList: 'sex' });
    expect(item('oa_compartment')).toMatchObject({ type: 'code', codeList: 'oa_compartment' });
    expect(item('last_ia_injection_date')).toMatchObject({ type: 'date' });
    expect(item('last_ia_injection_date').required).toBeUndefined();
    expect(item('pregnant_or_breastfeeding').showIf).toEqual({ op: 'eq', item: 'sex', value: 'female' });
    expect(P.codeLists.find((c) => c.id === 'oa_compartment')?.items.map((e) => e.code)).toEqual([
      'medial',
      'lateral',
      'dual',
      'none',
    ]);
  });

  it('declares the 22 criteria IC1–IC8 and EC1–EC14, each reading screening items', () => {
    expect(P.criteria).toHaveLength(22);
    expect(P.criteria.filter((c) => c.kind === 'inclusion').map((c) => c.id)).toEqual(range('IC', 8));
    expect(P.criteria.filter((c) => c.kind === 'exclusion').map((c) => c.id)).toEqual(range('EC', 14));
    const screeningItems = itemsOf(getForm(P, 'screening')).map((i) => i.id);
    for (const c of P.criteria) {
      expect(c.form).toBe('screening');
      expect(c.name.da.length * c.name.en.length).toBeGreaterThan(0);
      expect(c.items.every((i) => screeningItems.includes(i))).toBe(true);
    }
    // Every spec §3 input is read by at least one criterion.
    const read = new Set(P.criteria.flatMap((c) => [...c.items]));
    expect(SCREENING_ITEM_IDS.filter((i) => !read.has(i))).toEqual([]);
    const byId = Object.fromEntries(P.criteria.map((c) => [c.id, [...c.items]]));
    expect(byId.EC9).toEqual(['meniscal_resection_over_50pct', 'meniscal_operations']);
    expect(byId.EC7).toEqual(['mri_contraindication', 'height_cm', 'weight_kg']);
    expect(P.criteria.find((c) => c.id === 'IC6')?.derivedItems).toEqual(['bmi']);
  });

  it('stratifies by KL grade 2 vs 3 with permuted blocks of 4 or 6 (defaults)', () => {
    expect(P.strata).toMatchObject([{ id: 'kl_grade', form: 'screening', item: 'kl_grade', basis: 'default' }]);
    expect(P.strata[0]?.levels.map((l) => [...l.values])).toEqual([[2], [3]]);
    expect(P.randomization).toMatchObject({
      method: 'permuted_blocks',
      blockSizes: [4, 6],
      maxImbalance: 3,
      strata: ['kl_grade'],
    });
  });
});

describe('schedule (spec §5)', () => {
  it('has the nine visit types with target days and default windows', () => {
    expect(P.visits.map((v) => [v.code, v.targetDay, v.window?.before ?? null, v.window?.after ?? null])).toEqual([
      ['SCR', null, null, null],
      ['BL', 0, null, null],
      ['D', null, 0, 0],
      ['M3', 91, 14, 14],
      ['M12', 365, 30, 30],
      ['M24', 730, 30, 30],
      ['Y3', 1095, 60, 60],
      ['Y4', 1461, 60, 60],
      ['Y5', 1826, 60, 60],
    ]);
    expect(getVisit(P, 'SCR').dayRange).toEqual({ from: -28, to: -1 });
    expect(getVisit(P, 'D').repeat).toEqual({ fromDay: 1, toDay: 30, codePrefix: 'D', flagLateEntries: true });
    expect(
      P.visits.filter((v) => v.window !== null && v.kind === 'follow_up').every((v) => v.window?.basis === 'default'),
    ).toBe(true);
  });

  it('expands the diary into D1…D30', () => {
    const codes = expandVisitCodes(P);
    expect(codes).toHaveLength(38);
    expect(codes.slice(0, 3)).toEqual(['SCR', 'BL', 'D1']);
    expect(codes.slice(31, 33)).toEqual(['D30', 'M3']);
    expect(resolveVisit(P, 'D17')).toMatchObject({ visit: { code: 'D' }, day: 17 });
    expect(resolveVisit(P, 'D31')).toBeUndefined();
    expect(resolveVisit(P, 'D0')).toBeUndefined();
  });

  // The assessment table of spec §5, one row per assessment, columns SCR BL D M3 M12 M24 Y3 Y4 Y5.
  const COLUMNS = ['SCR', 'BL', 'D', 'M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;
  const TABLE: Record<string, string> = {
    screening: 'x........',
    consent: 'x........',
    demographics: 'x........',
    medical_history: 'x........',
    xray: 'x........',
    adverse_event: '.xxxxxxxx',
    pain_diary: '..x......',
    koos: '.x.xxxxxx',
    nrs: '.x.xxxxxx',
    mri_moaks: '.x.xxx...',
    mri_quant: '.x.xxx...',
    clinical_exam: '.x.xxx...',
    hla_typing: '.x.x.....',
    hla_antibody: '.x.x.....',
    blinding_assessment: '...xx....',
    conmed: 'xxxxxxxxx',
    administration: '.x.......',
  };

  it.each(Object.entries(TABLE))('collects %s at the visits of the table', (formId, row) => {
    const expected = COLUMNS.filter((_, i) => row[i] === 'x');
    expect(visitsForForm(P, formId)).toEqual(expected);
  });

  it('schedules no other forms', () => {
    const scheduled = new Set(P.visits.flatMap((v) => [...v.forms]));
    expect([...scheduled].sort()).toEqual(Object.keys(TABLE).sort());
  });

  it('formsForVisit accepts diary instances', () => {
    expect(formsForVisit(P, 'D7').map((f) => f.id)).toEqual(['pain_diary', 'adverse_event', 'conmed']);
    expect(formsForVisit(P, 'Y4').map((f) => f.id)).toEqual(['koos', 'nrs', 'adverse_event', 'conmed']);
    expect(() => formsForVisit(P, 'M6')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('declares the repeating forms', () => {
    const repeating = P.forms.filter((f) => f.repeating).map((f) => f.id);
    expect(repeating).toEqual(['adverse_event', 'conmed', 'unscheduled_visit', 'protocol_deviation']);
  });
});

describe('forms and items', () => {
  it('every form has an ODM OID and Danish and English titles; every item Danish and English labels', () => {
    for (const form of P.forms) {
      expect(form.oid).toMatch(/^F\.[A-Z_]+$/);
      expect(form.title.da && form.title.en).toBeTruthy();
      for (const item of itemsOf(form)) expect(item.label.da && item.label.en).toBeTruthy();
    }
    expect(itemOid(getForm(P, 'koos'), 'S1')).toBe('I.KOOS.S1');
  });

  it('precision appears only on decimals', () => {
    for (const form of P.forms) {
      for (const item of itemsOf(form)) {
        if ('precision' in item && item.precision !== undefined) expect(item.type).toBe('decimal');
      }
    }
  });

  it('the clinical exam has both knees with cm to one decimal and a derived effusion', () => {
    const exam = getForm(P, 'clinical_exam');
    for (const side of ['right', 'left']) {
      expect(getItem(exam, `${side}_flexion_deg`)).toMatchObject({
        type: 'integer',
        range: { hardMin: 0, hardMax: 160 },
      });
      expect(getItem(exam, `${side}_extension_deg`)).toMatchObject({
        type: 'integer',
        range: { hardMin: -40, hardMax: 20 },
      });
      for (const id of ['knee_circ_cm', 'thigh_circ_cm', 'thigh_distance_cm']) {
        expect(getItem(exam, `${side}_${id}`)).toMatchObject({ type: 'decimal', precision: 1, unit: { ucum: 'cm' } });
      }
    }
    expect(P.codeLists.find((c) => c.id === 'stroke_test')?.items.map((e) => e.code)).toEqual([
      '0',
      'trace',
      '1+',
      '2+',
      '3+',
    ]);
  });

  it('effusion = stroke test ≥ trace or patellar tap positive, three-valued', () => {
    const derivation = getItem(getForm(P, 'clinical_exam'), 'right_effusion').derivation as Derivation;
    const expression = derivation.expression;
    if (expression === undefined) throw new Error('effusion has no expression');
    const effusion = (stroke: string | null, tap: boolean | null) =>
      evaluateCondition(expression, { right_stroke_test: stroke, right_patellar_tap: tap });
    expect(effusion('0', false)).toBe(false);
    expect(effusion('trace', false)).toBe(true);
    expect(effusion('0', true)).toBe(true);
    expect(effusion(null, true)).toBe(true);
    expect(effusion('3+', null)).toBe(true);
    expect(effusion('0', null)).toBe('unknown');
    expect(effusion(null, null)).toBe('unknown');
  });

  it('an AE is serious when any of the six seriousness criteria holds', () => {
    const ae = getForm(P, 'adverse_event');
    const serious = getItem(ae, 'ae_serious').derivation?.expression;
    if (serious === undefined) throw new Error('ae_serious has no expression');
    const flags = [
      'ae_death',
      'ae_life_threatening',
      'ae_hospitalisation',
      'ae_disability',
      'ae_congenital_anomaly',
      'ae_important_medical_event',
    ];
    const none = Object.fromEntries(flags.map((f) => [f, false]));
    expect(evaluateCondition(serious, none)).toBe(false);
    expect(evaluateCondition(serious, { ...none, ae_hospitalisation: true })).toBe(true);
    expect(evaluateCondition(serious, { ...none, ae_death: null })).toBe('unknown');
    for (const id of [
      'causality_cells_investigator',
      'causality_procedure_investigator',
      'causality_cells_sponsor',
      'causality_procedure_sponsor',
    ]) {
      expect(getItem(ae, id)).toMatchObject({ type: 'code', codeList: 'causality' });
    }
    expect(getItem(ae, 'ctcae_grade')).toMatchObject({ type: 'code', codeList: 'ctcae_grade' });
    expect(P.codeLists.find((c) => c.id === 'ctcae_grade')?.items.map((e) => e.code)).toEqual([1, 2, 3, 4, 5]);
    expect(getItem(ae, 'ae_onset').type).toBe('partial-date');
    expect(getItem(ae, 'rsi_version').showIf).toEqual({ op: 'answered', item: 'expectedness' });
  });

  it('HLA typing has two alleles for A, B, C, DRB1 and DQB1 with a nomenclature pattern', () => {
    const typing = getForm(P, 'hla_typing');
    const alleles = ids('hla_typing', 'alleles');
    expect(alleles).toEqual([
      'hla_a_1',
      'hla_a_2',
      'hla_b_1',
      'hla_b_2',
      'hla_c_1',
      'hla_c_2',
      'hla_drb1_1',
      'hla_drb1_2',
      'hla_dqb1_1',
      'hla_dqb1_2',
    ]);
    const a1 = getItem(typing, 'hla_a_1');
    const pattern = new RegExp(a1.type === 'text' ? (a1.pattern?.regex ?? '') : '');
    expect(
      ['A*02:01', 'A*02', 'A*02:01:01:01', 'HLA-A*02:01', 'A*14:HUJ', 'A*24:02N'].every((v) => pattern.test(v)),
    ).toBe(true);
    expect(['B*02:01', 'A02:01', 'A*2', '*02:01', 'A*02:01:01:01:01'].some((v) => pattern.test(v))).toBe(false);
    const drb1 = getItem(typing, 'hla_drb1_1');
    expect(drb1.type === 'text' && new RegExp(drb1.pattern?.regex ?? '').test('DRB1*04:01')).toBe(true);
    for (const id of ['resolution', 'method', 'db_version']) expect(findItem(typing, id)).toBeDefined();
    expect(itemsOf(getForm(P, 'donor_hla_typing')).map((i) => i.id)).toEqual([
      'donor_code',
      ...itemsOf(typing).map((i) => i.id),
    ]);
  });

  it('MOAKS covers cartilage (14), BML (15), osteophytes (12), synovitis and menisci', () => {
    const moaks = itemsOf(getForm(P, 'mri_moaks')).map((i) => i.id);
    expect(moaks.filter((id) => id.startsWith('cart_area_'))).toHaveLength(14);
    expect(moaks.filter((id) => id.startsWith('cart_ft_'))).toHaveLength(14);
    expect(moaks.filter((id) => id.startsWith('bml_size_'))).toHaveLength(15);
    expect(moaks.filter((id) => id.startsWith('bml_count_'))).toHaveLength(15);
    expect(moaks.filter((id) => id.startsWith('ost_'))).toHaveLength(12);
    expect(moaks).toEqual(expect.arrayContaining(['reader_id', 'read_date', 'hoffa_synovitis', 'effusion_synovitis']));
    expect(moaks.filter((id) => id.startsWith('men_'))).toHaveLength(10);
  });

  it('quantitative MRI stores thickness (mm), volume (mm³), T2/T1ρ (ms), stress and strain with unit and method', () => {
    const q = getForm(P, 'mri_quant');
    expect(getItem(q, 'thk_mt_mm')).toMatchObject({ unit: { ucum: 'mm' } });
    expect(getItem(q, 'vol_cmf_mm3')).toMatchObject({ unit: { ucum: 'mm3' } });
    expect(getItem(q, 't2_p_ms')).toMatchObject({ unit: { ucum: 'ms' } });
    expect(getItem(q, 't1rho_trf_ms')).toMatchObject({ unit: { ucum: 'ms' } });
    for (const id of [
      'stress_value',
      'stress_unit',
      'stress_method',
      'strain_value',
      'strain_unit',
      'strain_method',
      'software_version',
    ]) {
      expect(findItem(q, id)).toBeDefined();
    }
  });

  it('the pain diary records worst and average NRS, swelling and analgesics', () => {
    const diary = getForm(P, 'pain_diary');
    expect(getItem(diary, 'knee_swelling')).toMatchObject({ codeList: 'swelling' });
    expect(P.codeLists.find((c) => c.id === 'swelling')?.items.map((e) => e.code)).toEqual([
      'none',
      'mild',
      'moderate',
      'severe',
    ]);
    expect(diary.itemGroups.find((g) => g.id === 'analgesics')).toMatchObject({
      repeating: true,
      showIf: { op: 'eq', item: 'analgesic_taken', value: true },
    });
    expect(getItem(diary, 'diary_day').derivation?.inputs).toContainEqual({
      form: 'administration',
      item: 'administration_datetime',
      visit: 'BL',
    });
  });

  it('the NRS form stores the recall period beside the value', () => {
    const nrs = getForm(P, 'nrs');
    expect(getItem(nrs, 'nrs_pain')).toMatchObject({ type: 'integer', range: { hardMin: 0, hardMax: 10 } });
    expect(getItem(nrs, 'nrs_recall')).toMatchObject({ type: 'code', required: true });
  });
});

describe('blinding', () => {
  it('flags donor-specific antibody results as potentially unblinding, visible to unblinded roles only', () => {
    expect(potentiallyUnblindingItems(P)).toEqual([
      { form: 'hla_antibody', item: 'bead_donor_specific' },
      { form: 'hla_antibody', item: 'dsa_detected' },
      { form: 'hla_antibody', item: 'de_novo_dsa' },
    ]);
    const dsa = getItem(getForm(P, 'hla_antibody'), 'de_novo_dsa');
    expect(dsa.onlyAtVisits).toEqual(['M3']);
    expect(isVisibleToRole(P, 'investigator', 'hla_antibody', 'de_novo_dsa')).toBe(false);
    expect(isVisibleToRole(P, 'investigator', 'hla_antibody', 'bead_mfi')).toBe(true);
    expect(isVisibleToRole(P, 'dsmb', 'hla_antibody', 'de_novo_dsa')).toBe(true);
    expect(isVisibleToRole(P, 'statistician', 'hla_antibody', 'de_novo_dsa')).toBe(false);
    expect(isVisibleToRole(P, 'statistician', 'hla_antibody', 'de_novo_dsa', 'locked')).toBe(true);
  });

  it('keeps the product chain unblinded-only, and the administration form open (kit code only)', () => {
    const chain = P.forms.filter((f) => f.kind === 'product_chain').map((f) => f.id);
    expect(chain).toEqual([
      'donor',
      'product_lot',
      'product_vial',
      'product_thaw',
      'dose_preparation',
      'donor_hla_typing',
    ]);
    for (const id of chain) {
      expect(isVisibleToRole(P, 'coordinator', id)).toBe(false);
      expect(isVisibleToRole(P, 'unblinded_pharmacist', id)).toBe(true);
    }
    expect('blinding' in getForm(P, 'administration')).toBe(false);
    expect(itemsOf(getForm(P, 'administration')).map((i) => i.id)).toEqual(
      expect.arrayContaining([
        'kit_code',
        'administration_datetime',
        'knee_side',
        'ultrasound_guided',
        'volume_ml',
        'injector',
      ]),
    );
  });

  it('declares who is unblinded and the blinding assessment at M3 and M12', () => {
    expect(P.blinding.unblindedRoles).toEqual(['unblinded_pharmacist', 'dsmb']);
    expect(P.blinding.unblindedAfterLockRoles).toEqual(['statistician']);
    expect(P.blinding.assessment).toEqual({ form: 'blinding_assessment', visits: ['M3', 'M12'] });
    expect(P.codeLists.find((c) => c.id === 'blinding_guess')?.items.map((e) => e.code)).toEqual([
      'cells',
      'saline',
      'dont_know',
    ]);
  });
});

describe('outcomes, safety clocks, registry', () => {
  it('maps the ten registered outcome measures in registry order to their SAP analysis', () => {
    expect(P.outcomes.map((o) => [o.registryOrder, o.id, o.analysis.method])).toEqual([
      [1, 'adverse_events', 'ae_incidence'],
      [2, 'koos_symptoms', 'mmrm_change_from_baseline'],
      [3, 'nrs_pain', 'mmrm_change_from_baseline'],
      [4, 'moaks', 'descriptive_ordinal'],
      [5, 'quantitative_mri', 'mmrm_change_from_baseline'],
      [6, 'range_of_motion', 'mmrm_change_from_baseline'],
      [7, 'effusion', 'logistic_regression'],
      [8, 'knee_circumference', 'mmrm_change_from_baseline'],
      [9, 'thigh_circumference', 'mmrm_change_from_baseline'],
      [10, 'hla_antibodies', 'dsa_incidence'],
    ]);
    expect(
      P.outcomes.every((o) => o.analysis.contrast.active === 'ADMSC' && o.analysis.contrast.control === 'SALINE'),
    ).toBe(true);
    const koos = P.outcomes.find((o) => o.id === 'koos_symptoms');
    expect(koos?.visits).toEqual(['BL', 'M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5']);
    expect(koos?.analysis.params).toMatchObject({
      covariance: 'unstructured',
      estimation: 'REML',
      degreesOfFreedom: 'satterthwaite',
    });
    expect(P.outcomes.find((o) => o.id === 'effusion')?.analysis.params).toMatchObject({ ciMethod: 'newcombe' });
  });

  it('holds the safety clock parameters as data: 24 h, 7 d, 8 d, 15 d', () => {
    expect(P.safetyClocks.map((c) => [c.id, c.duration])).toEqual([
      ['sae_initial_report', { hours: 24 }],
      ['susar_fatal_initial', { days: 7 }],
      ['susar_fatal_follow_up', { days: 8 }],
      ['susar_other', { days: 15 }],
      ['annual_safety_report', { months: 12 }],
    ]);
  });

  it('registers version 1.0 as current and rejects unknown versions', () => {
    expect(stemjointRegistry().versions).toEqual(['1.0']);
    expect(currentStemjointProtocol().version).toBe('1.0');
    expect(getStemjointProtocol('1.0')).toBe(currentStemjointProtocol());
    expect(Object.isFrozen(currentStemjointProtocol())).toBe(true);
    let error: unknown;
    try {
      getStemjointProtocol('0.9');
    } catch (e) {
      error = e;
    }
    expect(isTrialError(error) && error.code).toBe('not_found');
  });
});
