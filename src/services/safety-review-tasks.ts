/**
 * "AE review" tasks: signals from the post-injection pain diary (worst NRS ≥ baseline + 2, moderate
 * or severe swelling, free-text symptoms) and from the eCRFs (out-of-range vital signs, findings)
 * that the investigator must look at. The investigator either records an AE from the task or
 * dismisses it with a reason; both are audited.
 *
 * For the ePRO and eCRF modules: call `createAeReviewTask(ctx, actor, { participantId, source,
 * sourceRef?, detail: { summary, data? } })` on its own, or `createAeReviewTaskInScope(scope, …)`
 * inside your own `runCommand` so that the task commits with the diary entry or form that raised it.
 * Give `sourceRef` (e.g. the diary entry id): the same (source, sourceRef) never makes a second task.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { conflict, invalid, notFound } from '../core/errors.js';
import { AeReviewTaskSchema, type AeReviewSource } from '../core/safety/index.js';
import type { Executor } from '../storage/database.js';
import type { AeReviewTaskTable } from '../storage/schema-safety.js';
import { actorSites, assertSiteAccess } from './access.js';
import { getAdverseEvent, insertAdverseEvent, prepareAdverseEvent, type AdverseEventDetail } from './adverse-events.js';
import { runCommand, type CommandScope } from './command.js';
import type { Actor, ServiceContext } from './context.js';
import { byLabel, nextSafetyNumber, parseInput } from './safety-common.js';

/** The input of `createAeReviewTask`. */
export type AeReviewTaskInput = z.input<typeof AeReviewTaskSchema>;

/** A review task as shown. */
export interface AeReviewTaskView {
  id: string;
  taskNumber: string;
  participantId: string;
  studyId: string;
  siteId: string;
  source: AeReviewSource;
  sourceRef: string | null;
  summary: string;
  data: Record<string, string | number | boolean | null>;
  status: AeReviewTaskTable['status'];
  aeId: string | null;
  aeNumber: string | null;
  resolutionReason: string | null;
  createdAt: string;
  createdBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

async function present(db: Executor, row: AeReviewTaskTable): Promise<AeReviewTaskView> {
  const p = await db
    .selectFrom('participants')
    .select('study_id')
    .where('id', '=', row.participant_id)
    .executeTakeFirstOrThrow();
  const ae = row.ae_id
    ? await db.selectFrom('adverse_events').select('ae_number').where('id', '=', row.ae_id).executeTakeFirst()
    : undefined;
  return {
    id: row.id,
    taskNumber: row.task_number,
    participantId: row.participant_id,
    studyId: p.study_id,
    siteId: row.site_id,
    source: row.source as AeReviewSource,
    sourceRef: row.source_ref,
    summary: row.summary,
    data: JSON.parse(row.detail_json) as AeReviewTaskView['data'],
    status: row.status,
    aeId: row.ae_id,
    aeNumber: ae?.ae_number ?? null,
    resolutionReason: row.resolution_reason,
    createdAt: row.created_at,
    createdBy: row.created_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

async function taskRow(db: Executor, id: string): Promise<AeReviewTaskTable> {
  const row = await db.selectFrom('ae_review_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('AE review task');
  return row;
}

/**
 * Creates a review task inside the caller's command (no permission check here: the caller's own
 * command is already authorised). Returns the task id and whether it is new; an existing task with
 * the same (source, sourceRef) is returned instead of a duplicate.
 */
export async function createAeReviewTaskInScope(
  scope: CommandScope,
  input: unknown,
): Promise<{ id: string; created: boolean }> {
  const body = parseInput(AeReviewTaskSchema, input, 'The AE review task is not valid');
  const { tx, at, audit, actor } = scope;
  const participant = await tx
    .selectFrom('participants')
    .select(['id', 'site_id'])
    .where('id', '=', body.participantId)
    .executeTakeFirst();
  if (!participant) throw invalid('Unknown participant', [{ path: 'participantId', message: 'no such participant' }]);
  const sourceRef = body.sourceRef ?? null;
  const find = async (): Promise<string | undefined> =>
    sourceRef === null
      ? undefined
      : (
          await tx
            .selectFrom('ae_review_tasks')
            .select('id')
            .where('source', '=', body.source)
            .where('source_ref', '=', sourceRef)
            .executeTakeFirst()
        )?.id;
  const existing = await find();
  if (existing) return { id: existing, created: false };
  const id = randomUUID();
  const taskNumber = `AR-${String(await nextSafetyNumber(tx, 'ae_review_task')).padStart(4, '0')}`;
  const inserted = await tx
    .insertInto('ae_review_tasks')
    .values({
      id,
      task_number: taskNumber,
      participant_id: participant.id,
      site_id: participant.site_id,
      source: body.source,
      source_ref: sourceRef,
      summary: body.detail.summary,
      detail_json: JSON.stringify(body.detail.data ?? {}),
      status: 'open',
      ae_id: null,
      resolution_reason: null,
      created_by: byLabel(actor),
      created_at: at,
      resolved_by: null,
      resolved_at: null,
    })
    .onConflict((oc) => oc.columns(['source', 'source_ref']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    // Another transaction created the same signal's task first.
    return { id: (await find())!, created: false };
  }
  await audit({
    action: 'ae_review_task.created',
    entityType: 'ae_review_task',
    entityId: id,
    after: { taskNumber, participantId: participant.id, source: body.source, sourceRef, summary: body.detail.summary },
  });
  return { id, created: true };
}

/** Creates a review task in its own command (users need `safety.review.create` at the participant's site). */
export async function createAeReviewTask(
  ctx: ServiceContext,
  actor: Actor,
  input: unknown,
): Promise<{ task: AeReviewTaskView; created: boolean }> {
  const body = parseInput(AeReviewTaskSchema, input, 'The AE review task is not valid');
  const participant = await ctx.database.db
    .selectFrom('participants')
    .select('site_id')
    .where('id', '=', body.participantId)
    .executeTakeFirst();
  if (!participant) throw invalid('Unknown participant', [{ path: 'participantId', message: 'no such participant' }]);
  assertSiteAccess(actor, 'safety.review.create', participant.site_id);
  const result = await runCommand(ctx, actor, (scope) => createAeReviewTaskInScope(scope, body));
  return { task: await present(ctx.database.db, await taskRow(ctx.database.db, result.id)), created: result.created };
}

/** One task (site-scoped). */
export async function getAeReviewTask(ctx: ServiceContext, actor: Actor, id: string): Promise<AeReviewTaskView> {
  const row = await taskRow(ctx.database.db, id);
  assertSiteAccess(actor, 'safety.review.read', row.site_id);
  return present(ctx.database.db, row);
}

/** Tasks for the actor's sites (default: open ones), oldest first. */
export async function listAeReviewTasks(
  ctx: ServiceContext,
  actor: Actor,
  filter: { status?: AeReviewTaskTable['status'] | 'all'; participantId?: string } = {},
): Promise<AeReviewTaskView[]> {
  const sites = actorSites(actor, 'safety.review.read');
  let q = ctx.database.db.selectFrom('ae_review_tasks').selectAll().orderBy('task_number');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const status = filter.status ?? 'open';
  if (status !== 'all') q = q.where('status', '=', status);
  if (filter.participantId) q = q.where('participant_id', '=', filter.participantId);
  const rows = await q.execute();
  const out: AeReviewTaskView[] = [];
  for (const r of rows) out.push(await present(ctx.database.db, r));
  return out;
}

async function lockOpenTask(scope: CommandScope, id: string): Promise<AeReviewTaskTable> {
  const row = await scope.tx
    .updateTable('ae_review_tasks')
    .set({ resolved_at: scope.at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('AE review task');
  assertSiteAccess(scope.actor, 'safety.review.resolve', row.site_id);
  if (row.status !== 'open') throw conflict(`Task ${row.task_number} is already resolved (${row.status})`);
  return row;
}

/** The investigator decides the signal is not an adverse event, with a reason. */
export async function dismissAeReviewTask(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { reason: string },
): Promise<AeReviewTaskView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async (scope) => {
    const row = await lockOpenTask(scope, id);
    await scope.tx
      .updateTable('ae_review_tasks')
      .set({ status: 'dismissed', resolution_reason: props.reason.trim(), resolved_by: byLabel(actor) })
      .where('id', '=', id)
      .execute();
    await scope.audit({
      action: 'ae_review_task.dismissed',
      entityType: 'ae_review_task',
      entityId: id,
      before: { status: row.status },
      after: { status: 'dismissed' },
      reason: props.reason.trim(),
    });
  });
  return getAeReviewTask(ctx, actor, id);
}

/** Records an AE from the task (same participant) and resolves the task, in one transaction. */
export async function recordAeFromReviewTask(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  aeInput: unknown,
): Promise<{ task: AeReviewTaskView; adverseEvent: AdverseEventDetail }> {
  const task = await taskRow(ctx.database.db, id);
  assertSiteAccess(actor, 'safety.review.resolve', task.site_id);
  const input =
    typeof aeInput === 'object' && aeInput !== null ? { participantId: task.participant_id, ...aeInput } : aeInput;
  const prepared = await prepareAdverseEvent(ctx, actor, input);
  if (prepared.participantId !== task.participant_id) {
    throw invalid('The event must be recorded for the participant of the task', [
      { path: 'participantId', message: 'is not the participant of this task' },
    ]);
  }
  const aeId = await runCommand(ctx, actor, async (scope) => {
    const row = await lockOpenTask(scope, id);
    const newId = await insertAdverseEvent(scope, prepared, { reviewTaskId: id });
    await scope.tx
      .updateTable('ae_review_tasks')
      .set({ status: 'ae_recorded', ae_id: newId, resolved_by: byLabel(actor) })
      .where('id', '=', id)
      .execute();
    await scope.audit({
      action: 'ae_review_task.ae_recorded',
      entityType: 'ae_review_task',
      entityId: id,
      before: { status: row.status },
      after: { status: 'ae_recorded', adverseEventId: newId },
    });
    return newId;
  });
  return { task: await getAeReviewTask(ctx, actor, id), adverseEvent: await getAdverseEvent(ctx, actor, aeId) };
}

/** Resolves the task with an AE already recorded for the same participant (e.g. reported by phone first). */
export async function linkAeToReviewTask(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { adverseEventId: string },
): Promise<AeReviewTaskView> {
  await runCommand(ctx, actor, async (scope) => {
    const row = await lockOpenTask(scope, id);
    const ae = await scope.tx
      .selectFrom('adverse_events')
      .select(['id', 'participant_id', 'ae_number', 'status'])
      .where('id', '=', props.adverseEventId)
      .executeTakeFirst();
    if (!ae || ae.participant_id !== row.participant_id || ae.status !== 'active') {
      throw invalid('The adverse event must be an active event of the same participant', [
        { path: 'adverseEventId', message: 'not an active AE of this participant' },
      ]);
    }
    await scope.tx
      .updateTable('ae_review_tasks')
      .set({ status: 'ae_recorded', ae_id: ae.id, resolved_by: byLabel(actor) })
      .where('id', '=', id)
      .execute();
    await scope.audit({
      action: 'ae_review_task.ae_recorded',
      entityType: 'ae_review_task',
      entityId: id,
      before: { status: row.status },
      after: { status: 'ae_recorded', adverseEventId: ae.id, aeNumber: ae.ae_number },
    });
  });
  return getAeReviewTask(ctx, actor, id);
}
