/**
 * Safety outputs: the pooled safety tables (blinded users), the by-arm tables (DSMB always,
 * statistician after database lock; everyone else gets 403 and the blinding presenter removes the
 * `byArm` field besides), the data extract for the annual safety report (CSV), and the SAE report
 * document of a case (HTML).
 *
 * Population: participants with a Day 0 (the injection; the safety set) once randomization provides
 * Day 0; until then every enrolled participant, which the output says (`population`). Exposure runs
 * from Day 0 (or enrolment) to withdrawal or today.
 */
import { forbidden } from '../core/errors.js';
import {
  buildAeIncidenceTable,
  compareIncidence,
  formatCopenhagenInstant,
  formatCsv,
  isSerious,
  reportableCausality,
  SERIOUSNESS_CRITERIA,
  SERIOUSNESS_SDTM,
  type AeIncidenceTable,
  type AeRecord,
  type CsvValue,
  type IncidenceComparison,
  type SafetyPopulationMember,
  type SafetyTableEvent,
  type SponsorAssessment,
} from '../core/safety/index.js';
import type { Executor } from '../storage/database.js';
import { actorSites, assertSiteAccess } from './access.js';
import { actorSeesArms } from './blinding.js';
import type { Actor, ServiceContext } from './context.js';
import { armOfParticipant, armsOfParticipants, day0OfParticipant, type ArmCode } from './safety-access.js';
import { getSaeCase } from './safety-cases.js';
import { actorSeesSusar, byLabel, copenhagenDate } from './safety-common.js';
import { renderSaeReportHtml } from './safety-report-html.js';
import { STUDY } from './study.js';

/** Which participants the tables count. */
export type SafetyPopulationKind = 'treated' | 'enrolled';

interface PopulationRow extends SafetyPopulationMember {
  studyId: string;
  siteId: string;
}

async function loadPopulation(
  db: Executor,
  sites: 'all' | string[],
  now: Date,
): Promise<{ kind: SafetyPopulationKind; members: PopulationRow[] }> {
  let q = db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'enrolled_at', 'withdrawn_at'])
    .orderBy('study_id');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const rows = await q.execute();
  const today = copenhagenDate(now);
  const withDay0 = await Promise.all(rows.map(async (r) => ({ r, day0: await day0OfParticipant(db, r.id) })));
  const treated = withDay0.filter((x) => x.day0 !== null);
  const kind: SafetyPopulationKind = treated.length > 0 ? 'treated' : 'enrolled';
  const members = (kind === 'treated' ? treated : withDay0).map(({ r, day0 }) => ({
    id: r.id,
    studyId: r.study_id,
    siteId: r.site_id,
    exposureStart: day0 ?? copenhagenDate(new Date(r.enrolled_at)),
    exposureEnd: r.withdrawn_at && r.withdrawn_at < today ? r.withdrawn_at : today,
  }));
  return { kind, members };
}

async function loadTableEvents(db: Executor, sites: 'all' | string[]): Promise<SafetyTableEvent[]> {
  let q = db
    .selectFrom('adverse_events')
    .select(['participant_id', 'record_json', 'sponsor_json'])
    .where('status', '=', 'active');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const rows = await q.execute();
  return rows.map((r) => {
    const rec = JSON.parse(r.record_json) as AeRecord;
    const sponsor = r.sponsor_json ? (JSON.parse(r.sponsor_json) as SponsorAssessment) : null;
    return {
      participantId: r.participant_id,
      socCode: rec.meddra?.socCode ?? null,
      socName: rec.meddra?.socName ?? null,
      ptCode: rec.meddra?.ptCode ?? null,
      ptName: rec.meddra?.ptName ?? null,
      verbatimTerm: rec.verbatimTerm,
      grade: rec.grade,
      serious: isSerious(rec.seriousness),
      related: reportableCausality(rec.investigatorCausality, sponsor?.causality ?? null) === 'related',
      fatal: rec.seriousness.death,
    };
  });
}

/** The pooled tables: no arm anywhere. */
export interface PooledSafetySummary {
  generatedAt: string;
  population: SafetyPopulationKind;
  pooled: AeIncidenceTable;
}

/** Safety tables over the actor's sites with the arms pooled (safe for every reader). */
export async function getPooledSafetySummary(ctx: ServiceContext, actor: Actor): Promise<PooledSafetySummary> {
  const db = ctx.database.db;
  const sites = actorSites(actor, 'safety.tables.read');
  const now = ctx.now();
  const pop = await loadPopulation(db, sites, now);
  return {
    generatedAt: now.toISOString(),
    population: pop.kind,
    pooled: buildAeIncidenceTable(pop.members, await loadTableEvents(db, sites)),
  };
}

/** One arm's tables. */
export interface ArmGroup {
  /** null: participants without a known allocation. */
  arm: ArmCode | null;
  label: string;
  table: AeIncidenceTable;
}

/** The by-arm tables, only for actors who see arms. Everything arm-related is under `byArm`. */
export interface ByArmSafetySummary {
  generatedAt: string;
  population: SafetyPopulationKind;
  byArm: {
    groups: ArmGroup[];
    /** Fisher's exact test ADMSC vs SALINE per row; null unless both arms have participants. */
    comparisons: IncidenceComparison[] | null;
  };
}

const ARM_LABELS: Record<ArmCode, string> = { ADMSC: 'AD-MSC', SALINE: 'Saline' };

/** Safety tables by arm: refused (403) to everyone who does not see arms. */
export async function getSafetySummaryByArm(ctx: ServiceContext, actor: Actor): Promise<ByArmSafetySummary> {
  const db = ctx.database.db;
  if (!(await actorSeesArms(db, actor))) {
    throw forbidden(
      'By-arm safety tables are for the DSMB, and for the statistician after database lock; blinded users see the pooled tables',
    );
  }
  const sites = actorSites(actor, 'safety.tables.by_arm');
  const now = ctx.now();
  const pop = await loadPopulation(db, sites, now);
  const events = await loadTableEvents(db, sites);
  const arms = await armsOfParticipants(
    ctx,
    pop.members.map((m) => m.id),
  );
  const groups: ArmGroup[] = [];
  for (const arm of ['ADMSC', 'SALINE', null] as const) {
    const members = pop.members.filter((m) => arms.get(m.id) === arm);
    if (arm === null && members.length === 0) continue;
    groups.push({
      arm,
      label: arm ? ARM_LABELS[arm] : 'Allocation not available',
      table: buildAeIncidenceTable(members, events),
    });
  }
  const a = groups.find((g) => g.arm === 'ADMSC');
  const s = groups.find((g) => g.arm === 'SALINE');
  const comparisons =
    a && s && a.table.participants > 0 && s.table.participants > 0 ? compareIncidence(a.table, s.table) : null;
  return { generatedAt: now.toISOString(), population: pop.kind, byArm: { groups, comparisons } };
}

const EXTRACT_COLUMNS = [
  'ae_number',
  'study_id',
  'site_id',
  'status',
  'version',
  'verbatim_term',
  'meddra_version',
  'llt_code',
  'llt_name',
  'pt_code',
  'pt_name',
  'soc_code',
  'soc_name',
  'onset_date',
  'end_date',
  'ongoing',
  'ctcae_grade',
  'serious',
  ...SERIOUSNESS_CRITERIA.map((c) => SERIOUSNESS_SDTM[c].toLowerCase()),
  'local_index_knee',
  'causality_cells_investigator',
  'causality_procedure_investigator',
  'causality_cells_sponsor',
  'causality_procedure_sponsor',
  'causality_for_reporting',
  'expectedness',
  'rsi_version',
  'action_taken',
  'outcome',
  'site_awareness_at',
  'serious_awareness_at',
  'case_number',
  'case_status',
  'investigator_report_at',
] as const;

/** Options of the extract. */
export interface SafetyExtractOptions {
  /** Reporting period on the site's awareness date (inclusive), `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  /** Add the arm and the SUSAR classification; refused (403) to actors who do not see arms. */
  unblinded?: boolean;
}

/**
 * The data extract for the annual safety report: one row per AE (including those entered in error,
 * marked as such) with every coded field, both causality assessments and the case's reporting.
 */
export async function buildSafetyExtractCsv(
  ctx: ServiceContext,
  actor: Actor,
  opts: SafetyExtractOptions = {},
): Promise<{ fileName: string; csv: string; rows: number }> {
  const db = ctx.database.db;
  if (opts.unblinded && !(await actorSeesArms(db, actor))) {
    throw forbidden('The unblinded extract is for the DSMB, and for the statistician after database lock');
  }
  const sites = actorSites(actor, 'safety.extract');
  let q = db
    .selectFrom('adverse_events')
    .innerJoin('participants', 'participants.id', 'adverse_events.participant_id')
    .leftJoin('sae_cases', 'sae_cases.ae_id', 'adverse_events.id')
    .selectAll('adverse_events')
    .select([
      'participants.study_id',
      'sae_cases.id as case_id',
      'sae_cases.case_number',
      'sae_cases.status as case_status',
      'sae_cases.susar',
    ])
    .orderBy('adverse_events.ae_number');
  if (sites !== 'all') {
    q = sites.length === 0 ? q.where('adverse_events.id', '=', '') : q.where('adverse_events.site_id', 'in', sites);
  }
  const rows = (await q.execute()).filter((r) => {
    const d = copenhagenDate(new Date(r.site_awareness_at));
    return (!opts.from || d >= opts.from) && (!opts.to || d <= opts.to);
  });
  const columns: string[] = [...EXTRACT_COLUMNS, ...(opts.unblinded ? ['arm', 'susar'] : [])];
  const arms = opts.unblinded
    ? await armsOfParticipants(
        ctx,
        rows.map((r) => r.participant_id),
      )
    : null;
  const out: Record<string, CsvValue>[] = [];
  for (const r of rows) {
    const rec = JSON.parse(r.record_json) as AeRecord;
    const sp = r.sponsor_json ? (JSON.parse(r.sponsor_json) as SponsorAssessment) : null;
    const report = r.case_id
      ? await db
          .selectFrom('sae_submissions')
          .select('occurred_at')
          .where('case_id', '=', r.case_id)
          .where('kind', '=', 'investigator_initial_report')
          .orderBy('occurred_at')
          .executeTakeFirst()
      : undefined;
    const line: Record<string, CsvValue> = {
      ae_number: r.ae_number,
      study_id: r.study_id,
      site_id: r.site_id,
      status: r.status,
      version: r.version,
      verbatim_term: rec.verbatimTerm,
      meddra_version: rec.meddra?.version ?? null,
      llt_code: rec.meddra?.lltCode ?? null,
      llt_name: rec.meddra?.lltName ?? null,
      pt_code: rec.meddra?.ptCode ?? null,
      pt_name: rec.meddra?.ptName ?? null,
      soc_code: rec.meddra?.socCode ?? null,
      soc_name: rec.meddra?.socName ?? null,
      onset_date: rec.onsetDate,
      end_date: rec.endDate,
      ongoing: rec.endDate === null,
      ctcae_grade: rec.grade,
      serious: isSerious(rec.seriousness),
      local_index_knee: rec.localToIndexKnee,
      causality_cells_investigator: rec.investigatorCausality?.cellProduct ?? null,
      causality_procedure_investigator: rec.investigatorCausality?.procedure ?? null,
      causality_cells_sponsor: sp?.causality.cellProduct ?? null,
      causality_procedure_sponsor: sp?.causality.procedure ?? null,
      causality_for_reporting: reportableCausality(rec.investigatorCausality, sp?.causality ?? null),
      expectedness: sp?.expectedness ?? null,
      rsi_version: sp?.rsiVersion ?? null,
      action_taken: rec.actionTaken.join(';'),
      outcome: rec.outcome,
      site_awareness_at: r.site_awareness_at,
      serious_awareness_at: r.serious_awareness_at,
      case_number: r.case_number ?? null,
      case_status: r.case_status ?? null,
      investigator_report_at: report?.occurred_at ?? null,
    };
    for (const c of SERIOUSNESS_CRITERIA) line[SERIOUSNESS_SDTM[c].toLowerCase()] = rec.seriousness[c];
    if (opts.unblinded) {
      line.arm = arms?.get(r.participant_id) ?? null;
      line.susar = r.susar === null || r.susar === undefined ? null : r.susar === 1;
    }
    out.push(line);
  }
  const stamp = copenhagenDate(ctx.now());
  return {
    fileName: `stemjoint-safety-extract-${stamp}${opts.unblinded ? '-unblinded' : ''}.csv`,
    csv: formatCsv(columns, out),
    rows: out.length,
  };
}

/** The SAE report document of one case as HTML, shaped for the reader (SUSAR and treatment only when allowed). */
export async function renderSaeReport(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
): Promise<{ fileName: string; html: string }> {
  const db = ctx.database.db;
  const view = await getSaeCase(ctx, actor, caseId);
  assertSiteAccess(actor, 'safety.report.read', view.siteId);
  const ae = await db.selectFrom('adverse_events').selectAll().where('id', '=', view.aeId).executeTakeFirstOrThrow();
  const versions = await db
    .selectFrom('adverse_event_versions')
    .selectAll()
    .where('ae_id', '=', view.aeId)
    .orderBy('version')
    .execute();
  const site = await db.selectFrom('sites').select('name').where('id', '=', view.siteId).executeTakeFirstOrThrow();
  const record = JSON.parse(ae.record_json) as AeRecord;
  const sponsor = ae.sponsor_json ? (JSON.parse(ae.sponsor_json) as SponsorAssessment) : null;
  const seesArms = await actorSeesArms(db, actor);
  const local = (iso: string | null): string | null => (iso ? formatCopenhagenInstant(new Date(iso)) : null);
  const arm = seesArms ? await armOfParticipant(ctx, view.participantId) : null;
  const html = renderSaeReportHtml({
    generatedAtLocal: formatCopenhagenInstant(ctx.now()),
    generatedBy: byLabel(actor),
    study: {
      acronym: STUDY.acronym,
      sponsorStudyId: STUDY.id,
      registryId: STUDY.registryId,
      title: STUDY.title,
      protocolVersion: STUDY.protocolVersion,
    },
    caseNumber: view.caseNumber,
    caseStatus: view.status,
    aeNumber: view.aeNumber,
    aeVersion: ae.version,
    studyId: view.studyId,
    siteName: site.name,
    record,
    sponsorAssessment: sponsor,
    reportableCausality: reportableCausality(record.investigatorCausality, sponsor?.causality ?? null),
    siteAwarenessLocal: local(ae.site_awareness_at)!,
    seriousAwarenessLocal: local(view.investigatorAwarenessAt)!,
    sponsorAwarenessLocal: local(view.sponsorAwarenessAt),
    day0: await day0OfParticipant(db, view.participantId),
    deadlines: view.deadlines.map((d) => ({
      label: d.label,
      dueLocal: d.dueLocal,
      status: d.status,
      metAtLocal: local(d.metAt),
    })),
    submissions: view.submissions.map((s) => ({
      kind: s.kind,
      occurredAtLocal: s.occurredAtLocal,
      reference: s.reference,
      note: s.note,
      recordedBy: s.recordedBy,
    })),
    susar:
      (await actorSeesSusar(db, actor)) && view.susarAssessment
        ? {
            susar: view.susarAssessment.susar,
            rationale: view.susarAssessment.rationale,
            classifiedBy: view.susarAssessment.classifiedBy,
            classifiedAt: local(view.susarAssessment.classifiedAt),
          }
        : null,
    // Only readers who see arms get the allocation in the document (the presenter cannot reach inside HTML).
    treatment: seesArms ? (arm ? `${ARM_LABELS[arm]} (${arm})` : 'Allocation not available') : 'Blinded',
    versions: versions.map((v) => ({
      version: v.version,
      kind: v.kind,
      changedAtLocal: local(v.changed_at)!,
      changedBy: v.changed_by,
      reason: v.reason,
      changedFields: JSON.parse(v.changed_fields_json) as string[],
    })),
  });
  return { fileName: `${view.caseNumber}-sae-report.html`, html };
}
