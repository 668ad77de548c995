/**
 * The two forms of an ODM file that live outside the eCRF — the injection (`F.ADMINISTRATION`, the
 * product chain's administration record) and adverse events (`F.AE`, the safety module) — checked
 * and written the way those modules record them, so that export → import → export gives back the
 * same clinical data. An AE goes through the safety module's own schema, consistency rules and
 * insert (version 1, queries, audit, and the SAE case of a serious event); the sponsor's assessment
 * and the sponsor's awareness date follow as recorded in the file. An injection becomes the
 * participant's administration record (Day 0 in Europe/Copenhagen). Nothing here is written unless
 * the whole file was accepted (the caller's one transaction).
 */
import { randomUUID } from 'node:crypto';
import { checkAeConsistency } from '../../core/safety/check-ae-consistency.js';
import { NewAdverseEventSchema, recordFromNewAdverseEvent, type AeRecord } from '../../core/safety/ae-input.js';
import { isSerious } from '../../core/safety/ae-codes.js';
import type { FormDef } from '../../core/protocol/definition-types.js';
import { findItem, itemOid } from '../../core/protocol/protocol-queries.js';
import type { Executor } from '../../storage/database.js';
import { insertAdverseEvent } from '../adverse-events.js';
import type { CommandScope } from '../command.js';
import { aeFormValues, AE_ITEM_FIELDS, type SponsorJson } from './export-reader.js';
import { copenhagenDateOfInstant } from './export-dates.js';
import { formatItemValue } from './value-format.js';

/** The forms this module imports, by form id. */
export const MODULE_IMPORTED_FORMS: ReadonlySet<string> = new Set(['administration', 'adverse_event']);

/** One rejected value: item id (when known) and reason. */
export interface ManagedIssue {
  readonly itemId?: string;
  readonly reason: string;
}

/** A checked injection, ready to write. */
export interface PlannedAdministration {
  readonly kit: string;
  readonly administeredAt: string;
  readonly day0: string;
  readonly kneeSide: 'left' | 'right' | null;
  readonly ultrasoundGuided: boolean | null;
  readonly volumeMl: number | null;
  readonly injector: string | null;
}

/** A checked adverse event, ready to write. */
export interface PlannedAdverseEvent {
  readonly record: AeRecord;
  readonly siteAwarenessAt: string;
  readonly queries: ReturnType<typeof checkAeConsistency>['queries'];
  readonly sponsor: SponsorJson | null;
  readonly sponsorAwarenessAt: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** The same text the export writes for each item of the form, for comparing a file with what is stored. */
function sameValues(form: FormDef, a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const group of form.itemGroups) {
    for (const item of group.items) {
      if (item.derivation) continue;
      const opts = { booleans: 'word' } as const;
      if (formatItemValue(form.id, item, a[item.id], opts) !== formatItemValue(form.id, item, b[item.id], opts)) {
        return false;
      }
    }
  }
  return true;
}

/**
 * Checks an injection from the file: the kit, the instant, and — for a participant the database
 * knows — the randomized kit and any administration already recorded.
 *
 * @returns the plan, `'unchanged'` when the database already holds exactly this, or the issues
 */
export async function planAdministration(
  db: Executor,
  participantId: string | null,
  form: FormDef,
  values: Record<string, unknown>,
): Promise<PlannedAdministration | 'unchanged' | ManagedIssue[]> {
  const issues: ManagedIssue[] = [];
  const kit = str(values.kit_code);
  const at = str(values.administration_datetime);
  if (kit === null) issues.push({ itemId: 'kit_code', reason: 'kit_code: is required for an injection' });
  if (at === null || Number.isNaN(Date.parse(at))) {
    issues.push({ itemId: 'administration_datetime', reason: 'administration_datetime: is required (an instant)' });
  }
  if (issues.length > 0 || kit === null || at === null) return issues;
  const side = str(values.knee_side);
  if (side !== null && side !== 'left' && side !== 'right') {
    return [{ itemId: 'knee_side', reason: `knee_side: "${side}" is not left or right` }];
  }
  if (participantId !== null) {
    const r = await db
      .selectFrom('randomizations')
      .select('kit')
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (r && r.kit !== kit) {
      return [{ itemId: 'kit_code', reason: `kit_code: ${kit} is not the kit randomized to this participant` }];
    }
    const existing = await db
      .selectFrom('administrations')
      .selectAll()
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (existing) {
      const stored: Record<string, unknown> = {
        kit_code: existing.kit,
        administration_datetime: existing.administered_at,
        knee_side: existing.knee_side,
        ultrasound_guided: existing.ultrasound_guided === null ? undefined : existing.ultrasound_guided === 1,
        volume_ml: existing.volume_ml === null ? undefined : Number(existing.volume_ml),
        injector: existing.injector ?? undefined,
      };
      if (existing.status === 'administered' && sameValues(form, stored, values)) return 'unchanged';
      return [
        {
          reason:
            'the participant already has a different administration record; corrections go through the product chain',
        },
      ];
    }
  }
  const instant = new Date(at).toISOString();
  return {
    kit,
    administeredAt: instant,
    day0: copenhagenDateOfInstant(instant),
    kneeSide: side as 'left' | 'right' | null,
    ultrasoundGuided: bool(values.ultrasound_guided),
    volumeMl: typeof values.volume_ml === 'number' ? values.volume_ml : null,
    injector: str(values.injector),
  };
}

/** Item id of an AE field named by the safety module's schema (for reporting its issues by item OID). */
function itemOfField(field: string): string | undefined {
  for (const [itemId, fields] of Object.entries(AE_ITEM_FIELDS)) if (fields.includes(field)) return itemId;
  return undefined;
}

/**
 * Checks an adverse event from the file with the safety module's schema and consistency rules.
 *
 * @param form - the AE form of the file's protocol version
 * @param values - the parsed values of one F.AE instance
 * @param context - today (Copenhagen) and Day 0, for the date rules
 */
export function planAdverseEvent(
  form: FormDef,
  values: Record<string, unknown>,
  context: { today: string; day0: string | null },
): PlannedAdverseEvent | ManagedIssue[] {
  const codes = ['meddra_llt_code', 'meddra_pt_code', 'meddra_soc_code'].map((k) => str(values[k]));
  const cellsCausality = str(values.causality_cells_investigator);
  const procedureCausality = str(values.causality_procedure_investigator);
  const input = {
    participantId: 'imported',
    verbatimTerm: values.ae_term,
    ...(codes.some((c) => c !== null) || str(values.meddra_version)
      ? {
          meddra: {
            version: values.meddra_version,
            lltCode: codes[0],
            ptCode: codes[1],
            socCode: codes[2],
          },
        }
      : {}),
    onsetDate: values.ae_onset,
    endDate: values.ae_ongoing === true ? null : (str(values.ae_end) ?? null),
    grade: typeof values.ctcae_grade === 'string' ? Number(values.ctcae_grade) : values.ctcae_grade,
    seriousness: {
      death: values.ae_death,
      lifeThreatening: values.ae_life_threatening,
      hospitalisation: values.ae_hospitalisation,
      disability: values.ae_disability,
      congenitalAnomaly: values.ae_congenital_anomaly,
      importantMedicalEvent: values.ae_important_medical_event,
    },
    localToIndexKnee: bool(values.index_knee_event),
    investigatorCausality:
      cellsCausality !== null || procedureCausality !== null
        ? { cellProduct: cellsCausality, procedure: procedureCausality }
        : null,
    actionTaken: Array.isArray(values.ae_action) ? values.ae_action : [],
    outcome: values.ae_outcome,
    siteAwarenessAt: values.site_awareness_datetime,
  };
  const parsed = NewAdverseEventSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      const itemId =
        field === 'seriousness' ? SERIOUSNESS_ITEM[String(i.path[1] ?? '')] : (itemOfField(field) ?? undefined);
      return { itemId, reason: `${itemId ?? field}: ${i.message}` };
    });
  }
  const record = recordFromNewAdverseEvent(parsed.data);
  const siteAwarenessAt = new Date(parsed.data.siteAwarenessAt).toISOString();
  const checks = checkAeConsistency(record, {
    today: context.today,
    day0: context.day0,
    siteAwarenessDate: copenhagenDateOfInstant(siteAwarenessAt),
  });
  if (checks.errors.length > 0) {
    return checks.errors.map((e) => {
      const itemId = itemOfField(e.path);
      return { itemId, reason: `${itemId ?? e.path}: ${e.message}` };
    });
  }
  const sponsorCells = str(values.causality_cells_sponsor);
  const sponsorProcedure = str(values.causality_procedure_sponsor);
  const expectedness = str(values.expectedness);
  const rsiVersion = str(values.rsi_version);
  let sponsor: SponsorJson | null = null;
  if (sponsorCells || sponsorProcedure || expectedness || rsiVersion) {
    if (!sponsorCells || !sponsorProcedure || !expectedness || !rsiVersion) {
      return [
        {
          itemId: 'expectedness',
          reason:
            'a sponsor assessment needs causality to the cells and the procedure, expectedness and the RSI version',
        },
      ];
    }
    sponsor = { causality: { cellProduct: sponsorCells, procedure: sponsorProcedure }, expectedness, rsiVersion };
  }
  const sponsorAwareness = str(values.sponsor_awareness_datetime);
  if (sponsorAwareness !== null && !isSerious(record.seriousness)) {
    return [
      {
        itemId: 'sponsor_awareness_datetime',
        reason: 'sponsor_awareness_datetime: only a serious event has an SAE case the sponsor was told of',
      },
    ];
  }
  if (findItem(form, 'ae_term') === undefined) return [{ reason: `${form.oid} is not the adverse event form` }];
  return {
    record,
    siteAwarenessAt,
    queries: checks.queries,
    sponsor,
    sponsorAwarenessAt: sponsorAwareness === null ? null : new Date(sponsorAwareness).toISOString(),
  };
}

const SERIOUSNESS_ITEM: Readonly<Record<string, string>> = {
  death: 'ae_death',
  lifeThreatening: 'ae_life_threatening',
  hospitalisation: 'ae_hospitalisation',
  disability: 'ae_disability',
  congenitalAnomaly: 'ae_congenital_anomaly',
  importantMedicalEvent: 'ae_important_medical_event',
};

/**
 * The participant's adverse events as the export writes them, in AE-number order (FormRepeatKey n is
 * the n-th), for comparing a file with what is stored.
 */
export async function storedAeValues(db: Executor, participantId: string): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('adverse_events')
    .leftJoin('sae_cases', 'sae_cases.ae_id', 'adverse_events.id')
    .select([
      'adverse_events.record_json',
      'adverse_events.sponsor_json',
      'adverse_events.site_awareness_at',
      'sae_cases.sponsor_awareness_at',
    ])
    .where('adverse_events.participant_id', '=', participantId)
    .where('adverse_events.status', '=', 'active')
    .orderBy('adverse_events.ae_number')
    .execute();
  return rows.map((r) =>
    aeFormValues(
      JSON.parse(r.record_json) as AeRecord,
      r.sponsor_json === null ? null : (JSON.parse(r.sponsor_json) as SponsorJson),
      r.site_awareness_at,
      r.sponsor_awareness_at ?? null,
    ),
  );
}

/** Whether a file's AE values equal a stored AE's (compared as the export writes them). */
export function sameAdverseEvent(
  form: FormDef,
  stored: Record<string, unknown>,
  given: Record<string, unknown>,
): boolean {
  return sameValues(form, stored, given);
}

/** Writes an injection inside the import's transaction, audited as imported. */
export async function writeAdministration(
  scope: CommandScope,
  participantId: string,
  plan: PlannedAdministration,
  source: { file: string; sha256: string },
  reason: string,
): Promise<void> {
  const by = scope.actor.kind === 'user' ? scope.actor.userId : 'system';
  await scope.tx
    .insertInto('administrations')
    .values({
      id: randomUUID(),
      participant_id: participantId,
      kit: plan.kit,
      status: 'administered',
      preparation_id: null,
      administered_at: plan.administeredAt,
      day0: plan.day0,
      knee_side: plan.kneeSide,
      ultrasound_guided: plan.ultrasoundGuided === null ? null : plan.ultrasoundGuided ? 1 : 0,
      volume_ml: plan.volumeMl,
      injector: plan.injector,
      reason: null,
      recorded_by: by,
      created_at: scope.at,
    })
    .execute();
  await scope.audit({
    action: 'administration.imported',
    entityType: 'participant',
    entityId: participantId,
    after: { ...plan, source },
    reason,
  });
}

/**
 * Writes an adverse event inside the import's transaction through the safety module's insert, then
 * the sponsor's assessment and awareness as the file records them.
 */
export async function writeAdverseEvent(
  scope: CommandScope,
  participant: { id: string; siteId: string },
  plan: PlannedAdverseEvent,
  reason: string,
): Promise<void> {
  const id = await insertAdverseEvent(scope, {
    participantId: participant.id,
    siteId: participant.siteId,
    record: plan.record,
    siteAwarenessAt: plan.siteAwarenessAt,
    seriousAwarenessAt: isSerious(plan.record.seriousness) ? plan.siteAwarenessAt : null,
    queries: plan.queries,
  });
  const by = scope.actor.kind === 'user' ? scope.actor.userId : 'system';
  if (plan.sponsor) {
    const assessment = { ...plan.sponsor, comment: null };
    await scope.tx
      .updateTable('adverse_events')
      .set({ sponsor_json: JSON.stringify(assessment), version: 2, updated_at: scope.at })
      .where('id', '=', id)
      .execute();
    await scope.tx
      .insertInto('adverse_event_versions')
      .values({
        id: randomUUID(),
        ae_id: id,
        version: 2,
        kind: 'sponsor_assessment',
        record_json: JSON.stringify(plan.record),
        sponsor_json: JSON.stringify(assessment),
        changed_fields_json: JSON.stringify(['sponsorAssessment']),
        reason,
        changed_by: by,
        changed_at: scope.at,
      })
      .execute();
    await scope.audit({
      action: 'adverse_event.sponsor_assessed',
      entityType: 'adverse_event',
      entityId: id,
      after: { ...assessment, version: 2 },
      reason,
    });
  }
  if (plan.sponsorAwarenessAt) {
    await scope.tx
      .updateTable('sae_cases')
      .set({ sponsor_awareness_at: plan.sponsorAwarenessAt })
      .where('ae_id', '=', id)
      .execute();
    await scope.audit({
      action: 'adverse_event.sponsor_awareness_imported',
      entityType: 'adverse_event',
      entityId: id,
      after: { sponsorAwarenessAt: plan.sponsorAwarenessAt },
      reason,
    });
  }
}

/** Item OID of an AE or administration item (for reports). */
export function managedItemOid(form: FormDef, itemId: string | undefined): string | undefined {
  return itemId === undefined ? undefined : itemOid(form, itemId);
}
