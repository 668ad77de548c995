/**
 * Outcome plots as SVG (issue 10), Vega-Lite rendered on the server:
 *  - mean change from baseline with its 95% CI per visit for the primary outcome and NRS pain —
 *    pooled (blinded: the observed mean change) or by arm (the MMRM least-squares means);
 *  - individual KOOS Symptoms trajectories (grey when pooled, coloured by arm when by arm; at most
 *    200 participants, the first by study id, so the plot stays readable at any trial size);
 *  - the KOOS subscale profile (mean score per subscale and visit; by arm side by side);
 *  - adverse-event incidence by system organ class (% of the safety population).
 * The plots of a blinded caller are computed from the pooled dataset and name no arm. By-arm plots
 * follow the SAP's rules (DSMB; statistician after database lock).
 */
import type { Actor, ServiceContext } from '../context.js';
import type { AnalysisDataset } from '../analysis/analysis-dataset.js';
import { runSapWithDataset, type ProvenanceStamp, type SapMode, type SapReport } from '../analysis/run-sap.js';
import type { SapPlan } from '../analysis/sap-plan.js';
import { renderVegaLiteSvg, type VegaLiteSpec } from './render-vega.js';

/** One plot. */
export interface OutcomePlot {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
}

/** The plots with the provenance of their data. */
export interface OutcomePlots {
  readonly stamp: ProvenanceStamp;
  readonly plots: readonly OutcomePlot[];
}

/** At most this many participants in the trajectory plot. */
export const MAX_TRAJECTORIES = 200;

const KOOS = [
  ['koos_symptoms', 'Symptoms'],
  ['koos_pain', 'Pain'],
  ['koos_adl', 'ADL'],
  ['koos_sport', 'Sport/Rec'],
  ['koos_qol', 'QOL'],
] as const;

const ARM_COLOURS = { domain: ['ADMSC', 'SALINE'], range: ['#c0392b', '#2c7fb8'] };

/** Mean change (pooled) or LS-mean change (by arm) with 95% CI per visit. */
function meanChangeSpec(report: SapReport, variable: string): VegaLiteSpec | null {
  const c = report.continuous.find((x) => x.variable === variable);
  if (!c) return null;
  const title = `${c.label}: mean change from baseline (95% CI)`;
  if (c.byArm && c.byArm.mmrm.estimable) {
    const rows = c.byArm.mmrm.lsmeans
      .filter((l) => l.estimate !== null)
      .map((l) => ({ visit: l.visit, arm: l.arm, estimate: l.estimate, lower: l.lower, upper: l.upper }));
    const visits = c.byArm.mmrm.visits;
    return {
      title: { text: title, subtitle: 'MMRM least-squares means by arm' },
      width: 460,
      height: 260,
      data: { values: rows },
      encoding: {
        x: { field: 'visit', type: 'ordinal', sort: [...visits], title: 'Visit', axis: { labelAngle: 0 } },
        xOffset: { field: 'arm', type: 'nominal' },
        color: { field: 'arm', type: 'nominal', title: 'Arm', scale: ARM_COLOURS },
      },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: {
            y: { field: 'lower', type: 'quantitative', title: 'Change from baseline' },
            y2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: { y: { field: 'estimate', type: 'quantitative' } },
        },
      ],
    } as VegaLiteSpec;
  }
  const rows = c.pooled.change
    .filter((r) => r.mean !== null)
    .map((r) => ({ visit: r.visit, n: r.n, mean: r.mean, lower: r.lower ?? r.mean, upper: r.upper ?? r.mean }));
  return {
    title: { text: title, subtitle: 'all participants, arms pooled (blinded)' },
    width: 460,
    height: 260,
    data: { values: rows },
    encoding: {
      x: {
        field: 'visit',
        type: 'ordinal',
        sort: c.pooled.change.map((r) => r.visit),
        title: 'Visit',
        axis: { labelAngle: 0 },
      },
    },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 1.5, color: '#555' },
        encoding: {
          y: { field: 'lower', type: 'quantitative', title: 'Change from baseline' },
          y2: { field: 'upper' },
        },
      },
      { mark: { type: 'line', color: '#555' }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 60, color: '#333' },
        encoding: {
          y: { field: 'mean', type: 'quantitative' },
          tooltip: [{ field: 'n' }, { field: 'mean', format: '.2f' }],
        },
      },
    ],
  } as VegaLiteSpec;
}

function trajectoriesSpec(dataset: AnalysisDataset, plan: SapPlan, byArm: boolean): VegaLiteSpec | null {
  const v = plan.continuous.find((x) => x.primary);
  if (!v) return null;
  const visits = [v.baselineVisit, ...v.visits];
  const shown = dataset.participants
    .filter((p) => p.randomized && p.values[v.id] !== undefined)
    .slice(0, MAX_TRAJECTORIES);
  const rows = shown.flatMap((p) =>
    visits.flatMap((visit) =>
      p.values[v.id]?.[visit] === undefined
        ? []
        : [{ id: p.studyId, visit, value: p.values[v.id]![visit], ...(byArm ? { arm: p.arm } : {}) }],
    ),
  );
  if (rows.length === 0) return null;
  const total = dataset.participants.filter((p) => p.randomized && p.values[v.id] !== undefined).length;
  return {
    title: {
      text: `${v.label}: individual trajectories`,
      subtitle: `${shown.length} of ${total} participants${byArm ? ', by arm' : ', arms pooled (blinded)'}`,
    },
    width: 460,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1, opacity: 0.45, point: false },
    encoding: {
      x: { field: 'visit', type: 'ordinal', sort: visits, title: 'Visit', axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: v.label, scale: { domain: [0, 100] } },
      detail: { field: 'id', type: 'nominal' },
      ...(byArm
        ? { color: { field: 'arm', type: 'nominal', title: 'Arm', scale: ARM_COLOURS } }
        : { color: { value: '#666' } }),
    },
  } as VegaLiteSpec;
}

function koosProfileSpec(report: SapReport, byArm: boolean): VegaLiteSpec | null {
  const rows: { subscale: string; visit: string; mean: number; arm?: string }[] = [];
  for (const [id, label] of KOOS) {
    const c = report.continuous.find((x) => x.variable === id);
    if (!c) continue;
    if (byArm && c.byArm) {
      for (const g of c.byArm.groups) {
        for (const r of g.values) {
          if (r.mean !== null) rows.push({ subscale: label, visit: r.visit, mean: r.mean, arm: g.arm });
        }
      }
    } else {
      for (const r of c.pooled.values) {
        if (r.mean !== null) rows.push({ subscale: label, visit: r.visit, mean: r.mean });
      }
    }
  }
  if (rows.length === 0) return null;
  const visits = [...new Set(rows.map((r) => r.visit))];
  return {
    title: {
      text: 'KOOS subscale profile',
      subtitle: byArm ? 'mean score by visit and arm' : 'mean score by visit, arms pooled (blinded)',
    },
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'visit', type: 'ordinal', sort: visits, title: 'Visit', axis: { labelAngle: 0 } },
      y: {
        field: 'mean',
        type: 'quantitative',
        title: 'Mean score (0–100, higher is better)',
        scale: { domain: [0, 100] },
      },
      color: { field: 'subscale', type: 'nominal', title: 'KOOS subscale', sort: KOOS.map(([, l]) => l) },
      ...(byArm ? { column: { field: 'arm', type: 'nominal', title: 'Arm' } } : {}),
    },
    width: byArm ? 260 : 460,
    height: 240,
  } as VegaLiteSpec;
}

function aeSocSpec(report: SapReport, byArm: boolean): VegaLiteSpec | null {
  const rows: { soc: string; percent: number; participants: number; arm?: string }[] = [];
  const groups =
    byArm && report.adverseEvents.byArm
      ? report.adverseEvents.byArm.groups.map((g) => ({ arm: g.arm as string | undefined, table: g.table }))
      : [{ arm: undefined, table: report.adverseEvents.pooled }];
  for (const g of groups) {
    for (const s of g.table.bySocPt) {
      rows.push({
        soc: s.socName,
        percent: s.percent ?? 0,
        participants: s.participants,
        ...(g.arm ? { arm: g.arm } : {}),
      });
    }
  }
  if (rows.length === 0) return null;
  return {
    title: {
      text: 'Adverse events by system organ class',
      subtitle: `% of participants with ≥ 1 event${byArm ? ', by arm' : ', arms pooled (blinded)'}`,
    },
    width: 380,
    height: { step: byArm ? 12 : 18 },
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'soc', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 320 } },
      x: { field: 'percent', type: 'quantitative', title: '% of participants' },
      ...(byArm
        ? {
            yOffset: { field: 'arm', type: 'nominal' },
            color: { field: 'arm', type: 'nominal', title: 'Arm', scale: ARM_COLOURS },
          }
        : { color: { value: '#7a7a7a' } }),
      tooltip: [{ field: 'participants' }, { field: 'percent', format: '.1f' }],
    },
  } as VegaLiteSpec;
}

/** The plot specifications of a SAP run (pure; rendering is separate). */
export function outcomePlotSpecs(
  report: SapReport,
  dataset: AnalysisDataset,
  plan: SapPlan,
): { id: string; title: string; spec: VegaLiteSpec }[] {
  const byArm = report.stamp.mode === 'by_arm';
  const primary = plan.continuous.find((v) => v.primary)?.id ?? 'koos_symptoms';
  const specs: { id: string; title: string; spec: VegaLiteSpec | null }[] = [
    {
      id: 'mean-change-primary',
      title: 'Mean change from baseline: primary outcome',
      spec: meanChangeSpec(report, primary),
    },
    { id: 'mean-change-nrs', title: 'Mean change from baseline: NRS pain', spec: meanChangeSpec(report, 'nrs_pain') },
    { id: 'trajectories', title: 'Individual trajectories', spec: trajectoriesSpec(dataset, plan, byArm) },
    { id: 'koos-profile', title: 'KOOS subscale profile', spec: koosProfileSpec(report, byArm) },
    { id: 'ae-by-soc', title: 'Adverse events by system organ class', spec: aeSocSpec(report, byArm) },
  ];
  return specs.filter((s): s is { id: string; title: string; spec: VegaLiteSpec } => s.spec !== null);
}

/** Renders the plots of a SAP run. */
export async function renderOutcomePlots(
  report: SapReport,
  dataset: AnalysisDataset,
  plan: SapPlan,
): Promise<OutcomePlot[]> {
  const out: OutcomePlot[] = [];
  for (const s of outcomePlotSpecs(report, dataset, plan)) {
    out.push({ id: s.id, title: s.title, svg: await renderVegaLiteSvg(s.spec) });
  }
  return out;
}

/** The outcome plots for an actor: pooled, or by arm under the SAP's rules. */
export async function buildOutcomePlots(
  ctx: ServiceContext,
  actor: Actor,
  options: { mode: SapMode },
): Promise<OutcomePlots> {
  const { report, dataset, plan } = await runSapWithDataset(ctx, actor, {
    mode: options.mode,
    operation: 'reports.read',
  });
  return { stamp: report.stamp, plots: await renderOutcomePlots(report, dataset, plan) };
}
