import { describe, expect, it } from 'vitest';
import { STEMJOINT_PROTOCOL } from '../protocol/stemjoint.js';
import { AE_CODE_LIST_IDS, isFatalOrLifeThreatening, isSerious, NOT_SERIOUS, reportableCausality } from './ae-codes.js';

describe('AE code lists', () => {
  it('equal the code lists of the protocol definition', () => {
    for (const [id, codes] of Object.entries(AE_CODE_LIST_IDS)) {
      const list = STEMJOINT_PROTOCOL.codeLists.find((c) => c.id === id);
      expect(list, id).toBeDefined();
      expect(list!.items.map((i) => i.code)).toEqual([...codes]);
    }
  });
});

describe('seriousness and causality', () => {
  it('an event is serious when any criterion is met', () => {
    expect(isSerious(NOT_SERIOUS)).toBe(false);
    expect(isSerious({ ...NOT_SERIOUS, importantMedicalEvent: true })).toBe(true);
    expect(isFatalOrLifeThreatening({ ...NOT_SERIOUS, hospitalisation: true })).toBe(false);
    expect(isFatalOrLifeThreatening({ ...NOT_SERIOUS, lifeThreatening: true })).toBe(true);
  });

  it('the sponsor cannot downgrade the investigator', () => {
    const rel = { cellProduct: 'related', procedure: 'not_related' } as const;
    const notRel = { cellProduct: 'not_related', procedure: 'not_related' } as const;
    expect(reportableCausality(rel, notRel)).toBe('related');
    expect(reportableCausality(notRel, rel)).toBe('related');
    expect(reportableCausality(notRel, notRel)).toBe('not_related');
    expect(reportableCausality(null, null)).toBe('pending');
    expect(reportableCausality(null, rel)).toBe('related');
  });
});
