/**
 * The SAP results as plain text for the terminal (`stemjoint analyze sap` without `--json`): the
 * provenance stamp, populations, and per variable either the pooled change from baseline (blinded)
 * or the MMRM contrasts and the ANCOVA sensitivity analysis (by arm), then effusion, adverse events
 * and de novo DSA. Pure.
 */
import type { SapReport } from './run-sap.js';
import type { Num } from './sap-analyses.js';

const f = (x: Num | undefined, digits = 2): string => (x === null || x === undefined ? '—' : x.toFixed(digits));
const p = (x: Num | undefined): string => (x === null || x === undefined ? '—' : x < 0.0001 ? '<0.0001' : x.toFixed(4));
const pct = (x: Num | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** Formats a SAP report for reading. */
export function formatSapText(report: SapReport): string {
  const lines: string[] = [];
  const s = report.stamp;
  lines.push(
    `STEMJOINT statistical analysis plan — ${s.mode === 'by_arm' ? `BY ARM (${report.plan.contrast ?? ''})${s.interim ? ', INTERIM (database not locked; DSMB only)' : ''}` : 'POOLED (blinded)'}`,
  );
  lines.push(
    `protocol ${s.protocolVersion} · data cut-off ${s.dataCutoff} · database ${s.databaseLocked ? 'locked' : 'not locked'} · ${s.software.name} ${s.software.version} (Node ${s.software.node})`,
  );
  lines.push(`data snapshot sha256 ${s.dataSnapshotHash} · generated ${s.generatedAt}`);
  const pop = report.populations;
  lines.push(
    `enrolled ${pop.enrolled} · randomized ${pop.randomized} · full analysis set ${pop.fullAnalysisSet} · safety set ${pop.safetySet} · withdrawn ${pop.withdrawn} · emergency unblinded ${pop.emergencyUnblinded}`,
  );
  for (const g of pop.byArm ?? []) {
    lines.push(`  ${g.arm}: FAS ${g.fullAnalysisSet}, safety ${g.safetySet}, withdrawn ${g.withdrawn}`);
  }
  lines.push('');
  for (const c of report.continuous) {
    lines.push(`${c.primary ? '* ' : ''}${c.label} [${c.variable}]${c.unit ? ` (${c.unit})` : ''}`);
    if (c.byArm) {
      const m = c.byArm.mmrm;
      if (m.estimable) {
        lines.push(
          `  MMRM ${m.covariance}${m.converged ? '' : ' (NOT converged)'}, ${m.dfMethod}, ${m.nSubjects} subjects, ${m.nObservations} obs${m.covariates.length ? `, covariates: ${m.covariates.join(', ')}` : ''}`,
        );
        lines.push('    visit   estimate      95% CI                df        p');
        for (const k of m.contrasts) {
          lines.push(
            `    ${k.visit.padEnd(6)} ${f(k.estimate).padStart(9)}  (${f(k.lower)}, ${f(k.upper)})`.padEnd(46) +
              `${f(k.df, 1).padStart(7)}  ${p(k.p).padStart(8)}${k.primary ? '  ← primary' : ''}`,
          );
        }
        for (const x of m.excludedVisits) lines.push(`    ${x.visit}: not modelled — ${x.reason}`);
        for (const note of m.notes) lines.push(`    note: ${note}`);
      } else {
        lines.push(`  MMRM not estimable: ${m.reason}`);
      }
      const a = c.byArm.ancova;
      lines.push(
        a.estimable
          ? `  ANCOVA at ${a.visit}: ${f(a.estimate)} (${f(a.lower)}, ${f(a.upper)}), p ${p(a.p)}, n ${a.n}`
          : `  ANCOVA not estimable: ${a.reason}`,
      );
    } else {
      lines.push('    visit      n   mean change  (95% CI)            SD    median');
      for (const r of c.pooled.change) {
        lines.push(
          `    ${r.visit.padEnd(6)} ${String(r.n).padStart(5)}   ${f(r.mean).padStart(9)}  (${f(r.lower)}, ${f(r.upper)})`.padEnd(
            52,
          ) + `${f(r.sd).padStart(7)}  ${f(r.median).padStart(7)}`,
        );
      }
    }
  }
  if (report.effusion) {
    lines.push('');
    lines.push('Effusion, index knee');
    if (report.effusion.byArm) {
      for (const k of report.effusion.byArm.comparisons) {
        const l = k.logistic;
        const rd = k.riskDifference;
        lines.push(
          `  ${k.visit.padEnd(5)} OR ${l.estimable ? `${f(l.oddsRatio)} (${f(l.lower)}, ${f(l.upper)}) p ${p(l.p)}` : `not estimable (${l.reason})`} · RD ${rd.estimable ? `${f(rd.estimate, 3)} (${f(rd.lower, 3)}, ${f(rd.upper, 3)})` : `not estimable (${rd.reason})`}${k.primary ? '  ← primary visit' : ''}`,
        );
      }
    } else {
      for (const r of report.effusion.pooled) {
        lines.push(`  ${r.visit.padEnd(5)} ${r.events}/${r.n} ${pct(r.proportion)} (${pct(r.lower)}, ${pct(r.upper)})`);
      }
    }
  }
  lines.push('');
  const ae = report.adverseEvents;
  lines.push(`Adverse events (${ae.population === 'treated' ? 'safety set' : 'enrolled, before any injection'})`);
  const row = (label: string, t: SapReport['adverseEvents']['pooled']): string =>
    `  ${label.padEnd(8)} participants ${t.participants}, with ≥1 AE ${t.overview.any.participants} (${pct(t.overview.any.percent === null ? null : t.overview.any.percent / 100)}), serious ${t.overview.serious.participants}, events ${t.overview.any.events}, per 100 participant-years ${f(t.exposure.eventsPer100ParticipantYears, 1)}`;
  if (ae.byArm) {
    for (const g of ae.byArm.groups) lines.push(row(g.arm, g.table));
    const any = ae.byArm.comparisons?.find((c) => c.row === 'any');
    if (any) lines.push(`  any AE: Fisher p ${p(any.p)}`);
  } else {
    lines.push(row('pooled', ae.pooled));
  }
  if (report.deNovoDsa) {
    lines.push('');
    const d = report.deNovoDsa;
    if (d.byArm) {
      lines.push(`De novo donor-specific antibodies at ${d.visit}`);
      for (const g of d.byArm.groups) {
        lines.push(`  ${g.arm.padEnd(8)} ${g.events}/${g.n} ${pct(g.proportion)} (${pct(g.lower)}, ${pct(g.upper)})`);
      }
      const rd = d.byArm.riskDifference;
      const fe = d.byArm.fisher;
      lines.push(
        `  RD ${rd.estimable ? `${f(rd.estimate, 3)} (${f(rd.lower, 3)}, ${f(rd.upper, 3)})` : rd.reason} · Fisher p ${fe.estimable ? p(fe.p) : fe.reason}`,
      );
    } else if (d.note) {
      lines.push(`De novo DSA: ${d.note}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
