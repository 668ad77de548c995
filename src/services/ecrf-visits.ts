/**
 * Visits: Day 0, each participant's schedule and visit status, recording a visit date or a missed
 * visit, the protocol deviation register (a visit done outside its window is recorded as a
 * deviation automatically — never refused), and the calendar of upcoming and overdue visits per
 * site.
 *
 * Day 0 is the injection date from the product chain when the participant has been injected
 * (`getDay0` of the randomization service), otherwise the recorded baseline visit date.
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound } from '../core/errors.js';
import {
  computeParticipantSchedule,
  casebookVisits,
  type RecordedVisit,
  type ScheduleEntry,
} from '../core/ecrf/participant-schedule.js';
import { addCalendarDays, compareIsoDates, isIsoDate } from '../core/schedule/plain-date.js';
import type { LocalizedText } from '../core/protocol/localized-text.js';
import type { VisitKind } from '../core/protocol/definition-types.js';
import type { Executor } from '../storage/database.js';
import type { EcrfVisitTable } from '../storage/schema-ecrf.js';
import { actorSites, assertSiteAccess } from './access.js';
import { runCommand, type CommandScope } from './command.js';
import { actorLabel, type Actor, type ServiceContext } from './context.js';
import {
  assertCasebookOpen,
  currentProtocol,
  loadCasebookRow,
  loadParticipantFacts,
  mapUniqueViolation,
  siteToday,
  type ParticipantFacts,
} from './ecrf-store.js';
import { getDay0 as getInjectionDay0 } from './randomization.js';

/** Where Day 0 came from. */
export type Day0Source = 'injection' | 'baseline_visit';

/** One visit of a participant's schedule, with what was recorded. */
export interface VisitView {
  visit: string;
  name: LocalizedText;
  kind: VisitKind;
  target: string | null;
  earliest: string | null;
  latest: string | null;
  status: ScheduleEntry['status'];
  deviation: boolean;
  doneOn: string | null;
  studyDay: number | null;
  daysOverdue: number | null;
  missed: boolean;
  missedReason: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
}

/** A participant's schedule. */
export interface ParticipantScheduleView {
  participantId: string;
  studyId: string;
  siteId: string;
  day0: string | null;
  day0Source: Day0Source | null;
  today: string;
  visits: VisitView[];
}

/** Day 0 of a participant: the injection date, else the recorded baseline visit date. */
export async function resolveDay0(
  db: Executor,
  participantId: string,
  visits?: readonly EcrfVisitTable[],
): Promise<{ day0: string | null; source: Day0Source | null }> {
  const injected = await getInjectionDay0(db, participantId);
  if (injected !== null) return { day0: injected, source: 'injection' };
  const rows =
    visits ??
    (await db
      .selectFrom('ecrf_visits')
      .selectAll()
      .where('participant_id', '=', participantId)
      .where('visit_code', '=', 'BL')
      .execute());
  const bl = rows.find((v) => v.visit_code === 'BL')?.visit_date ?? null;
  return bl === null ? { day0: null, source: null } : { day0: bl, source: 'baseline_visit' };
}

function buildSchedule(
  p: ParticipantFacts,
  day0: string | null,
  today: string,
  rows: readonly EcrfVisitTable[],
): VisitView[] {
  const recorded = new Map<string, RecordedVisit>(
    rows.map((r) => [r.visit_code, { date: r.visit_date, missed: r.missed === 1 }]),
  );
  const byCode = new Map(rows.map((r) => [r.visit_code, r]));
  const entries = computeParticipantSchedule(currentProtocol(), {
    day0,
    today,
    recorded,
    withdrawnOn: p.status === 'withdrawn' ? p.withdrawnOn : null,
  });
  return entries.map((e) => {
    const row = byCode.get(e.visit);
    return {
      ...e,
      missed: row?.missed === 1,
      missedReason: row?.missed_reason ?? null,
      recordedAt: row?.updated_at ?? null,
      recordedBy: row?.updated_by ?? null,
    };
  });
}

/**
 * The screening visit took place on the screening date of the screening log, unless the site
 * recorded the visit itself: a synthetic visit row from it, so that screening is never "overdue".
 */
async function withScreeningVisit(
  db: Executor,
  p: ParticipantFacts,
  rows: EcrfVisitTable[],
): Promise<EcrfVisitTable[]> {
  if (rows.some((r) => r.visit_code === 'SCR')) return rows;
  const s = await db
    .selectFrom('participants')
    .innerJoin('screenings', 'screenings.id', 'participants.screening_id')
    .select(['screenings.data_json', 'screenings.created_at', 'screenings.created_by'])
    .where('participants.id', '=', p.id)
    .executeTakeFirst();
  const date = s === undefined ? null : (JSON.parse(s.data_json) as { screening_date?: unknown }).screening_date;
  if (s === undefined || typeof date !== 'string' || !isIsoDate(date)) return rows;
  const screening: EcrfVisitTable = {
    id: `screening:${p.id}`,
    participant_id: p.id,
    site_id: p.siteId,
    visit_code: 'SCR',
    visit_date: date,
    missed: 0,
    missed_reason: null,
    created_at: s.created_at,
    created_by: 'screening log',
    updated_at: s.created_at,
    updated_by: 'screening log',
  };
  return [...rows, screening];
}

/** The schedule of one participant (reads only). */
export async function loadParticipantSchedule(
  ctx: ServiceContext,
  db: Executor,
  p: ParticipantFacts,
): Promise<ParticipantScheduleView> {
  const rows = await withScreeningVisit(
    db,
    p,
    await db.selectFrom('ecrf_visits').selectAll().where('participant_id', '=', p.id).execute(),
  );
  const { day0, source } = await resolveDay0(db, p.id, rows);
  const today = siteToday(ctx);
  return {
    participantId: p.id,
    studyId: p.studyId,
    siteId: p.siteId,
    day0,
    day0Source: source,
    today,
    visits: buildSchedule(p, day0, today, rows),
  };
}

/** A participant's visit schedule with target dates, windows and statuses. */
export async function getParticipantSchedule(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
): Promise<ParticipantScheduleView> {
  const db = ctx.database.db;
  const p = await loadParticipantFacts(db, participantId);
  assertSiteAccess(actor, 'ecrf.read', p.siteId);
  return loadParticipantSchedule(ctx, db, p);
}

/** What to record about a visit: the date it took place, or that it was missed and why. */
export type RecordVisitInput = ({ date: string } | { missed: true; missedReason: string }) & { reason?: string };

async function syncWindowDeviation(
  scope: CommandScope,
  p: ParticipantFacts,
  visit: VisitView | undefined,
): Promise<void> {
  if (visit === undefined) return;
  const open = await scope.tx
    .selectFrom('protocol_deviations')
    .select(['id'])
    .where('participant_id', '=', p.id)
    .where('visit_code', '=', visit.visit)
    .where('source', '=', 'auto')
    .where('category', '=', 'visit_window')
    .where('status', '=', 'open')
    .execute();
  if (visit.deviation && open.length === 0 && visit.doneOn !== null) {
    const id = randomUUID();
    const details = {
      visit: visit.visit,
      doneOn: visit.doneOn,
      earliest: visit.earliest,
      latest: visit.latest,
      target: visit.target,
      studyDay: visit.studyDay,
    };
    const description = `Visit ${visit.visit} done on ${visit.doneOn}, outside its window ${visit.earliest ?? '?'} – ${visit.latest ?? '?'}`;
    await scope.tx
      .insertInto('protocol_deviations')
      .values({
        id,
        participant_id: p.id,
        site_id: p.siteId,
        visit_code: visit.visit,
        category: 'visit_window',
        description,
        deviation_date: visit.doneOn,
        source: 'auto',
        status: 'open',
        details_json: JSON.stringify(details),
        created_at: scope.at,
        created_by: 'system',
        voided_at: null,
        voided_reason: null,
      })
      .execute();
    await scope.audit({
      action: 'deviation.recorded',
      entityType: 'protocol_deviation',
      entityId: id,
      after: { participantId: p.id, category: 'visit_window', description, ...details },
    });
  } else if (!visit.deviation && open.length > 0) {
    for (const d of open) {
      const reason = `visit ${visit.visit} is now ${visit.status.replaceAll('_', ' ')}`;
      await scope.tx
        .updateTable('protocol_deviations')
        .set({ status: 'voided', voided_at: scope.at, voided_reason: reason })
        .where('id', '=', d.id)
        .execute();
      await scope.audit({
        action: 'deviation.voided',
        entityType: 'protocol_deviation',
        entityId: d.id,
        before: { status: 'open' },
        after: { status: 'voided' },
        reason,
      });
    }
  }
}

/**
 * Records the date a visit took place, or that it was missed (with the reason). A date outside the
 * window is accepted and entered in the deviation register; a later correction back into the
 * window voids that entry. Changing what was recorded needs a reason. After withdrawal no visit
 * after the withdrawal date can be recorded; a locked casebook refuses every change.
 */
export async function recordVisit(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  visitCode: string,
  input: RecordVisitInput,
): Promise<VisitView> {
  const protocol = currentProtocol();
  if (!casebookVisits(protocol).some((v) => v.code === visitCode)) {
    throw invalid('Unknown visit', [
      { path: 'visitCode', message: `'${visitCode}' is not a scheduled visit (diary days are recorded in the diary)` },
    ]);
  }
  const today = siteToday(ctx);
  const date = 'date' in input ? input.date : null;
  if (date !== null && !isIsoDate(date)) {
    throw invalid('The visit date is not a date', [{ path: 'date', message: 'must be a calendar date YYYY-MM-DD' }]);
  }
  if (date !== null && compareIsoDates(date, today) > 0) {
    throw invalid('A visit cannot be recorded in the future', [{ path: 'date', message: `is after today (${today})` }]);
  }
  const missedReason = 'missed' in input ? input.missedReason.trim() : null;
  if (missedReason === '') {
    throw invalid('Say why the visit was missed', [{ path: 'missedReason', message: 'must not be empty' }]);
  }
  const reason = input.reason?.trim() || null;
  const by = actorLabel(actor);
  return mapUniqueViolation(
    () =>
      runCommand(ctx, actor, async (scope) => {
        const { tx, at } = scope;
        const p = await loadParticipantFacts(tx, participantId);
        assertSiteAccess(actor, 'visit.write', p.siteId);
        assertCasebookOpen(await loadCasebookRow(tx, p.id), p.studyId);
        if (p.status === 'withdrawn') {
          if (date === null) {
            throw conflict(`${p.studyId} has withdrawn; visits after the withdrawal are not applicable`);
          }
          if (p.withdrawnOn !== null && compareIsoDates(date, p.withdrawnOn) > 0) {
            throw conflict(`${p.studyId} withdrew on ${p.withdrawnOn}; no visit after that date can be recorded`, [
              { path: 'date', message: `is after the withdrawal on ${p.withdrawnOn}` },
            ]);
          }
        }
        const existing = await tx
          .selectFrom('ecrf_visits')
          .selectAll()
          .where('participant_id', '=', p.id)
          .where('visit_code', '=', visitCode)
          .executeTakeFirst();
        const before = existing
          ? { date: existing.visit_date, missed: existing.missed === 1, missedReason: existing.missed_reason }
          : null;
        const after = { date, missed: date === null, missedReason };
        if (
          before !== null &&
          before.date === after.date &&
          before.missed === after.missed &&
          before.missedReason === after.missedReason
        ) {
          return currentView(ctx, tx, p, visitCode);
        }
        if (before !== null && reason === null) {
          throw invalid('This visit has already been recorded: a change needs a reason', [
            { path: 'reason', message: 'is required to change a recorded visit' },
          ]);
        }
        if (existing) {
          await tx
            .updateTable('ecrf_visits')
            .set({
              visit_date: date,
              missed: date === null ? 1 : 0,
              missed_reason: missedReason,
              updated_at: at,
              updated_by: by,
            })
            .where('id', '=', existing.id)
            .execute();
        } else {
          await tx
            .insertInto('ecrf_visits')
            .values({
              id: randomUUID(),
              participant_id: p.id,
              site_id: p.siteId,
              visit_code: visitCode,
              visit_date: date,
              missed: date === null ? 1 : 0,
              missed_reason: missedReason,
              created_at: at,
              created_by: by,
              updated_at: at,
              updated_by: by,
            })
            .execute();
        }
        await scope.audit({
          action: date === null ? 'visit.missed' : 'visit.recorded',
          entityType: 'participant_visit',
          entityId: `${p.id}/${visitCode}`,
          ...(before === null ? {} : { before }),
          after: { participantId: p.id, visit: visitCode, ...after },
          reason,
        });
        const view = await currentView(ctx, tx, p, visitCode);
        await syncWindowDeviation(scope, p, view);
        return view;
      }),
    'The visit was recorded at the same time by someone else; reload and try again',
  );
}

async function currentView(
  ctx: ServiceContext,
  db: Executor,
  p: ParticipantFacts,
  visitCode: string,
): Promise<VisitView> {
  const schedule = await loadParticipantSchedule(ctx, db, p);
  const view = schedule.visits.find((v) => v.visit === visitCode);
  if (view === undefined) throw notFound(`Visit ${visitCode}`);
  return view;
}

/** One entry of the protocol deviation register. */
export interface DeviationView {
  id: string;
  participantId: string;
  siteId: string;
  visitCode: string | null;
  category: string;
  description: string;
  deviationDate: string;
  source: 'auto' | 'manual';
  status: 'open' | 'voided';
  details: Record<string, unknown>;
  createdAt: string;
  createdBy: string;
  voidedAt: string | null;
  voidedReason: string | null;
}

/** The deviation register, for one participant or for every participant at the actor's sites. */
export async function listDeviations(
  ctx: ServiceContext,
  actor: Actor,
  filter: { participantId?: string } = {},
): Promise<DeviationView[]> {
  const db = ctx.database.db;
  let q = db.selectFrom('protocol_deviations').selectAll().orderBy('deviation_date').orderBy('id');
  if (filter.participantId !== undefined) {
    const p = await loadParticipantFacts(db, filter.participantId);
    assertSiteAccess(actor, 'ecrf.read', p.siteId);
    q = q.where('participant_id', '=', p.id);
  } else {
    const sites = actorSites(actor, 'ecrf.read');
    if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    siteId: r.site_id,
    visitCode: r.visit_code,
    category: r.category,
    description: r.description,
    deviationDate: r.deviation_date,
    source: r.source,
    status: r.status,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
    createdAt: r.created_at,
    createdBy: r.created_by,
    voidedAt: r.voided_at,
    voidedReason: r.voided_reason,
  }));
}

/** One visit on the calendar. */
export interface CalendarEntry {
  participantId: string;
  studyId: string;
  siteId: string;
  visit: string;
  name: LocalizedText;
  target: string;
  earliest: string;
  latest: string;
  status: 'not_yet_due' | 'due' | 'overdue';
  daysOverdue: number | null;
}

/** The calendar of a site (or all of the actor's sites). */
export interface CalendarView {
  today: string;
  from: string;
  to: string;
  counts: { overdue: number; due: number; upcoming: number };
  /** Overdue visits (whatever their date) and visits whose window overlaps [from, to], by date. */
  entries: CalendarEntry[];
}

/**
 * Upcoming and overdue visits per site: every overdue visit, and every visit not yet done whose
 * window overlaps the period (default today … today + 60 days). Withdrawn participants have no
 * visits left.
 */
export async function getVisitCalendar(
  ctx: ServiceContext,
  actor: Actor,
  filter: { siteId?: string; from?: string; to?: string } = {},
): Promise<CalendarView> {
  const db = ctx.database.db;
  const today = siteToday(ctx);
  const from = filter.from ?? today;
  const to = filter.to ?? addCalendarDays(today, 60);
  if (!isIsoDate(from) || !isIsoDate(to) || compareIsoDates(from, to) > 0) {
    throw invalid('The period is not valid', [{ path: 'from', message: 'from and to must be dates with from ≤ to' }]);
  }
  const sites = actorSites(actor, 'calendar.read');
  if (filter.siteId !== undefined && sites !== 'all' && !sites.includes(filter.siteId)) {
    throw invalid('No access to this site', [{ path: 'siteId', message: 'not one of your sites' }]);
  }
  let pq = db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status', 'withdrawn_at', 'withdrawal_scope'])
    .where('status', '!=', 'withdrawn')
    .orderBy('study_id');
  if (filter.siteId !== undefined) pq = pq.where('site_id', '=', filter.siteId);
  else if (sites !== 'all') pq = sites.length === 0 ? pq.where('id', '=', '') : pq.where('site_id', 'in', sites);
  const participants = await pq.execute();
  const ids = participants.map((p) => p.id);
  const visitRows =
    ids.length === 0 ? [] : await db.selectFrom('ecrf_visits').selectAll().where('participant_id', 'in', ids).execute();
  const entries: CalendarEntry[] = [];
  for (const row of participants) {
    const p: ParticipantFacts = {
      id: row.id,
      studyId: row.study_id,
      siteId: row.site_id,
      status: row.status,
      withdrawnOn: null,
      withdrawalScope: null,
    };
    const rows = visitRows.filter((v) => v.participant_id === p.id);
    const { day0 } = await resolveDay0(db, p.id, rows);
    if (day0 === null) continue;
    for (const v of buildSchedule(p, day0, today, rows)) {
      // The calendar plans follow-up visits; screening and baseline happen before Day 0 is known.
      if (v.kind !== 'follow_up' || v.target === null || v.earliest === null || v.latest === null) continue;
      if (v.status !== 'overdue' && v.status !== 'due' && v.status !== 'not_yet_due') continue;
      const overlaps = compareIsoDates(v.earliest, to) <= 0 && compareIsoDates(v.latest, from) >= 0;
      if (v.status !== 'overdue' && !overlaps) continue;
      entries.push({
        participantId: p.id,
        studyId: p.studyId,
        siteId: p.siteId,
        visit: v.visit,
        name: v.name,
        target: v.target,
        earliest: v.earliest,
        latest: v.latest,
        status: v.status,
        daysOverdue: v.daysOverdue,
      });
    }
  }
  entries.sort((a, b) => compareIsoDates(a.target, b.target) || a.studyId.localeCompare(b.studyId));
  return {
    today,
    from,
    to,
    counts: {
      overdue: entries.filter((e) => e.status === 'overdue').length,
      due: entries.filter((e) => e.status === 'due').length,
      upcoming: entries.filter((e) => e.status === 'not_yet_due').length,
    },
    entries,
  };
}
