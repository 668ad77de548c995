/**
 * What the site sees of ePRO: per participant the access state and diary compliance (days completed
 * of 30, late, missed, due so far) for the dashboard, and one participant's diary day by day with
 * the visit questionnaires and their KOOS scores (the eCRF's derived items).
 */
import { notFound } from '../core/errors.js';
import {
  computeDiaryCompliance,
  DEFAULT_DIARY_SETTINGS,
  diaryDayOfVisit,
  diaryDayState,
  diaryWindows,
  type DiaryCompliance,
  type DiaryDayState,
} from '../core/epro/diary-days.js';
import type { Executor } from '../storage/database.js';
import { actorSites, assertSiteAccess } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import { resolveDay0 } from './ecrf-visits.js';
import { getAccessView, listAccessRows, type AccessView } from './epro-access.js';

/** One row of the compliance dashboard. */
export interface ComplianceRow {
  participantId: string;
  studyId: string;
  siteId: string;
  participantStatus: string;
  eproEnrolled: boolean;
  accessStatus: 'active' | 'revoked' | null;
  lastLoginAt: string | null;
  day0: string | null;
  compliance: DiaryCompliance;
  /** Completed of due, in percent (null before the first diary day opens). */
  percentOfDue: number | null;
}

async function diaryInstances(
  db: Executor,
  participantIds: readonly string[],
): Promise<
  Map<
    string,
    Map<
      number,
      { late: boolean; status: string; worst: number | null; average: number | null; submittedAt: string | null }
    >
  >
> {
  const out = new Map<
    string,
    Map<
      number,
      { late: boolean; status: string; worst: number | null; average: number | null; submittedAt: string | null }
    >
  >();
  if (participantIds.length === 0) return out;
  const rows = await db
    .selectFrom('form_instances')
    .select(['participant_id', 'visit_code', 'status', 'values_json', 'derived_json', 'submitted_at'])
    .where('form_id', '=', 'pain_diary')
    .where('participant_id', 'in', [...participantIds])
    .execute();
  for (const r of rows) {
    const day = diaryDayOfVisit(r.visit_code);
    if (day === null) continue;
    const values = JSON.parse(r.values_json) as Record<string, unknown>;
    const derived = JSON.parse(r.derived_json) as Record<string, unknown>;
    const m = out.get(r.participant_id) ?? new Map();
    m.set(day, {
      late: derived.late_entry === true,
      status: r.status,
      worst: typeof values.nrs_worst_24h === 'number' ? values.nrs_worst_24h : null,
      average: typeof values.nrs_average_24h === 'number' ? values.nrs_average_24h : null,
      submittedAt: r.submitted_at,
    });
    out.set(r.participant_id, m);
  }
  return out;
}

const submittedOnly = <T extends { status: string; late: boolean }>(
  m: Map<number, T> | undefined,
): Map<number, { late: boolean }> =>
  new Map(
    [...(m ?? new Map<number, T>()).entries()]
      .filter(([, v]) => v.status === 'submitted')
      .map(([k, v]) => [k, { late: v.late }]),
  );

/** Diary compliance of every participant at the actor's sites. */
export async function listEproCompliance(ctx: ServiceContext, actor: Actor): Promise<ComplianceRow[]> {
  const db = ctx.database.db;
  const sites = actorSites(actor, 'epro.read');
  let q = db.selectFrom('participants').select(['id', 'study_id', 'site_id', 'status']).orderBy('study_id');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const participants = await q.execute();
  const access = await listAccessRows(ctx, actor);
  const diaries = await diaryInstances(
    db,
    participants.map((p) => p.id),
  );
  const now = ctx.now();
  const out: ComplianceRow[] = [];
  for (const p of participants) {
    const { day0 } = await resolveDay0(db, p.id);
    const compliance = computeDiaryCompliance(day0, submittedOnly(diaries.get(p.id)), now, DEFAULT_DIARY_SETTINGS);
    const a = access.get(p.id);
    out.push({
      participantId: p.id,
      studyId: p.study_id,
      siteId: p.site_id,
      participantStatus: p.status,
      eproEnrolled: a !== undefined,
      accessStatus: a?.status ?? null,
      lastLoginAt: a?.last_login_at ?? null,
      day0,
      compliance,
      percentOfDue:
        compliance.due === 0
          ? null
          : Math.round((1000 * Math.min(compliance.completed, compliance.due)) / compliance.due) / 10,
    });
  }
  return out;
}

/** One diary day as the site sees it. */
export interface DiaryDayView {
  day: number;
  visitCode: string;
  entryDate: string;
  state: DiaryDayState;
  status: 'submitted' | 'draft' | 'missing';
  late: boolean;
  nrsWorst: number | null;
  nrsAverage: number | null;
  submittedAt: string | null;
}

/** A participant's ePRO for the site. */
export interface ParticipantEproView {
  participantId: string;
  studyId: string;
  access: AccessView;
  day0: string | null;
  compliance: DiaryCompliance;
  diary: DiaryDayView[];
  questionnaires: {
    visitCode: string;
    formId: string;
    status: string;
    submittedBy: 'participant' | 'site';
    scores: Record<string, number | boolean | null>;
  }[];
}

/** One participant's ePRO: access, diary days, visit questionnaires with scores. */
export async function getParticipantEpro(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
): Promise<ParticipantEproView> {
  const db = ctx.database.db;
  const p = await db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) throw notFound('Participant');
  assertSiteAccess(actor, 'epro.read', p.site_id);
  const access = await getAccessView(ctx, actor, participantId);
  const { day0 } = await resolveDay0(db, participantId);
  const days = (await diaryInstances(db, [participantId])).get(participantId);
  const now = ctx.now();
  const diary: DiaryDayView[] =
    day0 === null
      ? []
      : diaryWindows(day0).map((w) => {
          const d = days?.get(w.day);
          return {
            day: w.day,
            visitCode: w.visitCode,
            entryDate: w.entryDate,
            state: diaryDayState(w, now),
            status: d === undefined ? 'missing' : d.status === 'submitted' ? 'submitted' : 'draft',
            late: d?.late ?? false,
            nrsWorst: d?.worst ?? null,
            nrsAverage: d?.average ?? null,
            submittedAt: d?.submittedAt ?? null,
          };
        });
  const forms = await db
    .selectFrom('form_instances')
    .select(['visit_code', 'form_id', 'status', 'derived_json', 'values_json', 'submitted_by'])
    .where('participant_id', '=', participantId)
    .where('form_id', 'in', ['koos', 'nrs'])
    .orderBy('visit_code')
    .execute();
  return {
    participantId,
    studyId: p.study_id,
    access,
    day0,
    compliance: computeDiaryCompliance(day0, submittedOnly(days), now),
    diary,
    questionnaires: forms.map((f) => {
      const derived = JSON.parse(f.derived_json) as Record<string, number | boolean | null>;
      const values = JSON.parse(f.values_json) as Record<string, unknown>;
      const scores =
        f.form_id === 'nrs' ? { nrs_pain: typeof values.nrs_pain === 'number' ? values.nrs_pain : null } : derived;
      return {
        visitCode: f.visit_code,
        formId: f.form_id,
        status: f.status,
        submittedBy: (f.submitted_by ?? '').startsWith('system:participant:') ? 'participant' : 'site',
        scores,
      };
    }),
  };
}
