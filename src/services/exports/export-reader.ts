/**
 * Reads what exports contain, page by page: participants in study-id order (keyset pagination), and
 * for one page at a time their screening record, submitted eCRF instances, the injection, adverse
 * events, visits, randomization and the audit records behind every value. Only the current page is
 * alive, so an export of 10,000 participants holds what one of 10 does; between pages the heap
 * budget (`heap-budget.ts`) makes sure the dead pages are collected rather than piled up.
 *
 * Everything the viewer may not see is removed here, before any writer sees it: forms it may not
 * see, potentially unblinding items, and — unless the export is unblinded — arms, lots and kits'
 * arms. Identity (CPR, names, contact) is never read: it lives encrypted in `identities`, which this
 * module does not touch. The date of birth is cut to the year by the value formatter.
 */
import type { FormDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { expandVisitCodes, findForm } from '../../core/protocol/protocol-queries.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import type { AeRecord } from '../../core/safety/ae-input.js';
import { getStemjointProtocol } from '../../core/protocol/stemjoint-registry.js';
import type { Executor } from '../../storage/database.js';
import type { AdministrationTable } from '../../storage/schema-randomization.js';
import { copenhagenDateOfInstant } from './export-dates.js';
import type { ExportViewer } from './export-viewer.js';
import { heapCheckpoint } from './heap-budget.js';

/** One audit record behind data: who (staff user id only), when, why. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  /** The staff user's id; null for the system (imports by the command line, derivations). */
  readonly userId: string | null;
  readonly action: string;
  readonly reason: string | null;
  /** Value paths / field names the record names in its `after` document. */
  readonly keys: ReadonlySet<string>;
}

/** Where a record's data live. */
export type RecordSource = 'ecrf' | 'screening' | 'product_chain' | 'safety';

/** The values of one form at one visit (or of one participant-level form instance). */
export interface ClinicalRecord {
  readonly formId: string;
  /** Visit code (`SCR`, `BL`, `D7`, `M3`, …); null for participant-level forms (logs, events). */
  readonly visitCode: string | null;
  readonly repeatNo: number;
  readonly protocolVersion: string;
  readonly source: RecordSource;
  /** Entered values keyed by item id; repeating groups as arrays of rows under the group id. Only visible items. */
  readonly values: Record<string, unknown>;
  /** Derived values keyed by item id. Only visible items. */
  readonly derived: Record<string, boolean | number | null>;
  /** The audit records of the entity the values live in, oldest first. */
  readonly audit: readonly AuditEvent[];
  /** Maps an item id to the names the source's audit records use for it. */
  readonly auditKeys?: (itemId: string) => readonly string[];
  /** When the record was last changed (fallback for values no audit record names). */
  readonly updatedAt: string;
  /** Source details that are not protocol items (AE number, MedDRA term names). */
  readonly extras?: Readonly<Record<string, string | null>>;
}

/** A participant as exported: pseudonymous (study id), never identity. */
export interface ExportParticipant {
  readonly id: string;
  readonly studyId: string;
  readonly siteId: string;
  readonly siteCode: string;
  readonly siteName: string;
  readonly sex: string | null;
  readonly yearOfBirth: number | null;
  readonly status: string;
  readonly enrolledAt: string;
  readonly withdrawnAt: string | null;
  readonly withdrawalScope: string | null;
  readonly screeningDate: string | null;
  readonly age: number | null;
  readonly consent: { readonly consentedAt: string; readonly documentVersion: string } | null;
  readonly randomization: {
    readonly number: string;
    readonly kit: string;
    readonly randomizedAt: string;
    readonly stratum: string;
    readonly emergencyUnblinded: boolean;
    /** Only in unblinded exports. */
    readonly arm: string | null;
  } | null;
  readonly administration: {
    readonly status: 'administered' | 'not_administered';
    readonly administeredAt: string | null;
    readonly day0: string | null;
    readonly kneeSide: string | null;
    readonly volumeMl: number | null;
    readonly reason: string | null;
    /** Lot number (cells) or saline batch; only in unblinded exports. */
    readonly lot: string | null;
  } | null;
  readonly visits: readonly {
    readonly visitCode: string;
    readonly visitDate: string | null;
    readonly missed: boolean;
  }[];
  readonly endOfStudy: {
    readonly status: string | null;
    readonly date: string | null;
    readonly reason: string | null;
  } | null;
  /** Every visible record, in schedule order (visits), then form order, then repeat number. */
  readonly records: readonly ClinicalRecord[];
}

/**
 * Participants per page. A page of ten casebooks is a few megabytes once parsed; fifty pushed the
 * SDTM findings domains (QS, MK) 60 MB higher at their peak and were no faster on either engine.
 */
export const DEFAULT_PAGE_SIZE = 10;

/** Options of {@link readParticipantPages}. */
export interface ReadOptions {
  /** Participants per page (memory bound); default {@link DEFAULT_PAGE_SIZE}. */
  readonly pageSize?: number;
  /** Only these forms' records (default: all the viewer may see). */
  readonly forms?: ReadonlySet<string>;
  /** Read the audit trail behind the values (ODM); default false. */
  readonly withAudit?: boolean;
  /** Kit code → arm, for unblinded exports only. */
  readonly kitArms?: ReadonlyMap<string, string>;
}

const ID_CHUNK = 500;

function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function parseJson(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The keys an audit record's `after` names: top-level fields and the fields of its value documents. */
function auditKeys(afterJson: string | null): Set<string> {
  const after = parseJson(afterJson);
  const keys = new Set(Object.keys(after));
  for (const part of ['values', 'derived', 'record', 'changes', 'fill']) {
    const doc = after[part];
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) for (const k of Object.keys(doc)) keys.add(k);
  }
  return keys;
}

/** Sort rank of a visit code in the schedule; participant-level records last. */
export function visitRanker(protocol: ProtocolDefinition): (visitCode: string | null) => number {
  const order = new Map(expandVisitCodes(protocol).map((c, i) => [c, i]));
  return (code) => (code === null ? order.size + 1 : (order.get(code) ?? order.size));
}

/** Removes the items (and rows' items) the viewer may not see, and anything that is not a protocol item. */
function visibleValues(
  viewer: ExportViewer,
  protocol: ProtocolDefinition,
  form: FormDef,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const see = (item: ItemDef): boolean => viewer.canSeeItem(protocol, form.id, item.id);
  for (const group of form.itemGroups) {
    if (group.repeating === true) {
      const rows = values[group.id];
      if (!Array.isArray(rows)) continue;
      const kept = rows.map((row) => {
        const r: Record<string, unknown> = {};
        if (typeof row === 'object' && row !== null) {
          for (const item of group.items) {
            if (see(item) && (row as Record<string, unknown>)[item.id] !== undefined) {
              r[item.id] = (row as Record<string, unknown>)[item.id];
            }
          }
        }
        return r;
      });
      if (kept.length > 0) out[group.id] = kept;
      continue;
    }
    for (const item of group.items) {
      if (item.derivation === undefined && see(item) && values[item.id] !== undefined) out[item.id] = values[item.id];
    }
  }
  return out;
}

function visibleDerived(
  viewer: ExportViewer,
  protocol: ProtocolDefinition,
  form: FormDef,
  derived: Record<string, unknown>,
): Record<string, boolean | number | null> {
  const out: Record<string, boolean | number | null> = {};
  for (const group of form.itemGroups) {
    for (const item of group.items) {
      if (item.derivation === undefined || !viewer.canSeeItem(protocol, form.id, item.id)) continue;
      const v = derived[item.id];
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[item.id] = v;
    }
  }
  return out;
}

/** AE item id → the AeRecord field names the safety module's audit records (and its input schema) use. */
export const AE_ITEM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ae_term: ['verbatimTerm'],
  site_awareness_datetime: ['siteAwarenessAt'],
  meddra_llt_code: ['meddra'],
  meddra_pt_code: ['meddra'],
  meddra_soc_code: ['meddra'],
  meddra_version: ['meddra'],
  ae_onset: ['onsetDate'],
  ae_end: ['endDate'],
  ae_ongoing: ['endDate'],
  ctcae_grade: ['grade'],
  index_knee_event: ['localToIndexKnee'],
  causality_cells_investigator: ['investigatorCausality'],
  causality_procedure_investigator: ['investigatorCausality'],
  ae_action: ['actionTaken'],
  ae_outcome: ['outcome'],
  causality_cells_sponsor: ['causality'],
  causality_procedure_sponsor: ['causality'],
  expectedness: ['expectedness'],
  rsi_version: ['rsiVersion'],
};

const SERIOUSNESS_ITEMS: Readonly<Record<string, keyof AeRecord['seriousness']>> = {
  ae_death: 'death',
  ae_life_threatening: 'lifeThreatening',
  ae_hospitalisation: 'hospitalisation',
  ae_disability: 'disability',
  ae_congenital_anomaly: 'congenitalAnomaly',
  ae_important_medical_event: 'importantMedicalEvent',
};

/** The sponsor's assessment as the safety module stores it (the parts an export carries). */
export interface SponsorJson {
  causality?: { cellProduct?: string; procedure?: string };
  expectedness?: string;
  rsiVersion?: string;
}

/** The AE form's values from the safety module's record. */
export function aeFormValues(
  record: AeRecord,
  sponsor: SponsorJson | null,
  siteAwarenessAt: string,
  sponsorAwarenessAt: string | null,
): Record<string, unknown> {
  const v: Record<string, unknown> = {
    ae_term: record.verbatimTerm,
    ae_onset: record.onsetDate,
    ae_ongoing: record.endDate === null,
    site_awareness_datetime: siteAwarenessAt,
    ctcae_grade: record.grade,
    ae_action: record.actionTaken,
    ae_outcome: record.outcome,
  };
  if (record.endDate !== null) v.ae_end = record.endDate;
  if (record.meddra) {
    if (record.meddra.lltCode) v.meddra_llt_code = record.meddra.lltCode;
    if (record.meddra.ptCode) v.meddra_pt_code = record.meddra.ptCode;
    if (record.meddra.socCode) v.meddra_soc_code = record.meddra.socCode;
    v.meddra_version = record.meddra.version;
  }
  if (record.localToIndexKnee !== null) v.index_knee_event = record.localToIndexKnee;
  for (const [item, flag] of Object.entries(SERIOUSNESS_ITEMS)) v[item] = record.seriousness[flag];
  if (record.investigatorCausality) {
    v.causality_cells_investigator = record.investigatorCausality.cellProduct;
    v.causality_procedure_investigator = record.investigatorCausality.procedure;
  }
  if (sponsorAwarenessAt) v.sponsor_awareness_datetime = sponsorAwarenessAt;
  if (sponsor?.causality?.cellProduct) v.causality_cells_sponsor = sponsor.causality.cellProduct;
  if (sponsor?.causality?.procedure) v.causality_procedure_sponsor = sponsor.causality.procedure;
  if (sponsor?.expectedness) v.expectedness = sponsor.expectedness;
  if (sponsor?.rsiVersion) v.rsi_version = sponsor.rsiVersion;
  return v;
}

/** The administration form's values from the product chain's record. */
function administrationFormValues(a: AdministrationTable): Record<string, unknown> {
  const v: Record<string, unknown> = { kit_code: a.kit };
  if (a.administered_at) v.administration_datetime = a.administered_at;
  if (a.knee_side) v.knee_side = a.knee_side;
  if (a.ultrasound_guided !== null) v.ultrasound_guided = a.ultrasound_guided === 1;
  if (a.volume_ml !== null) v.volume_ml = Number(a.volume_ml);
  if (a.injector) v.injector = a.injector;
  return v;
}

/** The protocol of a stored record (the current one when the version is unknown to this build). */
function protocolOf(version: string, fallback: ProtocolDefinition): ProtocolDefinition {
  try {
    return getStemjointProtocol(version);
  } catch {
    return fallback;
  }
}

interface ParticipantRow {
  id: string;
  study_id: string;
  site_id: string;
  screening_id: string;
  sex: string | null;
  year_of_birth: number | null;
  status: string;
  enrolled_at: string;
  withdrawn_at: string | null;
  withdrawal_scope: string | null;
}

/** Number of participants an export covers (for the progress bar). */
export async function countParticipants(db: Executor, viewer: ExportViewer): Promise<number> {
  let q = db.selectFrom('participants').select((eb) => eb.fn.countAll<number>().as('n'));
  if (viewer.sites !== 'all') q = q.where('site_id', 'in', viewer.sites.length > 0 ? [...viewer.sites] : ['-']);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Pages of participants with everything the export may contain about them, in study-id order.
 *
 * @param db - read-only use
 * @param viewer - what the export may contain
 * @param protocol - the current protocol (records of other versions use theirs)
 * @param options - page size, forms, audit, kit arms
 */
export async function* readParticipantPages(
  db: Executor,
  viewer: ExportViewer,
  protocol: ProtocolDefinition,
  options: ReadOptions = {},
): AsyncGenerator<ExportParticipant[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const sites = new Map((await db.selectFrom('sites').select(['id', 'code', 'name']).execute()).map((s) => [s.id, s]));
  let after = '';
  for (;;) {
    let q = db
      .selectFrom('participants')
      .select([
        'id',
        'study_id',
        'site_id',
        'screening_id',
        'sex',
        'year_of_birth',
        'status',
        'enrolled_at',
        'withdrawn_at',
        'withdrawal_scope',
      ])
      .where('study_id', '>', after)
      .orderBy('study_id')
      .limit(pageSize);
    if (viewer.sites !== 'all') q = q.where('site_id', 'in', viewer.sites.length > 0 ? [...viewer.sites] : ['-']);
    const rows = (await q.execute()) as ParticipantRow[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.study_id;
    yield await loadPage(db, viewer, protocol, rows, sites, options);
    if (rows.length < pageSize) return;
    // The consumer is done with the page: the moment to reclaim it.
    heapCheckpoint();
  }
}

async function loadPage(
  db: Executor,
  viewer: ExportViewer,
  protocol: ProtocolDefinition,
  rows: ParticipantRow[],
  sites: Map<string, { id: string; code: string; name: string }>,
  options: ReadOptions,
): Promise<ExportParticipant[]> {
  const ids = rows.map((r) => r.id);
  const wants = (formId: string): boolean =>
    (options.forms === undefined || options.forms.has(formId)) && viewer.canSeeForm(protocol, formId);
  const rank = visitRanker(protocol);
  const formRank = new Map(protocol.forms.map((f, i) => [f.id, i]));

  const screenings = await db
    .selectFrom('screenings')
    .select(['id', 'data_json', 'assessment_json', 'protocol_version', 'updated_at'])
    .where(
      'id',
      'in',
      rows.map((r) => r.screening_id),
    )
    .execute();
  const screeningById = new Map(screenings.map((s) => [s.id, s]));
  const consents = await db
    .selectFrom('consents')
    .select(['screening_id', 'consented_at', 'document_version', 'status'])
    .where(
      'screening_id',
      'in',
      rows.map((r) => r.screening_id),
    )
    .orderBy('consented_at')
    .execute();
  const randomizations = await db
    .selectFrom('randomizations')
    .select(['participant_id', 'randomization_number', 'kit', 'randomized_at', 'stratum', 'emergency_unblinded'])
    .where('participant_id', 'in', ids)
    .execute();
  const administrations = await db
    .selectFrom('administrations')
    .selectAll()
    .where('participant_id', 'in', ids)
    .execute();
  const visits = await db
    .selectFrom('ecrf_visits')
    .select(['participant_id', 'visit_code', 'visit_date', 'missed'])
    .where('participant_id', 'in', ids)
    .execute();
  const instances = (
    await Promise.all(
      chunks(ids).map((c) =>
        db
          .selectFrom('form_instances')
          .select([
            'id',
            'participant_id',
            'visit_code',
            'form_id',
            'repeat_no',
            'protocol_version',
            'values_json',
            'derived_json',
            'updated_at',
          ])
          .where('participant_id', 'in', c)
          .where('status', '=', 'submitted')
          .$if(options.forms !== undefined, (qb) =>
            qb.where('form_id', 'in', options.forms && options.forms.size > 0 ? [...options.forms] : ['-']),
          )
          .execute(),
      ),
    )
  ).flat();
  const aes = wants('adverse_event')
    ? await db
        .selectFrom('adverse_events')
        .select(['id', 'participant_id', 'ae_number', 'record_json', 'sponsor_json', 'site_awareness_at', 'updated_at'])
        .where('participant_id', 'in', ids)
        .where('status', '=', 'active')
        .orderBy('ae_number')
        .execute()
    : [];
  const sponsorAwareness =
    aes.length > 0
      ? await db
          .selectFrom('sae_cases')
          .select(['ae_id', 'sponsor_awareness_at'])
          .where(
            'ae_id',
            'in',
            aes.map((a) => a.id),
          )
          .execute()
      : [];
  const sponsorAwarenessByAe = new Map(sponsorAwareness.map((s) => [s.ae_id, s.sponsor_awareness_at]));

  // Lots behind the doses (unblinded exports only: a lot number says cells, a saline batch saline).
  const lotByParticipant = new Map<string, string>();
  if (viewer.unblinded) {
    const preps = await db
      .selectFrom('dose_preparations')
      .leftJoin('product_vials', 'product_vials.id', 'dose_preparations.vial_id')
      .leftJoin('product_lots', 'product_lots.id', 'product_vials.lot_id')
      .select([
        'dose_preparations.id',
        'dose_preparations.participant_id',
        'dose_preparations.saline_batch',
        'product_lots.lot_number',
      ])
      .where('dose_preparations.participant_id', 'in', ids)
      .where('dose_preparations.status', '=', 'administered')
      .execute();
    for (const p of preps) lotByParticipant.set(p.participant_id, p.lot_number ?? p.saline_batch ?? '');
  }

  // Audit records, per entity.
  const auditByEntity = new Map<string, AuditEvent[]>();
  if (options.withAudit === true) {
    const wanted: { type: string; ids: string[] }[] = [
      { type: 'form_instance', ids: instances.map((i) => i.id) },
      { type: 'screening', ids: rows.map((r) => r.screening_id) },
      { type: 'adverse_event', ids: aes.map((a) => a.id) },
      { type: 'participant', ids },
    ];
    for (const w of wanted) {
      for (const c of chunks(w.ids)) {
        if (c.length === 0) continue;
        const recs = await db
          .selectFrom('audit_log')
          .select(['seq', 'at', 'actor_id', 'action', 'reason', 'entity_id', 'after_json'])
          .where('entity_type', '=', w.type)
          .where('entity_id', 'in', c)
          .orderBy('seq')
          .execute();
        for (const r of recs) {
          const key = `${w.type}:${r.entity_id}`;
          const list = auditByEntity.get(key) ?? [];
          list.push({
            seq: Number(r.seq),
            at: r.at,
            userId: r.actor_id,
            action: r.action,
            reason: r.reason,
            keys: auditKeys(r.after_json),
          });
          auditByEntity.set(key, list);
        }
      }
    }
  }
  const auditOf = (type: string, id: string, actions?: (a: string) => boolean): AuditEvent[] => {
    const all = auditByEntity.get(`${type}:${id}`) ?? [];
    return actions ? all.filter((e) => actions(e.action)) : all;
  };

  return rows.map((p) => {
    const records: ClinicalRecord[] = [];
    const screening = screeningById.get(p.screening_id);
    const screeningValues = screening ? parseJson(screening.data_json) : {};
    // Participants registered by an import keep only the year of birth (on the participant).
    if (screening && screeningValues.date_of_birth === undefined && p.year_of_birth !== null) {
      screeningValues.date_of_birth = String(p.year_of_birth);
    }
    const assessment = screening ? parseJson(screening.assessment_json) : {};
    const derivedScreening = (assessment.derived ?? {}) as { age?: number | null; bmi?: number | null };
    if (screening && wants('screening')) {
      const sp = protocolOf(screening.protocol_version, protocol);
      const form = findForm(sp, 'screening');
      if (form) {
        records.push({
          formId: 'screening',
          visitCode: 'SCR',
          repeatNo: 1,
          protocolVersion: sp.version,
          source: 'screening',
          values: visibleValues(viewer, sp, form, screeningValues),
          derived: visibleDerived(viewer, sp, form, {
            age: derivedScreening.age ?? null,
            bmi: derivedScreening.bmi ?? null,
          }),
          audit: auditOf('screening', screening.id, (a) => a.startsWith('screening.')),
          updatedAt: screening.updated_at,
        });
      }
    }
    for (const i of instances.filter((x) => x.participant_id === p.id)) {
      if (!wants(i.form_id)) continue;
      const ip = protocolOf(i.protocol_version, protocol);
      const form = findForm(ip, i.form_id);
      if (!form) continue;
      records.push({
        formId: i.form_id,
        visitCode: i.visit_code === '' ? null : i.visit_code,
        repeatNo: Number(i.repeat_no),
        protocolVersion: ip.version,
        source: 'ecrf',
        values: visibleValues(viewer, ip, form, parseJson(i.values_json)),
        derived: visibleDerived(viewer, ip, form, parseJson(i.derived_json)),
        audit: auditOf('form_instance', i.id),
        updatedAt: i.updated_at,
      });
    }
    const admin = administrations.find((a) => a.participant_id === p.id) ?? null;
    if (admin && admin.status === 'administered' && wants('administration')) {
      const form = findForm(protocol, 'administration');
      if (form) {
        records.push({
          formId: 'administration',
          visitCode: 'BL',
          repeatNo: 1,
          protocolVersion: protocol.version,
          source: 'product_chain',
          values: visibleValues(viewer, protocol, form, administrationFormValues(admin)),
          derived: {},
          audit: auditOf('participant', p.id, (a) => a === 'product.administered' || a === 'administration.imported'),
          updatedAt: admin.created_at,
        });
      }
    }
    const form = findForm(protocol, 'adverse_event');
    aes
      .filter((a) => a.participant_id === p.id)
      .forEach((a, index) => {
        if (!form) return;
        const record = JSON.parse(a.record_json) as AeRecord;
        const sponsor = a.sponsor_json === null ? null : (JSON.parse(a.sponsor_json) as SponsorJson);
        const values = aeFormValues(record, sponsor, a.site_awareness_at, sponsorAwarenessByAe.get(a.id) ?? null);
        records.push({
          formId: 'adverse_event',
          visitCode: null,
          repeatNo: index + 1,
          protocolVersion: protocol.version,
          source: 'safety',
          values: visibleValues(viewer, protocol, form, values),
          derived: visibleDerived(viewer, protocol, form, {
            ae_serious: Object.values(record.seriousness).some(Boolean),
          }),
          audit: auditOf('adverse_event', a.id),
          auditKeys: (itemId) => AE_ITEM_FIELDS[itemId] ?? (SERIOUSNESS_ITEMS[itemId] ? ['seriousness'] : []),
          updatedAt: a.updated_at,
          extras: {
            aeNumber: a.ae_number,
            lltName: record.meddra?.lltName ?? null,
            ptName: record.meddra?.ptName ?? null,
            socName: record.meddra?.socName ?? null,
          },
        });
      });
    records.sort(
      (a, b) =>
        rank(a.visitCode) - rank(b.visitCode) ||
        (formRank.get(a.formId) ?? 0) - (formRank.get(b.formId) ?? 0) ||
        a.repeatNo - b.repeatNo,
    );

    const r = randomizations.find((x) => x.participant_id === p.id);
    const site = sites.get(p.site_id);
    const consent = consents.find((c) => c.screening_id === p.screening_id) ?? null;
    const eos = records.find((x) => x.formId === 'end_of_study');
    return {
      id: p.id,
      studyId: p.study_id,
      siteId: p.site_id,
      siteCode: site?.code ?? p.site_id,
      siteName: site?.name ?? p.site_id,
      sex: p.sex,
      yearOfBirth: p.year_of_birth === null ? null : Number(p.year_of_birth),
      status: p.status,
      enrolledAt: p.enrolled_at,
      withdrawnAt: p.withdrawn_at,
      withdrawalScope: p.withdrawal_scope,
      screeningDate: typeof screeningValues.screening_date === 'string' ? screeningValues.screening_date : null,
      age: typeof derivedScreening.age === 'number' ? derivedScreening.age : null,
      consent: consent ? { consentedAt: consent.consented_at, documentVersion: consent.document_version } : null,
      randomization: r
        ? {
            number: r.randomization_number,
            kit: r.kit,
            randomizedAt: r.randomized_at,
            stratum: r.stratum,
            emergencyUnblinded: r.emergency_unblinded === 1,
            arm: viewer.unblinded ? (options.kitArms?.get(r.kit) ?? null) : null,
          }
        : null,
      administration: admin
        ? {
            status: admin.status,
            administeredAt: admin.administered_at,
            day0: admin.day0 ?? (admin.administered_at ? copenhagenDateOfInstant(admin.administered_at) : null),
            kneeSide: admin.knee_side,
            volumeMl: admin.volume_ml === null ? null : Number(admin.volume_ml),
            reason: admin.reason,
            lot: viewer.unblinded ? (lotByParticipant.get(p.id) ?? null) : null,
          }
        : null,
      visits: visits
        .filter((v) => v.participant_id === p.id)
        .map((v) => ({ visitCode: v.visit_code, visitDate: v.visit_date, missed: v.missed === 1 }))
        .sort((a, b) => rank(a.visitCode) - rank(b.visitCode)),
      endOfStudy: eos
        ? {
            status: typeof eos.values.eos_status === 'string' ? eos.values.eos_status : null,
            date: typeof eos.values.eos_date === 'string' ? eos.values.eos_date : null,
            reason: typeof eos.values.eos_reason === 'string' ? eos.values.eos_reason : null,
          }
        : null,
      records,
    };
  });
}

/** The audit record that last set a value: the newest record naming it, else the record that created the data. */
export function auditForValue(record: ClinicalRecord, path: string, itemId: string): AuditEvent | null {
  const names = new Set([path, itemId, ...(record.auditKeys?.(itemId) ?? [])]);
  for (let i = record.audit.length - 1; i >= 0; i--) {
    const e = record.audit[i]!;
    for (const n of names) if (e.keys.has(n)) return e;
  }
  return record.audit[0] ?? null;
}
