import { describe, expect, it } from 'vitest';
import { isTrialError } from '../errors.js';
import type { ProtocolDefinition } from './definition-types.js';
import { diffProtocols } from './diff-protocols.js';
import { getItem, getForm, findItem } from './protocol-queries.js';
import { amendProtocol, createProtocolRegistry } from './protocol-registry.js';
import { compareVersions } from './protocol-version.js';
import { STEMJOINT_PROTOCOL } from './stemjoint.js';
import { asDefinition, draftVisit, stemjointDraft, type Mutable } from './test-support.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Amendment 1.1: widens the Y5 window to ±90 days. */
function amendY5(base: ProtocolDefinition): ProtocolDefinition {
  return amendProtocol(
    base,
    { version: '1.1', effectiveDate: '2025-01-15', summary: 'Y5 window ±90 days' },
    (draft) => {
      const d = draft as unknown as Mutable<ProtocolDefinition>;
      draftVisit(d, 'Y5').window = { before: 90, after: 90, basis: 'default' };
      return asDefinition(d);
    },
  );
}

describe('compareVersions', () => {
  it('compares numerically field by field', () => {
    expect(compareVersions('1.0', '1.1')).toBeLessThan(0);
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('2', '2.0')).toBe(0);
    expect(compareVersions('2.0.1', '2.0')).toBeGreaterThan(0);
  });
});

describe('amendProtocol', () => {
  it('produces a new validated version with the amendment appended, leaving the base untouched', () => {
    const amended = amendY5(STEMJOINT_PROTOCOL);
    expect(amended.version).toBe('1.1');
    expect(amended.amendments.map((a) => [a.version, a.previousVersion])).toEqual([
      ['1.0', null],
      ['1.1', '1.0'],
    ]);
    expect(amended.visits.find((v) => v.code === 'Y5')?.window).toEqual({ before: 90, after: 90, basis: 'default' });
    expect(STEMJOINT_PROTOCOL.visits.find((v) => v.code === 'Y5')?.window).toEqual({
      before: 60,
      after: 60,
      basis: 'default',
    });
    expect(Object.isFrozen(amended)).toBe(true);
    expect(diffProtocols(STEMJOINT_PROTOCOL, amended).entries).toEqual([
      { kind: 'visit', change: 'changed', path: 'visits[Y5]', fields: ['window'] },
    ]);
  });

  it('refuses a version that is not higher', () => {
    const error = thrown(() =>
      amendProtocol(STEMJOINT_PROTOCOL, { version: '1.0', effectiveDate: '2025-01-01', summary: 'x' }, (d) => d),
    );
    expect(isTrialError(error) && error.code).toBe('validation_failed');
  });

  it('refuses an amendment that breaks a reference', () => {
    const error = thrown(() =>
      amendProtocol(
        STEMJOINT_PROTOCOL,
        { version: '2.0', effectiveDate: '2025-01-01', summary: 'drop MOAKS' },
        (draft) => ({
          ...draft,
          forms: draft.forms.filter((f) => f.id !== 'mri_moaks'),
        }),
      ),
    );
    expect(isTrialError(error) && error.details.map((d) => d.path)).toContain('visits[M3].forms[mri_moaks]');
  });
});

describe('createProtocolRegistry', () => {
  const v10 = asDefinition(stemjointDraft());
  const v11 = amendY5(v10);

  it('serves every version and the highest as current, whatever the input order', () => {
    const registry = createProtocolRegistry([v11, v10]);
    expect(registry.versions).toEqual(['1.0', '1.1']);
    expect(registry.currentProtocol.version).toBe('1.1');
    expect(registry.getProtocol('1.0').visits.find((v) => v.code === 'Y5')?.window?.before).toBe(60);
    expect(registry.hasVersion('1.1')).toBe(true);
    expect(registry.hasVersion('3.0')).toBe(false);
    const error = thrown(() => registry.getProtocol('3.0'));
    expect(isTrialError(error) && error.code).toBe('not_found');
  });

  it('refuses duplicate versions, a broken history and an empty list', () => {
    expect(isTrialError(thrown(() => createProtocolRegistry([v10, asDefinition(stemjointDraft())])))).toBe(true);
    const orphan = {
      ...v11,
      amendments: [{ version: '1.1', previousVersion: null, effectiveDate: '2025-01-15', summary: 'x' }],
    };
    const error = thrown(() => createProtocolRegistry([v10, orphan]));
    expect(isTrialError(error) && error.message).toContain('does not continue the history');
    expect(isTrialError(thrown(() => createProtocolRegistry([])))).toBe(true);
  });

  it('returns typed forms for the stored versions', () => {
    const registry = createProtocolRegistry([STEMJOINT_PROTOCOL]);
    const koos = getForm(registry.currentProtocol, 'koos');
    expect(getItem(koos, 'S1').type).toBe('code');
    expect(findItem(koos, 'S8')).toBeUndefined();
  });
});
