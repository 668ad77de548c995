/**
 * The study report (issue 10): one self-contained HTML document with the CONSORT diagram, the
 * baseline characteristics (pooled or by arm), the SAP results from the statistics engine with
 * their plots, the safety tables, the protocol deviations, data quality (queries, SDV coverage)
 * and a provenance block (protocol version, data snapshot hash, software version, generation
 * time). A blinded report contains no arm anywhere; a by-arm report follows the SAP's rules
 * (DSMB; statistician after database lock). Everything comes from one analysis dataset read, so the
 * report's numbers and its data snapshot hash belong together.
 */
import type { Actor, ServiceContext } from '../context.js';
import { runSapWithDataset, type ProvenanceStamp, type SapMode, type SapReport } from '../analysis/run-sap.js';
import type { ContinuousResult, Num } from '../analysis/sap-analyses.js';
import { buildConsortReport, type ConsortReport } from './consort.js';
import { buildDashboard, type TrialDashboard } from './dashboard.js';
import { renderOutcomePlots, type OutcomePlot } from './outcome-plots.js';
import {
  readBaselineTable,
  readDataQuality,
  readDeviations,
  type BaselineTable,
  type DataQuality,
  type DeviationSummary,
} from './study-report-data.js';

/** Everything the report shows, and the HTML. */
export interface StudyReport {
  readonly stamp: ProvenanceStamp;
  readonly sap: SapReport;
  readonly consort: ConsortReport;
  readonly plots: readonly OutcomePlot[];
  readonly baseline: BaselineTable;
  readonly deviations: DeviationSummary;
  readonly dataQuality: DataQuality;
  readonly backlog: TrialDashboard['backlog'];
  readonly html: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (x: Num | undefined, d = 2): string => (x === null || x === undefined ? '—' : x.toFixed(d));
const pv = (x: Num | undefined): string =>
  x === null || x === undefined ? '—' : x < 0.0001 ? '&lt;0.0001' : x.toFixed(4);
const pct = (x: number | null | undefined, d = 1): string => (x === null || x === undefined ? '—' : `${x.toFixed(d)}%`);

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function provenance(s: ProvenanceStamp): string {
  return `<dl class="provenance">
<dt>Protocol version</dt><dd>${esc(s.protocolVersion)}</dd>
<dt>Data snapshot (SHA-256 of the analysis dataset)</dt><dd><code>${esc(s.dataSnapshotHash)}</code></dd>
<dt>Software</dt><dd>${esc(`${s.software.name} ${s.software.version} (Node ${s.software.node})`)}</dd>
<dt>Generated</dt><dd>${esc(s.generatedAt)}</dd>
<dt>Data cut-off</dt><dd>${esc(s.dataCutoff)}</dd>
<dt>Database</dt><dd>${s.databaseLocked ? 'locked' : 'not locked (data may still change)'}</dd>
<dt>Report</dt><dd>${s.mode === 'by_arm' ? `by arm${s.interim ? ' — INTERIM, before database lock: for the DSMB closed session only' : ''}` : 'blinded: arms pooled'}</dd>
<dt>Records</dt><dd>${s.datasetRecords.participants} participants, ${s.datasetRecords.adverseEvents} adverse events</dd>
</dl>`;
}

function baselineHtml(b: BaselineTable): string {
  const head = ['Characteristic', ...b.groups.map((g) => `${esc(g.label)} (n = ${g.n})`)];
  const rows = b.rows.map((r) => [
    esc(r.label),
    ...r.cells.map((c) =>
      r.kind === 'continuous'
        ? c.n === 0
          ? '—'
          : `${f(c.mean ?? null, 1)} (${f(c.sd ?? null, 1)}) <span class="n">n = ${c.n}</span>`
        : c.n === 0
          ? '—'
          : `${c.count ?? 0} (${pct(c.percent)}) <span class="n">of ${c.n}</span>`,
    ),
  ]);
  return table(head, rows);
}

function continuousHtml(c: ContinuousResult): string {
  const title = `<h3>${c.primary ? 'Primary: ' : ''}${esc(c.label)}${c.unit ? ` <small>(${esc(c.unit)})</small>` : ''}</h3>`;
  if (!c.byArm) {
    const rows = c.pooled.change.map((r) => [
      esc(r.visit),
      String(r.n),
      f(r.mean),
      `${f(r.lower)} to ${f(r.upper)}`,
      f(r.sd),
      f(r.median),
      `${f(r.q1)} – ${f(r.q3)}`,
    ]);
    return `${title}<p class="note">Change from baseline, all participants (arms pooled).</p>${table(['Visit', 'n', 'Mean change', '95% CI', 'SD', 'Median', 'IQR'], rows)}`;
  }
  const m = c.byArm.mmrm;
  let body = '';
  if (m.estimable) {
    const lsm = (arm: string, visit: string): string => {
      const l = m.lsmeans.find((x) => x.arm === arm && x.visit === visit);
      return l ? `${f(l.estimate)} (${f(l.se)})` : '—';
    };
    const arms = c.byArm.groups.map((g) => g.arm);
    const rows = m.contrasts.map((k) => [
      esc(k.visit) + (k.primary ? ' <strong>primary</strong>' : ''),
      ...arms.map((a) => lsm(a, k.visit)),
      f(k.estimate),
      `${f(k.lower)} to ${f(k.upper)}`,
      f(k.df, 1),
      pv(k.p),
    ]);
    body += `<p class="note">MMRM on the change from baseline: ${esc(m.covariance)} covariance${m.converged ? '' : ' (did NOT converge)'}, REML, ${esc(m.dfMethod)} df; ${m.nSubjects} participants, ${m.nObservations} observations; fixed effects visit, baseline × visit, arm × visit${m.covariates.length ? `, ${esc(m.covariates.join(', '))}` : ''}.${m.treatmentByVisit ? ` Treatment × visit: F(${m.treatmentByVisit.numDf}, ${f(m.treatmentByVisit.denDf, 1)}) = ${f(m.treatmentByVisit.f)}, p = ${pv(m.treatmentByVisit.p)}.` : ''}</p>`;
    body += table(['Visit', ...arms.map((a) => `LS mean (SE) ${esc(a)}`), 'Difference', '95% CI', 'df', 'p'], rows);
    for (const note of m.notes) body += `<p class="note">Note: ${esc(note)}.</p>`;
    if (m.excludedVisits.length > 0) {
      body += `<p class="note">Not modelled: ${m.excludedVisits.map((x) => `${esc(x.visit)} (${esc(x.reason)})`).join('; ')}.</p>`;
    }
  } else {
    body += `<p class="note">MMRM not estimable: ${esc(m.reason)}.</p>`;
  }
  const a = c.byArm.ancova;
  body += a.estimable
    ? `<p class="note">Sensitivity, ANCOVA at ${esc(a.visit)}: ${f(a.estimate)} (95% CI ${f(a.lower)} to ${f(a.upper)}), p = ${pv(a.p)}, n = ${a.n}.</p>`
    : `<p class="note">ANCOVA not estimable: ${esc(a.reason)}.</p>`;
  return title + body;
}

function effusionHtml(sap: SapReport): string {
  const e = sap.effusion;
  if (!e) return '';
  if (!e.byArm) {
    return `<h3>Effusion of the index knee</h3>${table(
      ['Visit', 'n', 'Effusion', '%', '95% CI (Wilson)'],
      e.pooled.map((r) => [
        esc(r.visit),
        String(r.n),
        String(r.events),
        pct(r.proportion === null ? null : r.proportion * 100),
        `${pct(r.lower === null ? null : r.lower * 100)} to ${pct(r.upper === null ? null : r.upper * 100)}`,
      ]),
    )}`;
  }
  const rows = e.byArm.comparisons.map((k) => {
    const by = e.byArm!.groups.map((g) => {
      const r = g.rows.find((x) => x.visit === k.visit);
      return r ? `${r.events}/${r.n} (${pct(r.proportion === null ? null : r.proportion * 100)})` : '—';
    });
    const l = k.logistic;
    const rd = k.riskDifference;
    return [
      esc(k.visit) + (k.primary ? ' <strong>primary</strong>' : ''),
      ...by,
      l.estimable
        ? `${f(l.oddsRatio)} (${f(l.lower)} to ${f(l.upper)})${l.separation ? ' separation' : ''}`
        : esc(l.reason),
      l.estimable ? pv(l.p) : '—',
      rd.estimable ? `${f(rd.estimate, 3)} (${f(rd.lower, 3)} to ${f(rd.upper, 3)})` : esc(rd.reason),
    ];
  });
  return `<h3>Effusion of the index knee</h3><p class="note">Logistic regression on baseline effusion and arm (Wald CI); unadjusted risk difference with the Newcombe hybrid-score CI.</p>${table(['Visit', ...e.byArm.groups.map((g) => esc(g.arm)), 'Adjusted OR (95% CI)', 'p', 'Risk difference (95% CI)'], rows)}`;
}

function safetyHtml(sap: SapReport): string {
  const ae = sap.adverseEvents;
  const groups = ae.byArm
    ? ae.byArm.groups.map((g) => ({ label: g.arm, t: g.table }))
    : [{ label: 'All participants', t: ae.pooled }];
  const cell = (c: { participants: number; percent: number | null; events: number }): string =>
    `${c.participants} (${pct(c.percent)}) [${c.events}]`;
  const overview = (
    [
      ['any', 'Any adverse event'],
      ['serious', 'Serious'],
      ['related', 'Related'],
      ['grade3OrHigher', 'Grade ≥ 3'],
      ['fatal', 'Fatal'],
    ] as const
  ).map(([k, label]) => {
    const cmp = ae.byArm?.comparisons?.find((c) => c.row === k);
    return [label, ...groups.map((g) => cell(g.t.overview[k])), ...(ae.byArm ? [pv(cmp?.p ?? null)] : [])];
  });
  const exposure = [
    'Events per 100 participant-years',
    ...groups.map(
      (g) =>
        `${f(g.t.exposure.eventsPer100ParticipantYears, 1)} (${g.t.exposure.events} events / ${f(g.t.exposure.participantYears, 1)} y)`,
    ),
    ...(ae.byArm ? [''] : []),
  ];
  const head = [
    '',
    ...groups.map((g) => `${esc(g.label)} (n = ${g.t.participants})`),
    ...(ae.byArm ? ["Fisher's p"] : []),
  ];
  const socs = new Map<string, string[]>();
  groups.forEach((g, i) => {
    for (const s of g.t.bySocPt) {
      const row = socs.get(s.socName) ?? Array.from({ length: groups.length }, () => '0');
      row[i] = cell(s);
      socs.set(s.socName, row);
      for (const t of s.terms) {
        const key = `  ${s.socName}\u0000${t.ptName}`;
        const trow = socs.get(key) ?? Array.from({ length: groups.length }, () => '0');
        trow[i] = cell(t);
        socs.set(key, trow);
      }
    }
  });
  const socRows = [...socs]
    .sort((a, b) => a[0].trim().localeCompare(b[0].trim()))
    .map(([k, cells]) => [
      k.includes('\u0000')
        ? `<span class="pt">${esc(k.split('\u0000')[1] ?? '')}</span>`
        : `<strong>${esc(k)}</strong>`,
      ...cells,
    ]);
  return `<p class="note">Participants with ≥ 1 event (% of the ${ae.population === 'treated' ? 'safety set: injected participants' : 'enrolled participants; nobody injected yet'}) [number of events].</p>${table(head, [...overview, exposure])}<h3>By system organ class and preferred term</h3>${table(['SOC / preferred term', ...groups.map((g) => esc(g.label))], socRows)}`;
}

function dsaHtml(sap: SapReport): string {
  const d = sap.deNovoDsa;
  if (!d) return '';
  if (!d.byArm) return `<h3>De novo donor-specific antibodies</h3><p class="note">${esc(d.note ?? '')}</p>`;
  const rd = d.byArm.riskDifference;
  const fe = d.byArm.fisher;
  return `<h3>De novo donor-specific antibodies at ${esc(d.visit)}</h3>${table(
    ['Arm', 'n', 'De novo DSA', '%', '95% CI (Wilson)'],
    d.byArm.groups.map((g) => [
      esc(g.arm),
      String(g.n),
      String(g.events),
      pct(g.proportion === null ? null : g.proportion * 100),
      `${pct(g.lower === null ? null : g.lower * 100)} to ${pct(g.upper === null ? null : g.upper * 100)}`,
    ]),
  )}<p class="note">Risk difference ${rd.estimable ? `${f(rd.estimate, 3)} (Newcombe 95% CI ${f(rd.lower, 3)} to ${f(rd.upper, 3)})` : esc(rd.reason)}; Fisher's exact p = ${fe.estimable ? pv(fe.p) : esc(fe.reason)}.</p>`;
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#111;line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1d3f6e;padding-bottom:.2rem;margin-top:2.2rem;color:#1d3f6e}h3{margin-top:1.4rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eef3f9}
.note{color:#444;font-size:.85rem}.n{color:#777;font-size:.75rem}.pt{padding-left:1.2rem;display:inline-block}
.banner{padding:.6rem 1rem;border-radius:4px;font-weight:bold}.blinded{background:#e8f4e8;border:1px solid #7bb37b}.unblinded{background:#fdecea;border:1px solid #d9534f}
.provenance{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem;font-size:.85rem}.provenance dt{font-weight:bold}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}.plots{display:flex;flex-wrap:wrap;gap:1rem}
@media print{h2{page-break-before:always}}
`;

/** Renders the report document (pure). */
export function renderStudyReportHtml(r: Omit<StudyReport, 'html'>): string {
  const s = r.stamp;
  const byArm = s.mode === 'by_arm';
  const sections: string[] = [];
  sections.push(
    `<h1>STEMJOINT study report</h1><p>Allogeneic mesenchymal stem cell intra-articular injection for knee osteoarthritis (NCT05933434)</p>`,
  );
  sections.push(
    `<p class="banner ${byArm ? 'unblinded' : 'blinded'}">${byArm ? `UNBLINDED — results by arm${s.interim ? ' (interim, before database lock: DSMB closed session only)' : ' on the locked database'}. Confidential.` : 'BLINDED — all results pool the arms; this report contains no allocation.'}</p>`,
  );
  sections.push(`<h2>Provenance</h2>${provenance(s)}`);
  const pop = r.sap.populations;
  sections.push(
    `<h2>Participant flow (CONSORT 2010)</h2><p class="note">Enrolled ${pop.enrolled}; randomized ${pop.randomized}; full analysis set ${pop.fullAnalysisSet}; safety set ${pop.safetySet}; withdrawn ${pop.withdrawn}; emergency unblinded ${pop.emergencyUnblinded}.${r.consort.consistency.length > 0 ? ` <strong>Consistency problems: ${esc(r.consort.consistency.join('; '))}</strong>` : ' The diagram’s arithmetic checks out (every screened person in exactly one box; allocated = sum of arms).'}</p><figure>${r.consort.svg}</figure>`,
  );
  sections.push(
    `<h2>Baseline characteristics</h2><p class="note">Full analysis set: mean (SD) or n (%).</p>${baselineHtml(r.baseline)}`,
  );
  const plotHtml = r.plots.map((p) => `<figure aria-label="${esc(p.title)}">${p.svg}</figure>`).join('');
  sections.push(
    `<h2>Results of the statistical analysis plan</h2><p class="note">Primary outcome ${esc(r.sap.plan.primaryVariable ?? '—')} at ${esc(r.sap.plan.primaryVisit)}; ANCOVA sensitivity at ${esc(r.sap.plan.ancovaVisit)}; ${esc(r.sap.plan.covariance)}; ${esc(r.sap.plan.dfMethod)} df; ${Math.round(r.sap.plan.confidenceLevel * 100)}% confidence intervals.${r.sap.plan.contrast ? ` Contrast ${esc(r.sap.plan.contrast)}.` : ''}</p><div class="plots">${plotHtml}</div>${r.sap.continuous.map(continuousHtml).join('')}${effusionHtml(r.sap)}${dsaHtml(r.sap)}`,
  );
  sections.push(`<h2>Safety</h2>${safetyHtml(r.sap)}`);
  const d = r.deviations;
  sections.push(
    `<h2>Protocol deviations</h2><p class="note">${d.open} open of ${d.total} recorded (visits outside their window are entered automatically).</p>${table(
      ['Category', 'Open', 'Voided'],
      d.byCategory.map((c) => [esc(c.category), String(c.open), String(c.voided)]),
    )}${
      d.recent.length
        ? `<h3>Most recent open deviations</h3>${table(
            ['Date', 'Participant', 'Visit', 'Category', 'Description'],
            d.recent.map((x) => [esc(x.date), esc(x.studyId), esc(x.visit ?? ''), esc(x.category), esc(x.description)]),
          )}`
        : ''
    }`,
  );
  const q = r.dataQuality;
  sections.push(
    `<h2>Data quality</h2>${table(['Queries', 'Open', 'Answered', 'Closed', 'Raised by edit checks', 'Raised by people'], [['eCRF queries', String(q.queries.open), String(q.queries.answered), String(q.queries.closed), String(q.queries.auto), String(q.queries.manual)]])}<p class="note">Source data verification: ${q.sdv.verified} of ${q.sdv.submitted} submitted forms verified (${pct(q.sdv.coverage === null ? null : q.sdv.coverage * 100)}); ${q.sdv.changedSinceVerification} changed since verification; ${q.drafts} forms in draft. Data-entry backlog: ${r.backlog.missingForms} forms missing at ${r.backlog.visitsWithMissingForms} visits done.</p>${table(
      ['Form', 'Submitted', 'Verified', 'Coverage'],
      q.sdv.byForm.map((x) => [
        esc(x.form),
        String(x.submitted),
        String(x.verified),
        pct(x.submitted ? (x.verified / x.submitted) * 100 : null),
      ]),
    )}`,
  );
  sections.push(`<h2>Provenance</h2>${provenance(s)}`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>STEMJOINT study report (${byArm ? 'by arm' : 'blinded'}) ${esc(s.dataCutoff)}</title><style>${STYLE}</style></head><body>${sections.join('\n')}</body></html>`;
}

/** Builds the study report for an actor: pooled, or by arm under the SAP's rules. */
export async function buildStudyReport(
  ctx: ServiceContext,
  actor: Actor,
  options: { mode: SapMode },
): Promise<StudyReport> {
  const byArm = options.mode === 'by_arm';
  const {
    report: sap,
    dataset,
    plan,
  } = await runSapWithDataset(ctx, actor, { mode: options.mode, operation: 'reports.read' });
  const db = ctx.database.db;
  const [consort, plots, baseline, deviations, dataQuality, dashboard] = [
    await buildConsortReport(ctx, actor, { byArm }),
    await renderOutcomePlots(sap, dataset, plan),
    await readBaselineTable(db, actor, dataset, plan, byArm),
    await readDeviations(db, actor),
    await readDataQuality(db, actor),
    await buildDashboard(ctx, actor),
  ];
  const parts = {
    stamp: sap.stamp,
    sap,
    consort,
    plots,
    baseline,
    deviations,
    dataQuality,
    backlog: dashboard.backlog,
  };
  return { ...parts, html: renderStudyReportHtml(parts) };
}
