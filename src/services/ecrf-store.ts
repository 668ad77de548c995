/**
 * Shared pieces of the eCRF services: the protocol a record was collected under, participant facts
 * and withdrawal, form-instance rows as typed views, casebook rows, the site's calendar day, and
 * the forms that other features keep (the injection in the product chain, adverse events in the
 * safety module).
 */
import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { notFound, TrialError } from '../core/errors.js';
import type { FieldIssue } from '../core/errors.js';
import type { FormDef, ProtocolDefinition } from '../core/protocol/definition-types.js';
import { findForm } from '../core/protocol/protocol-queries.js';
import { currentStemjointProtocol, getStemjointProtocol } from '../core/protocol/stemjoint-registry.js';
import type { Executor } from '../storage/database.js';
import { reusableQuery } from '../storage/reusable-query.js';
import type { CasebookTable, FormInstanceStatus, FormInstanceTable } from '../storage/schema-ecrf.js';
import type { ServiceContext } from './context.js';

/** Stored `visit_code` of participant-level forms (medication log, unscheduled visits, end of study). */
export const PARTICIPANT_LEVEL = '';

/**
 * Forms of the protocol that other features keep: the screening record (eligibility) in the screening
 * log, the injection (Day 0) in the cell product chain, adverse events in the safety module. The
 * casebook shows them; the eCRF engine does not store them a second time. (The consent form stays
 * in the eCRF: it carries the scanned signed document, which the consent record does not.)
 */
export const EXTERNALLY_MANAGED_FORMS: Readonly<Record<string, ManagedBy>> = {
  screening: 'screening',
  administration: 'product_chain',
  adverse_event: 'safety',
};

/** The feature that keeps a form outside the eCRF. */
export type ManagedBy = 'screening' | 'product_chain' | 'safety';

/** The protocol version new data are collected under. */
export function currentProtocol(): ProtocolDefinition {
  return currentStemjointProtocol();
}

/** The protocol of a stored record's version. */
export function protocolOfVersion(version: string): ProtocolDefinition {
  return getStemjointProtocol(version);
}

/** A form of a protocol; `not_found` for unknown ids. */
export function requireForm(protocol: ProtocolDefinition, formId: string): FormDef {
  const form = findForm(protocol, formId);
  if (form === undefined) throw notFound(`Form '${formId}'`);
  return form;
}

/** The calendar day at the study's (first) site, from the injected clock. */
export function siteToday(ctx: ServiceContext, protocol: ProtocolDefinition = currentProtocol()): string {
  const zone = protocol.study.sites[0]?.timeZone ?? 'Europe/Copenhagen';
  return format(new TZDate(ctx.now().getTime(), zone), 'yyyy-MM-dd');
}

/** What the eCRF needs to know about a participant. */
export interface ParticipantFacts {
  id: string;
  studyId: string;
  siteId: string;
  status: 'enrolled' | 'randomized' | 'withdrawn' | 'completed';
  withdrawnOn: string | null;
  withdrawalScope: string | null;
}

/** Loads a participant (`not_found` otherwise). */
export async function loadParticipantFacts(db: Executor, participantId: string): Promise<ParticipantFacts> {
  const row = await db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status', 'withdrawn_at', 'withdrawal_scope'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!row) throw notFound('Participant');
  return {
    id: row.id,
    studyId: row.study_id,
    siteId: row.site_id,
    status: row.status,
    withdrawnOn: row.withdrawn_at === null ? null : row.withdrawn_at.slice(0, 10),
    withdrawalScope: row.withdrawal_scope,
  };
}

/**
 * A participant with its casebook row, in one query (the save path reads both on every request).
 */
// The save path's one read, compiled once (see reusable-query.ts): the participant, its casebook
// and, for a slot, the slot's form instance (one statement instead of three).
const participantWithCasebookAndSlot = reusableQuery((db, participantId: string, visitCode: string, formId: string) =>
  db
    .selectFrom('participants')
    .leftJoin('casebooks', 'casebooks.participant_id', 'participants.id')
    .leftJoin('form_instances', (join) =>
      join
        .onRef('form_instances.participant_id', '=', 'participants.id')
        .on('form_instances.visit_code', '=', visitCode)
        .on('form_instances.form_id', '=', formId)
        .on('form_instances.repeat_no', '=', 1),
    )
    .selectAll('form_instances')
    .select([
      'participants.id as p_id',
      'participants.study_id as p_study_id',
      'participants.site_id as p_site_id',
      'participants.status as p_status',
      'participants.withdrawn_at as p_withdrawn_at',
      'participants.withdrawal_scope as p_withdrawal_scope',
      'casebooks.participant_id as cb_participant_id',
      'casebooks.site_id as cb_site_id',
      'casebooks.locked as cb_locked',
      'casebooks.locked_at as cb_locked_at',
      'casebooks.locked_by as cb_locked_by',
      'casebooks.signed_at as cb_signed_at',
      'casebooks.signed_by as cb_signed_by',
      'casebooks.signature_id as cb_signature_id',
      'casebooks.updated_at as cb_updated_at',
    ])
    .where('participants.id', '=', participantId),
);

export async function loadParticipantWithCasebook(
  db: Executor,
  participantId: string,
  slot?: { visitCode: string | null; formId: string },
): Promise<{ participant: ParticipantFacts; casebook: CasebookTable | null; instance: InstanceRecord | null }> {
  const [row] = await participantWithCasebookAndSlot(
    db,
    participantId,
    // Without a slot, the join matches nothing.
    slot === undefined ? '#none' : (slot.visitCode ?? PARTICIPANT_LEVEL),
    slot?.formId ?? '',
  );
  if (!row) throw notFound('Participant');
  const participant: ParticipantFacts = {
    id: row.p_id,
    studyId: row.p_study_id,
    siteId: row.p_site_id,
    status: row.p_status,
    withdrawnOn: row.p_withdrawn_at === null ? null : row.p_withdrawn_at.slice(0, 10),
    withdrawalScope: row.p_withdrawal_scope,
  };
  const casebook: CasebookTable | null =
    row.cb_participant_id === null
      ? null
      : {
          participant_id: row.cb_participant_id,
          site_id: row.cb_site_id ?? row.p_site_id,
          locked: Number(row.cb_locked ?? 0),
          locked_at: row.cb_locked_at,
          locked_by: row.cb_locked_by,
          signed_at: row.cb_signed_at,
          signed_by: row.cb_signed_by,
          signature_id: row.cb_signature_id,
          updated_at: row.cb_updated_at ?? '',
        };
  const instance = row.id === null ? null : toInstanceRecord(row as FormInstanceTable);
  return { participant, casebook, instance };
}

/** Whether withdrawal stops all further data collection (only the end-of-study form may still be filled). */
export function stopsAllData(p: ParticipantFacts): boolean {
  return (
    p.status === 'withdrawn' && (p.withdrawalScope === 'no_further_data' || p.withdrawalScope === 'no_further_contact')
  );
}

/** A form instance row with its JSON documents parsed. */
export interface InstanceRecord {
  id: string;
  participantId: string;
  siteId: string;
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  status: FormInstanceStatus;
  protocolVersion: string;
  values: Record<string, unknown>;
  derived: Record<string, boolean | number | null>;
  warnings: FieldIssue[];
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
  submittedBy: string | null;
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  sdvVersion: number | null;
  sdvAt: string | null;
  sdvBy: string | null;
  sdvValues: Record<string, unknown> | null;
}

/** Maps a stored row. */
export function toInstanceRecord(row: FormInstanceTable): InstanceRecord {
  return {
    id: row.id,
    participantId: row.participant_id,
    siteId: row.site_id,
    visitCode: row.visit_code === PARTICIPANT_LEVEL ? null : row.visit_code,
    formId: row.form_id,
    repeatNo: Number(row.repeat_no),
    status: row.status,
    protocolVersion: row.protocol_version,
    values: JSON.parse(row.values_json) as Record<string, unknown>,
    derived: JSON.parse(row.derived_json) as Record<string, boolean | number | null>,
    warnings: JSON.parse(row.warnings_json) as FieldIssue[],
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    submittedAt: row.submitted_at,
    submittedBy: row.submitted_by,
    locked: row.locked === 1,
    lockedAt: row.locked_at,
    lockedBy: row.locked_by,
    sdvVersion: row.sdv_version === null ? null : Number(row.sdv_version),
    sdvAt: row.sdv_at,
    sdvBy: row.sdv_by,
    sdvValues: row.sdv_values_json === null ? null : (JSON.parse(row.sdv_values_json) as Record<string, unknown>),
  };
}

/** Loads an instance by id (`not_found` otherwise). */
export async function loadInstance(db: Executor, id: string): Promise<InstanceRecord> {
  const row = await db.selectFrom('form_instances').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Form instance');
  return toInstanceRecord(row);
}

/** The instance in a slot (participant, visit, form, repeat number), or null. */
export async function findInstance(
  db: Executor,
  participantId: string,
  visitCode: string | null,
  formId: string,
  repeatNo = 1,
): Promise<InstanceRecord | null> {
  const row = await db
    .selectFrom('form_instances')
    .selectAll()
    .where('participant_id', '=', participantId)
    .where('visit_code', '=', visitCode ?? PARTICIPANT_LEVEL)
    .where('form_id', '=', formId)
    .where('repeat_no', '=', repeatNo)
    .executeTakeFirst();
  return row ? toInstanceRecord(row) : null;
}

/** A participant's casebook row, or null while it has never been locked or signed. */
export async function loadCasebookRow(db: Executor, participantId: string): Promise<CasebookTable | null> {
  return (
    (await db.selectFrom('casebooks').selectAll().where('participant_id', '=', participantId).executeTakeFirst()) ??
    null
  );
}

/** Refuses a change to a locked casebook. */
export function assertCasebookOpen(casebook: CasebookTable | null, studyId: string): void {
  if (casebook?.locked === 1) {
    throw new TrialError(
      'conflict',
      `The casebook of ${studyId} is locked; a data manager must unlock it (with a reason) before data can change`,
    );
  }
}

/** Whether a database error is a unique-constraint violation (a concurrent insert of the same slot). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = String((error as { code: unknown }).code);
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs a write and turns a concurrent duplicate insert into a 409 the client can retry. */
export async function mapUniqueViolation<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new TrialError('conflict', message);
    throw error;
  }
}
