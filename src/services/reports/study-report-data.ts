/**
 * The parts of the study report that the SAP does not compute: baseline characteristics of the
 * full analysis set (age, sex, BMI, KL grade from the screening record; baseline outcome values
 * from the analysis dataset), the protocol deviation register, and data quality (unresolved and
 * closed queries, source data verification coverage by form). Read with set-based queries, scoped
 * to the reader's sites.
 */
import { computeAge } from '../../core/scoring/compute-age.js';
import { computeBmi } from '../../core/scoring/compute-bmi.js';
import { describe } from '../../stats/describe.js';
import type { Executor } from '../../storage/database.js';
import { actorSites } from '../access.js';
import type { Actor } from '../context.js';
import type { AnalysisDataset } from '../analysis/analysis-dataset.js';
import type { SapPlan } from '../analysis/sap-plan.js';

/** One row of the baseline table for one group. */
export interface BaselineCell {
  readonly n: number;
  /** `mean (SD)` statistics, or a count with its percent. */
  readonly mean?: number | null;
  readonly sd?: number | null;
  readonly count?: number;
  readonly percent?: number | null;
}

/** The baseline table: rows × groups (pooled, or one group per arm). */
export interface BaselineTable {
  readonly groups: readonly { readonly key: string; readonly label: string; readonly n: number }[];
  readonly rows: readonly {
    readonly label: string;
    readonly kind: 'continuous' | 'count';
    readonly cells: readonly BaselineCell[];
  }[];
}

/** The protocol deviation register in numbers. */
export interface DeviationSummary {
  readonly total: number;
  readonly open: number;
  readonly byCategory: readonly { readonly category: string; readonly open: number; readonly voided: number }[];
  readonly byVisit: readonly { readonly visit: string; readonly open: number }[];
  readonly recent: readonly {
    readonly studyId: string;
    readonly visit: string | null;
    readonly category: string;
    readonly description: string;
    readonly date: string;
  }[];
}

/** Data quality in numbers. */
export interface DataQuality {
  readonly queries: {
    readonly open: number;
    readonly answered: number;
    readonly closed: number;
    readonly auto: number;
    readonly manual: number;
  };
  readonly sdv: {
    readonly submitted: number;
    readonly verified: number;
    readonly changedSinceVerification: number;
    readonly coverage: number | null;
    readonly byForm: readonly { readonly form: string; readonly submitted: number; readonly verified: number }[];
  };
  readonly drafts: number;
}

const ID_CHUNK = 500;

async function participantsOf(
  db: Executor,
  actor: Actor,
  operation: 'reports.read',
): Promise<{ id: string; study_id: string; screening_id: string }[]> {
  const sites = actorSites(actor, operation);
  let q = db.selectFrom('participants').select(['id', 'study_id', 'screening_id']);
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  return q.execute();
}

/** Baseline characteristics of the full analysis set, pooled or by arm. */
export async function readBaselineTable(
  db: Executor,
  actor: Actor,
  dataset: AnalysisDataset,
  plan: SapPlan,
  byArm: boolean,
): Promise<BaselineTable> {
  const people = await participantsOf(db, actor, 'reports.read');
  const screeningIds = people.map((p) => p.screening_id);
  const screeningOf = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < screeningIds.length; i += ID_CHUNK) {
    for (const s of await db
      .selectFrom('screenings')
      .select(['id', 'data_json'])
      .where('id', 'in', screeningIds.slice(i, i + ID_CHUNK))
      .execute()) {
      screeningOf.set(s.id, JSON.parse(s.data_json) as Record<string, unknown>);
    }
  }
  const values = new Map(people.map((p) => [p.study_id, screeningOf.get(p.screening_id) ?? {}]));
  const fas = dataset.participants.filter((p) => p.randomized && (!byArm || p.arm !== null));
  const groups = byArm
    ? [plan.arms.treatment, plan.arms.control].map((arm) => ({
        key: arm,
        label: arm,
        members: fas.filter((p) => p.arm === arm),
      }))
    : [{ key: 'all', label: 'All participants', members: fas }];
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const continuous = (label: string, get: (studyId: string) => number | null) => ({
    label,
    kind: 'continuous' as const,
    cells: groups.map((g) => {
      const d = describe(g.members.map((p) => get(p.studyId)));
      return { n: d.n, mean: Number.isFinite(d.mean) ? d.mean : null, sd: Number.isFinite(d.sd) ? d.sd : null };
    }),
  });
  const countRow = (label: string, test: (studyId: string) => boolean | null) => ({
    label,
    kind: 'count' as const,
    cells: groups.map((g) => {
      const known = g.members.map((p) => test(p.studyId)).filter((x): x is boolean => x !== null);
      const count = known.filter(Boolean).length;
      return { n: known.length, count, percent: known.length > 0 ? (count / known.length) * 100 : null };
    }),
  });
  const rec = (id: string): Record<string, unknown> => values.get(id) ?? {};
  const byStudyId = new Map(fas.map((p) => [p.studyId, p]));
  const rows = [
    continuous('Age at screening (years)', (id) => computeAge(str(rec(id).date_of_birth), str(rec(id).screening_date))),
    countRow('Female', (id) => (str(rec(id).sex) === null ? null : rec(id).sex === 'female')),
    continuous('BMI (kg/m²)', (id) => computeBmi(num(rec(id).height_cm), num(rec(id).weight_kg))),
    countRow('Kellgren–Lawrence grade 3 (vs 2)', (id) =>
      num(rec(id).kl_grade) === null ? null : rec(id).kl_grade === 3,
    ),
    continuous('Knee pain duration (months)', (id) => num(rec(id).knee_pain_months)),
    countRow('Right index knee', (id) => {
      const k = byStudyId.get(id)?.indexKnee ?? null;
      return k === null ? null : k === 'right';
    }),
    ...plan.continuous
      .filter(
        (v) =>
          !v.id.startsWith('thk_') &&
          !v.id.startsWith('vol_') &&
          !v.id.startsWith('t2_') &&
          !v.id.startsWith('t1rho_') &&
          !v.id.startsWith('stress') &&
          !v.id.startsWith('strain'),
      )
      .map((v) =>
        continuous(
          `${v.label}${v.unit ? ` (${v.unit})` : ''}, baseline`,
          (id) => byStudyId.get(id)?.values[v.id]?.[v.baselineVisit] ?? null,
        ),
      ),
    ...(plan.effusion
      ? [
          countRow(
            'Effusion of the index knee at baseline',
            (id) => byStudyId.get(id)?.effusion[plan.effusion!.baselineVisit] ?? null,
          ),
        ]
      : []),
  ];
  return { groups: groups.map((g) => ({ key: g.key, label: g.label, n: g.members.length })), rows };
}

/** The deviation register of the reader's sites. */
export async function readDeviations(db: Executor, actor: Actor): Promise<DeviationSummary> {
  const sites = actorSites(actor, 'reports.read');
  let q = db
    .selectFrom('protocol_deviations')
    .innerJoin('participants', 'participants.id', 'protocol_deviations.participant_id')
    .select([
      'participants.study_id',
      'protocol_deviations.visit_code',
      'protocol_deviations.category',
      'protocol_deviations.description',
      'protocol_deviations.deviation_date',
      'protocol_deviations.status',
    ])
    .orderBy('protocol_deviations.deviation_date', 'desc');
  if (sites !== 'all') {
    q = sites.length === 0 ? q.where('participants.id', '=', '') : q.where('protocol_deviations.site_id', 'in', sites);
  }
  const rows = await q.execute();
  const byCategory = new Map<string, { open: number; voided: number }>();
  const byVisit = new Map<string, number>();
  for (const r of rows) {
    const c = byCategory.get(r.category) ?? { open: 0, voided: 0 };
    if (r.status === 'open') c.open += 1;
    else c.voided += 1;
    byCategory.set(r.category, c);
    if (r.status === 'open' && r.visit_code) byVisit.set(r.visit_code, (byVisit.get(r.visit_code) ?? 0) + 1);
  }
  const open = rows.filter((r) => r.status === 'open');
  return {
    total: rows.length,
    open: open.length,
    byCategory: [...byCategory]
      .map(([category, c]) => ({ category, ...c }))
      .sort((a, b) => b.open - a.open || a.category.localeCompare(b.category)),
    byVisit: [...byVisit].map(([visit, n]) => ({ visit, open: n })),
    recent: open.slice(0, 25).map((r) => ({
      studyId: r.study_id,
      visit: r.visit_code,
      category: r.category,
      description: r.description,
      date: r.deviation_date,
    })),
  };
}

/** Queries and SDV coverage of the reader's sites. */
export async function readDataQuality(db: Executor, actor: Actor): Promise<DataQuality> {
  const sites = actorSites(actor, 'reports.read');
  let q = db.selectFrom('ecrf_queries').select(['status', 'origin']);
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const queries = await q.execute();
  let f = db.selectFrom('form_instances').select(['form_id', 'status', 'version', 'sdv_version']);
  if (sites !== 'all') f = sites.length === 0 ? f.where('id', '=', '') : f.where('site_id', 'in', sites);
  const forms = await f.execute();
  const submitted = forms.filter((x) => x.status === 'submitted');
  const verified = submitted.filter((x) => x.sdv_version !== null && Number(x.sdv_version) === Number(x.version));
  const changed = submitted.filter((x) => x.sdv_version !== null && Number(x.sdv_version) !== Number(x.version));
  const byForm = new Map<string, { submitted: number; verified: number }>();
  for (const x of submitted) {
    const e = byForm.get(x.form_id) ?? { submitted: 0, verified: 0 };
    e.submitted += 1;
    if (x.sdv_version !== null && Number(x.sdv_version) === Number(x.version)) e.verified += 1;
    byForm.set(x.form_id, e);
  }
  return {
    queries: {
      open: queries.filter((x) => x.status === 'open').length,
      answered: queries.filter((x) => x.status === 'answered').length,
      closed: queries.filter((x) => x.status === 'closed').length,
      auto: queries.filter((x) => x.origin === 'auto').length,
      manual: queries.filter((x) => x.origin === 'manual').length,
    },
    sdv: {
      submitted: submitted.length,
      verified: verified.length,
      changedSinceVerification: changed.length,
      coverage: submitted.length > 0 ? verified.length / submitted.length : null,
      byForm: [...byForm].map(([form, e]) => ({ form, ...e })).sort((a, b) => a.form.localeCompare(b.form)),
    },
    drafts: forms.filter((x) => x.status !== 'submitted').length,
  };
}
