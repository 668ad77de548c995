/**
 * The small parts of the exports on their own: the streaming ZIP writer (read back, CRC-checked),
 * XML escaping of text no XML 1.0 document may carry, number and value spelling, the ODM event OIDs
 * of visits and back, SDTM study days and visit numbers, the viewer's blinded visibility, the
 * exports' own date arithmetic (against the services' date-fns helpers) and the heap budget.
 */
import { describe, expect, it } from 'vitest';
import { STEMJOINT_PROTOCOL } from '../src/core/protocol/index.js';
import type { ItemDef } from '../src/core/protocol/item-types.js';
import { systemActor } from '../src/services/context.js';
import { copenhagenDate } from '../src/services/randomization.js';
import { copenhagenDateOfInstant, daysBetween, isoDatePart } from '../src/services/exports/export-dates.js';
import { resolveExportViewer } from '../src/services/exports/export-viewer.js';
import { heapCheckpoint, heapCollections } from '../src/services/exports/heap-budget.js';
import { studyEventOf, unitOid, visitCodeOf } from '../src/services/exports/odm-names.js';
import { studyDay, visitOf } from '../src/services/exports/sdtm-export.js';
import { exportCode, formatItemValue, formatNumber, parseItemValue } from '../src/services/exports/value-format.js';
import { escapeAttr, escapeText } from '../src/services/exports/xml-text.js';
import { createZipWriter } from '../src/services/exports/zip-writer.js';
import { readZip } from './exports-zip-reader.js';
import type { Executor } from '../src/storage/database.js';

const item = (formId: string, itemId: string): ItemDef => {
  const form = STEMJOINT_PROTOCOL.forms.find((f) => f.id === formId)!;
  return form.itemGroups.flatMap((g) => [...g.items]).find((i) => i.id === itemId) as ItemDef;
};

describe('zip writer', () => {
  it('writes archives that read back byte for byte', async () => {
    const chunks: Buffer[] = [];
    const zip = createZipWriter(async (c) => {
      chunks.push(c);
    }, new Date('2025-03-04T05:06:08Z'));
    const big = 'study_id,value\n' + Array.from({ length: 20_000 }, (_, i) => `SJ-${i},${i * 7}\n`).join('');
    for (const [name, parts] of [
      ['a.csv', [big.slice(0, 70_000), big.slice(70_000)]],
      ['dir/empty.txt', []],
      ['æøå.json', ['{"x":"æøå"}']],
    ] as const) {
      const entry = zip.openEntry(name);
      for (const p of parts) await entry.write(Buffer.from(p, 'utf8'));
      await entry.end();
    }
    await zip.finish();
    const entries = readZip(Buffer.concat(chunks));
    expect([...entries.keys()]).toEqual(['a.csv', 'dir/empty.txt', 'æøå.json']);
    expect(entries.get('a.csv')!.toString('utf8')).toBe(big);
    expect(entries.get('dir/empty.txt')!.length).toBe(0);
    expect(entries.get('æøå.json')!.toString('utf8')).toBe('{"x":"æøå"}');
    expect(Buffer.concat(chunks).length).toBeLessThan(big.length / 2);
  });
});

describe('value spelling', () => {
  it('escapes XML text and attributes and drops characters XML 1.0 cannot carry', () => {
    expect(escapeText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(escapeAttr('"x"\nline\ttab')).toBe('&quot;x&quot;&#10;line&#9;tab');
    expect(escapeText('bell\u0007 and \uFFFE and lone \uD800 surrogate')).toBe('bell and  and lone  surrogate');
    expect(escapeText('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('writes numbers without exponents and values per format', () => {
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(41.666666666666664)).toBe('41.666666666666664');
    expect(formatNumber(2e21)).toBe('2000000000000000000000');
    const tap = item('clinical_exam', 'right_patellar_tap');
    expect(formatItemValue('clinical_exam', tap, true, { booleans: 'word' })).toBe('true');
    expect(formatItemValue('clinical_exam', tap, false, { booleans: 'digit' })).toBe('0');
    expect(formatItemValue('clinical_exam', tap, true, { booleans: 'yn' })).toBe('Y');
    expect(
      formatItemValue('adverse_event', item('adverse_event', 'ae_action'), ['medication', 'surgery'], {
        booleans: 'word',
      }),
    ).toBe('medication;surgery');
    expect(formatItemValue('screening', item('screening', 'date_of_birth'), '1956-04-03', { booleans: 'word' })).toBe(
      '1956',
    );
    expect(exportCode('blinding_guess', 'ADMSC')).toBe('cells');
    expect(exportCode('blinding_guess', 'dont_know')).toBe('dont_know');
  });

  it('reads exported values back with their types', () => {
    const p = STEMJOINT_PROTOCOL;
    expect(parseItemValue(p, item('nrs', 'nrs_pain'), '7')).toEqual({ ok: true, value: 7 });
    expect(parseItemValue(p, item('nrs', 'nrs_pain'), '7.5')).toMatchObject({ ok: false });
    expect(parseItemValue(p, item('koos', 'S1'), '3')).toEqual({ ok: true, value: 3 });
    expect(parseItemValue(p, item('clinical_exam', 'right_patellar_tap'), 'false')).toEqual({ ok: true, value: false });
    expect(parseItemValue(p, item('clinical_exam', 'right_patellar_tap'), 'maybe')).toMatchObject({ ok: false });
    expect(parseItemValue(p, item('adverse_event', 'ae_action'), 'medication;surgery')).toEqual({
      ok: true,
      value: ['medication', 'surgery'],
    });
  });
});

describe('ODM and SDTM naming', () => {
  it('maps visits to study events and back (diary days as repeats, logs under SE.LOG)', () => {
    const p = STEMJOINT_PROTOCOL;
    expect(studyEventOf(p, 'M3')).toEqual({ oid: 'SE.M3', repeatKey: undefined });
    expect(studyEventOf(p, 'D17')).toEqual({ oid: 'SE.DIARY', repeatKey: '17' });
    expect(studyEventOf(p, null)).toEqual({ oid: 'SE.LOG', repeatKey: undefined });
    expect(visitCodeOf(p, 'SE.DIARY', '17')).toEqual({ ok: true, visitCode: 'D17' });
    expect(visitCodeOf(p, 'SE.DIARY', '31')).toMatchObject({ ok: false });
    expect(visitCodeOf(p, 'SE.M99', undefined)).toMatchObject({ ok: false });
    expect(unitOid('10*6{cells}')).toBe('MU.10_6_cells');
  });

  it('counts SDTM study days from Day 0 without a day zero and numbers the visits', () => {
    expect(studyDay('2024-03-01', '2024-03-01')).toBe(1);
    expect(studyDay('2024-02-29T10:00:00Z', '2024-03-01')).toBe(-1);
    expect(studyDay('2024-05-31', '2024-03-01')).toBe(92);
    expect(studyDay('2024-05', '2024-03-01')).toBeNull();
    expect(visitOf(STEMJOINT_PROTOCOL, 'SCR')).toEqual({ VISITNUM: 1, VISIT: 'SCREENING', VISITDY: null });
    expect(visitOf(STEMJOINT_PROTOCOL, 'BL').VISITNUM).toBe(2);
    expect(visitOf(STEMJOINT_PROTOCOL, 'D7')).toEqual({ VISITNUM: 2.07, VISIT: 'DIARY DAY 7', VISITDY: 7 });
    expect(visitOf(STEMJOINT_PROTOCOL, 'M3')).toEqual({ VISITNUM: 3, VISIT: '3 MONTHS', VISITDY: 91 });
    expect(visitOf(STEMJOINT_PROTOCOL, 'Y5').VISITNUM).toBe(8);
  });
});

describe('export viewer', () => {
  const unlocked = {
    selectFrom: () => ({ select: () => ({ executeTakeFirst: async () => ({ database_locked: 0 }) }) }),
  } as unknown as Executor;

  it('a blinded export sees no product chain and no potentially unblinding item, whoever asks', async () => {
    const v = await resolveExportViewer(unlocked, systemActor('cli'));
    expect(v.unblinded).toBe(false);
    const p = STEMJOINT_PROTOCOL;
    expect(v.canSeeForm(p, 'koos')).toBe(true);
    expect(v.canSeeForm(p, 'dose_preparation')).toBe(false);
    expect(v.canSeeItem(p, 'hla_antibody', 'bead_mfi')).toBe(true);
    expect(v.canSeeItem(p, 'hla_antibody', 'bead_donor_specific')).toBe(false);
    expect(v.canSeeItem(p, 'hla_antibody', 'de_novo_dsa')).toBe(false);
    const u = await resolveExportViewer(unlocked, systemActor('cli'), { unblinded: true });
    expect(u.unblinded).toBe(true);
    expect(u.canSeeItem(p, 'hla_antibody', 'de_novo_dsa')).toBe(true);
  });
});

describe('export dates and the heap budget', () => {
  it('finds the Copenhagen date of an instant as the randomization service does, across DST changes', () => {
    for (const instant of [
      '2025-03-29T23:30:00Z', // 00:30 CET on 30 March
      '2025-03-30T00:59:59Z', // 01:59:59 CET, the hour before the spring change
      '2025-03-30T22:30:00Z', // 00:30 CEST on 31 March
      '2025-10-25T21:59:59Z', // 23:59:59 CEST
      '2025-10-25T22:00:00Z', // 00:00 CEST on 26 October
      '2025-10-26T23:00:00Z', // 00:00 CET on 27 October
      '2024-12-31T23:00:00+00:00',
      '2024-06-15T09:30:00+02:00',
    ]) {
      expect(copenhagenDateOfInstant(instant), instant).toBe(copenhagenDate(instant));
    }
  });

  it('counts calendar days and refuses dates that do not exist', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-01-10', '2024-12-31')).toBe(-10);
    expect(daysBetween('2025-02-29', '2025-03-01')).toBeNull();
    expect(isoDatePart('2025-03-30T01:30:00+01:00')).toBe('2025-03-30');
    expect(isoDatePart('2025-13-01')).toBeNull();
    expect(studyDay('2024-01-14', '2024-01-15')).toBe(-1);
    expect(studyDay('2024-01-15T10:00:00Z', '2024-01-15')).toBe(1);
  });

  it('asks V8 for a full collection at its first checkpoint and again once the heap outgrows the allowance', () => {
    const before = heapCollections();
    heapCheckpoint();
    const first = heapCollections();
    expect(first).toBeGreaterThanOrEqual(before);
    // Nothing has grown since: no collection.
    heapCheckpoint(1024 * 1024 * 1024);
    expect(heapCollections()).toBe(first);
    // A zero allowance collects every time.
    heapCheckpoint(0);
    expect(heapCollections()).toBe(first + 1);
  });
});
