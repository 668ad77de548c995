import { describe, expect, it } from 'vitest';
import {
  buildAeIncidenceTable,
  compareIncidence,
  eventsPer100ParticipantYears,
  participantYears,
  UNCODED_SOC,
  type SafetyTableEvent,
} from './safety-tables.js';

const pop = [
  { id: 'p1', exposureStart: '2025-01-01', exposureEnd: '2026-01-01' },
  { id: 'p2', exposureStart: '2025-07-02', exposureEnd: '2026-01-01' },
  { id: 'p3', exposureStart: '2025-01-01', exposureEnd: '2025-01-01' },
  { id: 'p4', exposureStart: '2024-01-01', exposureEnd: '2026-01-01' },
];
const GEN = { socCode: '10018065', socName: 'General disorders and administration site conditions' };
const ev = (participantId: string, over: Partial<SafetyTableEvent> = {}): SafetyTableEvent => ({
  participantId,
  ...GEN,
  ptCode: '10022086',
  ptName: 'Injection site pain',
  verbatimTerm: 'pain at injection site',
  grade: 1,
  serious: false,
  related: true,
  fatal: false,
  ...over,
});

describe('buildAeIncidenceTable', () => {
  const events = [
    ev('p1'),
    ev('p1', { grade: 2 }),
    ev('p2', { ptCode: '10053425', ptName: 'Injection site swelling' }),
    ev('p2', {
      socCode: '10022117',
      socName: 'Injury, poisoning and procedural complications',
      ptCode: '10016173',
      ptName: 'Fall',
      grade: 3,
      serious: true,
      related: false,
    }),
    ev('p4', { socCode: null, socName: null, ptCode: null, ptName: null, verbatimTerm: 'Headache ', related: false }),
    ev('p4', { socCode: null, socName: null, ptCode: null, ptName: null, verbatimTerm: 'headache', related: false }),
    ev('outsider'),
  ];
  const t = buildAeIncidenceTable(pop, events);

  it('counts participants once and events every time, ignoring outsiders', () => {
    expect(t.participants).toBe(4);
    expect(t.overview.any).toEqual({ participants: 3, percent: 75, events: 6 });
    expect(t.overview.serious).toEqual({ participants: 1, percent: 25, events: 1 });
    expect(t.overview.related).toEqual({ participants: 2, percent: 50, events: 3 });
    expect(t.overview.grade3OrHigher.participants).toBe(1);
    expect(t.overview.fatal.participants).toBe(0);
  });

  it('groups by SOC and PT (uncoded by verbatim term), most frequent first', () => {
    expect(t.bySocPt.map((s) => [s.socName, s.participants, s.events])).toEqual([
      [GEN.socName, 2, 3],
      [UNCODED_SOC, 1, 2],
      ['Injury, poisoning and procedural complications', 1, 1],
    ]);
    const gen = t.bySocPt[0]!;
    expect(gen.terms.map((x) => [x.ptName, x.participants, x.events])).toEqual([
      ['Injection site pain', 1, 2],
      ['Injection site swelling', 1, 1],
    ]);
    expect(gen.terms[0]!.participantsByWorstGrade).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 });
    expect(t.bySocPt[1]!.terms).toHaveLength(1);
    expect(t.bySocPt[1]!.terms[0]).toMatchObject({ ptName: 'Headache', participants: 1, events: 2 });
  });

  it('counts each participant once at the worst grade', () => {
    expect(t.byWorstGrade.map((g) => g.participants)).toEqual([1, 1, 1, 0, 0]);
  });

  it('adjusts for exposure: events per 100 participant-years', () => {
    const years = (365 + 183 + 0 + 731) / 365.25;
    expect(participantYears(pop)).toBeCloseTo(years, 12);
    expect(t.exposure.events).toBe(6);
    expect(t.exposure.eventsPer100ParticipantYears).toBeCloseTo((6 / years) * 100, 10);
    expect(eventsPer100ParticipantYears(3, 0)).toBeNull();
  });
});

describe('compareIncidence', () => {
  it("gives Fisher's exact p for each row present in either group", () => {
    const a = buildAeIncidenceTable(pop.slice(0, 2), [ev('p1'), ev('p2')]);
    const b = buildAeIncidenceTable(pop.slice(2), []);
    const rows = compareIncidence(a, b);
    expect(rows.find((r) => r.row === 'any')!.p).toBeCloseTo(1 / 3, 12);
    expect(rows.filter((r) => r.row === 'pt').map((r) => r.label)).toEqual(['Injection site pain']);
  });
});
