/**
 * The statistical analysis plan and the reports (issues 8 and 10): the SAP pooled and by arm, the
 * CONSORT flow diagram with the participants behind each box, the trial dashboard's data, the
 * outcome plots (SVG) and the study report (HTML). By-arm content sits under `byArm`/`arm` fields,
 * which the blinding presenter strips for blinded callers; by-arm requests from blinded roles are
 * refused (403) before database lock except to the DSMB.
 */
import { z } from 'zod';
import { DF_METHODS } from '../../stats/index.js';
import { runStatisticalAnalysisPlan } from '../../services/analysis/run-sap.js';
import { buildConsortReport } from '../../services/reports/consort.js';
import { buildDashboard } from '../../services/reports/dashboard.js';
import { buildOutcomePlots } from '../../services/reports/outcome-plots.js';
import { buildStudyReport } from '../../services/reports/study-report.js';
import { defineRoute, type AnyRoute } from '../route.js';

const TAGS = ['Analysis and reports'];

const SapQuery = z.object({ df: z.enum(DF_METHODS).optional() }).strict();
const ModeQuery = z.object({ mode: z.enum(['pooled', 'by_arm']).optional() }).strict();

const Stamp = z.object({
  protocolVersion: z.string(),
  dataSnapshotHash: z.string(),
  software: z.object({ name: z.string(), version: z.string(), node: z.string() }),
  generatedAt: z.string(),
  dataCutoff: z.string(),
  databaseLocked: z.boolean(),
  mode: z.enum(['pooled', 'by_arm']),
  interim: z.boolean(),
  datasetRecords: z.object({ participants: z.number(), adverseEvents: z.number() }),
});

/** The SAP result (documented loosely below the top level: the shape is the TypeScript `SapReport`). */
const SapResponse = z.object({
  stamp: Stamp,
  plan: z.record(z.string(), z.unknown()),
  populations: z.record(z.string(), z.unknown()),
  continuous: z.array(z.record(z.string(), z.unknown())),
  effusion: z.record(z.string(), z.unknown()).nullable(),
  adverseEvents: z.record(z.string(), z.unknown()),
  deNovoDsa: z.record(z.string(), z.unknown()).nullable(),
});

const Count: z.ZodType = z.lazy(() =>
  z.object({
    key: z.string(),
    label: z.string(),
    n: z.number(),
    ids: z.array(z.string()),
    parts: z.array(Count).optional(),
    overlapping: z.boolean().optional(),
  }),
);

const ConsortResponse = z.object({
  generatedAt: z.string(),
  protocolVersion: z.string(),
  software: z.string(),
  blinded: z.boolean(),
  interim: z.boolean(),
  counts: z.object({
    blinded: z.boolean(),
    assessed: Count,
    excluded: Count,
    pending: Count,
    randomized: Count,
    columns: z.array(z.record(z.string(), z.unknown())),
  }),
  consistency: z.array(z.string()),
  svg: z.string(),
});

const PlotsResponse = z.object({
  stamp: Stamp,
  plots: z.array(z.object({ id: z.string(), title: z.string(), svg: z.string() })),
});

const DashboardResponse = z.object({
  generatedAt: z.string(),
  today: z.string(),
  enrolment: z.unknown(),
  visits: z.unknown(),
  completion: z.unknown(),
  diaries: z.unknown(),
  queries: z.unknown(),
  saeClocks: z.unknown(),
  backlog: z.unknown(),
});

/**
 * The services return deeply readonly result types; the schemas document the same shapes for the
 * OpenAPI document (responses are not re-validated), so a result is handed over as the schema's type.
 */
const asResponse = <S extends z.ZodType>(_schema: S, value: unknown): z.input<S> => value as z.input<S>;

/** The routes of the analysis and report area. */
export function analysisRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/analysis/sap',
      operationId: 'getSapPooled',
      summary:
        'The SAP on the current data with the arms pooled (blinded): descriptive statistics per outcome and visit, effusion proportions, AE counts; stamped with protocol version, data snapshot hash and software version',
      tags: TAGS,
      access: { kind: 'staff', operation: 'analysis.sap.read' },
      query: SapQuery,
      response: SapResponse,
      handler: async ({ auth, ctx, query }) =>
        asResponse(
          SapResponse,
          await runStatisticalAnalysisPlan(ctx, auth!.actor, { mode: 'pooled', ...(query.df ? { df: query.df } : {}) }),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/analysis/sap/by-arm',
      operationId: 'getSapByArm',
      summary:
        'Every analysis of the SAP by arm (MMRM, ANCOVA, logistic regression, Fisher, DSA incidence): on the locked database for the statistician; before lock only for the DSMB (interim)',
      tags: TAGS,
      access: { kind: 'staff', operation: 'analysis.sap.by_arm' },
      query: SapQuery,
      response: SapResponse,
      handler: async ({ auth, ctx, query }) =>
        asResponse(
          SapResponse,
          await runStatisticalAnalysisPlan(ctx, auth!.actor, { mode: 'by_arm', ...(query.df ? { df: query.df } : {}) }),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/consort',
      operationId: 'getConsortDiagram',
      summary:
        'CONSORT 2010 flow diagram: counts with the participants (screening numbers or study ids) behind every box, a consistency check, and the SVG; mode=by_arm for the DSMB, or after database lock',
      tags: TAGS,
      access: { kind: 'staff', operation: 'reports.consort.read' },
      query: ModeQuery,
      response: ConsortResponse,
      handler: async ({ auth, ctx, query }) =>
        asResponse(ConsortResponse, await buildConsortReport(ctx, auth!.actor, { byArm: query.mode === 'by_arm' })),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/dashboard',
      operationId: 'getTrialDashboard',
      summary:
        'Trial dashboard data (blinded): enrolment over time against target, visits due and overdue by site, visit completion matrix, diary compliance, open queries by age, SAE clocks, data-entry backlog',
      tags: TAGS,
      access: { kind: 'staff', operation: 'reports.dashboard.read' },
      response: DashboardResponse,
      handler: async ({ auth, ctx }) => asResponse(DashboardResponse, await buildDashboard(ctx, auth!.actor)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/plots',
      operationId: 'getOutcomePlots',
      summary:
        'Outcome plots as SVG (Vega-Lite rendered on the server): mean change from baseline with 95% CI, individual trajectories, KOOS profile, AE incidence by SOC; pooled, or by arm (mode=by_arm) under the SAP rules',
      tags: TAGS,
      access: { kind: 'staff', operation: 'reports.read' },
      query: ModeQuery,
      response: PlotsResponse,
      handler: async ({ auth, ctx, query }) =>
        asResponse(PlotsResponse, await buildOutcomePlots(ctx, auth!.actor, { mode: query.mode ?? 'pooled' })),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/study',
      operationId: 'getStudyReport',
      summary:
        'The study report as one HTML document: CONSORT, baseline characteristics, SAP results with plots, safety tables, deviations, data quality and provenance; pooled, or by arm (mode=by_arm) under the SAP rules',
      tags: TAGS,
      access: { kind: 'staff', operation: 'reports.read' },
      query: ModeQuery,
      response: z.object({ stamp: Stamp, html: z.string() }),
      handler: async ({ auth, ctx, query }) => {
        const r = await buildStudyReport(ctx, auth!.actor, { mode: query.mode ?? 'pooled' });
        return { stamp: r.stamp, html: r.html };
      },
    }),
  ];
}
