/**
 * The analysis dataset: everything the SAP uses, read once from the database into plain, canonical
 * data — one record per enrolled participant (keyed by study id, never by database id, so the same
 * trial loaded into SQLite and PostgreSQL gives the same dataset and the same hash) and the adverse
 * events. Only submitted form instances count. The arm is read (from the sealed allocation list)
 * only for by-arm datasets; potentially unblinding items (de novo DSA) only when the reader may see
 * them. The data snapshot hash stamped on every result is SHA-256 over the canonical JSON of this
 * dataset.
 */
import { canonicalJson } from '../../core/canonical-json.js';
import { sha256Hex } from '../../core/hash.js';
import type { ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { isSerious, reportableCausality, type AeRecord, type SponsorAssessment } from '../../core/safety/index.js';
import { getStemjointProtocol } from '../../core/protocol/stemjoint-registry.js';
import type { Executor } from '../../storage/database.js';
import { actorSites } from '../access.js';
import type { Actor, ServiceContext } from '../context.js';
import { itemVisibilityFor } from '../ecrf-blinding.js';
import { copenhagenDate, loadParticipantArms } from '../randomization.js';
import { buildSapPlan, type SapPlan } from './sap-plan.js';

/** One enrolled participant as the analyses see it. */
export interface AnalysisParticipant {
  readonly studyId: string;
  readonly site: string;
  /** Randomization stratum (`KL2`/`KL3`), null before randomization. */
  readonly stratum: string | null;
  readonly randomized: boolean;
  /** The allocated arm: only in by-arm datasets. */
  readonly arm: string | null;
  /** Injection date (Day 0), null when not (yet) injected. */
  readonly day0: string | null;
  /** `administered`, `not_administered`, or null before the injection visit. */
  readonly administration: 'administered' | 'not_administered' | null;
  readonly enrolledOn: string;
  readonly status: string;
  readonly withdrawnOn: string | null;
  readonly emergencyUnblinded: boolean;
  readonly indexKnee: 'right' | 'left' | null;
  /** Continuous variables by id, then visit → value. */
  readonly values: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Index-knee effusion by visit. */
  readonly effusion: Readonly<Record<string, boolean>>;
  /** De novo DSA at the plan's visit: only when the reader may see it. */
  readonly deNovoDsa: boolean | null;
}

/** One adverse event (entered-in-error events are not data). */
export interface AnalysisAdverseEvent {
  readonly studyId: string;
  readonly socCode: string | null;
  readonly socName: string | null;
  readonly ptCode: string | null;
  readonly ptName: string | null;
  readonly verbatimTerm: string;
  readonly grade: 1 | 2 | 3 | 4 | 5;
  readonly serious: boolean;
  readonly related: boolean;
  readonly fatal: boolean;
  readonly onsetDate: string;
}

/** The dataset. */
export interface AnalysisDataset {
  readonly protocolVersion: string;
  /** Data cut-off: today's date at the site when the dataset was read. */
  readonly dataCutoff: string;
  readonly databaseLocked: boolean;
  /** Arms present (by-arm dataset). */
  readonly unblinded: boolean;
  /** De novo DSA values present. */
  readonly includesDsa: boolean;
  readonly participants: readonly AnalysisParticipant[];
  readonly adverseEvents: readonly AnalysisAdverseEvent[];
}

/** Options of {@link readAnalysisDataset}. */
export interface ReadDatasetOptions {
  /** Read the arms (only for actors who may see them; the caller checks). */
  readonly withArms: boolean;
  /** The operation whose site grants scope the data (default `analysis.sap.read`). */
  readonly operation?:
    'analysis.sap.read' | 'analysis.sap.by_arm' | 'reports.read' | 'reports.consort.read' | 'reports.dashboard.read';
}

const FORMS = ['koos', 'nrs', 'clinical_exam', 'mri_quant', 'hla_antibody', 'demographics'] as const;
const ID_CHUNK = 500;

function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function parseObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Locale-independent order, so the dataset (and its hash) is the same on every machine. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const isKnee = (v: unknown): v is 'right' | 'left' => v === 'right' || v === 'left';

/** SHA-256 over the canonical JSON of the dataset. */
export function hashDataset(dataset: AnalysisDataset): string {
  return sha256Hex(canonicalJson(dataset));
}

/**
 * Reads the dataset for an actor. Site-bound readers see their sites' participants only; the arms
 * are read only when `withArms` (the service decides who may); de novo DSA only when the actor may
 * see the item under the blind.
 */
export async function readAnalysisDataset(
  ctx: ServiceContext,
  actor: Actor,
  options: ReadDatasetOptions,
): Promise<{ dataset: AnalysisDataset; plan: SapPlan; protocol: ProtocolDefinition }> {
  const db: Executor = ctx.database.db;
  const study = await db.selectFrom('study').select(['protocol_version', 'database_locked']).executeTakeFirstOrThrow();
  const protocol = getStemjointProtocol(study.protocol_version);
  const plan = buildSapPlan(protocol);
  const visibility = await itemVisibilityFor(db, actor);
  const includesDsa = plan.dsa !== null && visibility.canSee(protocol, plan.dsa.form, plan.dsa.item);
  const sites = actorSites(actor, options.operation ?? 'analysis.sap.read');

  const siteCodes = new Map((await db.selectFrom('sites').select(['id', 'code']).execute()).map((s) => [s.id, s.code]));
  let pq = db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status', 'withdrawn_at', 'enrolled_at'])
    .orderBy('study_id');
  if (sites !== 'all') pq = sites.length === 0 ? pq.where('id', '=', '') : pq.where('site_id', 'in', sites);
  // Sorted here, not by the engine: collations differ between SQLite and PostgreSQL.
  const people = (await pq.execute()).sort((a, b) => byCodeUnits(a.study_id, b.study_id));
  const ids = people.map((p) => p.id);

  const randomizations = new Map<string, { stratum: string; emergency: boolean }>();
  const administrations = new Map<
    string,
    { status: 'administered' | 'not_administered'; day0: string | null; knee: string | null }
  >();
  const instances: {
    participant_id: string;
    visit_code: string;
    form_id: string;
    values_json: string;
    derived_json: string;
  }[] = [];
  const aeRows: { participant_id: string; record_json: string; sponsor_json: string | null }[] = [];
  for (const part of chunks(ids)) {
    for (const r of await db
      .selectFrom('randomizations')
      .select(['participant_id', 'stratum', 'emergency_unblinded'])
      .where('participant_id', 'in', part)
      .execute()) {
      randomizations.set(r.participant_id, { stratum: r.stratum, emergency: r.emergency_unblinded === 1 });
    }
    for (const a of await db
      .selectFrom('administrations')
      .select(['participant_id', 'status', 'day0', 'knee_side'])
      .where('participant_id', 'in', part)
      .execute()) {
      administrations.set(a.participant_id, { status: a.status, day0: a.day0, knee: a.knee_side });
    }
    instances.push(
      ...(await db
        .selectFrom('form_instances')
        .select(['participant_id', 'visit_code', 'form_id', 'values_json', 'derived_json'])
        .where('participant_id', 'in', part)
        .where('form_id', 'in', [...FORMS])
        .where('status', '=', 'submitted')
        .execute()),
    );
    aeRows.push(
      ...(await db
        .selectFrom('adverse_events')
        .select(['participant_id', 'record_json', 'sponsor_json'])
        .where('participant_id', 'in', part)
        .where('status', '=', 'active')
        .execute()),
    );
  }
  const arms = options.withArms ? await loadParticipantArms(ctx) : new Map<string, string>();

  // Values by participant → form → visit.
  const byParticipant = new Map<
    string,
    Map<string, Map<string, { values: Record<string, unknown>; derived: Record<string, unknown> }>>
  >();
  for (const i of instances) {
    const forms = byParticipant.get(i.participant_id) ?? new Map();
    byParticipant.set(i.participant_id, forms);
    const visits = forms.get(i.form_id) ?? new Map();
    forms.set(i.form_id, visits);
    visits.set(i.visit_code, { values: parseObject(i.values_json), derived: parseObject(i.derived_json) });
  }

  const participants: AnalysisParticipant[] = people.map((p) => {
    const forms =
      byParticipant.get(p.id) ??
      new Map<string, Map<string, { values: Record<string, unknown>; derived: Record<string, unknown> }>>();
    const administration = administrations.get(p.id);
    const demographics = forms.get('demographics');
    let indexKnee: 'right' | 'left' | null = null;
    for (const rec of demographics?.values() ?? []) {
      if (isKnee(rec.values.index_knee)) indexKnee = rec.values.index_knee;
    }
    // The injected knee is the index knee when the demographics form does not say.
    if (indexKnee === null && isKnee(administration?.knee)) indexKnee = administration.knee;
    const values: Record<string, Record<string, number>> = {};
    for (const v of plan.continuous) {
      const byVisit = forms.get(v.form);
      if (!byVisit) continue;
      const itemId = v.perKnee ? (indexKnee === null ? null : `${indexKnee}_${v.item}`) : v.item;
      if (itemId === null) continue;
      for (const [visit, rec] of byVisit) {
        const x = rec.values[itemId] ?? rec.derived[itemId];
        if (typeof x === 'number' && Number.isFinite(x)) (values[v.id] ??= {})[visit] = x;
      }
    }
    const effusion: Record<string, boolean> = {};
    if (plan.effusion && indexKnee !== null) {
      for (const [visit, rec] of forms.get(plan.effusion.form) ?? []) {
        const x = rec.derived[`${indexKnee}_${plan.effusion.item}`];
        if (typeof x === 'boolean') effusion[visit] = x;
      }
    }
    let deNovoDsa: boolean | null = null;
    if (includesDsa && plan.dsa) {
      const x = forms.get(plan.dsa.form)?.get(plan.dsa.visit)?.derived[plan.dsa.item];
      if (typeof x === 'boolean') deNovoDsa = x;
    }
    const r = randomizations.get(p.id);
    return {
      studyId: p.study_id,
      site: siteCodes.get(p.site_id) ?? p.site_id,
      stratum: r?.stratum ?? null,
      randomized: r !== undefined,
      arm: options.withArms ? (arms.get(p.id) ?? null) : null,
      day0: administration?.status === 'administered' ? administration.day0 : null,
      administration: administration?.status ?? null,
      enrolledOn: copenhagenDate(p.enrolled_at),
      status: p.status,
      withdrawnOn: p.withdrawn_at === null ? null : p.withdrawn_at.slice(0, 10),
      emergencyUnblinded: r?.emergency ?? false,
      indexKnee,
      values,
      effusion,
      deNovoDsa,
    };
  });

  const studyIds = new Map(people.map((p) => [p.id, p.study_id]));
  const adverseEvents: AnalysisAdverseEvent[] = aeRows
    .map((r) => {
      const rec = JSON.parse(r.record_json) as AeRecord;
      const sponsor = r.sponsor_json ? (JSON.parse(r.sponsor_json) as SponsorAssessment) : null;
      return {
        studyId: studyIds.get(r.participant_id) ?? r.participant_id,
        socCode: rec.meddra?.socCode ?? null,
        socName: rec.meddra?.socName ?? null,
        ptCode: rec.meddra?.ptCode ?? null,
        ptName: rec.meddra?.ptName ?? null,
        verbatimTerm: rec.verbatimTerm,
        grade: rec.grade,
        serious: isSerious(rec.seriousness),
        related: reportableCausality(rec.investigatorCausality, sponsor?.causality ?? null) === 'related',
        fatal: rec.seriousness.death,
        onsetDate: rec.onsetDate,
      };
    })
    .sort(
      (a, b) =>
        byCodeUnits(a.studyId, b.studyId) ||
        byCodeUnits(a.onsetDate, b.onsetDate) ||
        byCodeUnits(a.verbatimTerm, b.verbatimTerm) ||
        byCodeUnits(canonicalJson(a), canonicalJson(b)),
    );

  return {
    dataset: {
      protocolVersion: study.protocol_version,
      dataCutoff: copenhagenDate(ctx.now().toISOString()),
      databaseLocked: study.database_locked === 1,
      unblinded: options.withArms,
      includesDsa,
      participants,
      adverseEvents,
    },
    plan,
    protocol,
  };
}
