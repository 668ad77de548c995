/**
 * The analyses of spec §8 over an analysis dataset (pure: no I/O, no clock).
 *
 * Populations: the full analysis set is every randomized participant, in the arm allocated
 * (treatment policy: data after an intercurrent event or an emergency unblinding are kept; those
 * participants are counted in `populations`). The safety set is every injected participant (before
 * any injection: every enrolled participant, as the safety tables do).
 *
 * Pooled (blinded): per variable and visit n, mean, SD, median, quartiles, min, max of the value and
 * of the change from baseline (with a t-based 95% CI of the mean change); effusion proportions with
 * Wilson intervals; AE incidence with the arms pooled. De novo DSA is potentially unblinding and is
 * left out of pooled results.
 *
 * By arm (only on datasets with arms): the same descriptions per arm, plus
 *  - MMRM on the change from baseline: visit, baseline × visit, arm × visit and the stratum (KL
 *    grade) when both strata are present; unstructured covariance with the pre-specified fallback
 *    chain; REML; Satterthwaite df (Kenward–Roger on request); per-visit ADMSC − SALINE contrasts
 *    with 95% CI and p, LS means by arm and visit, the treatment × visit F test. Visits where an
 *    arm has fewer than `minPerArm` observations are left out of the model (and listed), so an
 *    ongoing trial's later visits do not break the model;
 *  - ANCOVA of the change at the sensitivity visit (baseline and stratum as covariates);
 *  - effusion at each examination visit: logistic regression on baseline effusion and arm (Wald
 *    CI), the unadjusted risk difference with the Newcombe CI, per-arm Wilson intervals;
 *  - AE incidence by arm, SOC and PT with Fisher's exact test, events per 100 participant-years;
 *  - de novo DSA incidence at M3 by arm with Wilson intervals, Newcombe risk difference and Fisher.
 * Every model that cannot be estimated on the data says why instead of failing the whole run.
 */
import {
  buildAeIncidenceTable,
  compareIncidence,
  type AeIncidenceTable,
  type IncidenceComparison,
  type SafetyPopulationMember,
  type SafetyTableEvent,
} from '../../core/safety/index.js';
import {
  ancova,
  describe,
  fisherExact,
  fitMmrm,
  logisticTreatmentEffect,
  riskDifferenceNewcombe,
  tQuantile,
  wilsonInterval,
  type DfMethod,
  type MmrmObservation,
} from '../../stats/index.js';
import type { AnalysisDataset, AnalysisParticipant } from './analysis-dataset.js';
import type { ContinuousVariable, SapPlan } from './sap-plan.js';

/** Options of {@link runSapAnalyses}. */
export interface SapAnalysisOptions {
  /** Run the by-arm analyses (the dataset must carry arms). */
  readonly byArm: boolean;
  readonly df?: DfMethod;
  /** Minimum observations per arm for a visit to enter a model (default 3). */
  readonly minPerArm?: number;
}

/** A finite number, or null (JSON has no NaN). */
export type Num = number | null;
const num = (x: number | null | undefined): Num => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Descriptive statistics of one sample. */
export interface DescriptiveRow {
  readonly visit: string;
  readonly n: number;
  readonly mean: Num;
  readonly sd: Num;
  readonly median: Num;
  readonly q1: Num;
  readonly q3: Num;
  readonly min: Num;
  readonly max: Num;
}

/** Change from baseline at one visit, with the t-based CI of the mean change. */
export interface ChangeRow extends DescriptiveRow {
  readonly lower: Num;
  readonly upper: Num;
}

/** Descriptions of one group (pooled, or one arm). */
export interface ContinuousDescription {
  readonly values: readonly DescriptiveRow[];
  readonly change: readonly ChangeRow[];
}

/** Why a model was not estimated. */
export interface NotEstimable {
  readonly estimable: false;
  readonly reason: string;
}

/** The MMRM of one variable. */
export interface MmrmSummary {
  readonly estimable: true;
  readonly nSubjects: number;
  readonly nObservations: number;
  readonly visits: readonly string[];
  readonly excludedVisits: readonly { readonly visit: string; readonly reason: string }[];
  readonly covariates: readonly string[];
  /** What the run had to change in the pre-specified model, and why (e.g. a stratum left out). */
  readonly notes: readonly string[];
  readonly covariance: string;
  readonly converged: boolean;
  readonly attempts: readonly {
    readonly covariance: string;
    readonly converged: boolean;
    readonly iterations: number;
    readonly message: string;
  }[];
  readonly dfMethod: DfMethod;
  readonly m2RemlLogLik: Num;
  readonly contrasts: readonly {
    readonly visit: string;
    readonly estimate: Num;
    readonly se: Num;
    readonly df: Num;
    readonly lower: Num;
    readonly upper: Num;
    readonly p: Num;
    readonly primary: boolean;
  }[];
  readonly lsmeans: readonly {
    readonly arm: string;
    readonly visit: string;
    readonly estimate: Num;
    readonly se: Num;
    readonly df: Num;
    readonly lower: Num;
    readonly upper: Num;
  }[];
  readonly treatmentByVisit: { readonly numDf: number; readonly denDf: Num; readonly f: Num; readonly p: Num } | null;
}

/** The ANCOVA sensitivity analysis of one variable. */
export interface AncovaSummary {
  readonly estimable: true;
  readonly visit: string;
  readonly covariates: readonly string[];
  readonly n: number;
  readonly estimate: Num;
  readonly se: Num;
  readonly df: number;
  readonly t: Num;
  readonly p: Num;
  readonly lower: Num;
  readonly upper: Num;
}

/** One continuous variable's results. */
export interface ContinuousResult {
  readonly variable: string;
  readonly outcomeId: string;
  readonly label: string;
  readonly unit: string | null;
  readonly primary: boolean;
  readonly pooled: ContinuousDescription;
  readonly byArm?: {
    readonly groups: readonly ({ readonly arm: string } & ContinuousDescription)[];
    readonly mmrm: MmrmSummary | NotEstimable;
    readonly ancova: AncovaSummary | NotEstimable;
  };
}

/** A proportion with its Wilson interval. */
export interface ProportionRow {
  readonly visit: string;
  readonly n: number;
  readonly events: number;
  readonly proportion: Num;
  readonly lower: Num;
  readonly upper: Num;
}

/** Effusion at one visit, by arm. */
export interface EffusionComparison {
  readonly visit: string;
  readonly primary: boolean;
  readonly logistic:
    | {
        readonly estimable: true;
        readonly n: number;
        readonly oddsRatio: Num;
        readonly lower: Num;
        readonly upper: Num;
        readonly p: Num;
        readonly converged: boolean;
        readonly separation: boolean;
      }
    | NotEstimable;
  readonly riskDifference:
    { readonly estimable: true; readonly estimate: Num; readonly lower: Num; readonly upper: Num } | NotEstimable;
}

/** Effusion results. */
export interface EffusionResult {
  readonly pooled: readonly ProportionRow[];
  readonly byArm?: {
    readonly groups: readonly { readonly arm: string; readonly rows: readonly ProportionRow[] }[];
    readonly comparisons: readonly EffusionComparison[];
  };
}

/** AE results. */
export interface AdverseEventResult {
  readonly population: 'treated' | 'enrolled';
  readonly pooled: AeIncidenceTable;
  readonly byArm?: {
    readonly groups: readonly { readonly arm: string; readonly table: AeIncidenceTable }[];
    readonly comparisons: readonly IncidenceComparison[] | null;
  };
}

/** De novo DSA results (by arm only: the result itself is potentially unblinding). */
export interface DsaResult {
  readonly visit: string;
  readonly byArm?: {
    readonly groups: readonly {
      readonly arm: string;
      readonly n: number;
      readonly events: number;
      readonly proportion: Num;
      readonly lower: Num;
      readonly upper: Num;
    }[];
    readonly riskDifference:
      { readonly estimable: true; readonly estimate: Num; readonly lower: Num; readonly upper: Num } | NotEstimable;
    readonly fisher:
      | { readonly estimable: true; readonly p: Num; readonly oddsRatio: Num; readonly lower: Num; readonly upper: Num }
      | NotEstimable;
  };
  /** Why there is nothing (blinded view, or no data). */
  readonly note: string | null;
}

/** Who was analysed. */
export interface PopulationCounts {
  readonly enrolled: number;
  readonly randomized: number;
  /** Full analysis set: randomized (with a known arm in by-arm runs). */
  readonly fullAnalysisSet: number;
  readonly safetySet: number;
  readonly withdrawn: number;
  readonly emergencyUnblinded: number;
  readonly byArm?: readonly {
    readonly arm: string;
    readonly fullAnalysisSet: number;
    readonly safetySet: number;
    readonly withdrawn: number;
  }[];
}

/** Every analysis of the plan. */
export interface SapAnalyses {
  readonly populations: PopulationCounts;
  readonly continuous: readonly ContinuousResult[];
  readonly effusion: EffusionResult | null;
  readonly adverseEvents: AdverseEventResult;
  readonly deNovoDsa: DsaResult | null;
}

function describeRow(visit: string, values: readonly number[]): DescriptiveRow {
  const d = describe(values);
  return {
    visit,
    n: d.n,
    mean: num(d.mean),
    sd: num(d.sd),
    median: num(d.median),
    q1: num(d.q1),
    q3: num(d.q3),
    min: num(d.min),
    max: num(d.max),
  };
}

function changeRow(visit: string, values: readonly number[], level: number): ChangeRow {
  const row = describeRow(visit, values);
  if (row.n < 2 || row.mean === null || row.sd === null) return { ...row, lower: null, upper: null };
  const half = tQuantile(1 - (1 - level) / 2, row.n - 1) * (row.sd / Math.sqrt(row.n));
  return { ...row, lower: row.mean - half, upper: row.mean + half };
}

function describeGroup(
  members: readonly AnalysisParticipant[],
  v: ContinuousVariable,
  level: number,
): ContinuousDescription {
  const values: DescriptiveRow[] = [];
  const change: ChangeRow[] = [];
  for (const visit of [v.baselineVisit, ...v.visits]) {
    const xs: number[] = [];
    const ds: number[] = [];
    for (const p of members) {
      const byVisit = p.values[v.id];
      const x = byVisit?.[visit];
      if (x === undefined) continue;
      xs.push(x);
      const b = byVisit?.[v.baselineVisit];
      if (visit !== v.baselineVisit && b !== undefined) ds.push(x - b);
    }
    values.push(describeRow(visit, xs));
    if (visit !== v.baselineVisit) change.push(changeRow(visit, ds, level));
  }
  return { values, change };
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Categorical covariates that vary among the used records (a constant stratum cannot be estimated). */
function strataCovariate(members: readonly AnalysisParticipant[]): string[] {
  return new Set(members.map((p) => p.stratum).filter((s) => s !== null)).size > 1 ? ['stratum'] : [];
}

function runMmrm(
  members: readonly AnalysisParticipant[],
  v: ContinuousVariable,
  plan: SapPlan,
  options: SapAnalysisOptions,
): MmrmSummary | NotEstimable {
  const minPerArm = options.minPerArm ?? 3;
  const { treatment, control } = plan.arms;
  const observations: MmrmObservation[] = [];
  const counts = new Map<string, Map<string, number>>();
  for (const p of members) {
    const byVisit = p.values[v.id];
    const base = byVisit?.[v.baselineVisit];
    if (base === undefined || p.arm === null) continue;
    for (const visit of v.visits) {
      const x = byVisit?.[visit];
      if (x === undefined) continue;
      observations.push({
        subject: p.studyId,
        visit,
        arm: p.arm,
        response: x - base,
        baseline: base,
        covariates: { stratum: p.stratum ?? 'unknown' },
      });
      const c = counts.get(visit) ?? new Map<string, number>();
      c.set(p.arm, (c.get(p.arm) ?? 0) + 1);
      counts.set(visit, c);
    }
  }
  const excludedVisits: { visit: string; reason: string }[] = [];
  const visits: string[] = [];
  for (const visit of v.visits) {
    const c = counts.get(visit);
    const t = c?.get(treatment) ?? 0;
    const k = c?.get(control) ?? 0;
    if (t < minPerArm || k < minPerArm) {
      excludedVisits.push({ visit, reason: `${t} vs ${k} observations (fewer than ${minPerArm} in an arm)` });
    } else visits.push(visit);
  }
  if (visits.length === 0) {
    return {
      estimable: false,
      reason:
        observations.length === 0
          ? 'no post-baseline data with a baseline value'
          : `no visit has at least ${minPerArm} observations in each arm`,
    };
  }
  const used = observations.filter((o) => visits.includes(o.visit));
  const usedSubjects = new Set(used.map((o) => o.subject));
  const notes: string[] = [];
  let covariates = strataCovariate(members.filter((p) => usedSubjects.has(p.studyId)));
  const fitWith = (cov: string[]) =>
    fitMmrm(
      { observations: used, treatment, control, visits, baseline: true, covariates: cov },
      { df: options.df ?? 'satterthwaite', confidenceLevel: plan.confidenceLevel },
    );
  try {
    let fit;
    try {
      fit = fitWith(covariates);
    } catch (e) {
      // A stratum confounded with the arm (a small interim dataset) makes the design rank
      // deficient: the model without it still answers the question, and says it dropped it.
      if (covariates.length === 0) throw e;
      covariates = [];
      fit = fitWith(covariates);
      notes.push(`stratum left out of the model: ${errorMessage(e)}`);
    }
    return {
      estimable: true,
      nSubjects: fit.nSubjects,
      nObservations: fit.nObservations,
      visits: fit.visits,
      excludedVisits,
      covariates,
      notes,
      covariance: fit.covariance,
      converged: fit.converged,
      attempts: fit.attempts.map((a) => ({
        covariance: a.covariance,
        converged: a.converged,
        iterations: a.diagnostics.iterations,
        message: a.diagnostics.message,
      })),
      dfMethod: fit.dfMethod,
      m2RemlLogLik: num(fit.m2RemlLogLik),
      contrasts: fit.contrasts.map((c) => ({
        visit: c.visit,
        estimate: num(c.estimate),
        se: num(c.se),
        df: num(c.df),
        lower: num(c.lower),
        upper: num(c.upper),
        p: num(c.p),
        primary: v.primary && c.visit === plan.primaryVisit,
      })),
      lsmeans: fit.lsmeans.map((l) => ({
        arm: l.arm,
        visit: l.visit,
        estimate: num(l.estimate),
        se: num(l.se),
        df: num(l.df),
        lower: num(l.lower),
        upper: num(l.upper),
      })),
      treatmentByVisit:
        fit.treatmentByVisit === null
          ? null
          : {
              numDf: fit.treatmentByVisit.numDf,
              denDf: num(fit.treatmentByVisit.denDf),
              f: num(fit.treatmentByVisit.f),
              p: num(fit.treatmentByVisit.p),
            },
    };
  } catch (e) {
    return { estimable: false, reason: errorMessage(e) };
  }
}

function runAncova(
  members: readonly AnalysisParticipant[],
  v: ContinuousVariable,
  plan: SapPlan,
): AncovaSummary | NotEstimable {
  const visit = plan.ancovaVisit;
  if (!v.visits.includes(visit)) return { estimable: false, reason: `${visit} is not a visit of this outcome` };
  const rows = members.flatMap((p) => {
    const base = p.values[v.id]?.[v.baselineVisit];
    const x = p.values[v.id]?.[visit];
    return base === undefined || x === undefined || p.arm === null ? [] : [{ p, base, x }];
  });
  const covariates = strataCovariate(rows.map((r) => r.p));
  try {
    const r = ancova(
      {
        records: rows.map(({ p, base, x }) => ({
          arm: p.arm as string,
          response: x - base,
          baseline: base,
          covariates: { stratum: p.stratum ?? 'unknown' },
        })),
        treatment: plan.arms.treatment,
        control: plan.arms.control,
        baseline: true,
        covariates,
      },
      plan.confidenceLevel,
    );
    if (!Number.isFinite(r.se) || r.df < 1) {
      return { estimable: false, reason: `too few observations at ${visit} (n = ${r.n})` };
    }
    return {
      estimable: true,
      visit,
      covariates,
      n: r.n,
      estimate: num(r.estimate),
      se: num(r.se),
      df: r.df,
      t: num(r.t),
      p: num(r.p),
      lower: num(r.lower),
      upper: num(r.upper),
    };
  } catch (e) {
    return { estimable: false, reason: errorMessage(e) };
  }
}

function proportionRow(visit: string, outcomes: readonly boolean[], level: number): ProportionRow {
  const events = outcomes.filter(Boolean).length;
  const n = outcomes.length;
  if (n === 0) return { visit, n, events, proportion: null, lower: null, upper: null };
  const w = wilsonInterval(events, n, level);
  return { visit, n, events, proportion: w.estimate, lower: w.lower, upper: w.upper };
}

function effusionRows(
  members: readonly AnalysisParticipant[],
  visits: readonly string[],
  level: number,
): ProportionRow[] {
  return visits.map((visit) =>
    proportionRow(
      visit,
      members.flatMap((p) => (p.effusion[visit] === undefined ? [] : [p.effusion[visit]!])),
      level,
    ),
  );
}

function compareEffusion(fas: readonly AnalysisParticipant[], visit: string, plan: SapPlan): EffusionComparison {
  const { treatment, control } = plan.arms;
  const baselineVisit = plan.effusion!.baselineVisit;
  const rows = fas.filter((p) => p.arm !== null && p.effusion[visit] !== undefined);
  const withBaseline = rows.filter((p) => p.effusion[baselineVisit] !== undefined);
  let logistic: EffusionComparison['logistic'];
  try {
    const r = logisticTreatmentEffect(
      {
        records: withBaseline.map((p) => ({
          arm: p.arm as string,
          response: p.effusion[visit] ? 1 : 0,
          baseline: p.effusion[baselineVisit] ? 1 : 0,
        })),
        treatment,
        control,
        baseline: true,
      },
      plan.confidenceLevel,
    );
    logistic = {
      estimable: true,
      n: r.n,
      oddsRatio: num(r.oddsRatio),
      lower: num(r.lower),
      upper: num(r.upper),
      p: num(r.p),
      converged: r.converged,
      separation: r.separation,
    };
  } catch (e) {
    logistic = { estimable: false, reason: errorMessage(e) };
  }
  const t = rows.filter((p) => p.arm === treatment);
  const c = rows.filter((p) => p.arm === control);
  let riskDifference: EffusionComparison['riskDifference'];
  if (t.length === 0 || c.length === 0) {
    riskDifference = {
      estimable: false,
      reason: `no ${t.length === 0 ? treatment : control} observations at ${visit}`,
    };
  } else {
    const rd = riskDifferenceNewcombe(
      t.filter((p) => p.effusion[visit]).length,
      t.length,
      c.filter((p) => p.effusion[visit]).length,
      c.length,
      plan.confidenceLevel,
    );
    riskDifference = { estimable: true, estimate: num(rd.estimate), lower: num(rd.lower), upper: num(rd.upper) };
  }
  return { visit, primary: visit === plan.primaryVisit, logistic, riskDifference };
}

/** The safety population with its exposure (as the safety tables define it), keyed by study id. */
function safetyPopulation(dataset: AnalysisDataset): {
  kind: 'treated' | 'enrolled';
  members: (SafetyPopulationMember & { arm: string | null })[];
} {
  const cutoff = dataset.dataCutoff;
  const treated = dataset.participants.filter((p) => p.day0 !== null);
  const kind = treated.length > 0 ? 'treated' : 'enrolled';
  const members = (kind === 'treated' ? treated : dataset.participants).map((p) => ({
    id: p.studyId,
    arm: p.arm,
    exposureStart: p.day0 ?? p.enrolledOn,
    exposureEnd: p.withdrawnOn !== null && p.withdrawnOn < cutoff ? p.withdrawnOn : cutoff,
  }));
  return { kind, members };
}

/** Runs every analysis of the plan on the dataset. */
export function runSapAnalyses(dataset: AnalysisDataset, plan: SapPlan, options: SapAnalysisOptions): SapAnalyses {
  const byArm = options.byArm && dataset.unblinded;
  const level = plan.confidenceLevel;
  const armOrder = [plan.arms.treatment, plan.arms.control];
  const fas = dataset.participants.filter((p) => p.randomized && (!byArm || p.arm !== null));
  const safety = safetyPopulation(dataset);
  const events: SafetyTableEvent[] = dataset.adverseEvents.map((e) => ({
    participantId: e.studyId,
    socCode: e.socCode,
    socName: e.socName,
    ptCode: e.ptCode,
    ptName: e.ptName,
    verbatimTerm: e.verbatimTerm,
    grade: e.grade,
    serious: e.serious,
    related: e.related,
    fatal: e.fatal,
  }));

  const populations: PopulationCounts = {
    enrolled: dataset.participants.length,
    randomized: dataset.participants.filter((p) => p.randomized).length,
    fullAnalysisSet: fas.length,
    safetySet: safety.kind === 'treated' ? safety.members.length : 0,
    withdrawn: dataset.participants.filter((p) => p.withdrawnOn !== null).length,
    emergencyUnblinded: dataset.participants.filter((p) => p.emergencyUnblinded).length,
    ...(byArm
      ? {
          byArm: armOrder.map((arm) => ({
            arm,
            fullAnalysisSet: fas.filter((p) => p.arm === arm).length,
            safetySet: safety.kind === 'treated' ? safety.members.filter((m) => m.arm === arm).length : 0,
            withdrawn: fas.filter((p) => p.arm === arm && p.withdrawnOn !== null).length,
          })),
        }
      : {}),
  };

  const continuous: ContinuousResult[] = plan.continuous
    // Variables without any data at all (qMRI before the first reading) are left out.
    .filter((v) => fas.some((p) => p.values[v.id] !== undefined))
    .map((v) => ({
      variable: v.id,
      outcomeId: v.outcomeId,
      label: v.label,
      unit: v.unit,
      primary: v.primary,
      pooled: describeGroup(fas, v, level),
      ...(byArm
        ? {
            byArm: {
              groups: armOrder.map((arm) => ({
                arm,
                ...describeGroup(
                  fas.filter((p) => p.arm === arm),
                  v,
                  level,
                ),
              })),
              mmrm: runMmrm(fas, v, plan, options),
              ancova: runAncova(fas, v, plan),
            },
          }
        : {}),
    }));

  let effusion: EffusionResult | null = null;
  if (plan.effusion) {
    const visits = [plan.effusion.baselineVisit, ...plan.effusion.visits];
    effusion = {
      pooled: effusionRows(fas, visits, level),
      ...(byArm
        ? {
            byArm: {
              groups: armOrder.map((arm) => ({
                arm,
                rows: effusionRows(
                  fas.filter((p) => p.arm === arm),
                  visits,
                  level,
                ),
              })),
              comparisons: plan.effusion.visits.map((visit) => compareEffusion(fas, visit, plan)),
            },
          }
        : {}),
    };
  }

  const pooledTable = buildAeIncidenceTable(safety.members, events);
  let aeByArm: AdverseEventResult['byArm'];
  if (byArm) {
    const groups = armOrder.map((arm) => ({
      arm,
      table: buildAeIncidenceTable(
        safety.members.filter((m) => m.arm === arm),
        events,
      ),
    }));
    const [a, b] = groups;
    aeByArm = {
      groups,
      comparisons:
        a && b && a.table.participants > 0 && b.table.participants > 0 ? compareIncidence(a.table, b.table) : null,
    };
  }
  const adverseEvents: AdverseEventResult = {
    population: safety.kind,
    pooled: pooledTable,
    ...(aeByArm ? { byArm: aeByArm } : {}),
  };

  let deNovoDsa: DsaResult | null = null;
  if (plan.dsa) {
    if (!byArm || !dataset.includesDsa) {
      deNovoDsa = {
        visit: plan.dsa.visit,
        note: 'De novo donor-specific antibodies are potentially unblinding: reported by arm only, to those who may see them',
      };
    } else {
      const groups = armOrder.map((arm) => {
        const xs = fas.filter((p) => p.arm === arm && p.deNovoDsa !== null).map((p) => p.deNovoDsa as boolean);
        const row = proportionRow(plan.dsa!.visit, xs, level);
        return { arm, n: row.n, events: row.events, proportion: row.proportion, lower: row.lower, upper: row.upper };
      });
      const [t, c] = groups as [(typeof groups)[number], (typeof groups)[number]];
      const ok = t.n > 0 && c.n > 0;
      const rd = ok ? riskDifferenceNewcombe(t.events, t.n, c.events, c.n, level) : null;
      const fisher = ok ? fisherExact({ a: t.events, b: t.n - t.events, c: c.events, d: c.n - c.events }, level) : null;
      const reason = `no ${plan.dsa.visit} results in ${t.n === 0 ? plan.arms.treatment : plan.arms.control}`;
      deNovoDsa = {
        visit: plan.dsa.visit,
        note: null,
        byArm: {
          groups,
          riskDifference: rd
            ? { estimable: true, estimate: num(rd.estimate), lower: num(rd.lower), upper: num(rd.upper) }
            : { estimable: false, reason },
          fisher: fisher
            ? {
                estimable: true,
                p: num(fisher.p),
                oddsRatio: num(fisher.oddsRatio),
                lower: num(fisher.lower),
                upper: num(fisher.upper),
              }
            : { estimable: false, reason },
        },
      };
    }
  }
  return { populations, continuous, effusion, adverseEvents, deNovoDsa };
}
