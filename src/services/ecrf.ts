/**
 * The eCRF engine's services: form definitions for pages, reading a form instance (values with the
 * blind applied, warnings and open queries per item, SDV state, locks), and saving one as a draft
 * or submitting it. Everything is driven by the protocol definition the data are collected under.
 *
 * Saving validates against the protocol (errors → 400 naming each item, nothing stored), computes
 * the derived items on the server, stores the instance, and appends one audit record with the
 * old and new value of every changed item. After submission every change needs a reason. On
 * submission failing soft edit checks raise queries, and corrected values close them. A change
 * voids the investigator's casebook signature; derived items of other forms that read this one
 * (de novo DSA at M3 reads the baseline beads) are recomputed in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound, type FieldIssue } from '../core/errors.js';
import { describeForm, type FormDefinitionView } from '../core/ecrf/describe-form.js';
import { deriveFormValues } from '../core/ecrf/derive-form-values.js';
import {
  changesAsRecords,
  diffFormValues,
  flattenFormValues,
  type ValueChange,
} from '../core/ecrf/diff-form-values.js';
import { indexForm, isPlainObject } from '../core/ecrf/form-index.js';
import { isSameFormRef, type CrossFormLookup } from '../core/ecrf/form-scope.js';
import { itemIdOfPath, maskFormValues, maskPathRecord, restoreHiddenValues } from '../core/ecrf/mask-values.js';
import { validateFormData, type SaveMode } from '../core/ecrf/validate-form-data.js';
import { collectConditionRefs, type ItemRef } from '../core/protocol/condition.js';
import type { FormDef, ProtocolDefinition } from '../core/protocol/definition-types.js';
import { resolveVisit } from '../core/protocol/protocol-queries.js';
import type { Executor } from '../storage/database.js';
import { assertSiteAccess } from './access.js';
import { runCommand, type CommandScope } from './command.js';
import { actorLabel, type Actor, type ServiceContext } from './context.js';
import { itemVisibilityFor, type ItemVisibility } from './ecrf-blinding.js';
import {
  assertCasebookOpen,
  currentProtocol,
  EXTERNALLY_MANAGED_FORMS,
  findInstance,
  loadCasebookRow,
  loadInstance,
  loadParticipantFacts,
  loadParticipantWithCasebook,
  mapUniqueViolation,
  PARTICIPANT_LEVEL,
  protocolOfVersion,
  requireForm,
  stopsAllData,
  toInstanceRecord,
  type InstanceRecord,
  type ParticipantFacts,
} from './ecrf-store.js';
import { instanceMeta, sdvView, type InstanceMeta, type SdvView } from './ecrf-views.js';
import { resolveDay0 } from './ecrf-visits.js';
import { listQueries, syncAutoQueries, type QueryView } from './queries.js';

/** Values of other forms that come from another feature: the injection time is Day 0 of the product chain. */
const EXTERNAL_VALUES: Readonly<Record<string, 'day0'>> = { 'administration.administration_datetime': 'day0' };

/** What a save asks for. */
export interface SaveFormInput {
  /** Every entered value of the form (a full replacement; omitted items become unanswered). */
  values: unknown;
  action: SaveMode;
  /** Why a submitted form is changed (required then). */
  reason?: string | null;
  /** Optimistic concurrency: the version the user edited; a different stored version is a 409. */
  expectedVersion?: number | null;
}

/** The result of a save. */
export interface FormSaveResult {
  instance: InstanceMeta;
  values: Record<string, unknown>;
  derived: Record<string, boolean | number | null>;
  /** Paths whose values are hidden from you under the blind. */
  masked: string[];
  /** Soft edit-check warnings and cleared hidden values of this save. */
  warnings: FieldIssue[];
  /** What this save changed in an existing instance (entered and derived values); empty when it created the instance. */
  changes: { path: string; before: unknown; after: unknown }[];
  autoQueries: { raised: number; closed: number };
}

/** Warnings and unresolved queries of one value path. */
export interface ItemState {
  warnings: FieldIssue[];
  openQueries: number;
}

/** A form instance (or the empty form of a slot) as the data-entry page shows it. */
export interface FormView {
  participant: { id: string; studyId: string; siteId: string; status: string };
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  definition: FormDefinitionView;
  instance: InstanceMeta | null;
  values: Record<string, unknown>;
  derived: Record<string, boolean | number | null>;
  masked: string[];
  warnings: FieldIssue[];
  /** Per value path (`item`, `group[row].item`): its warnings and unresolved queries. */
  itemStates: Record<string, ItemState>;
  queries: QueryView[];
  sdv: SdvView | null;
  locks: { form: boolean; casebook: boolean; database: boolean };
}

/** Where a form is (to be) stored. */
type SaveTarget =
  | { kind: 'slot'; participantId: string; visitCode: string | null; formId: string }
  | { kind: 'new'; participantId: string; visitCode: string | null; formId: string }
  | { kind: 'instance'; instanceId: string };

// ---------------------------------------------------------------------------------------------
// Protocol-derived facts, memoised per form / protocol (definitions are frozen).

const CROSS_REFS = new WeakMap<FormDef, ItemRef[]>();

/** References of a form's conditions and derivations that name another form or a visit. */
function crossRefs(form: FormDef): ItemRef[] {
  let refs = CROSS_REFS.get(form);
  if (refs === undefined) {
    const all: ItemRef[] = [];
    for (const group of form.itemGroups) {
      if (group.showIf !== undefined) all.push(...collectConditionRefs(group.showIf));
      for (const item of group.items) {
        if (item.showIf !== undefined) all.push(...collectConditionRefs(item.showIf));
        if (item.derivation !== undefined) all.push(...item.derivation.inputs);
        if (item.derivation?.expression !== undefined) all.push(...collectConditionRefs(item.derivation.expression));
      }
    }
    refs = all.filter((r) => r.form !== undefined || r.visit !== undefined);
    CROSS_REFS.set(form, refs);
  }
  return refs;
}

const DEPENDANTS = new WeakMap<
  ProtocolDefinition,
  Map<string, { formId: string; sourceVisit: string | undefined }[]>
>();

/** For each form, the forms whose derived items read it (with the visit they read it at). */
function dependantsOf(
  protocol: ProtocolDefinition,
  formId: string,
): { formId: string; sourceVisit: string | undefined }[] {
  let map = DEPENDANTS.get(protocol);
  if (map === undefined) {
    map = new Map();
    for (const form of protocol.forms) {
      for (const { item } of indexForm(form).derivedItems) {
        for (const ref of item.derivation?.inputs ?? []) {
          if (ref.form === undefined && ref.visit === undefined) continue;
          const source = ref.form ?? form.id;
          const list = map.get(source) ?? [];
          if (!list.some((d) => d.formId === form.id && d.sourceVisit === ref.visit)) {
            list.push({ formId: form.id, sourceVisit: ref.visit });
          }
          map.set(source, list);
        }
      }
    }
    DEPENDANTS.set(protocol, map);
  }
  return map.get(formId) ?? [];
}

const BLINDED_FORMS = new WeakMap<FormDef, boolean>();

/** Whether any item of a form is flagged potentially unblinding (most are not). */
function hasBlindedItems(form: FormDef): boolean {
  let flagged = BLINDED_FORMS.get(form);
  if (flagged === undefined) {
    flagged = form.blinding !== undefined || form.itemGroups.some((g) => g.items.some((i) => i.blinding !== undefined));
    BLINDED_FORMS.set(form, flagged);
  }
  return flagged;
}

const FILE_FORMS = new WeakMap<FormDef, boolean>();

function hasFileItems(form: FormDef): boolean {
  let has = FILE_FORMS.get(form);
  if (has === undefined) {
    has = form.itemGroups.some((g) => g.items.some((i) => i.type === 'file'));
    FILE_FORMS.set(form, has);
  }
  return has;
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

async function hiddenFor(
  db: Executor,
  actor: Actor,
  protocol: ProtocolDefinition,
  form: FormDef,
  visibility?: ItemVisibility,
): Promise<ReadonlySet<string>> {
  if (!hasBlindedItems(form)) return NOTHING_HIDDEN;
  return (visibility ?? (await itemVisibilityFor(db, actor))).hiddenItems(protocol, form);
}

// ---------------------------------------------------------------------------------------------

/** Refuses forms the eCRF does not keep, and forms at a visit that does not collect them. */
function assertFormAtVisit(protocol: ProtocolDefinition, form: FormDef, visitCode: string | null): void {
  const managedBy = EXTERNALLY_MANAGED_FORMS[form.id];
  if (managedBy !== undefined || form.kind === 'product_chain') {
    const where = {
      safety: 'the safety module (adverse events)',
      screening: 'the screening log',
      product_chain: 'the cell-product chain (administration)',
    }[managedBy ?? 'product_chain'];
    throw conflict(`Form '${form.id}' is recorded in ${where}, not in the eCRF`);
  }
  if (form.kind === 'scheduled') {
    if (visitCode === null) {
      throw invalid(`Form '${form.id}' belongs to a visit`, [
        { path: 'visitCode', message: 'is required for a scheduled form' },
      ]);
    }
    const resolved = resolveVisit(protocol, visitCode);
    if (resolved === undefined) throw notFound(`Visit '${visitCode}'`);
    if (!resolved.visit.forms.includes(form.id)) {
      throw invalid(`Form '${form.id}' is not collected at visit ${visitCode}`, [
        { path: 'visitCode', message: `the schedule of assessments has no '${form.id}' at ${visitCode}` },
      ]);
    }
  } else if (visitCode !== null) {
    throw invalid(`Form '${form.id}' is kept per participant, not per visit`, [
      { path: 'visitCode', message: 'must be empty for a log or event form' },
    ]);
  }
}

/** Reads an item of a stored form's values as conditions and derivations see it (rows → lists). */
function readStored(
  protocol: ProtocolDefinition,
  formId: string,
  values: Record<string, unknown> | null,
  itemId: string,
): unknown {
  if (values === null) return undefined;
  const form = protocol.forms.find((f) => f.id === formId);
  const entry = form === undefined ? undefined : indexForm(form).items.get(itemId);
  if (entry === undefined) return undefined;
  if (!entry.inRepeatingGroup) return values[itemId];
  const rows = values[entry.group.id];
  return Array.isArray(rows) ? rows.map((r: unknown) => (isPlainObject(r) ? (r[itemId] ?? null) : null)) : undefined;
}

/** Preloads the other forms and visits a form reads, and returns the lookup over them. */
async function buildLookup(
  db: Executor,
  protocol: ProtocolDefinition,
  participantId: string,
  form: FormDef,
  visitCode: string | null,
): Promise<CrossFormLookup | undefined> {
  const refs = crossRefs(form).filter((r) => !isSameFormRef(r, form.id, visitCode));
  if (refs.length === 0) return undefined;
  const loaded = new Map<string, Record<string, unknown> | null>();
  let day0: string | null | undefined;
  for (const ref of refs) {
    const formId = ref.form ?? form.id;
    if (EXTERNAL_VALUES[`${formId}.${ref.item}`] === 'day0') {
      day0 ??= (await resolveDay0(db, participantId)).day0;
      continue;
    }
    const key = `${formId}@${ref.visit ?? visitCode ?? ''}`;
    if (loaded.has(key)) continue;
    const other = await findInstance(db, participantId, ref.visit ?? visitCode, formId);
    loaded.set(key, other === null ? null : { ...other.values, ...other.derived });
  }
  return (ref) => {
    const formId = ref.form ?? form.id;
    if (EXTERNAL_VALUES[`${formId}.${ref.item}`] === 'day0') return day0 ?? undefined;
    return readStored(protocol, formId, loaded.get(`${formId}@${ref.visit ?? visitCode ?? ''}`) ?? null, ref.item);
  };
}

/** Withdrawal: after `no_further_data` only the end-of-study form; after `no_further_visits` no visit data after the withdrawal. */
async function assertCollectionAllowed(
  db: Executor,
  p: ParticipantFacts,
  form: FormDef,
  visitCode: string | null,
): Promise<void> {
  if (p.status !== 'withdrawn' || form.id === 'end_of_study') return;
  if (stopsAllData(p)) {
    throw conflict(
      `${p.studyId} withdrew consent to further data collection (${p.withdrawalScope}); no new data can be entered`,
    );
  }
  if (form.kind !== 'scheduled' || visitCode === null) return;
  const visit = await db
    .selectFrom('ecrf_visits')
    .select('visit_date')
    .where('participant_id', '=', p.id)
    .where('visit_code', '=', visitCode)
    .executeTakeFirst();
  const done = visit?.visit_date ?? null;
  if (done === null || (p.withdrawnOn !== null && done > p.withdrawnOn)) {
    throw conflict(
      `${p.studyId} has withdrawn from further visits; only visits done before ${p.withdrawnOn ?? 'the withdrawal'} can still be entered`,
    );
  }
}

/** Refuses values for items the writer may not see; returns the entered values with the stored hidden ones put back. */
function applyWriterBlind(
  entered: Record<string, unknown>,
  stored: Record<string, unknown>,
  hidden: ReadonlySet<string>,
): Record<string, unknown> {
  if (hidden.size === 0) return entered;
  const refused: FieldIssue[] = [];
  for (const [path, value] of flattenFormValues(entered)) {
    if (value !== null && hidden.has(itemIdOfPath(path))) {
      refused.push({
        path: `values.${path}`,
        message: 'is not visible to your role and cannot be entered by you',
        code: 'blinded',
      });
    }
  }
  if (refused.length > 0) throw invalid('Some values cannot be entered by your role', refused);
  return restoreHiddenValues(entered, stored, hidden);
}

async function assertAttachmentsLinked(
  db: Executor,
  participantId: string,
  values: Record<string, unknown>,
): Promise<void> {
  const missing: FieldIssue[] = [];
  for (const [path, value] of flattenFormValues(values)) {
    if (!isPlainObject(value) || typeof value.sha256 !== 'string') continue;
    const link = await db
      .selectFrom('ecrf_attachment_links')
      .select('sha256')
      .where('sha256', '=', value.sha256)
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (!link) {
      missing.push({
        path: `values.${path}`,
        message: 'no such attachment was uploaded for this participant',
        code: 'attachment',
      });
    }
  }
  if (missing.length > 0) throw invalid('An attachment is missing', missing);
}

/** Recomputes derived items of other instances that read the saved one (e.g. M3 de novo DSA ← BL beads). */
async function recomputeDependants(
  scope: CommandScope,
  protocol: ProtocolDefinition,
  saved: { id: string; participantId: string; formId: string; visitCode: string | null },
): Promise<void> {
  const deps = dependantsOf(protocol, saved.formId).filter(
    (d) => d.sourceVisit === undefined || d.sourceVisit === saved.visitCode,
  );
  for (const dep of deps) {
    const rows = await scope.tx
      .selectFrom('form_instances')
      .selectAll()
      .where('participant_id', '=', saved.participantId)
      .where('form_id', '=', dep.formId)
      .where('id', '!=', saved.id)
      .execute();
    for (const row of rows) {
      const other = toInstanceRecord(row);
      const otherProtocol = protocolOfVersion(other.protocolVersion);
      const form = requireForm(otherProtocol, other.formId);
      const lookup = await buildLookup(scope.tx, otherProtocol, other.participantId, form, other.visitCode);
      const derived = deriveFormValues(form, other.values, {
        visitCode: other.visitCode,
        ...(lookup ? { lookup } : {}),
      }).values;
      const changes = diffFormValues(other.derived, derived);
      if (changes.length === 0) continue;
      await scope.tx
        .updateTable('form_instances')
        .set({ derived_json: JSON.stringify(derived), updated_at: scope.at })
        .where('id', '=', other.id)
        .execute();
      const records = changesAsRecords(changes);
      await scope.audit({
        action: 'form.derived_recomputed',
        entityType: 'form_instance',
        entityId: other.id,
        before: { derived: records.before },
        after: {
          derived: records.after,
          because: { instanceId: saved.id, formId: saved.formId, visitCode: saved.visitCode },
        },
      });
    }
  }
}

interface PersistOutcome {
  record: InstanceRecord;
  hidden: ReadonlySet<string>;
  warnings: FieldIssue[];
  changes: ValueChange[];
  autoQueries: { raised: number; closed: number };
}

async function persist(
  ctx: ServiceContext,
  actor: Actor,
  target: SaveTarget,
  input: SaveFormInput,
): Promise<PersistOutcome> {
  if (!isPlainObject(input.values)) {
    throw invalid('The values are not valid', [
      { path: 'values', message: 'must be an object keyed by item id', code: 'type' },
    ]);
  }
  const entered = input.values;
  const reason = input.reason?.trim() || null;
  return mapUniqueViolation(
    () =>
      runCommand(ctx, actor, async (scope) => {
        const { tx, at } = scope;
        let instance: InstanceRecord | null = null;
        let participantId: string;
        let visitCode: string | null;
        let formId: string;
        if (target.kind === 'instance') {
          instance = await loadInstance(tx, target.instanceId);
          ({ participantId, visitCode, formId } = instance);
        } else {
          ({ participantId, visitCode, formId } = target);
        }
        const loaded = await loadParticipantWithCasebook(
          tx,
          participantId,
          target.kind === 'slot' ? { visitCode, formId } : undefined,
        );
        const { participant: p, casebook } = loaded;
        assertSiteAccess(actor, 'ecrf.write', p.siteId);
        const protocol = instance === null ? currentProtocol() : protocolOfVersion(instance.protocolVersion);
        const form = requireForm(protocol, formId);
        assertFormAtVisit(protocol, form, visitCode);
        let repeatNo = instance?.repeatNo ?? 1;
        if (target.kind === 'slot') {
          if (form.repeating) {
            throw invalid(`Form '${form.id}' repeats: create an instance with POST …/instances, then save it by id`, [
              { path: 'formId', message: 'is a repeating form' },
            ]);
          }
          instance = loaded.instance;
        } else if (target.kind === 'new') {
          if (!form.repeating) {
            throw invalid(`Form '${form.id}' does not repeat: save it in its slot`, [
              { path: 'formId', message: 'is not a repeating form' },
            ]);
          }
          const last = await tx
            .selectFrom('form_instances')
            .select((eb) => eb.fn.max('repeat_no').as('n'))
            .where('participant_id', '=', participantId)
            .where('visit_code', '=', visitCode ?? PARTICIPANT_LEVEL)
            .where('form_id', '=', formId)
            .executeTakeFirst();
          repeatNo = Number(last?.n ?? 0) + 1;
        }
        assertCasebookOpen(casebook, p.studyId);
        if (instance?.locked) {
          throw conflict(`This form is locked; a data manager must unlock it (with a reason) before it can change`);
        }
        if (instance === null) await assertCollectionAllowed(tx, p, form, visitCode);
        if (instance !== null && input.expectedVersion != null && instance.version !== input.expectedVersion) {
          throw conflict(
            `The form was changed by someone else (version ${instance.version}, you edited version ${input.expectedVersion}); reload it`,
            [{ path: 'expectedVersion', message: `is ${input.expectedVersion}, stored ${instance.version}` }],
          );
        }
        if (instance?.status === 'submitted' && input.action === 'draft') {
          throw invalid('A submitted form cannot go back to draft; submit the correction with a reason', [
            { path: 'action', message: 'must be submit for a submitted form' },
          ]);
        }
        const hidden = await hiddenFor(tx, actor, protocol, form);
        const values = applyWriterBlind(entered, instance?.values ?? {}, hidden);
        const lookup = await buildLookup(tx, protocol, participantId, form, visitCode);
        const validation = validateFormData(form, protocol, values, {
          mode: input.action,
          visitCode,
          ...(lookup ? { lookup } : {}),
          unenterable: hidden,
        });
        if (validation.errors.length > 0) throw invalid('Some values are not valid', validation.errors);
        if (hasFileItems(form)) await assertAttachmentsLinked(tx, participantId, validation.normalized);
        const derived = deriveFormValues(form, validation.normalized, { visitCode, ...(lookup ? { lookup } : {}) });
        const warnings = [...validation.warnings, ...derived.warnings];
        const status = input.action === 'submit' ? 'submitted' : 'draft';
        const entryChanges = diffFormValues(instance?.values ?? {}, validation.normalized);
        const derivedChanges = diffFormValues(instance?.derived ?? {}, derived.values);
        const changes = [...entryChanges, ...derivedChanges];
        if (
          instance !== null &&
          entryChanges.length === 0 &&
          derivedChanges.length === 0 &&
          instance.status === status
        ) {
          return {
            record: instance,
            hidden,
            warnings: instance.warnings,
            changes: [],
            autoQueries: { raised: 0, closed: 0 },
          };
        }
        if (instance?.status === 'submitted' && entryChanges.length > 0 && reason === null) {
          throw invalid('This form has been submitted: every change needs a reason', [
            { path: 'reason', message: 'is required to change submitted data' },
          ]);
        }
        const by = actorLabel(actor);
        const submittedNow = status === 'submitted' && instance?.status !== 'submitted';
        const storedWarnings = warnings.filter((w) => w.code !== 'cleared_hidden');
        let record: InstanceRecord;
        if (instance === null) {
          const id = randomUUID();
          await tx
            .insertInto('form_instances')
            .values({
              id,
              participant_id: p.id,
              site_id: p.siteId,
              visit_code: visitCode ?? PARTICIPANT_LEVEL,
              form_id: form.id,
              repeat_no: repeatNo,
              status,
              protocol_version: protocol.version,
              values_json: JSON.stringify(validation.normalized),
              derived_json: JSON.stringify(derived.values),
              warnings_json: JSON.stringify(storedWarnings),
              version: 1,
              created_at: at,
              created_by: by,
              updated_at: at,
              updated_by: by,
              submitted_at: submittedNow ? at : null,
              submitted_by: submittedNow ? by : null,
              locked: 0,
              locked_at: null,
              locked_by: null,
              sdv_version: null,
              sdv_at: null,
              sdv_by: null,
              sdv_values_json: null,
            })
            .execute();
          record = {
            id,
            participantId: p.id,
            siteId: p.siteId,
            visitCode,
            formId: form.id,
            repeatNo,
            status,
            protocolVersion: protocol.version,
            values: validation.normalized,
            derived: derived.values,
            warnings: storedWarnings,
            version: 1,
            createdAt: at,
            createdBy: by,
            updatedAt: at,
            updatedBy: by,
            submittedAt: submittedNow ? at : null,
            submittedBy: submittedNow ? by : null,
            locked: false,
            lockedAt: null,
            lockedBy: null,
            sdvVersion: null,
            sdvAt: null,
            sdvBy: null,
            sdvValues: null,
          };
        } else {
          const version = instance.version + 1;
          const updated = await tx
            .updateTable('form_instances')
            .set({
              status,
              values_json: JSON.stringify(validation.normalized),
              derived_json: JSON.stringify(derived.values),
              warnings_json: JSON.stringify(storedWarnings),
              version,
              updated_at: at,
              updated_by: by,
              ...(submittedNow ? { submitted_at: at, submitted_by: by } : {}),
            })
            .where('id', '=', instance.id)
            .where('version', '=', instance.version)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) {
            throw conflict('The form was changed by someone else at the same time; reload it');
          }
          record = {
            ...instance,
            status,
            values: validation.normalized,
            derived: derived.values,
            warnings: storedWarnings,
            version,
            updatedAt: at,
            updatedBy: by,
            ...(submittedNow ? { submittedAt: at, submittedBy: by } : {}),
          };
        }
        const entry = changesAsRecords(entryChanges);
        const der = changesAsRecords(derivedChanges);
        await scope.audit({
          action:
            instance === null || instance.status === 'draft'
              ? status === 'submitted'
                ? 'form.submitted'
                : 'form.draft_saved'
              : 'form.changed',
          entityType: 'form_instance',
          entityId: record.id,
          ...(instance === null
            ? {}
            : {
                before: {
                  version: instance.version,
                  status: instance.status,
                  values: entry.before,
                  derived: der.before,
                },
              }),
          after: {
            participantId: p.id,
            formId: form.id,
            visitCode,
            repeatNo,
            version: record.version,
            status,
            values: entry.after,
            derived: der.after,
          },
          reason,
        });
        const autoQueries =
          status === 'submitted'
            ? await syncAutoQueries(scope, record, warnings, validation.normalized, instance === null)
            : { raised: 0, closed: 0 };
        if (casebook?.signed_at != null) {
          await tx
            .updateTable('casebooks')
            .set({ signed_at: null, signed_by: null, signature_id: null, updated_at: at })
            .where('participant_id', '=', p.id)
            .execute();
          await scope.audit({
            action: 'casebook.signature_voided',
            entityType: 'casebook',
            entityId: p.id,
            before: { signedAt: casebook.signed_at, signedBy: casebook.signed_by, signatureId: casebook.signature_id },
            after: { signed: false, changedInstance: record.id },
            reason: 'data changed after the investigator signed the casebook',
          });
        }
        await recomputeDependants(scope, protocol, record);
        return { record, hidden, warnings, changes: instance === null ? [] : changes, autoQueries };
      }),
    'The form was saved at the same time by someone else; reload it',
  );
}

function saveResult(outcome: PersistOutcome): FormSaveResult {
  const { record, hidden } = outcome;
  const values = maskFormValues(record.values, hidden);
  const derived = maskFormValues(record.derived, hidden);
  return {
    instance: instanceMeta(record),
    values: values.values,
    derived: derived.values as Record<string, boolean | number | null>,
    masked: [...values.masked, ...derived.masked],
    warnings: outcome.warnings.filter((w) => !hidden.has(itemIdOfPath(w.path))),
    changes: outcome.changes.filter((c) => !hidden.has(itemIdOfPath(c.path))),
    autoQueries: outcome.autoQueries,
  };
}

/** Saves (draft) or submits the single instance of a form at a visit — or of a participant-level form when `visitCode` is null. */
export async function saveFormAtVisit(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  visitCode: string | null,
  formId: string,
  input: SaveFormInput,
): Promise<FormSaveResult> {
  return saveResult(await persist(ctx, actor, { kind: 'slot', participantId, visitCode, formId }, input));
}

/** Creates the next instance of a repeating form (medication, unscheduled visit, deviation) with its first values. */
export async function createFormInstance(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  formId: string,
  input: SaveFormInput & { visitCode?: string | null },
): Promise<FormSaveResult> {
  return saveResult(
    await persist(ctx, actor, { kind: 'new', participantId, visitCode: input.visitCode ?? null, formId }, input),
  );
}

/** Saves or submits an existing instance by id. */
export async function saveFormInstance(
  ctx: ServiceContext,
  actor: Actor,
  instanceId: string,
  input: SaveFormInput,
): Promise<FormSaveResult> {
  return saveResult(await persist(ctx, actor, { kind: 'instance', instanceId }, input));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The definition of a form for a page (item metadata, code lists, conditions), for the actor. */
export async function getFormDefinition(
  ctx: ServiceContext,
  actor: Actor,
  formId: string,
  options: { visitCode?: string | null; protocolVersion?: string } = {},
): Promise<FormDefinitionView> {
  const protocol =
    options.protocolVersion === undefined ? currentProtocol() : protocolOfVersion(options.protocolVersion);
  const form = requireForm(protocol, formId);
  const visibility = await itemVisibilityFor(ctx.database.db, actor);
  if (
    form.blinding !== undefined &&
    !form.itemGroups.some((g) => g.items.some((i) => visibility.canSee(protocol, form.id, i.id)))
  ) {
    throw notFound(`Form '${formId}'`);
  }
  return describeForm(protocol, form, {
    visitCode: options.visitCode ?? null,
    canSee: (itemId) => visibility.canSee(protocol, form.id, itemId),
  });
}

async function buildFormView(
  ctx: ServiceContext,
  actor: Actor,
  p: ParticipantFacts,
  where: { visitCode: string | null; formId: string; repeatNo: number },
  instance: InstanceRecord | null,
): Promise<FormView> {
  const db = ctx.database.db;
  const protocol = instance === null ? currentProtocol() : protocolOfVersion(instance.protocolVersion);
  const form = requireForm(protocol, where.formId);
  const visibility = await itemVisibilityFor(db, actor);
  const hidden = await hiddenFor(db, actor, protocol, form, visibility);
  const values = maskFormValues(instance?.values ?? {}, hidden);
  const derived = maskFormValues(instance?.derived ?? {}, hidden);
  const warnings = (instance?.warnings ?? []).filter((w) => !hidden.has(itemIdOfPath(w.path)));
  const queries = instance === null ? [] : await listQueries(ctx, actor, { instanceId: instance.id });
  const itemStates: Record<string, ItemState> = {};
  const state = (path: string): ItemState => (itemStates[path] ??= { warnings: [], openQueries: 0 });
  for (const w of warnings) state(w.path.replace(/^(values|derived)\./, '')).warnings.push(w);
  for (const q of queries) if (q.itemPath !== null && q.status !== 'closed') state(q.itemPath).openQueries += 1;
  const casebook = await loadCasebookRow(db, p.id);
  const study = await db.selectFrom('study').select('database_locked').executeTakeFirst();
  return {
    participant: { id: p.id, studyId: p.studyId, siteId: p.siteId, status: p.status },
    visitCode: where.visitCode,
    formId: where.formId,
    repeatNo: where.repeatNo,
    definition: describeForm(protocol, form, { visitCode: where.visitCode, canSee: (itemId) => !hidden.has(itemId) }),
    instance: instance === null ? null : instanceMeta(instance),
    values: values.values,
    derived: derived.values as Record<string, boolean | number | null>,
    masked: [...values.masked, ...derived.masked],
    warnings,
    itemStates,
    queries,
    sdv: instance === null ? null : sdvView(instance, hidden),
    locks: {
      form: instance?.locked === true,
      casebook: casebook?.locked === 1,
      database: study?.database_locked === 1,
    },
  };
}

/** A form at a visit (or a participant-level form when `visitCode` is null): the stored instance, or the empty form. */
export async function getFormAtVisit(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  visitCode: string | null,
  formId: string,
): Promise<FormView> {
  const db = ctx.database.db;
  const p = await loadParticipantFacts(db, participantId);
  assertSiteAccess(actor, 'ecrf.read', p.siteId);
  const protocol = currentProtocol();
  const form = requireForm(protocol, formId);
  assertFormAtVisit(protocol, form, visitCode);
  if (form.repeating) {
    throw invalid(`Form '${formId}' repeats: read its instances by id`, [
      { path: 'formId', message: 'is a repeating form' },
    ]);
  }
  const instance = await findInstance(db, p.id, visitCode, formId);
  return buildFormView(ctx, actor, p, { visitCode, formId, repeatNo: 1 }, instance);
}

/** One form instance by id. */
export async function getFormInstance(ctx: ServiceContext, actor: Actor, instanceId: string): Promise<FormView> {
  const db = ctx.database.db;
  const instance = await loadInstance(db, instanceId);
  const p = await loadParticipantFacts(db, instance.participantId);
  assertSiteAccess(actor, 'ecrf.read', p.siteId);
  return buildFormView(
    ctx,
    actor,
    p,
    { visitCode: instance.visitCode, formId: instance.formId, repeatNo: instance.repeatNo },
    instance,
  );
}

/** One entry of a form's item-level history. */
export interface FormHistoryEntry {
  seq: number;
  at: string;
  by: string;
  action: string;
  reason: string | null;
  status: string | null;
  version: number | null;
  /** Item-level changes: path, old value, new value (items hidden from you are left out). */
  changes: { path: string; before: unknown; after: unknown }[];
  /** Other details of the step (verification, lock, signature), as recorded. */
  details: Record<string, unknown> | null;
}

/**
 * The audit trail of one form instance, item by item: who changed what, when, from which value to
 * which, and why.
 */
export async function getFormHistory(
  ctx: ServiceContext,
  actor: Actor,
  instanceId: string,
): Promise<FormHistoryEntry[]> {
  const db = ctx.database.db;
  const instance = await loadInstance(db, instanceId);
  const p = await loadParticipantFacts(db, instance.participantId);
  assertSiteAccess(actor, 'ecrf.read', p.siteId);
  const protocol = protocolOfVersion(instance.protocolVersion);
  const hidden = await hiddenFor(db, actor, protocol, requireForm(protocol, instance.formId));
  const rows = await db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor_label', 'action', 'reason', 'before_json', 'after_json'])
    .where('entity_type', '=', 'form_instance')
    .where('entity_id', '=', instanceId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => {
    const before = (r.before_json === null ? {} : JSON.parse(r.before_json)) as Record<string, unknown>;
    const after = (r.after_json === null ? {} : JSON.parse(r.after_json)) as Record<string, unknown>;
    const part = (o: Record<string, unknown>, key: string): Record<string, unknown> =>
      isPlainObject(o[key]) ? maskPathRecord(o[key] as Record<string, unknown>, hidden) : {};
    const changes: FormHistoryEntry['changes'] = [];
    for (const key of ['values', 'derived']) {
      const b = part(before, key);
      const a = part(after, key);
      for (const path of new Set([...Object.keys(b), ...Object.keys(a)])) {
        changes.push({ path, before: b[path] ?? null, after: a[path] ?? null });
      }
    }
    const isDataStep = 'values' in after || 'derived' in after;
    return {
      seq: Number(r.seq),
      at: r.at,
      by: r.actor_label,
      action: r.action,
      reason: r.reason,
      status: typeof after.status === 'string' ? after.status : null,
      version: typeof after.version === 'number' ? after.version : null,
      changes,
      details: isDataStep ? null : maskPathRecord(after, hidden),
    };
  });
}
