/**
 * Discrepancy management: data queries on an item of a form instance (or on the whole form).
 * Automatic queries are raised when a submitted form fails a soft edit check and are closed by the
 * system when the value is corrected; monitors and data managers raise manual queries. Lifecycle:
 * open → answered (site staff) → closed (monitor / data manager), or re-opened; every step is an
 * audit record and an entry in the query's thread. Counts per site, participant, form and age.
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound, type FieldIssue } from '../core/errors.js';
import { resolveValuePath, valueAtPath } from '../core/ecrf/form-index.js';
import { itemIdOfPath } from '../core/ecrf/mask-values.js';
import { jsonEqual } from '../core/ecrf/diff-form-values.js';
import { QUERY_AGE_BUCKETS, queryAgeBucket, queryAgeDays, type QueryAgeBucket } from '../core/ecrf/query-age.js';
import type { Executor } from '../storage/database.js';
import type { EcrfQueryTable, QueryOrigin, QueryStatus } from '../storage/schema-ecrf.js';
import { actorSites, assertSiteAccess } from './access.js';
import { runCommand, type CommandScope } from './command.js';
import { actorLabel, type Actor, type ServiceContext } from './context.js';
import { itemVisibilityFor, type ItemVisibility } from './ecrf-blinding.js';
import {
  assertCasebookOpen,
  loadCasebookRow,
  loadInstance,
  PARTICIPANT_LEVEL,
  protocolOfVersion,
  requireForm,
  type InstanceRecord,
} from './ecrf-store.js';

/** Edit-check warnings that raise an automatic query when a form is submitted. */
export const QUERY_RAISING_CHECKS: readonly string[] = ['soft_range'];

/** One step of a query's thread. */
export interface QueryEventView {
  seq: number;
  action: 'raised' | 'answered' | 'closed' | 'reopened' | 'auto_closed';
  text: string | null;
  at: string;
  by: string;
}

/** A query as the inbox and the form page show it. */
export interface QueryView {
  id: string;
  instanceId: string;
  participantId: string;
  studyId: string;
  siteId: string;
  formId: string;
  visitCode: string | null;
  itemPath: string | null;
  origin: QueryOrigin;
  checkCode: string | null;
  status: QueryStatus;
  text: string;
  answer: string | null;
  raisedAt: string;
  raisedBy: string;
  answeredAt: string | null;
  answeredBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reopenCount: number;
  /** Days since raised (for unresolved queries: how long it has been waiting). */
  ageDays: number;
  events?: QueryEventView[];
}

/** The instance a query belongs to, as far as raising one needs. */
export interface QueryTarget {
  id: string;
  participantId: string;
  siteId: string;
  formId: string;
  visitCode: string | null;
}

const UNRESOLVED: readonly QueryStatus[] = ['open', 'answered'];

function toView(row: EcrfQueryTable & { study_id: string }, now: string): QueryView {
  return {
    id: row.id,
    instanceId: row.instance_id,
    participantId: row.participant_id,
    studyId: row.study_id,
    siteId: row.site_id,
    formId: row.form_id,
    visitCode: row.visit_code === PARTICIPANT_LEVEL ? null : row.visit_code,
    itemPath: row.item_path,
    origin: row.origin,
    checkCode: row.check_code,
    status: row.status,
    text: row.text,
    answer: row.answer,
    raisedAt: row.raised_at,
    raisedBy: row.raised_by,
    answeredAt: row.answered_at,
    answeredBy: row.answered_by,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    reopenCount: Number(row.reopen_count),
    ageDays: queryAgeDays(row.raised_at, row.status === 'closed' && row.closed_at !== null ? row.closed_at : now),
  };
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('ecrf_queries')
    .innerJoin('participants', 'participants.id', 'ecrf_queries.participant_id')
    .innerJoin('form_instances', 'form_instances.id', 'ecrf_queries.instance_id')
    .selectAll('ecrf_queries')
    .select(['participants.study_id', 'form_instances.protocol_version']);
}

/** Whether the actor may see the item a query is about (queries on blinded items are hidden with them). */
function queryVisible(
  visibility: ItemVisibility,
  row: { form_id: string; item_path: string | null; protocol_version: string },
): boolean {
  if (row.item_path === null) return true;
  return visibility.canSee(protocolOfVersion(row.protocol_version), row.form_id, itemIdOfPath(row.item_path));
}

async function appendEvent(
  scope: CommandScope,
  queryId: string,
  action: QueryEventView['action'],
  text: string | null,
): Promise<void> {
  const last = await scope.tx
    .selectFrom('ecrf_query_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('query_id', '=', queryId)
    .executeTakeFirst();
  await scope.tx
    .insertInto('ecrf_query_events')
    .values({
      id: randomUUID(),
      query_id: queryId,
      seq: Number(last?.seq ?? 0) + 1,
      action,
      text,
      at: scope.at,
      actor_label: actorLabel(scope.actor),
    })
    .execute();
}

async function insertQuery(
  scope: CommandScope,
  target: QueryTarget,
  props: {
    itemPath: string | null;
    origin: QueryOrigin;
    checkCode: string | null;
    triggerValue: unknown;
    text: string;
  },
): Promise<string> {
  const id = randomUUID();
  const by = actorLabel(scope.actor);
  await scope.tx
    .insertInto('ecrf_queries')
    .values({
      id,
      instance_id: target.id,
      participant_id: target.participantId,
      site_id: target.siteId,
      form_id: target.formId,
      visit_code: target.visitCode ?? PARTICIPANT_LEVEL,
      item_path: props.itemPath,
      origin: props.origin,
      check_code: props.checkCode,
      trigger_value_json: props.origin === 'auto' ? JSON.stringify(props.triggerValue ?? null) : null,
      status: 'open',
      text: props.text,
      answer: null,
      raised_at: scope.at,
      raised_by: by,
      answered_at: null,
      answered_by: null,
      closed_at: null,
      closed_by: null,
      reopen_count: 0,
      updated_at: scope.at,
    })
    .execute();
  await appendEvent(scope, id, 'raised', props.text);
  await scope.audit({
    action: 'query.raised',
    entityType: 'ecrf_query',
    entityId: id,
    after: {
      instanceId: target.id,
      formId: target.formId,
      visitCode: target.visitCode,
      itemPath: props.itemPath,
      origin: props.origin,
      checkCode: props.checkCode,
      text: props.text,
    },
  });
  return id;
}

/**
 * Keeps the automatic queries of a submitted instance in step with its edit-check warnings, inside
 * the saving transaction: a failing soft check raises a query (unless one is already open for the
 * same item and check, or a person closed one for the very same value — the site confirmed it); a query
 * whose check now passes is closed automatically as corrected.
 *
 * @returns how many queries were raised and closed
 */
export async function syncAutoQueries(
  scope: CommandScope,
  target: QueryTarget,
  warnings: readonly FieldIssue[],
  values: Readonly<Record<string, unknown>>,
  isNewInstance: boolean,
): Promise<{ raised: number; closed: number }> {
  const failing = new Map<string, FieldIssue>();
  for (const w of warnings) {
    if (w.code !== undefined && QUERY_RAISING_CHECKS.includes(w.code)) {
      failing.set(`${w.path.replace(/^values\./, '')}|${w.code}`, w);
    }
  }
  // A brand-new instance has no queries yet: spare the lookup (the common case of a first submission).
  const existing = isNewInstance
    ? []
    : await scope.tx
        .selectFrom('ecrf_queries')
        .selectAll()
        .where('instance_id', '=', target.id)
        .where('origin', '=', 'auto')
        .execute();
  let raised = 0;
  let closed = 0;
  for (const q of existing) {
    if (!UNRESOLVED.includes(q.status) || failing.has(`${q.item_path ?? ''}|${q.check_code ?? ''}`)) continue;
    await scope.tx
      .updateTable('ecrf_queries')
      .set({ status: 'closed', closed_at: scope.at, closed_by: 'system', updated_at: scope.at })
      .where('id', '=', q.id)
      .execute();
    await appendEvent(scope, q.id, 'auto_closed', 'Closed automatically: the value now passes the edit check');
    await scope.audit({
      action: 'query.auto_closed',
      entityType: 'ecrf_query',
      entityId: q.id,
      before: { status: q.status },
      after: { status: 'closed' },
    });
    closed += 1;
  }
  for (const [key, warning] of failing) {
    const [path = ''] = key.split('|');
    const value = valueAtPath(values, path);
    const same = existing.filter((q) => q.item_path === path && q.check_code === warning.code);
    if (same.some((q) => UNRESOLVED.includes(q.status))) continue;
    // The site confirmed this very value and a person closed the query: do not ask again.
    const confirmed = (q: EcrfQueryTable): boolean =>
      q.status === 'closed' &&
      q.closed_by !== 'system' &&
      q.trigger_value_json !== null &&
      jsonEqual(JSON.parse(q.trigger_value_json), value);
    if (same.some(confirmed)) continue;
    await insertQuery(scope, target, {
      itemPath: path,
      origin: 'auto',
      checkCode: warning.code ?? null,
      triggerValue: value,
      text: warning.message,
    });
    raised += 1;
  }
  return { raised, closed };
}

/** Filters of the query inbox. */
export interface QueryFilter {
  status?: QueryStatus | 'unresolved';
  siteId?: string;
  participantId?: string;
  formId?: string;
  visitCode?: string;
  origin?: QueryOrigin;
  instanceId?: string;
}

/** The query inbox: queries at the actor's sites, filtered, oldest unresolved first. */
export async function listQueries(ctx: ServiceContext, actor: Actor, filter: QueryFilter = {}): Promise<QueryView[]> {
  const db = ctx.database.db;
  const sites = actorSites(actor, 'query.read');
  let q = baseQuery(db).orderBy('ecrf_queries.raised_at').orderBy('ecrf_queries.id');
  if (sites !== 'all') {
    q = sites.length === 0 ? q.where('ecrf_queries.id', '=', '') : q.where('ecrf_queries.site_id', 'in', sites);
  }
  if (filter.status === 'unresolved') q = q.where('ecrf_queries.status', 'in', [...UNRESOLVED]);
  else if (filter.status !== undefined) q = q.where('ecrf_queries.status', '=', filter.status);
  if (filter.siteId !== undefined) q = q.where('ecrf_queries.site_id', '=', filter.siteId);
  if (filter.participantId !== undefined) q = q.where('ecrf_queries.participant_id', '=', filter.participantId);
  if (filter.formId !== undefined) q = q.where('ecrf_queries.form_id', '=', filter.formId);
  if (filter.visitCode !== undefined) q = q.where('ecrf_queries.visit_code', '=', filter.visitCode);
  if (filter.origin !== undefined) q = q.where('ecrf_queries.origin', '=', filter.origin);
  if (filter.instanceId !== undefined) q = q.where('ecrf_queries.instance_id', '=', filter.instanceId);
  const rows = await q.execute();
  const visibility = await itemVisibilityFor(db, actor);
  const now = ctx.now().toISOString();
  return rows.filter((r) => queryVisible(visibility, r)).map((r) => toView(r, now));
}

/** One query with its thread. */
export async function getQuery(ctx: ServiceContext, actor: Actor, id: string): Promise<QueryView> {
  const db = ctx.database.db;
  const row = await baseQuery(db).where('ecrf_queries.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Query');
  assertSiteAccess(actor, 'query.read', row.site_id);
  if (!queryVisible(await itemVisibilityFor(db, actor), row)) throw notFound('Query');
  const events = await db
    .selectFrom('ecrf_query_events')
    .selectAll()
    .where('query_id', '=', id)
    .orderBy('seq')
    .execute();
  return {
    ...toView(row, ctx.now().toISOString()),
    events: events.map((e) => ({
      seq: Number(e.seq),
      action: e.action as QueryEventView['action'],
      text: e.text,
      at: e.at,
      by: e.actor_label,
    })),
  };
}

/** Counts of queries by status, and of unresolved queries by site, participant, form and age. */
export interface QuerySummary {
  byStatus: Record<QueryStatus, number>;
  unresolved: {
    total: number;
    bySite: Record<string, number>;
    byParticipant: Record<string, number>;
    byForm: Record<string, number>;
    byAge: Record<QueryAgeBucket, number>;
    byOrigin: Record<QueryOrigin, number>;
  };
}

/** Query counts for the data-management dashboard (at the actor's sites, optionally one site). */
export async function summarizeQueries(
  ctx: ServiceContext,
  actor: Actor,
  filter: { siteId?: string } = {},
): Promise<QuerySummary> {
  const views = await listQueries(ctx, actor, filter.siteId === undefined ? {} : { siteId: filter.siteId });
  const now = ctx.now().toISOString();
  const summary: QuerySummary = {
    byStatus: { open: 0, answered: 0, closed: 0 },
    unresolved: {
      total: 0,
      bySite: {},
      byParticipant: {},
      byForm: {},
      byAge: Object.fromEntries(QUERY_AGE_BUCKETS.map((b) => [b, 0])) as Record<QueryAgeBucket, number>,
      byOrigin: { auto: 0, manual: 0 },
    },
  };
  const bump = (record: Record<string, number>, key: string): void => {
    record[key] = (record[key] ?? 0) + 1;
  };
  for (const q of views) {
    summary.byStatus[q.status] += 1;
    if (!UNRESOLVED.includes(q.status)) continue;
    const u = summary.unresolved;
    u.total += 1;
    bump(u.bySite, q.siteId);
    bump(u.byParticipant, q.studyId);
    bump(u.byForm, q.formId);
    u.byAge[queryAgeBucket(q.raisedAt, now)] += 1;
    u.byOrigin[q.origin] += 1;
  }
  return summary;
}

async function loadForChange(scope: CommandScope, id: string): Promise<EcrfQueryTable> {
  const row = await scope.tx.selectFrom('ecrf_queries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Query');
  return row;
}

/**
 * A monitor's or data manager's query on an item of a form instance (`itemPath` `item` or
 * `group[row].item`), or on the whole form without a path.
 */
export async function raiseQuery(
  ctx: ServiceContext,
  actor: Actor,
  instanceId: string,
  props: { itemPath?: string | null; text: string },
): Promise<QueryView> {
  const text = props.text.trim();
  if (text === '') throw invalid('The query needs a text', [{ path: 'text', message: 'must not be empty' }]);
  const visibility = await itemVisibilityFor(ctx.database.db, actor);
  const id = await runCommand(ctx, actor, async (scope) => {
    const instance = await loadInstance(scope.tx, instanceId);
    assertSiteAccess(actor, 'query.raise', instance.siteId);
    const path = props.itemPath ?? null;
    if (path !== null) {
      const form = requireForm(protocolOfVersion(instance.protocolVersion), instance.formId);
      const resolved = resolveValuePath(form, path);
      if (
        resolved === null ||
        !visibility.canSee(protocolOfVersion(instance.protocolVersion), form.id, resolved.item.id)
      ) {
        throw invalid('The query names no item of this form', [
          { path: 'itemPath', message: `'${path}' is not an item of form '${form.id}'` },
        ]);
      }
    }
    assertQueryable(instance, await loadCasebookRow(scope.tx, instance.participantId));
    return insertQuery(scope, instance, {
      itemPath: path,
      origin: 'manual',
      checkCode: null,
      triggerValue: null,
      text,
    });
  });
  return getQuery(ctx, actor, id);
}

function assertQueryable(instance: InstanceRecord, casebook: Awaited<ReturnType<typeof loadCasebookRow>>): void {
  if (instance.locked) throw conflict('The form is locked; a data manager must unlock it before it can be queried');
  assertCasebookOpen(casebook, 'this participant');
}

/** The site's answer to an open query. */
export async function answerQuery(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { text: string },
): Promise<QueryView> {
  const text = props.text.trim();
  if (text === '') throw invalid('The answer needs a text', [{ path: 'text', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async (scope) => {
    const q = await loadForChange(scope, id);
    assertSiteAccess(actor, 'query.answer', q.site_id);
    if (q.status !== 'open') throw conflict(`Only an open query can be answered; this one is ${q.status}`);
    await scope.tx
      .updateTable('ecrf_queries')
      .set({
        status: 'answered',
        answer: text,
        answered_at: scope.at,
        answered_by: actorLabel(actor),
        updated_at: scope.at,
      })
      .where('id', '=', id)
      .execute();
    await appendEvent(scope, id, 'answered', text);
    await scope.audit({
      action: 'query.answered',
      entityType: 'ecrf_query',
      entityId: id,
      before: { status: q.status },
      after: { status: 'answered', answer: text },
    });
  });
  return getQuery(ctx, actor, id);
}

/** Closes an open or answered query (monitor / data manager), optionally with a note. */
export async function closeQuery(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { text?: string } = {},
): Promise<QueryView> {
  const text = props.text?.trim() || null;
  await runCommand(ctx, actor, async (scope) => {
    const q = await loadForChange(scope, id);
    assertSiteAccess(actor, 'query.close', q.site_id);
    if (q.status === 'closed') throw conflict('The query is already closed');
    await scope.tx
      .updateTable('ecrf_queries')
      .set({ status: 'closed', closed_at: scope.at, closed_by: actorLabel(actor), updated_at: scope.at })
      .where('id', '=', id)
      .execute();
    await appendEvent(scope, id, 'closed', text);
    await scope.audit({
      action: 'query.closed',
      entityType: 'ecrf_query',
      entityId: id,
      before: { status: q.status },
      after: { status: 'closed' },
      reason: text,
    });
  });
  return getQuery(ctx, actor, id);
}

/** Re-opens an answered or closed query with a reason (monitor / data manager). */
export async function reopenQuery(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { text: string },
): Promise<QueryView> {
  const text = props.text.trim();
  if (text === '') throw invalid('Say why the query is re-opened', [{ path: 'text', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async (scope) => {
    const q = await loadForChange(scope, id);
    assertSiteAccess(actor, 'query.close', q.site_id);
    if (q.status === 'open') throw conflict('The query is already open');
    assertQueryable(await loadInstance(scope.tx, q.instance_id), await loadCasebookRow(scope.tx, q.participant_id));
    await scope.tx
      .updateTable('ecrf_queries')
      .set({
        status: 'open',
        closed_at: null,
        closed_by: null,
        reopen_count: Number(q.reopen_count) + 1,
        updated_at: scope.at,
      })
      .where('id', '=', id)
      .execute();
    await appendEvent(scope, id, 'reopened', text);
    await scope.audit({
      action: 'query.reopened',
      entityType: 'ecrf_query',
      entityId: id,
      before: { status: q.status },
      after: { status: 'open', reopenCount: Number(q.reopen_count) + 1 },
      reason: text,
    });
  });
  return getQuery(ctx, actor, id);
}

/** Unresolved query counts per instance of a participant, and per item path of each instance. */
export async function unresolvedQueryCounts(
  db: Executor,
  where: { participantId: string } | { instanceId: string },
): Promise<{
  byInstance: Map<string, number>;
  rows: Pick<EcrfQueryTable, 'instance_id' | 'item_path' | 'form_id' | 'status'>[];
}> {
  let q = db
    .selectFrom('ecrf_queries')
    .select(['instance_id', 'item_path', 'form_id', 'status'])
    .where('status', 'in', [...UNRESOLVED]);
  q =
    'participantId' in where
      ? q.where('participant_id', '=', where.participantId)
      : q.where('instance_id', '=', where.instanceId);
  const rows = await q.execute();
  const byInstance = new Map<string, number>();
  for (const r of rows) byInstance.set(r.instance_id, (byInstance.get(r.instance_id) ?? 0) + 1);
  return { byInstance, rows };
}
