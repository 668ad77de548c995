/**
 * Monitoring and locking: source data verification of a form by a monitor (the version verified is
 * kept, so a later change shows as "changed since verification" with the items that changed), the
 * monitor's worklist, form and casebook locks by data managers (unlock only with a reason), and the
 * investigator's e-signature of a participant's casebook (voided by any later data change).
 */
import { conflict, invalid, type FieldIssue } from '../core/errors.js';
import type { Executor } from '../storage/database.js';
import type { CasebookTable } from '../storage/schema-ecrf.js';
import { actorSites, assertSiteAccess } from './access.js';
import { confirmSignerPassword, recordSignature } from './auth.js';
import { runCommand } from './command.js';
import { actorLabel, type Actor, type ServiceContext } from './context.js';
import { itemVisibilityFor } from './ecrf-blinding.js';
import {
  loadCasebookRow,
  loadInstance,
  loadParticipantFacts,
  protocolOfVersion,
  requireForm,
  toInstanceRecord,
  type InstanceRecord,
} from './ecrf-store.js';
import { instanceMeta, sdvStatus, sdvView, type InstanceMeta, type SdvView } from './ecrf-views.js';

async function hiddenOf(ctx: ServiceContext, actor: Actor, instance: InstanceRecord): Promise<ReadonlySet<string>> {
  const protocol = protocolOfVersion(instance.protocolVersion);
  return (await itemVisibilityFor(ctx.database.db, actor)).hiddenItems(
    protocol,
    requireForm(protocol, instance.formId),
  );
}

/**
 * Marks the current version of a submitted form as verified against source documents. The caller
 * names the version they verified, so a form changed while they were looking is not marked.
 */
export async function verifyForm(
  ctx: ServiceContext,
  actor: Actor,
  instanceId: string,
  props: { version: number },
): Promise<{ instance: InstanceMeta; sdv: SdvView }> {
  const record = await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const instance = await loadInstance(tx, instanceId);
    assertSiteAccess(actor, 'sdv.write', instance.siteId);
    if (instance.status !== 'submitted') {
      throw conflict('Only a submitted form can be verified against source documents');
    }
    if (instance.version !== props.version) {
      throw conflict(`The form is at version ${instance.version}; you verified version ${props.version} — reload it`, [
        { path: 'version', message: `stored version is ${instance.version}` },
      ]);
    }
    if (instance.sdvVersion === instance.version) throw conflict('This version is already verified');
    const by = actorLabel(actor);
    await tx
      .updateTable('form_instances')
      .set({ sdv_version: instance.version, sdv_at: at, sdv_by: by, sdv_values_json: JSON.stringify(instance.values) })
      .where('id', '=', instance.id)
      .execute();
    await audit({
      action: 'form.source_verified',
      entityType: 'form_instance',
      entityId: instance.id,
      before: { sdvVersion: instance.sdvVersion },
      after: { sdvVersion: instance.version, formId: instance.formId, visitCode: instance.visitCode },
    });
    return { ...instance, sdvVersion: instance.version, sdvAt: at, sdvBy: by, sdvValues: instance.values };
  });
  return { instance: instanceMeta(record), sdv: sdvView(record, await hiddenOf(ctx, actor, record)) };
}

/** One entry of the monitor's SDV worklist. */
export interface SdvWorklistEntry {
  instanceId: string;
  participantId: string;
  studyId: string;
  siteId: string;
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  version: number;
  submittedAt: string | null;
  updatedAt: string;
  sdvStatus: 'not_verified' | 'changed_since_verification';
  verifiedVersion: number | null;
}

/** Submitted forms still to verify (never verified, or changed since), at the actor's sites. */
export async function getSdvWorklist(
  ctx: ServiceContext,
  actor: Actor,
  filter: { siteId?: string; participantId?: string } = {},
): Promise<SdvWorklistEntry[]> {
  const db = ctx.database.db;
  const sites = actorSites(actor, 'ecrf.read');
  let q = db
    .selectFrom('form_instances')
    .innerJoin('participants', 'participants.id', 'form_instances.participant_id')
    .selectAll('form_instances')
    .select('participants.study_id')
    .where('form_instances.status', '=', 'submitted')
    .orderBy('participants.study_id')
    .orderBy('form_instances.updated_at');
  if (sites !== 'all') {
    q = sites.length === 0 ? q.where('form_instances.id', '=', '') : q.where('form_instances.site_id', 'in', sites);
  }
  if (filter.siteId !== undefined) q = q.where('form_instances.site_id', '=', filter.siteId);
  if (filter.participantId !== undefined) q = q.where('form_instances.participant_id', '=', filter.participantId);
  const rows = await q.execute();
  const entries: SdvWorklistEntry[] = [];
  for (const row of rows) {
    const i = toInstanceRecord(row);
    const status = sdvStatus(i);
    if (status === 'verified') continue;
    entries.push({
      instanceId: i.id,
      participantId: i.participantId,
      studyId: row.study_id,
      siteId: i.siteId,
      visitCode: i.visitCode,
      formId: i.formId,
      repeatNo: i.repeatNo,
      version: i.version,
      submittedAt: i.submittedAt,
      updatedAt: i.updatedAt,
      sdvStatus: status,
      verifiedVersion: i.sdvVersion,
    });
  }
  return entries;
}

async function unresolvedQueries(
  db: Executor,
  where: { instanceId: string } | { participantId: string },
): Promise<number> {
  let q = db
    .selectFrom('ecrf_queries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['open', 'answered']);
  q =
    'instanceId' in where
      ? q.where('instance_id', '=', where.instanceId)
      : q.where('participant_id', '=', where.participantId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Locks a submitted form without unresolved queries (data manager). */
export async function lockForm(
  ctx: ServiceContext,
  actor: Actor,
  instanceId: string,
  props: { reason?: string | null } = {},
): Promise<InstanceMeta> {
  const record = await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const instance = await loadInstance(tx, instanceId);
    assertSiteAccess(actor, 'ecrf.lock', instance.siteId);
    if (instance.locked) throw conflict('The form is already locked');
    const problems: FieldIssue[] = [];
    if (instance.status !== 'submitted') problems.push({ path: 'status', message: 'the form has not been submitted' });
    const open = await unresolvedQueries(tx, { instanceId });
    if (open > 0) {
      problems.push({ path: 'queries', message: `${open} quer${open === 1 ? 'y is' : 'ies are'} not closed` });
    }
    if (problems.length > 0) throw conflict('The form cannot be locked yet', problems);
    const by = actorLabel(actor);
    await tx
      .updateTable('form_instances')
      .set({ locked: 1, locked_at: at, locked_by: by })
      .where('id', '=', instanceId)
      .execute();
    await audit({
      action: 'form.locked',
      entityType: 'form_instance',
      entityId: instanceId,
      before: { locked: false },
      after: { locked: true },
      reason: props.reason?.trim() || null,
    });
    return { ...instance, locked: true, lockedAt: at, lockedBy: by };
  });
  return instanceMeta(record);
}

/** Unlocks a form (data manager, with a reason). */
export async function unlockForm(
  ctx: ServiceContext,
  actor: Actor,
  instanceId: string,
  props: { reason: string },
): Promise<InstanceMeta> {
  const reason = props.reason.trim();
  if (reason === '') {
    throw invalid('A reason is required to unlock', [{ path: 'reason', message: 'must not be empty' }]);
  }
  const record = await runCommand(ctx, actor, async ({ tx, audit }) => {
    const instance = await loadInstance(tx, instanceId);
    assertSiteAccess(actor, 'ecrf.unlock', instance.siteId);
    if (!instance.locked) throw conflict('The form is not locked');
    await tx
      .updateTable('form_instances')
      .set({ locked: 0, locked_at: null, locked_by: null })
      .where('id', '=', instanceId)
      .execute();
    await audit({
      action: 'form.unlocked',
      entityType: 'form_instance',
      entityId: instanceId,
      before: { locked: true, lockedAt: instance.lockedAt, lockedBy: instance.lockedBy },
      after: { locked: false },
      reason,
    });
    return { ...instance, locked: false, lockedAt: null, lockedBy: null };
  });
  return instanceMeta(record);
}

/** The lock and signature state of a casebook. */
export interface CasebookState {
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  signature: { signedAt: string; signedBy: string; signatureId: string } | null;
}

/** The state of a casebook row (never locked or signed when there is no row). */
export function casebookState(row: CasebookTable | null): CasebookState {
  return {
    locked: row?.locked === 1,
    lockedAt: row?.locked_at ?? null,
    lockedBy: row?.locked_by ?? null,
    signature:
      row?.signed_at != null && row.signed_by !== null && row.signature_id !== null
        ? { signedAt: row.signed_at, signedBy: row.signed_by, signatureId: row.signature_id }
        : null,
  };
}

async function upsertCasebook(
  db: Executor,
  participantId: string,
  siteId: string,
  at: string,
  set: Partial<CasebookTable>,
): Promise<void> {
  const existing = await loadCasebookRow(db, participantId);
  if (existing) {
    await db
      .updateTable('casebooks')
      .set({ ...set, updated_at: at })
      .where('participant_id', '=', participantId)
      .execute();
    return;
  }
  await db
    .insertInto('casebooks')
    .values({
      participant_id: participantId,
      site_id: siteId,
      locked: 0,
      locked_at: null,
      locked_by: null,
      signed_at: null,
      signed_by: null,
      signature_id: null,
      updated_at: at,
      ...set,
    })
    .execute();
}

/**
 * Locks a participant's casebook (data manager): no form may still be a draft and no query may be
 * unresolved. A locked casebook refuses every data change, visit record and new query.
 */
export async function lockCasebook(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { reason?: string | null } = {},
): Promise<CasebookState> {
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await loadParticipantFacts(tx, participantId);
    assertSiteAccess(actor, 'ecrf.lock', p.siteId);
    const row = await loadCasebookRow(tx, p.id);
    if (row?.locked === 1) throw conflict(`The casebook of ${p.studyId} is already locked`);
    const problems: FieldIssue[] = [];
    const drafts = await tx
      .selectFrom('form_instances')
      .select(['form_id', 'visit_code'])
      .where('participant_id', '=', p.id)
      .where('status', '=', 'draft')
      .execute();
    for (const d of drafts) {
      problems.push({ path: `forms.${d.visit_code || 'participant'}.${d.form_id}`, message: 'is still a draft' });
    }
    const open = await unresolvedQueries(tx, { participantId: p.id });
    if (open > 0) {
      problems.push({ path: 'queries', message: `${open} quer${open === 1 ? 'y is' : 'ies are'} not closed` });
    }
    if (problems.length > 0) throw conflict(`The casebook of ${p.studyId} cannot be locked yet`, problems);
    await upsertCasebook(tx, p.id, p.siteId, at, { locked: 1, locked_at: at, locked_by: actorLabel(actor) });
    await audit({
      action: 'casebook.locked',
      entityType: 'casebook',
      entityId: p.id,
      before: { locked: false },
      after: { locked: true, studyId: p.studyId },
      reason: props.reason?.trim() || null,
    });
  });
  return casebookState(await loadCasebookRow(ctx.database.db, participantId));
}

/** Unlocks a casebook (data manager, with a reason). */
export async function unlockCasebook(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { reason: string },
): Promise<CasebookState> {
  const reason = props.reason.trim();
  if (reason === '') {
    throw invalid('A reason is required to unlock', [{ path: 'reason', message: 'must not be empty' }]);
  }
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await loadParticipantFacts(tx, participantId);
    assertSiteAccess(actor, 'ecrf.unlock', p.siteId);
    const row = await loadCasebookRow(tx, p.id);
    if (row?.locked !== 1) throw conflict(`The casebook of ${p.studyId} is not locked`);
    await upsertCasebook(tx, p.id, p.siteId, at, { locked: 0, locked_at: null, locked_by: null });
    await audit({
      action: 'casebook.unlocked',
      entityType: 'casebook',
      entityId: p.id,
      before: { locked: true, lockedAt: row.locked_at, lockedBy: row.locked_by },
      after: { locked: false },
      reason,
    });
  });
  return casebookState(await loadCasebookRow(ctx.database.db, participantId));
}

/**
 * The investigator's e-signature of a participant's casebook: re-entered password, a signature
 * record with its statement, in the same transaction as the casebook row. Every form must be
 * submitted. A later change to any data voids the signature (recorded in the audit trail).
 */
export async function signCasebook(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { password: string },
): Promise<CasebookState> {
  const p0 = await loadParticipantFacts(ctx.database.db, participantId);
  assertSiteAccess(actor, 'casebook.sign', p0.siteId);
  await confirmSignerPassword(ctx, actor, props.password, 'signature.password');
  await runCommand(ctx, actor, async (scope) => {
    const p = await loadParticipantFacts(scope.tx, participantId);
    const row = await loadCasebookRow(scope.tx, p.id);
    if (row?.signed_at != null) throw conflict(`The casebook of ${p.studyId} is already signed`);
    const instances = await scope.tx
      .selectFrom('form_instances')
      .select(['status', 'form_id', 'visit_code'])
      .where('participant_id', '=', p.id)
      .execute();
    if (instances.length === 0) throw conflict(`The casebook of ${p.studyId} has no data to sign`);
    const drafts = instances.filter((i) => i.status === 'draft');
    if (drafts.length > 0) {
      throw conflict(
        `The casebook of ${p.studyId} has forms still in draft`,
        drafts.map((d) => ({
          path: `forms.${d.visit_code || 'participant'}.${d.form_id}`,
          message: 'is still a draft',
        })),
      );
    }
    const sig = await recordSignature(scope, {
      meaning: 'approval',
      statement: `I have reviewed the casebook of participant ${p.studyId} and confirm that the data are complete and accurate to the best of my knowledge.`,
      entityType: 'casebook',
      entityId: p.id,
    });
    await upsertCasebook(scope.tx, p.id, p.siteId, scope.at, {
      signed_at: scope.at,
      signed_by: actorLabel(actor),
      signature_id: sig.id,
    });
    await scope.audit({
      action: 'casebook.signed',
      entityType: 'casebook',
      entityId: p.id,
      after: { signatureId: sig.id, studyId: p.studyId, forms: instances.length },
    });
  });
  return casebookState(await loadCasebookRow(ctx.database.db, participantId));
}
