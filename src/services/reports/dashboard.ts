/**
 * The trial dashboard's data (issue 10), blinded for everyone: enrolment over time against the
 * target, visits due and overdue by site, the visit completion matrix (participants × visits),
 * diary compliance, unresolved queries by age, SAE clocks (for readers of safety data), and the
 * data-entry backlog (visits done whose forms are not yet submitted). Site-bound roles see their
 * sites. Everything is read in a few set-based queries, so the dashboard stays fast at 10,000
 * participants; the schedule and query ageing come from the pure core.
 */
import { can } from '../../core/authorization.js';
import { computeParticipantSchedule, type RecordedVisit } from '../../core/ecrf/participant-schedule.js';
import { QUERY_AGE_BUCKETS, queryAgeBucket, queryAgeDays, type QueryAgeBucket } from '../../core/ecrf/query-age.js';
import { formsForVisit } from '../../core/protocol/protocol-queries.js';
import { addCalendarDays, calendarDaysBetween, compareIsoDates } from '../../core/schedule/plain-date.js';
import type { Executor } from '../../storage/database.js';
import { actorSites } from '../access.js';
import type { Actor, ServiceContext } from '../context.js';
import { currentProtocol, EXTERNALLY_MANAGED_FORMS, siteToday } from '../ecrf-store.js';
import { getSafetyDashboard } from '../safety-cases.js';
import { STUDY } from '../study.js';

/** Planned recruitment period for the target line (**default**: the spec gives no period). */
export const PLANNED_RECRUITMENT_MONTHS = 36;

const ID_CHUNK = 500;
const DIARY_DAYS = 30;

/** One month of the enrolment curve. */
export interface EnrolmentMonth {
  readonly month: string;
  readonly screened: number;
  readonly enrolled: number;
  readonly randomized: number;
  readonly cumulativeEnrolled: number;
  readonly cumulativeTarget: number;
}

/** Visit counts of one site. */
export interface SiteVisits {
  readonly site: string;
  readonly participants: number;
  readonly due: number;
  readonly overdue: number;
  readonly upcoming30Days: number;
  readonly doneInWindow: number;
  readonly doneOutOfWindow: number;
  readonly missed: number;
}

/** The dashboard. */
export interface TrialDashboard {
  readonly generatedAt: string;
  readonly today: string;
  readonly enrolment: {
    readonly target: number;
    readonly plannedMonths: number;
    readonly screened: number;
    readonly enrolled: number;
    readonly randomized: number;
    readonly withdrawn: number;
    readonly byMonth: readonly EnrolmentMonth[];
    /** Month the target is reached at the rate of the last six months (null: reached, or no rate). */
    readonly projectedTargetMonth: string | null;
  };
  readonly visits: {
    readonly bySite: readonly SiteVisits[];
    /** The most overdue visits first (at most 100). */
    readonly overdue: readonly {
      readonly studyId: string;
      readonly site: string;
      readonly visit: string;
      readonly daysOverdue: number;
    }[];
  };
  readonly completion: {
    readonly visits: readonly string[];
    readonly statuses: readonly string[];
    /** One row per participant: a status code per visit (index into `statuses`). */
    readonly rows: readonly { readonly studyId: string; readonly site: string; readonly cells: readonly number[] }[];
    /** Participants per visit and status. */
    readonly totals: readonly { readonly visit: string; readonly counts: Readonly<Record<string, number>> }[];
  };
  readonly diaries: {
    readonly participants: number;
    readonly expectedEntries: number;
    readonly entries: number;
    readonly compliance: number | null;
    /** Participants by their own compliance: < 50 %, 50–79 %, ≥ 80 %. */
    readonly distribution: Readonly<Record<'below50' | 'from50to79' | 'atLeast80', number>>;
  };
  readonly queries: {
    readonly open: number;
    readonly answered: number;
    readonly byAge: Readonly<Record<QueryAgeBucket, number>>;
    readonly oldestDays: number | null;
    readonly bySite: readonly { readonly site: string; readonly unresolved: number }[];
    readonly safetyQueriesOpen: number;
  };
  /** SAE reporting clocks (null for roles that do not read safety data). */
  readonly saeClocks: {
    readonly openCases: number;
    readonly overdue: number;
    readonly dueSoon: number;
    readonly deadlines: readonly {
      readonly caseNumber: string;
      readonly studyId: string;
      readonly kind: string;
      readonly due: string;
      readonly status: string;
    }[];
  } | null;
  readonly backlog: {
    readonly visitsWithMissingForms: number;
    readonly missingForms: number;
    readonly draftForms: number;
    readonly byForm: readonly { readonly form: string; readonly missing: number }[];
    readonly byAge: Readonly<Record<QueryAgeBucket, number>>;
    readonly bySite: readonly { readonly site: string; readonly missing: number }[];
  };
}

const month = (isoDate: string): string => isoDate.slice(0, 7);

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

function addMonths(yearMonth: string, count: number): string {
  const [y, m] = yearMonth.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + count;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

async function inChunks<T>(ids: readonly string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) out.push(...(await read(ids.slice(i, i + ID_CHUNK))));
  return out;
}

/** Builds the dashboard for an actor (holder of `reports.dashboard.read`). */
export async function buildDashboard(ctx: ServiceContext, actor: Actor): Promise<TrialDashboard> {
  const db: Executor = ctx.database.db;
  const protocol = currentProtocol();
  const today = siteToday(ctx);
  const now = ctx.now().toISOString();
  const sites = actorSites(actor, 'reports.dashboard.read');
  const siteCodes = new Map((await db.selectFrom('sites').select(['id', 'code']).execute()).map((s) => [s.id, s.code]));
  const code = (siteId: string): string => siteCodes.get(siteId) ?? siteId;

  let sq = db.selectFrom('screenings').select(['created_at', 'data_json']);
  if (sites !== 'all') sq = sites.length === 0 ? sq.where('id', '=', '') : sq.where('site_id', 'in', sites);
  const screenings = await sq.execute();
  let pq = db
    .selectFrom('participants')
    .innerJoin('screenings', 'screenings.id', 'participants.screening_id')
    .select([
      'participants.id',
      'participants.study_id',
      'participants.site_id',
      'participants.status',
      'participants.enrolled_at',
      'participants.withdrawn_at',
      'screenings.data_json',
      'screenings.created_at',
    ])
    .orderBy('participants.study_id');
  if (sites !== 'all') {
    pq = sites.length === 0 ? pq.where('participants.id', '=', '') : pq.where('participants.site_id', 'in', sites);
  }
  const people = await pq.execute();
  const ids = people.map((p) => p.id);
  const randomizedAt = new Map(
    (
      await inChunks(ids, (part) =>
        db
          .selectFrom('randomizations')
          .select(['participant_id', 'randomized_at'])
          .where('participant_id', 'in', part)
          .execute(),
      )
    ).map((r) => [r.participant_id, r.randomized_at]),
  );
  const injections = new Map(
    (
      await inChunks(ids, (part) =>
        db
          .selectFrom('administrations')
          .select(['participant_id', 'status', 'day0'])
          .where('participant_id', 'in', part)
          .execute(),
      )
    ).map((a) => [a.participant_id, a]),
  );
  const visitRows = await inChunks(ids, (part) =>
    db
      .selectFrom('ecrf_visits')
      .select(['participant_id', 'visit_code', 'visit_date', 'missed'])
      .where('participant_id', 'in', part)
      .execute(),
  );
  const instanceRows = await inChunks(ids, (part) =>
    db
      .selectFrom('form_instances')
      .select(['participant_id', 'visit_code', 'form_id', 'status'])
      .where('participant_id', 'in', part)
      .execute(),
  );

  // --- enrolment over time against the target ------------------------------------------------
  const screeningDate = (s: { created_at: string; data_json: string }): string => {
    const d = (JSON.parse(s.data_json) as { screening_date?: unknown }).screening_date;
    return typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : s.created_at.slice(0, 10);
  };
  const screenedMonths = screenings.map((s) => month(screeningDate(s)));
  // People are dated by their screening date (enrolment follows within the screening window) and
  // randomizations by Day 0 (the baseline visit): the dates the site recorded, not when they were typed in.
  const enrolledMonths = people.map((p) => month(screeningDate(p)));
  const blDate = new Map(
    visitRows
      .filter((v) => v.visit_code === 'BL' && v.visit_date !== null)
      .map((v) => [v.participant_id, v.visit_date as string]),
  );
  const randomizedMonths = [...randomizedAt].map(([id, at]) => {
    const inj = injections.get(id);
    return month((inj?.status === 'administered' ? inj.day0 : null) ?? blDate.get(id) ?? at.slice(0, 10));
  });
  const first = [...screenedMonths, ...enrolledMonths].sort()[0] ?? month(today);
  const months = monthsBetween(first, month(today));
  const target = STUDY.enrolmentTarget;
  let cumulative = 0;
  const byMonth: EnrolmentMonth[] = months.map((m, i) => {
    const enrolled = enrolledMonths.filter((x) => x === m).length;
    cumulative += enrolled;
    return {
      month: m,
      screened: screenedMonths.filter((x) => x === m).length,
      enrolled,
      randomized: randomizedMonths.filter((x) => x === m).length,
      cumulativeEnrolled: cumulative,
      cumulativeTarget: Math.min(target, Math.round((target * (i + 1)) / PLANNED_RECRUITMENT_MONTHS)),
    };
  });
  const recent = byMonth.slice(-6);
  const rate = recent.reduce((s, m) => s + m.enrolled, 0) / Math.max(1, recent.length);
  let projectedTargetMonth: string | null = null;
  if (cumulative < target && rate > 0) {
    projectedTargetMonth = addMonths(month(today), Math.ceil((target - cumulative) / rate));
  }

  // --- visit schedule, completion matrix, visits by site ----------------------------------------
  const recordedBy = new Map<string, Map<string, RecordedVisit>>();
  for (const v of visitRows) {
    const m = recordedBy.get(v.participant_id) ?? new Map<string, RecordedVisit>();
    m.set(v.visit_code, { date: v.visit_date, missed: v.missed === 1 });
    recordedBy.set(v.participant_id, m);
  }
  const statuses = [
    'done_in_window',
    'done_out_of_window',
    'missed',
    'overdue',
    'due',
    'not_yet_due',
    'not_applicable',
  ] as const;
  const statusIndex = new Map<string, number>(statuses.map((s, i) => [s, i]));
  const visitCodes = protocol.visits.filter((v) => v.repeat === undefined).map((v) => v.code);
  const bySite = new Map<
    string,
    {
      participants: number;
      due: number;
      overdue: number;
      upcoming30Days: number;
      doneInWindow: number;
      doneOutOfWindow: number;
      missed: number;
    }
  >();
  const overdue: { studyId: string; site: string; visit: string; daysOverdue: number }[] = [];
  const rows: { studyId: string; site: string; cells: number[] }[] = [];
  const totals = new Map<string, Record<string, number>>(visitCodes.map((v) => [v, {}]));
  const day0Of = new Map<string, string | null>();
  for (const p of people) {
    const recorded = recordedBy.get(p.id) ?? new Map<string, RecordedVisit>();
    // The screening visit happened on the screening date of the log.
    if (!recorded.has('SCR')) recorded.set('SCR', { date: screeningDate(p), missed: false });
    const inj = injections.get(p.id);
    const day0 = inj?.status === 'administered' ? inj.day0 : (recorded.get('BL')?.date ?? null);
    day0Of.set(p.id, day0);
    const withdrawnOn = p.withdrawn_at === null ? null : p.withdrawn_at.slice(0, 10);
    const schedule = computeParticipantSchedule(protocol, {
      day0,
      today,
      recorded,
      withdrawnOn: p.status === 'withdrawn' ? withdrawnOn : null,
    });
    const site = code(p.site_id);
    const s = bySite.get(site) ?? {
      participants: 0,
      due: 0,
      overdue: 0,
      upcoming30Days: 0,
      doneInWindow: 0,
      doneOutOfWindow: 0,
      missed: 0,
    };
    s.participants += 1;
    const cells: number[] = [];
    for (const e of schedule) {
      cells.push(statusIndex.get(e.status) ?? statuses.length - 1);
      const t = totals.get(e.visit);
      if (t) t[e.status] = (t[e.status] ?? 0) + 1;
      if (e.status === 'due') s.due += 1;
      if (e.status === 'overdue') {
        s.overdue += 1;
        overdue.push({ studyId: p.study_id, site, visit: e.visit, daysOverdue: e.daysOverdue ?? 0 });
      }
      if (
        e.status === 'not_yet_due' &&
        e.earliest !== null &&
        compareIsoDates(e.earliest, addCalendarDays(today, 30)) <= 0
      ) {
        s.upcoming30Days += 1;
      }
      if (e.status === 'done_in_window') s.doneInWindow += 1;
      if (e.status === 'done_out_of_window') s.doneOutOfWindow += 1;
      if (e.status === 'missed') s.missed += 1;
    }
    bySite.set(site, s);
    rows.push({ studyId: p.study_id, site, cells });
  }
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.studyId.localeCompare(b.studyId));

  // --- diaries ---------------------------------------------------------------------------------
  const diaryEntries = new Map<string, number>();
  for (const i of instanceRows) {
    if (i.form_id === 'pain_diary' && i.status === 'submitted' && /^D\d+$/.test(i.visit_code)) {
      diaryEntries.set(i.participant_id, (diaryEntries.get(i.participant_id) ?? 0) + 1);
    }
  }
  let expectedEntries = 0;
  let entries = 0;
  let diaryParticipants = 0;
  const distribution = { below50: 0, from50to79: 0, atLeast80: 0 };
  for (const p of people) {
    const day0 = day0Of.get(p.id) ?? null;
    if (day0 === null) continue;
    const end =
      p.withdrawn_at !== null && compareIsoDates(p.withdrawn_at.slice(0, 10), today) < 0
        ? p.withdrawn_at.slice(0, 10)
        : addCalendarDays(today, -1);
    const expected = Math.max(0, Math.min(DIARY_DAYS, calendarDaysBetween(day0, end)));
    if (expected === 0) continue;
    const got = Math.min(expected, diaryEntries.get(p.id) ?? 0);
    diaryParticipants += 1;
    expectedEntries += expected;
    entries += got;
    const share = got / expected;
    if (share < 0.5) distribution.below50 += 1;
    else if (share < 0.8) distribution.from50to79 += 1;
    else distribution.atLeast80 += 1;
  }

  // --- queries -----------------------------------------------------------------------------------
  let qq = db
    .selectFrom('ecrf_queries')
    .select(['status', 'raised_at', 'site_id'])
    .where('status', 'in', ['open', 'answered']);
  if (sites !== 'all') qq = sites.length === 0 ? qq.where('id', '=', '') : qq.where('site_id', 'in', sites);
  const queries = await qq.execute();
  const byAge = Object.fromEntries(QUERY_AGE_BUCKETS.map((b) => [b, 0])) as Record<QueryAgeBucket, number>;
  const querySites = new Map<string, number>();
  let oldestDays: number | null = null;
  for (const q of queries) {
    byAge[queryAgeBucket(q.raised_at, now)] += 1;
    querySites.set(code(q.site_id), (querySites.get(code(q.site_id)) ?? 0) + 1);
    const days = queryAgeDays(q.raised_at, now);
    oldestDays = oldestDays === null ? days : Math.max(oldestDays, days);
  }
  let sfq = db
    .selectFrom('safety_queries')
    .innerJoin('adverse_events', 'adverse_events.id', 'safety_queries.ae_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('safety_queries.status', '=', 'open');
  if (sites !== 'all') {
    sfq =
      sites.length === 0 ? sfq.where('adverse_events.id', '=', '') : sfq.where('adverse_events.site_id', 'in', sites);
  }
  const safetyQueriesOpen = Number((await sfq.executeTakeFirstOrThrow()).n);

  // --- SAE clocks (for readers of safety data) ------------------------------------------------------
  let saeClocks: TrialDashboard['saeClocks'] = null;
  if (actor.kind === 'system' || can(actor.roles, 'safety.read')) {
    const s = await getSafetyDashboard(ctx, actor);
    saeClocks = {
      openCases: s.counts.openCases,
      overdue: s.counts.overdue,
      dueSoon: s.counts.dueSoon,
      deadlines: s.deadlines.map((d) => ({
        caseNumber: d.caseNumber,
        studyId: d.studyId,
        kind: String(d.kind),
        due: d.due,
        status: String(d.status),
      })),
    };
  }

  // --- data-entry backlog: visits done whose site forms are not submitted -------------------------
  const submitted = new Set<string>();
  let draftForms = 0;
  for (const i of instanceRows) {
    if (i.status === 'submitted') submitted.add(`${i.participant_id}|${i.visit_code}|${i.form_id}`);
    else draftForms += 1;
  }
  const expectedForms = new Map<string, string[]>();
  for (const code of visitCodes) {
    expectedForms.set(
      code,
      formsForVisit(protocol, code)
        .filter((f) => f.kind === 'scheduled' && f.repeating !== true && EXTERNALLY_MANAGED_FORMS[f.id] === undefined)
        .map((f) => f.id),
    );
  }
  const siteOf = new Map(people.map((p) => [p.id, code(p.site_id)]));
  const backlogByForm = new Map<string, number>();
  const backlogBySite = new Map<string, number>();
  const backlogByAge = Object.fromEntries(QUERY_AGE_BUCKETS.map((b) => [b, 0])) as Record<QueryAgeBucket, number>;
  let visitsWithMissingForms = 0;
  let missingForms = 0;
  for (const v of visitRows) {
    if (v.visit_date === null || v.missed === 1 || v.visit_code === 'SCR') continue;
    const missing = (expectedForms.get(v.visit_code) ?? []).filter(
      (f) => !submitted.has(`${v.participant_id}|${v.visit_code}|${f}`),
    );
    if (missing.length === 0) continue;
    visitsWithMissingForms += 1;
    missingForms += missing.length;
    for (const f of missing) backlogByForm.set(f, (backlogByForm.get(f) ?? 0) + 1);
    const site = siteOf.get(v.participant_id) ?? '?';
    backlogBySite.set(site, (backlogBySite.get(site) ?? 0) + missing.length);
    backlogByAge[queryAgeBucket(`${v.visit_date}T00:00:00.000Z`, now)] += missing.length;
  }

  return {
    generatedAt: now,
    today,
    enrolment: {
      target,
      plannedMonths: PLANNED_RECRUITMENT_MONTHS,
      screened: screenings.length,
      enrolled: people.length,
      randomized: randomizedAt.size,
      withdrawn: people.filter((p) => p.status === 'withdrawn').length,
      byMonth,
      projectedTargetMonth,
    },
    visits: {
      bySite: [...bySite].map(([site, s]) => ({ site, ...s })).sort((a, b) => a.site.localeCompare(b.site)),
      overdue: overdue.slice(0, 100),
    },
    completion: {
      visits: visitCodes,
      statuses,
      rows,
      totals: [...totals].map(([visit, counts]) => ({ visit, counts })),
    },
    diaries: {
      participants: diaryParticipants,
      expectedEntries,
      entries,
      compliance: expectedEntries > 0 ? entries / expectedEntries : null,
      distribution,
    },
    queries: {
      open: queries.filter((q) => q.status === 'open').length,
      answered: queries.filter((q) => q.status === 'answered').length,
      byAge,
      oldestDays,
      bySite: [...querySites]
        .map(([site, unresolved]) => ({ site, unresolved }))
        .sort((a, b) => a.site.localeCompare(b.site)),
      safetyQueriesOpen,
    },
    saeClocks,
    backlog: {
      visitsWithMissingForms,
      missingForms,
      draftForms,
      byForm: [...backlogByForm]
        .map(([form, missing]) => ({ form, missing }))
        .sort((a, b) => b.missing - a.missing || a.form.localeCompare(b.form)),
      byAge: backlogByAge,
      bySite: [...backlogBySite]
        .map(([site, missing]) => ({ site, missing }))
        .sort((a, b) => a.site.localeCompare(b.site)),
    },
  };
}
