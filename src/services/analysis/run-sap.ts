/**
 * The statistical analysis plan inside the product (issue 8 item 3): every analysis of spec §8 on
 * the current data, stamped with the protocol version, the data snapshot hash (SHA-256 over the
 * canonical JSON of the analysis dataset) and the software version.
 *
 * Two modes:
 *  - `pooled` (blinded): descriptive statistics with the arms pooled, for everyone who may read the
 *    SAP while the trial runs;
 *  - `by_arm`: the models, contrasts and tests. On the locked database for the statistician (and
 *    the operator at the command line); before lock only for the DSMB (stamped `interim`). Everyone
 *    else is refused: blinded people with 403, the operator with a 409 naming the lock.
 * By-arm content sits under `byArm` fields, which the blinding presenter strips for blinded callers
 * in any case.
 */
import { conflict, TrialError } from '../../core/errors.js';
import type { DfMethod } from '../../stats/index.js';
import { actorSeesArms } from '../blinding.js';
import type { Actor, ServiceContext } from '../context.js';
import { hashDataset, readAnalysisDataset, type AnalysisDataset } from './analysis-dataset.js';
import { runSapAnalyses, type SapAnalyses } from './sap-analyses.js';
import type { SapPlan } from './sap-plan.js';
import { softwareVersion, type SoftwareVersion } from './software-version.js';

/** The two modes. */
export const SAP_MODES = ['pooled', 'by_arm'] as const;
/** A mode of the SAP run. */
export type SapMode = (typeof SAP_MODES)[number];

/** Provenance of a result. */
export interface ProvenanceStamp {
  readonly protocolVersion: string;
  /** SHA-256 over the canonical JSON of the analysis dataset. */
  readonly dataSnapshotHash: string;
  readonly software: SoftwareVersion;
  readonly generatedAt: string;
  readonly dataCutoff: string;
  readonly databaseLocked: boolean;
  readonly mode: SapMode;
  /** By-arm results before database lock (DSMB closed session). */
  readonly interim: boolean;
  readonly datasetRecords: { readonly participants: number; readonly adverseEvents: number };
}

/** The plan as reported beside the results. */
export interface SapPlanSummary {
  readonly primaryVariable: string | null;
  readonly primaryVisit: string;
  readonly ancovaVisit: string;
  readonly confidenceLevel: number;
  readonly dfMethod: DfMethod;
  readonly covariance: string;
  readonly variables: readonly {
    readonly id: string;
    readonly outcomeId: string;
    readonly label: string;
    readonly visits: readonly string[];
  }[];
  /** `ADMSC − SALINE` (by-arm runs only: the arm codes are not shown to blinded readers). */
  readonly contrast?: string;
}

/** The SAP's output. */
export interface SapReport extends SapAnalyses {
  readonly stamp: ProvenanceStamp;
  readonly plan: SapPlanSummary;
}

/** Options of {@link runStatisticalAnalysisPlan}. */
export interface RunSapOptions {
  readonly mode: SapMode;
  readonly df?: DfMethod;
}

/**
 * Whether the actor may have by-arm results now; throws otherwise (403 for blinded people, 409 for
 * the operator before lock). Returns whether the results are interim (before lock).
 */
export async function assertByArmAllowed(
  ctx: ServiceContext,
  actor: Actor,
  what = 'By-arm analyses',
): Promise<{ interim: boolean }> {
  const db = ctx.database.db;
  const study = await db.selectFrom('study').select('database_locked').executeTakeFirstOrThrow();
  const locked = study.database_locked === 1;
  if (actor.kind === 'system') {
    if (!locked) {
      throw conflict(
        `${what} run on the locked database only, and the database is not locked. Lock it first (a data manager's decision), or ask for the pooled (blinded) results.`,
        [{ path: 'mode', message: 'by-arm results need a locked database' }],
      );
    }
    return { interim: false };
  }
  if (actor.roles.includes('dsmb')) return { interim: !locked };
  if (locked && (await actorSeesArms(db, actor))) return { interim: false };
  throw new TrialError(
    'forbidden',
    locked
      ? `${what} are for roles that see the allocation`
      : `${what} are refused before database lock (except to the DSMB); the pooled (blinded) results are available`,
  );
}

/** Stamps a result computed from `dataset`. */
export function provenanceStamp(
  ctx: ServiceContext,
  dataset: AnalysisDataset,
  mode: SapMode,
  interim: boolean,
): ProvenanceStamp {
  return {
    protocolVersion: dataset.protocolVersion,
    dataSnapshotHash: hashDataset(dataset),
    software: softwareVersion(),
    generatedAt: ctx.now().toISOString(),
    dataCutoff: dataset.dataCutoff,
    databaseLocked: dataset.databaseLocked,
    mode,
    interim,
    datasetRecords: { participants: dataset.participants.length, adverseEvents: dataset.adverseEvents.length },
  };
}

function summarisePlan(plan: SapPlan, mode: SapMode, df: DfMethod): SapPlanSummary {
  return {
    primaryVariable: plan.continuous.find((v) => v.primary)?.id ?? null,
    primaryVisit: plan.primaryVisit,
    ancovaVisit: plan.ancovaVisit,
    confidenceLevel: plan.confidenceLevel,
    dfMethod: df,
    covariance: 'unstructured (fallback: heterogeneous Toeplitz → heterogeneous AR(1) → heterogeneous CS)',
    variables: plan.continuous.map((v) => ({ id: v.id, outcomeId: v.outcomeId, label: v.label, visits: v.visits })),
    ...(mode === 'by_arm' ? { contrast: `${plan.arms.treatment} − ${plan.arms.control}` } : {}),
  };
}

/**
 * Reads the analysis dataset and runs the plan. Callers hold `analysis.sap.read` (pooled) or
 * `analysis.sap.by_arm`; the by-arm rules above are checked here.
 */
export async function runStatisticalAnalysisPlan(
  ctx: ServiceContext,
  actor: Actor,
  options: RunSapOptions,
): Promise<SapReport> {
  return (await runSapWithDataset(ctx, actor, options)).report;
}

/** As {@link runStatisticalAnalysisPlan}, also returning the dataset and plan (for plots and reports). */
export async function runSapWithDataset(
  ctx: ServiceContext,
  actor: Actor,
  options: RunSapOptions & { operation?: 'reports.read' },
): Promise<{ report: SapReport; dataset: AnalysisDataset; plan: SapPlan }> {
  const df = options.df ?? 'satterthwaite';
  const byArm = options.mode === 'by_arm';
  const { interim } = byArm ? await assertByArmAllowed(ctx, actor) : { interim: false };
  const operation = options.operation ?? (byArm ? 'analysis.sap.by_arm' : 'analysis.sap.read');
  const { dataset, plan } = await readAnalysisDataset(ctx, actor, { withArms: byArm, operation });
  const analyses = runSapAnalyses(dataset, plan, { byArm, df });
  const report: SapReport = {
    stamp: provenanceStamp(ctx, dataset, options.mode, interim),
    plan: summarisePlan(plan, options.mode, df),
    ...analyses,
  };
  return { report, dataset, plan };
}
