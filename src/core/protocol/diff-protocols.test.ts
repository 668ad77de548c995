import { describe, expect, it } from 'vitest';
import { diffProtocols } from './diff-protocols.js';
import { STEMJOINT_PROTOCOL } from './stemjoint.js';
import { asDefinition, draftForm, draftItem, draftVisit, stemjointDraft } from './test-support.js';

describe('diffProtocols', () => {
  it('reports nothing for identical versions', () => {
    const diff = diffProtocols(STEMJOINT_PROTOCOL, asDefinition(stemjointDraft()));
    expect(diff).toMatchObject({
      from: '1.0',
      to: '1.0',
      entries: [],
      identical: true,
      counts: { added: 0, removed: 0, changed: 0 },
    });
  });

  it('summarises added, removed and changed items, forms, codes and schedule entries', () => {
    const draft = stemjointDraft();
    draft.version = '1.1';
    // Changed: a range and a label.
    draftItem(draft, 'screening', 'weight_kg').range = { hardMin: 30, softMin: 45, softMax: 160, hardMax: 250 };
    draftItem(draft, 'nrs', 'nrs_pain').label = { da: 'Smerte', en: 'Pain' };
    // Removed: one item; added: one item.
    const general = draftForm(draft, 'clinical_exam').itemGroups.find((g) => g.id === 'general');
    if (general) {
      general.items = general.items.filter((i) => i.id !== 'rom_mode');
      general.items.push({
        id: 'exam_notes',
        type: 'text',
        label: { da: 'Noter', en: 'Notes' },
      } as unknown as (typeof general.items)[number]);
    }
    // Schedule: blinding assessment also at M24; window change at Y5.
    draftVisit(draft, 'M24').forms.push('blinding_assessment');
    draftVisit(draft, 'Y5').window = { before: 90, after: 90, basis: 'default' };
    // Code list: a new code.
    (draft.codeLists.find((c) => c.id === 'eos_reason')?.items as unknown[]).push({
      code: 'knee_replacement',
      label: { da: 'Knæalloplastik', en: 'Knee replacement' },
    });
    // A removed form.
    draft.forms = draft.forms.filter((f) => f.id !== 'donor_hla_typing');

    const diff = diffProtocols(STEMJOINT_PROTOCOL, asDefinition(draft));
    expect(diff.from).toBe('1.0');
    expect(diff.to).toBe('1.1');
    expect(diff.entries).toEqual(
      expect.arrayContaining([
        { kind: 'item', change: 'changed', path: 'forms[screening].items[weight_kg]', fields: ['range'] },
        { kind: 'item', change: 'changed', path: 'forms[nrs].items[nrs_pain]', fields: ['label'] },
        { kind: 'item', change: 'removed', path: 'forms[clinical_exam].items[rom_mode]' },
        { kind: 'item', change: 'added', path: 'forms[clinical_exam].items[exam_notes]' },
        { kind: 'schedule', change: 'added', path: 'visits[M24].forms[blinding_assessment]' },
        { kind: 'visit', change: 'changed', path: 'visits[Y5]', fields: ['window'] },
        { kind: 'code', change: 'added', path: 'codeLists[eos_reason].items[knee_replacement]' },
        { kind: 'form', change: 'removed', path: 'forms[donor_hla_typing]' },
        { kind: 'form', change: 'changed', path: 'forms[clinical_exam].itemGroups', fields: ['general'] },
      ]),
    );
    // The visit entry for M24 reports the schedule change, not a generic 'forms' field.
    expect(diff.entries.find((e) => e.path === 'visits[M24]')).toBeUndefined();
    expect(diff.counts).toEqual({ added: 3, removed: 2, changed: 4 });
    expect(diff.identical).toBe(false);
  });

  it('reports removed schedule entries, changed criteria, strata, clocks and study fields', () => {
    const draft = stemjointDraft();
    draftVisit(draft, 'Y3').forms = draftVisit(draft, 'Y3').forms.filter((f) => f !== 'nrs');
    const ic1 = draft.criteria.find((c) => c.id === 'IC1');
    if (ic1) ic1.name = { da: 'Alder 40–80 år', en: 'Age 40–80 years' };
    draft.study.enrolmentTarget = 100;
    const sae = draft.safetyClocks.find((c) => c.id === 'sae_initial_report');
    if (sae) sae.duration = { hours: 12 };
    draft.randomization.blockSizes = [4];
    const diff = diffProtocols(STEMJOINT_PROTOCOL, asDefinition(draft));
    expect(diff.entries).toEqual([
      { kind: 'study', change: 'changed', path: 'study', fields: ['enrolmentTarget'] },
      { kind: 'schedule', change: 'removed', path: 'visits[Y3].forms[nrs]' },
      { kind: 'criterion', change: 'changed', path: 'criteria[IC1]', fields: ['name'] },
      { kind: 'randomization', change: 'changed', path: 'randomization', fields: ['blockSizes'] },
      { kind: 'safetyClock', change: 'changed', path: 'safetyClocks[sae_initial_report]', fields: ['duration'] },
    ]);
  });

  it('ignores element order', () => {
    const draft = stemjointDraft();
    draft.forms.reverse();
    draft.criteria.reverse();
    expect(diffProtocols(STEMJOINT_PROTOCOL, asDefinition(draft)).identical).toBe(true);
  });
});
