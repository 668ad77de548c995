/**
 * Adverse event records (spec §6, data dictionary §6): repeating per participant, any time from the
 * injection to the end of the study. Every change after the first entry is a new version with a
 * reason, kept in full (`adverse_event_versions`) and audited. The investigator's and the sponsor's
 * assessments are stored apart: the site's updates cannot touch the sponsor's, and the sponsor's
 * assessment is a separate operation with no access to the investigator's fields, so the sponsor
 * can never overwrite (or downgrade) the investigator's causality. Consistency rules either refuse
 * the record (field-level 400, nothing stored) or raise queries on it (see `check-ae-consistency.ts`).
 * An event that becomes serious opens its SAE case in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { can } from '../core/authorization.js';
import { conflict, forbidden, invalid, notFound, type FieldIssue } from '../core/errors.js';
import {
  AdverseEventChangeSchema,
  applyAeChanges,
  checkAeConsistency,
  isCertainlyAfter,
  isFatalOrLifeThreatening,
  isSerious,
  NewAdverseEventSchema,
  parseInstant,
  recordFromNewAdverseEvent,
  reportableCausality,
  SponsorAssessmentSchema,
  type AeFinding,
  type AeRecord,
  type SponsorAssessment,
} from '../core/safety/index.js';
import type { Executor } from '../storage/database.js';
import type { AdverseEventTable, AeVersionKind, SafetyQueryTable } from '../storage/schema-safety.js';
import { actorSites, assertSiteAccess } from './access.js';
import { actorSeesArms } from './blinding.js';
import { runCommand, type CommandScope } from './command.js';
import type { Actor, ServiceContext } from './context.js';
import { armsOfParticipants, assertSafetyPhysician, day0OfParticipant, type ArmCode } from './safety-access.js';
import { syncSaeCase } from './safety-cases.js';
import { byLabel, copenhagenDate, nextSafetyNumber, parseInput } from './safety-common.js';

/** An AE as listed. `arm` is present only for actors who see arms (and is stripped for anyone else). */
export interface AdverseEventView extends AeRecord {
  id: string;
  aeNumber: string;
  participantId: string;
  studyId: string;
  siteId: string;
  status: AdverseEventTable['status'];
  version: number;
  ongoing: boolean;
  serious: boolean;
  fatalOrLifeThreatening: boolean;
  sponsorAssessment: SponsorAssessment | null;
  /** Related when either assessor finds either suspect related; pending without the investigator's view. */
  reportableCausality: 'related' | 'not_related' | 'pending';
  siteAwarenessAt: string;
  seriousAwarenessAt: string | null;
  caseId: string | null;
  caseNumber: string | null;
  openQueries: number;
  reviewTaskId: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  arm?: ArmCode | null;
}

/** One version of an AE. */
export interface AeVersionView {
  version: number;
  kind: AeVersionKind;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  changedFields: string[];
  record: AeRecord;
  sponsorAssessment: SponsorAssessment | null;
}

/** One consistency query. */
export interface SafetyQueryView {
  id: string;
  aeId: string;
  rule: string;
  path: string;
  message: string;
  status: SafetyQueryTable['status'];
  raisedAt: string;
  raisedInVersion: number;
  closedAt: string | null;
  closedBy: string | null;
  response: string | null;
}

/** An AE with its history and queries. */
export interface AdverseEventDetail extends AdverseEventView {
  versions: AeVersionView[];
  queries: SafetyQueryView[];
}

const toQueryView = (q: SafetyQueryTable): SafetyQueryView => ({
  id: q.id,
  aeId: q.ae_id,
  rule: q.rule,
  path: q.path,
  message: q.message,
  status: q.status,
  raisedAt: q.raised_at,
  raisedInVersion: q.raised_in_version,
  closedAt: q.closed_at,
  closedBy: q.closed_by,
  response: q.response,
});

async function presentAe(
  db: Executor,
  row: AdverseEventTable,
  arms: Map<string, ArmCode | null> | null,
): Promise<AdverseEventView> {
  const record = JSON.parse(row.record_json) as AeRecord;
  const sponsor = row.sponsor_json ? (JSON.parse(row.sponsor_json) as SponsorAssessment) : null;
  const participant = await db
    .selectFrom('participants')
    .select('study_id')
    .where('id', '=', row.participant_id)
    .executeTakeFirstOrThrow();
  const c = await db
    .selectFrom('sae_cases')
    .select(['id', 'case_number'])
    .where('ae_id', '=', row.id)
    .executeTakeFirst();
  const open = await db
    .selectFrom('safety_queries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ae_id', '=', row.id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const view: AdverseEventView = {
    id: row.id,
    aeNumber: row.ae_number,
    participantId: row.participant_id,
    studyId: participant.study_id,
    siteId: row.site_id,
    status: row.status,
    version: row.version,
    ...record,
    ongoing: record.endDate === null,
    serious: isSerious(record.seriousness),
    fatalOrLifeThreatening: isFatalOrLifeThreatening(record.seriousness),
    sponsorAssessment: sponsor,
    reportableCausality: reportableCausality(record.investigatorCausality, sponsor?.causality ?? null),
    siteAwarenessAt: row.site_awareness_at,
    seriousAwarenessAt: row.serious_awareness_at,
    caseId: c?.id ?? null,
    caseNumber: c?.case_number ?? null,
    openQueries: Number(open.n),
    reviewTaskId: row.review_task_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
  // The arm is looked up only for those allowed to see it; the presenter would strip it anyway.
  if (arms) view.arm = arms.get(row.participant_id) ?? null;
  return view;
}

async function aeRow(db: Executor, id: string): Promise<AdverseEventTable> {
  const row = await db.selectFrom('adverse_events').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Adverse event');
  return row;
}

async function detail(
  db: Executor,
  row: AdverseEventTable,
  arms: Map<string, ArmCode | null> | null,
): Promise<AdverseEventDetail> {
  const versions = await db
    .selectFrom('adverse_event_versions')
    .selectAll()
    .where('ae_id', '=', row.id)
    .orderBy('version')
    .execute();
  const queries = await db
    .selectFrom('safety_queries')
    .selectAll()
    .where('ae_id', '=', row.id)
    .orderBy('raised_at')
    .orderBy('rule')
    .execute();
  return {
    ...(await presentAe(db, row, arms)),
    versions: versions.map((v) => ({
      version: v.version,
      kind: v.kind,
      changedAt: v.changed_at,
      changedBy: v.changed_by,
      reason: v.reason,
      changedFields: JSON.parse(v.changed_fields_json) as string[],
      record: JSON.parse(v.record_json) as AeRecord,
      sponsorAssessment: v.sponsor_json ? (JSON.parse(v.sponsor_json) as SponsorAssessment) : null,
    })),
    queries: queries.map(toQueryView),
  };
}

/** One AE with its versions and queries (site-scoped). */
export async function getAdverseEvent(ctx: ServiceContext, actor: Actor, id: string): Promise<AdverseEventDetail> {
  const row = await aeRow(ctx.database.db, id);
  assertSiteAccess(actor, 'safety.read', row.site_id);
  const arms = (await actorSeesArms(ctx.database.db, actor))
    ? await armsOfParticipants(ctx, [row.participant_id])
    : null;
  return detail(ctx.database.db, row, arms);
}

/** Filters for the AE listing. */
export interface AeListFilter {
  participantId?: string;
  serious?: boolean;
  /** Default `active`: events entered in error are left out unless asked for. */
  status?: AdverseEventTable['status'] | 'all';
}

/** The AE listing for the actor's sites, in AE-number order. */
export async function listAdverseEvents(
  ctx: ServiceContext,
  actor: Actor,
  filter: AeListFilter = {},
): Promise<AdverseEventView[]> {
  const db = ctx.database.db;
  const sites = actorSites(actor, 'safety.read');
  let q = db.selectFrom('adverse_events').selectAll().orderBy('ae_number');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  if (filter.participantId) q = q.where('participant_id', '=', filter.participantId);
  if (filter.serious !== undefined) q = q.where('serious', '=', filter.serious ? 1 : 0);
  const status = filter.status ?? 'active';
  if (status !== 'all') q = q.where('status', '=', status);
  const rows = await q.execute();
  const arms = (await actorSeesArms(db, actor))
    ? await armsOfParticipants(
        ctx,
        rows.map((r) => r.participant_id),
      )
    : null;
  const out: AdverseEventView[] = [];
  for (const r of rows) out.push(await presentAe(db, r, arms));
  return out;
}

const fieldsChanged = (a: AeRecord, b: AeRecord): (keyof AeRecord)[] =>
  (Object.keys(b) as (keyof AeRecord)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

const findingIssues = (findings: readonly AeFinding[]): FieldIssue[] =>
  findings.map((f) => ({ path: f.path, message: f.message, code: f.rule }));

/** Refuses the investigator's causality from anyone who may not assess it at that site. */
function assertMayAssessCausality(actor: Actor, siteId: string): void {
  if (actor.kind === 'system') return;
  const sites = actorSites(actor, 'safety.ae.assess');
  if (!can(actor.roles, 'safety.ae.assess') || (sites !== 'all' && !sites.includes(siteId))) {
    throw forbidden("Only an investigator may record the investigator's causality assessment");
  }
}

/** Opens, resolves and keeps consistency queries in step with the current version. */
async function reconcileQueries(
  scope: CommandScope,
  aeId: string,
  version: number,
  findings: readonly AeFinding[],
  closeAll = false,
): Promise<void> {
  const { tx, at, audit } = scope;
  const existing = await tx
    .selectFrom('safety_queries')
    .selectAll()
    .where('ae_id', '=', aeId)
    .where('status', 'in', ['open', 'confirmed'])
    .execute();
  const firing = new Set(closeAll ? [] : findings.map((f) => f.rule));
  for (const q of existing) {
    if (q.status === 'open' && !firing.has(q.rule)) {
      const response = closeAll ? 'closed: the event was entered in error' : `resolved by version ${version}`;
      await tx
        .updateTable('safety_queries')
        .set({ status: 'resolved', closed_at: at, closed_by: 'system', response })
        .where('id', '=', q.id)
        .execute();
      await audit({
        action: 'safety_query.resolved',
        entityType: 'adverse_event',
        entityId: aeId,
        after: { queryId: q.id, rule: q.rule, response },
      });
    }
  }
  if (closeAll) return;
  for (const f of findings) {
    if (existing.some((q) => q.rule === f.rule)) continue;
    const id = randomUUID();
    await tx
      .insertInto('safety_queries')
      .values({
        id,
        ae_id: aeId,
        rule: f.rule,
        path: f.path,
        message: f.message,
        status: 'open',
        raised_at: at,
        raised_in_version: version,
        closed_at: null,
        closed_by: null,
        response: null,
      })
      .execute();
    await audit({
      action: 'safety_query.raised',
      entityType: 'adverse_event',
      entityId: aeId,
      after: { queryId: id, rule: f.rule, path: f.path, message: f.message },
    });
  }
}

/** A validated new AE, ready to insert inside a command. */
export interface PreparedAdverseEvent {
  participantId: string;
  siteId: string;
  record: AeRecord;
  siteAwarenessAt: string;
  seriousAwarenessAt: string | null;
  queries: AeFinding[];
}

/**
 * Validates a new AE for a participant: shape (zod), who may record what, dates and awareness, and
 * the consistency rules. Throws 400/403/409 and stores nothing.
 */
export async function prepareAdverseEvent(
  ctx: ServiceContext,
  actor: Actor,
  input: unknown,
): Promise<PreparedAdverseEvent> {
  const body = parseInput(NewAdverseEventSchema, input, 'The adverse event is not valid');
  const db = ctx.database.db;
  const participant = await db
    .selectFrom('participants')
    .selectAll()
    .where('id', '=', body.participantId)
    .executeTakeFirst();
  if (!participant) throw invalid('Unknown participant', [{ path: 'participantId', message: 'no such participant' }]);
  assertSiteAccess(actor, 'safety.ae.write', participant.site_id);
  const record = recordFromNewAdverseEvent(body);
  if (record.investigatorCausality !== null) assertMayAssessCausality(actor, participant.site_id);
  const now = ctx.now();
  const issues: FieldIssue[] = [];
  const siteAwareness = parseInstant(body.siteAwarenessAt)!;
  if (siteAwareness.getTime() > now.getTime()) issues.push({ path: 'siteAwarenessAt', message: 'is in the future' });
  const serious = isSerious(record.seriousness);
  let seriousAwareness: Date | null = null;
  if (body.seriousAwarenessAt !== undefined) {
    if (!serious) issues.push({ path: 'seriousAwarenessAt', message: 'only for a serious event' });
    seriousAwareness = parseInstant(body.seriousAwarenessAt)!;
    if (seriousAwareness.getTime() > now.getTime()) {
      issues.push({ path: 'seriousAwarenessAt', message: 'is in the future' });
    }
    if (seriousAwareness.getTime() < siteAwareness.getTime()) {
      issues.push({ path: 'seriousAwarenessAt', message: 'is before the site became aware of the event' });
    }
  } else if (serious) {
    seriousAwareness = siteAwareness;
  }
  const checks = checkAeConsistency(record, {
    today: copenhagenDate(now),
    day0: await day0OfParticipant(db, participant.id),
    siteAwarenessDate: copenhagenDate(siteAwareness),
  });
  issues.push(...findingIssues(checks.errors));
  if (issues.length > 0) throw invalid('The adverse event is not valid', issues);
  if (
    participant.status === 'withdrawn' &&
    participant.withdrawal_scope !== 'no_further_visits' &&
    participant.withdrawn_at &&
    isCertainlyAfter(record.onsetDate, participant.withdrawn_at)
  ) {
    throw conflict(
      `${participant.study_id} withdrew consent to further data on ${participant.withdrawn_at}; an event that began later cannot be recorded`,
      [{ path: 'onsetDate', message: `is after the withdrawal (${participant.withdrawn_at})` }],
    );
  }
  return {
    participantId: participant.id,
    siteId: participant.site_id,
    record,
    siteAwarenessAt: siteAwareness.toISOString(),
    seriousAwarenessAt: seriousAwareness?.toISOString() ?? null,
    queries: checks.queries,
  };
}

/** Inserts a prepared AE inside a command: version 1, queries, audit, and the SAE case if serious. Returns the id. */
export async function insertAdverseEvent(
  scope: CommandScope,
  prepared: PreparedAdverseEvent,
  opts: { reviewTaskId?: string } = {},
): Promise<string> {
  const { tx, at, actor, audit } = scope;
  const id = randomUUID();
  const aeNumber = `AE-${String(await nextSafetyNumber(tx, 'adverse_event')).padStart(4, '0')}`;
  const r = prepared.record;
  const by = byLabel(actor);
  await tx
    .insertInto('adverse_events')
    .values({
      id,
      ae_number: aeNumber,
      participant_id: prepared.participantId,
      site_id: prepared.siteId,
      status: 'active',
      version: 1,
      record_json: JSON.stringify(r),
      sponsor_json: null,
      verbatim_term: r.verbatimTerm,
      onset_date: r.onsetDate,
      end_date: r.endDate,
      grade: r.grade,
      serious: isSerious(r.seriousness) ? 1 : 0,
      soc_code: r.meddra?.socCode ?? null,
      pt_code: r.meddra?.ptCode ?? null,
      site_awareness_at: prepared.siteAwarenessAt,
      serious_awareness_at: prepared.seriousAwarenessAt,
      review_task_id: opts.reviewTaskId ?? null,
      created_by: by,
      created_at: at,
      updated_by: by,
      updated_at: at,
    })
    .execute();
  await tx
    .insertInto('adverse_event_versions')
    .values({
      id: randomUUID(),
      ae_id: id,
      version: 1,
      kind: 'initial',
      record_json: JSON.stringify(r),
      sponsor_json: null,
      changed_fields_json: JSON.stringify(Object.keys(r)),
      reason: null,
      changed_by: by,
      changed_at: at,
    })
    .execute();
  await audit({
    action: 'adverse_event.created',
    entityType: 'adverse_event',
    entityId: id,
    after: {
      aeNumber,
      participantId: prepared.participantId,
      record: r,
      siteAwarenessAt: prepared.siteAwarenessAt,
      seriousAwarenessAt: prepared.seriousAwarenessAt,
    },
  });
  await reconcileQueries(scope, id, 1, prepared.queries);
  await syncSaeCase(scope, {
    aeId: id,
    aeNumber,
    participantId: prepared.participantId,
    siteId: prepared.siteId,
    seriousness: r.seriousness,
    active: true,
    seriousAwarenessAt: prepared.seriousAwarenessAt,
  });
  return id;
}

/** Records a new AE (site staff). A serious event opens its SAE case at once. */
export async function createAdverseEvent(
  ctx: ServiceContext,
  actor: Actor,
  input: unknown,
): Promise<AdverseEventDetail> {
  const prepared = await prepareAdverseEvent(ctx, actor, input);
  const id = await runCommand(ctx, actor, (scope) => insertAdverseEvent(scope, prepared));
  return getAdverseEvent(ctx, actor, id);
}

/**
 * A follow-up or correction: a new version with a reason. When the event becomes serious, the site's
 * awareness of its seriousness starts the 24-hour clock (`seriousAwarenessAt`, default now); when it
 * stops being serious its case is downgraded.
 */
export async function updateAdverseEvent(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<AdverseEventDetail> {
  const body = parseInput(AdverseEventChangeSchema, input, 'The change is not valid');
  if (Object.keys(body.changes).length === 0) {
    throw invalid('No changes given', [{ path: 'changes', message: 'must name at least one field' }]);
  }
  const db = ctx.database.db;
  const now = ctx.now();
  const current = await aeRow(db, id);
  assertSiteAccess(actor, 'safety.ae.write', current.site_id);
  const given = body.seriousAwarenessAt ? parseInstant(body.seriousAwarenessAt)! : null;
  const day0 = await day0OfParticipant(db, current.participant_id);
  await runCommand(ctx, actor, async (scope) => {
    const { tx, at, audit } = scope;
    // Bump the version first: the row lock serialises concurrent changes to one AE (PostgreSQL).
    const row = await tx
      .updateTable('adverse_events')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Adverse event');
    if (row.status !== 'active') throw conflict(`${row.ae_number} was entered in error and can no longer change`);
    const before = JSON.parse(row.record_json) as AeRecord;
    const after = applyAeChanges(before, body.changes);
    const changed = fieldsChanged(before, after);
    if (changed.length === 0) {
      throw invalid('Nothing would change', [{ path: 'changes', message: 'every value is already recorded' }]);
    }
    if (changed.includes('investigatorCausality')) assertMayAssessCausality(actor, row.site_id);
    const issues: FieldIssue[] = [];
    const wasSerious = isSerious(before.seriousness);
    const nowSerious = isSerious(after.seriousness);
    let seriousAwarenessAt = row.serious_awareness_at;
    if (given) {
      if (!nowSerious || wasSerious) {
        issues.push({ path: 'seriousAwarenessAt', message: 'only when the event becomes serious' });
      }
      if (given.getTime() > now.getTime()) issues.push({ path: 'seriousAwarenessAt', message: 'is in the future' });
      if (given.toISOString() < row.site_awareness_at) {
        issues.push({ path: 'seriousAwarenessAt', message: 'is before the site became aware of the event' });
      }
    }
    if (nowSerious && seriousAwarenessAt === null) seriousAwarenessAt = (given ?? new Date(at)).toISOString();
    const checks = checkAeConsistency(after, {
      today: copenhagenDate(now),
      day0,
      siteAwarenessDate: copenhagenDate(new Date(row.site_awareness_at)),
    });
    issues.push(...findingIssues(checks.errors).map((i) => ({ ...i, path: `changes.${i.path}` })));
    if (issues.length > 0) throw invalid('The change is not valid', issues);
    const by = byLabel(actor);
    await tx
      .updateTable('adverse_events')
      .set({
        record_json: JSON.stringify(after),
        verbatim_term: after.verbatimTerm,
        onset_date: after.onsetDate,
        end_date: after.endDate,
        grade: after.grade,
        serious: nowSerious ? 1 : 0,
        soc_code: after.meddra?.socCode ?? null,
        pt_code: after.meddra?.ptCode ?? null,
        serious_awareness_at: seriousAwarenessAt,
        updated_by: by,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
    await tx
      .insertInto('adverse_event_versions')
      .values({
        id: randomUUID(),
        ae_id: id,
        version: row.version,
        kind: 'follow_up',
        record_json: JSON.stringify(after),
        sponsor_json: row.sponsor_json,
        changed_fields_json: JSON.stringify(changed),
        reason: body.reason,
        changed_by: by,
        changed_at: at,
      })
      .execute();
    await audit({
      action: 'adverse_event.updated',
      entityType: 'adverse_event',
      entityId: id,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: { ...Object.fromEntries(changed.map((k) => [k, after[k]])), version: row.version },
      reason: body.reason,
    });
    await reconcileQueries(scope, id, row.version, checks.queries);
    await syncSaeCase(scope, {
      aeId: id,
      aeNumber: row.ae_number,
      participantId: row.participant_id,
      siteId: row.site_id,
      seriousness: after.seriousness,
      active: true,
      seriousAwarenessAt,
    });
  });
  return getAdverseEvent(ctx, actor, id);
}

/**
 * The sponsor's assessment (designated safety physician): the sponsor's own causality to the cells
 * and the procedure, and expectedness against an issued RSI version. A new version; replacing an
 * earlier sponsor assessment needs a reason. The investigator's record is untouched.
 */
export async function assessAdverseEventAsSponsor(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<AdverseEventDetail> {
  const body = parseInput(SponsorAssessmentSchema, input, 'The sponsor assessment is not valid');
  const db = ctx.database.db;
  await assertSafetyPhysician(db, actor);
  const rsi = await db
    .selectFrom('rsi_versions')
    .select('version')
    .where('version', '=', body.rsiVersion)
    .executeTakeFirst();
  if (!rsi) {
    throw invalid('Unknown reference safety information version', [
      { path: 'rsiVersion', message: `no RSI version "${body.rsiVersion}" has been issued` },
    ]);
  }
  const assessment: SponsorAssessment = {
    causality: body.causality,
    expectedness: body.expectedness,
    rsiVersion: body.rsiVersion,
    comment: body.comment?.trim() || null,
  };
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const row = await tx
      .updateTable('adverse_events')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Adverse event');
    if (row.status !== 'active') throw conflict(`${row.ae_number} was entered in error`);
    const previous = row.sponsor_json ? (JSON.parse(row.sponsor_json) as SponsorAssessment) : null;
    if (previous && !body.reason) {
      throw invalid('Changing the sponsor assessment needs a reason', [
        { path: 'reason', message: 'is required when replacing an assessment' },
      ]);
    }
    if (previous && JSON.stringify(previous) === JSON.stringify(assessment)) {
      throw invalid('Nothing would change', [
        { path: 'causality', message: 'the same assessment is already recorded' },
      ]);
    }
    const by = byLabel(actor);
    await tx
      .updateTable('adverse_events')
      .set({ sponsor_json: JSON.stringify(assessment), updated_by: by, updated_at: at })
      .where('id', '=', id)
      .execute();
    await tx
      .insertInto('adverse_event_versions')
      .values({
        id: randomUUID(),
        ae_id: id,
        version: row.version,
        kind: 'sponsor_assessment',
        record_json: row.record_json,
        sponsor_json: JSON.stringify(assessment),
        changed_fields_json: JSON.stringify(['sponsorAssessment']),
        reason: body.reason ?? null,
        changed_by: by,
        changed_at: at,
      })
      .execute();
    await audit({
      action: 'adverse_event.sponsor_assessed',
      entityType: 'adverse_event',
      entityId: id,
      before: previous ?? undefined,
      after: { ...assessment, version: row.version },
      reason: body.reason ?? null,
    });
  });
  return getAdverseEvent(ctx, actor, id);
}

/** Marks an AE as entered in error (kept, excluded from tables); its case is nullified. */
export async function markAdverseEventEnteredInError(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { reason: string },
): Promise<AdverseEventDetail> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  const current = await aeRow(ctx.database.db, id);
  assertSiteAccess(actor, 'safety.ae.write', current.site_id);
  await runCommand(ctx, actor, async (scope) => {
    const { tx, at, audit } = scope;
    const row = await tx
      .updateTable('adverse_events')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('Adverse event');
    if (row.status !== 'active') throw conflict(`${row.ae_number} is already marked as entered in error`);
    const by = byLabel(actor);
    await tx
      .updateTable('adverse_events')
      .set({ status: 'entered_in_error', updated_by: by, updated_at: at })
      .where('id', '=', id)
      .execute();
    await tx
      .insertInto('adverse_event_versions')
      .values({
        id: randomUUID(),
        ae_id: id,
        version: row.version,
        kind: 'entered_in_error',
        record_json: row.record_json,
        sponsor_json: row.sponsor_json,
        changed_fields_json: JSON.stringify(['status']),
        reason: props.reason.trim(),
        changed_by: by,
        changed_at: at,
      })
      .execute();
    await audit({
      action: 'adverse_event.entered_in_error',
      entityType: 'adverse_event',
      entityId: id,
      before: { status: 'active' },
      after: { status: 'entered_in_error', version: row.version },
      reason: props.reason.trim(),
    });
    await reconcileQueries(scope, id, row.version, [], true);
    const record = JSON.parse(row.record_json) as AeRecord;
    await syncSaeCase(scope, {
      aeId: id,
      aeNumber: row.ae_number,
      participantId: row.participant_id,
      siteId: row.site_id,
      seriousness: record.seriousness,
      active: false,
      seriousAwarenessAt: row.serious_awareness_at,
    });
  });
  return getAdverseEvent(ctx, actor, id);
}

/** The investigator confirms that a queried combination is correct as recorded, with a response. */
export async function confirmSafetyQuery(
  ctx: ServiceContext,
  actor: Actor,
  queryId: string,
  props: { response: string },
): Promise<SafetyQueryView> {
  if (!props.response.trim()) {
    throw invalid('A response is required', [{ path: 'response', message: 'must not be empty' }]);
  }
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const q = await tx
      .updateTable('safety_queries')
      .set({ closed_at: at })
      .where('id', '=', queryId)
      .returningAll()
      .executeTakeFirst();
    if (!q) throw notFound('Query');
    const ae = await tx
      .selectFrom('adverse_events')
      .select(['site_id'])
      .where('id', '=', q.ae_id)
      .executeTakeFirstOrThrow();
    assertSiteAccess(actor, 'safety.ae.assess', ae.site_id);
    if (q.status !== 'open') throw conflict(`The query is already ${q.status}`);
    await tx
      .updateTable('safety_queries')
      .set({ status: 'confirmed', closed_by: byLabel(actor), response: props.response.trim() })
      .where('id', '=', queryId)
      .execute();
    await audit({
      action: 'safety_query.confirmed',
      entityType: 'adverse_event',
      entityId: q.ae_id,
      after: { queryId, rule: q.rule },
      reason: props.response.trim(),
    });
  });
  const q = await ctx.database.db
    .selectFrom('safety_queries')
    .selectAll()
    .where('id', '=', queryId)
    .executeTakeFirstOrThrow();
  return toQueryView(q);
}

/** Open (or all) consistency queries for the actor's sites. */
export async function listSafetyQueries(
  ctx: ServiceContext,
  actor: Actor,
  filter: { status?: SafetyQueryTable['status'] } = {},
): Promise<(SafetyQueryView & { aeNumber: string; studyId: string })[]> {
  const sites = actorSites(actor, 'safety.read');
  let q = ctx.database.db
    .selectFrom('safety_queries')
    .innerJoin('adverse_events', 'adverse_events.id', 'safety_queries.ae_id')
    .innerJoin('participants', 'participants.id', 'adverse_events.participant_id')
    .selectAll('safety_queries')
    .select(['adverse_events.ae_number', 'participants.study_id'])
    .orderBy('safety_queries.raised_at')
    .orderBy('adverse_events.ae_number');
  if (sites !== 'all') {
    q = sites.length === 0 ? q.where('safety_queries.id', '=', '') : q.where('adverse_events.site_id', 'in', sites);
  }
  q = q.where('safety_queries.status', '=', filter.status ?? 'open');
  const rows = await q.execute();
  return rows.map((r) => ({ ...toQueryView(r), aeNumber: r.ae_number, studyId: r.study_id }));
}
