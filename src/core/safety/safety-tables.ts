/**
 * Safety tables (spec §8): participants with at least one adverse event overall, by system organ
 * class and preferred term, by worst grade, serious and related; events per 100 participant-years.
 * Pure: the caller supplies the population (with its exposure) and the events. Counting participants
 * ("≥ 1 event") and counting events are kept apart, as in every safety table; percentages are of
 * the population and left unrounded for the page to format.
 */
import { fisherExact } from '../../stats/fisher-exact.js';
import { calendarDaysBetween, type IsoDate } from '../schedule/plain-date.js';
import { CTCAE_GRADES, type CtcaeGrade } from './ae-codes.js';

/** One participant of the safety population with the period at risk. */
export interface SafetyPopulationMember {
  id: string;
  /** Start of exposure: Day 0 (injection) or, before it is known, enrolment. */
  exposureStart: IsoDate;
  /** End of exposure: withdrawal, or today. */
  exposureEnd: IsoDate;
}

/** One adverse event as the tables see it. */
export interface SafetyTableEvent {
  participantId: string;
  socCode: string | null;
  socName: string | null;
  ptCode: string | null;
  ptName: string | null;
  verbatimTerm: string;
  grade: CtcaeGrade;
  serious: boolean;
  /** Related by either assessor to either suspect (see `reportableCausality`). */
  related: boolean;
  fatal: boolean;
}

/** Participants with ≥ 1 event, their share of the population, and the number of events. */
export interface IncidenceCell {
  participants: number;
  percent: number | null;
  events: number;
}

/** The overview rows. */
export const OVERVIEW_ROWS = ['any', 'serious', 'related', 'seriousRelated', 'grade3OrHigher', 'fatal'] as const;
/** One overview row. */
export type OverviewRow = (typeof OVERVIEW_ROWS)[number];

/** One preferred term within a SOC (or, uncoded, one verbatim term). */
export interface PtRow extends IncidenceCell {
  ptCode: string | null;
  ptName: string;
  seriousParticipants: number;
  relatedParticipants: number;
  /** Participants by their worst grade for this term, grades 1–5. */
  participantsByWorstGrade: Record<`${CtcaeGrade}`, number>;
}

/** One system organ class with its terms. */
export interface SocRow extends IncidenceCell {
  socCode: string | null;
  socName: string;
  seriousParticipants: number;
  relatedParticipants: number;
  terms: PtRow[];
}

/** Events per 100 participant-years. */
export interface ExposureAdjusted {
  participantYears: number;
  events: number;
  eventsPer100ParticipantYears: number | null;
  seriousEvents: number;
  seriousEventsPer100ParticipantYears: number | null;
}

/** A complete table for one group (the pooled population, or one arm). */
export interface AeIncidenceTable {
  participants: number;
  overview: Record<OverviewRow, IncidenceCell>;
  byWorstGrade: { grade: CtcaeGrade; participants: number; percent: number | null }[];
  bySocPt: SocRow[];
  exposure: ExposureAdjusted;
}

/** SOC heading for events without MedDRA coding. */
export const UNCODED_SOC = 'Not yet coded (verbatim terms)';

const DAYS_PER_YEAR = 365.25;

/** Σ exposure in years (days from start to end / 365.25; never negative). */
export function participantYears(population: readonly SafetyPopulationMember[]): number {
  return population.reduce(
    (sum, p) => sum + Math.max(0, calendarDaysBetween(p.exposureStart, p.exposureEnd)) / DAYS_PER_YEAR,
    0,
  );
}

/** events / participant-years × 100, or null without exposure. */
export function eventsPer100ParticipantYears(events: number, years: number): number | null {
  return years > 0 ? (events / years) * 100 : null;
}

const percentOf = (n: number, total: number): number | null => (total > 0 ? (n / total) * 100 : null);

const cell = (events: readonly SafetyTableEvent[], total: number): IncidenceCell => {
  const participants = new Set(events.map((e) => e.participantId)).size;
  return { participants, percent: percentOf(participants, total), events: events.length };
};

const distinct = (events: readonly SafetyTableEvent[], pred: (e: SafetyTableEvent) => boolean): number =>
  new Set(events.filter(pred).map((e) => e.participantId)).size;

function worstGradeCounts(events: readonly SafetyTableEvent[]): Record<`${CtcaeGrade}`, number> {
  const worst = new Map<string, CtcaeGrade>();
  for (const e of events) worst.set(e.participantId, Math.max(worst.get(e.participantId) ?? 1, e.grade) as CtcaeGrade);
  const out = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const g of worst.values()) out[`${g}`] += 1;
  return out;
}

const byCountThenName =
  <T extends { participants: number; events: number }>(name: (t: T) => string) =>
  (a: T, b: T): number =>
    b.participants - a.participants || b.events - a.events || name(a).localeCompare(name(b));

/** Builds the table for one group. Events of participants outside the population are ignored. */
export function buildAeIncidenceTable(
  population: readonly SafetyPopulationMember[],
  allEvents: readonly SafetyTableEvent[],
): AeIncidenceTable {
  const ids = new Set(population.map((p) => p.id));
  const events = allEvents.filter((e) => ids.has(e.participantId));
  const n = population.length;
  const overview: Record<OverviewRow, IncidenceCell> = {
    any: cell(events, n),
    serious: cell(
      events.filter((e) => e.serious),
      n,
    ),
    related: cell(
      events.filter((e) => e.related),
      n,
    ),
    seriousRelated: cell(
      events.filter((e) => e.serious && e.related),
      n,
    ),
    grade3OrHigher: cell(
      events.filter((e) => e.grade >= 3),
      n,
    ),
    fatal: cell(
      events.filter((e) => e.fatal),
      n,
    ),
  };
  const worst = worstGradeCounts(events);
  const byWorstGrade = CTCAE_GRADES.map((grade) => ({
    grade,
    participants: worst[`${grade}`],
    percent: percentOf(worst[`${grade}`], n),
  }));

  const socs = new Map<string, SafetyTableEvent[]>();
  for (const e of events) {
    const key = e.socCode ?? (e.socName ? `name:${e.socName}` : 'uncoded');
    socs.set(key, [...(socs.get(key) ?? []), e]);
  }
  const bySocPt: SocRow[] = [...socs.values()].map((socEvents) => {
    const first = socEvents[0]!;
    const terms = new Map<string, SafetyTableEvent[]>();
    for (const e of socEvents) {
      const key = e.ptCode ?? `term:${(e.ptName ?? e.verbatimTerm).trim().toLowerCase()}`;
      terms.set(key, [...(terms.get(key) ?? []), e]);
    }
    const ptRows: PtRow[] = [...terms.values()].map((te) => ({
      ptCode: te[0]!.ptCode,
      ptName: te[0]!.ptName ?? te[0]!.verbatimTerm.trim(),
      ...cell(te, n),
      seriousParticipants: distinct(te, (e) => e.serious),
      relatedParticipants: distinct(te, (e) => e.related),
      participantsByWorstGrade: worstGradeCounts(te),
    }));
    ptRows.sort(byCountThenName((t) => t.ptName));
    return {
      socCode: first.socCode,
      socName: first.socName ?? (first.socCode ? first.socCode : UNCODED_SOC),
      ...cell(socEvents, n),
      seriousParticipants: distinct(socEvents, (e) => e.serious),
      relatedParticipants: distinct(socEvents, (e) => e.related),
      terms: ptRows,
    };
  });
  bySocPt.sort(byCountThenName((s) => s.socName));

  const years = participantYears(population);
  const seriousEvents = events.filter((e) => e.serious).length;
  return {
    participants: n,
    overview,
    byWorstGrade,
    bySocPt,
    exposure: {
      participantYears: years,
      events: events.length,
      eventsPer100ParticipantYears: eventsPer100ParticipantYears(events.length, years),
      seriousEvents,
      seriousEventsPer100ParticipantYears: eventsPer100ParticipantYears(seriousEvents, years),
    },
  };
}

/** One comparison between two groups: participants with the event, Fisher's exact two-sided p. */
export interface IncidenceComparison {
  row: string;
  socCode: string | null;
  ptCode: string | null;
  label: string;
  p: number | null;
}

/**
 * Fisher's exact test (spec §8) on participants with ≥ 1 event, group A against group B, for the
 * overview rows and every SOC and PT present in either group.
 */
export function compareIncidence(a: AeIncidenceTable, b: AeIncidenceTable): IncidenceComparison[] {
  const p = (x: number, y: number): number | null => {
    if (a.participants === 0 || b.participants === 0) return null;
    return fisherExact({ a: x, b: a.participants - x, c: y, d: b.participants - y }).p;
  };
  const out: IncidenceComparison[] = OVERVIEW_ROWS.map((row) => ({
    row,
    socCode: null,
    ptCode: null,
    label: row,
    p: p(a.overview[row].participants, b.overview[row].participants),
  }));
  const socKey = (s: SocRow): string => s.socCode ?? s.socName;
  const ptKey = (t: PtRow): string => t.ptCode ?? t.ptName.toLowerCase();
  const socs = new Map<string, { label: string; code: string | null; a: SocRow | undefined; b: SocRow | undefined }>();
  for (const s of a.bySocPt) socs.set(socKey(s), { label: s.socName, code: s.socCode, a: s, b: undefined });
  for (const s of b.bySocPt) {
    const e = socs.get(socKey(s));
    if (e) e.b = s;
    else socs.set(socKey(s), { label: s.socName, code: s.socCode, a: undefined, b: s });
  }
  for (const soc of socs.values()) {
    out.push({
      row: 'soc',
      socCode: soc.code,
      ptCode: null,
      label: soc.label,
      p: p(soc.a?.participants ?? 0, soc.b?.participants ?? 0),
    });
    const terms = new Map<string, { label: string; code: string | null; a: number; b: number }>();
    for (const t of soc.a?.terms ?? []) {
      terms.set(ptKey(t), { label: t.ptName, code: t.ptCode, a: t.participants, b: 0 });
    }
    for (const t of soc.b?.terms ?? []) {
      const e = terms.get(ptKey(t));
      if (e) e.b = t.participants;
      else terms.set(ptKey(t), { label: t.ptName, code: t.ptCode, a: 0, b: t.participants });
    }
    for (const t of terms.values()) {
      out.push({ row: 'pt', socCode: soc.code, ptCode: t.code, label: t.label, p: p(t.a, t.b) });
    }
  }
  return out;
}
