import { describe, expect, it } from 'vitest';
import { findForm } from '../protocol/protocol-queries.js';
import { STEMJOINT_PROTOCOL } from '../protocol/stemjoint.js';
import { changesAsRecords, diffFormValues } from './diff-form-values.js';
import { resolveValuePath, valueAtPath } from './form-index.js';
import { hiddenItemIds, maskFormValues, maskPathRecord, restoreHiddenValues } from './mask-values.js';
import { queryAgeBucket } from './query-age.js';

describe('diffFormValues', () => {
  it('lists changed, added and removed values per item and per row item', () => {
    const before = { a: 1, b: 'x', beads: [{ m: 1, s: 'A' }, { m: 2 }], codes: ['p', 'q'] };
    const after = { a: 1, b: 'y', c: true, beads: [{ m: 1, s: 'A' }], codes: ['p', 'q'] };
    const changes = diffFormValues(before, after);
    expect(changes).toEqual([
      { path: 'b', before: 'x', after: 'y' },
      { path: 'beads[1].m', before: 2, after: null },
      { path: 'c', before: null, after: true },
    ]);
    expect(changesAsRecords(changes)).toEqual({
      before: { b: 'x', 'beads[1].m': 2, c: null },
      after: { b: 'y', 'beads[1].m': null, c: true },
    });
    expect(diffFormValues(after, { ...after })).toEqual([]);
    expect(diffFormValues({ a: null }, {})).toEqual([]);
  });
});

describe('masking potentially unblinding values', () => {
  const form = findForm(STEMJOINT_PROTOCOL, 'hla_antibody')!;
  const canSee = (id: string) => !['bead_donor_specific', 'dsa_detected', 'de_novo_dsa'].includes(id);
  const hidden = hiddenItemIds(form, canSee);

  it('removes hidden items from values and rows, naming the paths', () => {
    const values = { assay: 'x', beads: [{ bead_mfi: 1, bead_donor_specific: true }, { bead_mfi: 2 }] };
    expect(maskFormValues(values, hidden)).toEqual({
      values: { assay: 'x', beads: [{ bead_mfi: 1 }, { bead_mfi: 2 }] },
      masked: ['beads[0].bead_donor_specific'],
    });
    expect(maskPathRecord({ 'beads[0].bead_donor_specific': true, assay: 'x', dsa_detected: true }, hidden)).toEqual({
      assay: 'x',
    });
    expect(maskFormValues(values, new Set()).masked).toEqual([]);
  });

  it('puts stored hidden values back into a blinded writer’s save, row by row', () => {
    const stored = {
      beads: [
        { bead_mfi: 1, bead_donor_specific: true },
        { bead_mfi: 2, bead_donor_specific: false },
      ],
    };
    const entered = { beads: [{ bead_mfi: 10 }] };
    expect(restoreHiddenValues(entered, stored, hidden)).toEqual({
      beads: [{ bead_mfi: 10, bead_donor_specific: true }],
    });
    expect(entered).toEqual({ beads: [{ bead_mfi: 10 }] });
  });
});

describe('value paths', () => {
  const form = findForm(STEMJOINT_PROTOCOL, 'hla_antibody')!;
  it('resolves item and row paths', () => {
    expect(resolveValuePath(form, 'assay')?.item.id).toBe('assay');
    expect(resolveValuePath(form, 'beads[3].bead_mfi')).toMatchObject({ groupId: 'beads', row: 3 });
    expect(resolveValuePath(form, 'bead_mfi')).toBeNull();
    expect(resolveValuePath(form, 'beads[0].assay')).toBeNull();
    expect(resolveValuePath(form, 'nope')).toBeNull();
    expect(valueAtPath({ beads: [{ bead_mfi: 5 }] }, 'beads[0].bead_mfi')).toBe(5);
    expect(valueAtPath({ beads: [] }, 'beads[0].bead_mfi')).toBeNull();
  });
});

describe('queryAgeBucket', () => {
  it('buckets by whole days', () => {
    const raised = '2024-01-01T12:00:00.000Z';
    expect(queryAgeBucket(raised, '2024-01-08T12:00:00.000Z')).toBe('0-7d');
    expect(queryAgeBucket(raised, '2024-01-09T12:00:00.000Z')).toBe('8-14d');
    expect(queryAgeBucket(raised, '2024-01-31T12:00:00.000Z')).toBe('15-30d');
    expect(queryAgeBucket(raised, '2024-02-01T12:00:00.000Z')).toBe('>30d');
  });
});
