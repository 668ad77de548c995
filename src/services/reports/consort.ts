/**
 * The CONSORT 2010 flow diagram from the trial's own records (issue 10): the screening log
 * (eligibility results with the criteria failed, declined, not reached, other), enrolment,
 * randomization, the injection (given / not given with the reason), withdrawals and the end-of-study
 * form, and for each outcome who is in its analysis. Always current, always consistent: the
 * counting is pure (`src/core/consort`) and checked (`consistency` lists any arithmetic problem).
 *
 * The blinded diagram pools the arms and is for the whole study team (site-bound roles see their
 * sites). The by-arm diagram is refused before database lock except to the DSMB.
 */
import {
  checkConsortConsistency,
  countConsort,
  renderConsortSvg,
  type ConsortCounts,
  type ConsortParticipant,
  type ConsortScreening,
} from '../../core/consort/index.js';
import type { ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { Executor } from '../../storage/database.js';
import { actorSites } from '../access.js';
import type { Actor, ServiceContext } from '../context.js';
import { readAnalysisDataset, type AnalysisDataset, type AnalysisParticipant } from '../analysis/analysis-dataset.js';
import { assertByArmAllowed } from '../analysis/run-sap.js';
import type { SapPlan } from '../analysis/sap-plan.js';
import { softwareVersion } from '../analysis/software-version.js';

/** The diagram with its provenance and the SVG. */
export interface ConsortReport {
  readonly generatedAt: string;
  readonly protocolVersion: string;
  readonly software: string;
  readonly blinded: boolean;
  /** By-arm before database lock (DSMB only). */
  readonly interim: boolean;
  readonly counts: ConsortCounts;
  /** Arithmetic problems found (an empty list on a consistent diagram). */
  readonly consistency: readonly string[];
  readonly svg: string;
}

/** Options of {@link buildConsortReport}. */
export interface ConsortOptions {
  readonly byArm: boolean;
}

const ID_CHUNK = 500;

/** Outcome ids in registry order with the rule that decides whether a participant is analysed. */
interface OutcomeRule {
  readonly id: string;
  readonly label: string;
  analysed(p: AnalysisParticipant, forms: ReadonlyMap<string, ReadonlySet<string>>): true | string;
}

function outcomeRules(protocol: ProtocolDefinition, plan: SapPlan): OutcomeRule[] {
  const rules: OutcomeRule[] = [];
  const followUpReason = (p: AnalysisParticipant): string =>
    p.withdrawnOn !== null ? 'Withdrew before any follow-up value' : 'No follow-up value yet';
  for (const o of [...protocol.outcomes].sort((a, b) => a.registryOrder - b.registryOrder)) {
    const label = o.title.en;
    const method = o.analysis.method;
    if (method === 'ae_incidence') {
      rules.push({
        id: o.id,
        label: 'Safety (adverse events)',
        analysed: (p) =>
          p.administration === 'administered'
            ? true
            : p.administration === 'not_administered'
              ? 'Not injected'
              : 'Injection not yet given',
      });
      continue;
    }
    const variables = plan.continuous.filter((v) => v.outcomeId === o.id);
    if (method === 'mmrm_change_from_baseline' && variables.length > 0) {
      rules.push({
        id: o.id,
        label,
        analysed: (p) => {
          const withBase = variables.filter((v) => p.values[v.id]?.[v.baselineVisit] !== undefined);
          if (withBase.length === 0) return 'No baseline value';
          return withBase.some((v) => v.visits.some((visit) => p.values[v.id]?.[visit] !== undefined))
            ? true
            : followUpReason(p);
        },
      });
      continue;
    }
    if (method === 'logistic_regression' && plan.effusion) {
      const e = plan.effusion;
      rules.push({
        id: o.id,
        label,
        analysed: (p) =>
          p.effusion[e.baselineVisit] === undefined
            ? 'No baseline value'
            : e.visits.some((v) => p.effusion[v] !== undefined)
              ? true
              : followUpReason(p),
      });
      continue;
    }
    // Other outcomes (MOAKS shift tables, de novo DSA): the outcome's form at baseline and a later visit.
    const form = o.data[0]?.form;
    const baseline = o.baselineVisit ?? 'BL';
    const later = o.visits.filter((v) => v !== baseline);
    if (!form) continue;
    rules.push({
      id: o.id,
      label,
      analysed: (p, forms) => {
        const done = forms.get(`${p.studyId}|${form}`);
        if (!done?.has(baseline)) return 'No baseline assessment';
        return later.some((v) => done.has(v)) ? true : followUpReason(p);
      },
    });
  }
  // The primary outcome first (its analysis box line is the bold one), then registry order.
  const primary = plan.continuous.find((v) => v.primary)?.outcomeId;
  return [...rules.filter((r) => r.id === primary), ...rules.filter((r) => r.id !== primary)];
}

/** Reads the screening log, participants, withdrawals and forms, and counts the diagram. */
export async function countConsortFromDatabase(
  ctx: ServiceContext,
  actor: Actor,
  options: ConsortOptions,
): Promise<{ counts: ConsortCounts; dataset: AnalysisDataset }> {
  const db: Executor = ctx.database.db;
  const { dataset, plan, protocol } = await readAnalysisDataset(ctx, actor, {
    withArms: options.byArm,
    operation: 'reports.consort.read',
  });
  const sites = actorSites(actor, 'reports.consort.read');
  let sq = db
    .selectFrom('screenings')
    .select(['screening_number', 'status', 'assessment_json', 'outcome_reason', 'participant_id'])
    .orderBy('screening_number');
  if (sites !== 'all') sq = sites.length === 0 ? sq.where('id', '=', '') : sq.where('site_id', 'in', sites);
  const screeningRows = await sq.execute();
  let pq = db.selectFrom('participants').select(['id', 'study_id', 'withdrawal_reason']);
  if (sites !== 'all') pq = sites.length === 0 ? pq.where('id', '=', '') : pq.where('site_id', 'in', sites);
  const people = await pq.execute();
  const studyIdOf = new Map(people.map((p) => [p.id, p.study_id]));
  const withdrawalReason = new Map(people.map((p) => [p.study_id, p.withdrawal_reason]));
  const ids = people.map((p) => p.id);
  const notGivenReason = new Map<string, string | null>();
  const endOfStudy = new Map<string, { status: 'completed' | 'early_termination' | null; reason: string | null }>();
  const forms = new Map<string, Set<string>>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const part = ids.slice(i, i + ID_CHUNK);
    for (const a of await db
      .selectFrom('administrations')
      .select(['participant_id', 'reason'])
      .where('participant_id', 'in', part)
      .where('status', '=', 'not_administered')
      .execute()) {
      notGivenReason.set(studyIdOf.get(a.participant_id) ?? a.participant_id, a.reason);
    }
    const instances = await db
      .selectFrom('form_instances')
      .select(['participant_id', 'form_id', 'visit_code', 'values_json'])
      .where('participant_id', 'in', part)
      .where('status', '=', 'submitted')
      .execute();
    for (const f of instances) {
      const sid = studyIdOf.get(f.participant_id) ?? f.participant_id;
      const key = `${sid}|${f.form_id}`;
      const set = forms.get(key) ?? new Set<string>();
      set.add(f.visit_code);
      forms.set(key, set);
      if (f.form_id === 'end_of_study') {
        const v = JSON.parse(f.values_json) as { eos_status?: unknown; eos_reason?: unknown };
        endOfStudy.set(sid, {
          status: v.eos_status === 'completed' || v.eos_status === 'early_termination' ? v.eos_status : null,
          reason: typeof v.eos_reason === 'string' ? v.eos_reason : null,
        });
      }
    }
  }
  const rules = outcomeRules(protocol, plan);
  const participants: ConsortParticipant[] = dataset.participants.map((p) => {
    const analysedFor: string[] = [];
    const notAnalysedReasons: Record<string, string> = {};
    for (const r of rules) {
      const verdict = r.analysed(p, forms);
      if (verdict === true) analysedFor.push(r.id);
      else notAnalysedReasons[r.id] = verdict;
    }
    return {
      studyId: p.studyId,
      randomized: p.randomized,
      arm: p.arm,
      administration: p.administration,
      notAdministeredReason: notGivenReason.get(p.studyId) ?? null,
      withdrawn: p.withdrawnOn !== null,
      withdrawalReason: withdrawalReason.get(p.studyId) ?? null,
      endOfStudy: endOfStudy.get(p.studyId) ?? null,
      analysedFor,
      notAnalysedReasons,
    };
  });
  const screenings: ConsortScreening[] = screeningRows.map((s) => {
    let failed: string[] = [];
    if (s.status === 'ineligible') {
      const a = JSON.parse(s.assessment_json) as { unmet?: string[]; excluded?: string[] };
      failed = [...(a.unmet ?? []), ...(a.excluded ?? [])];
    }
    return {
      screeningNumber: s.screening_number,
      status: s.status,
      failedCriteria: failed,
      outcomeReason: s.outcome_reason,
      studyId: s.participant_id === null ? null : (studyIdOf.get(s.participant_id) ?? null),
    };
  });
  const eosList = protocol.codeLists.find((c) => c.id === 'eos_reason');
  const counts = countConsort({
    screenings,
    participants,
    criteria: protocol.criteria.map((c) => ({ id: c.id, name: c.name.en })),
    arms: options.byArm ? protocol.arms.map((a) => ({ code: a.code, label: a.label.en })) : null,
    outcomes: rules.map((r) => ({ id: r.id, label: r.label })),
    ...(eosList
      ? {
          endOfStudyReasons: Object.fromEntries(
            eosList.items.map((i) => [String(i.code), (i as { label?: { en?: string } }).label?.en ?? String(i.code)]),
          ),
        }
      : {}),
  });
  return { counts, dataset };
}

/** The CONSORT diagram (counts with ids, consistency check, SVG) for an actor. */
export async function buildConsortReport(
  ctx: ServiceContext,
  actor: Actor,
  options: ConsortOptions,
): Promise<ConsortReport> {
  const { interim } = options.byArm
    ? await assertByArmAllowed(ctx, actor, 'By-arm CONSORT diagrams')
    : { interim: false };
  const { counts, dataset } = await countConsortFromDatabase(ctx, actor, options);
  const generatedAt = ctx.now().toISOString();
  const sw = softwareVersion();
  const software = `${sw.name} ${sw.version}`;
  return {
    generatedAt,
    protocolVersion: dataset.protocolVersion,
    software,
    blinded: !options.byArm,
    interim,
    counts,
    consistency: checkConsortConsistency(counts),
    svg: renderConsortSvg(counts, {
      title: `STEMJOINT — CONSORT 2010 flow diagram${options.byArm ? (interim ? ' (by arm, interim: DSMB only)' : ' (by arm)') : ' (arms pooled, blinded)'}`,
      footnote: `Protocol ${dataset.protocolVersion} · data cut-off ${dataset.dataCutoff} · generated ${generatedAt} · ${software}`,
    }),
  };
}
