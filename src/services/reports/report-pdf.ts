/**
 * PDF output with pdfkit (no browser): the CONSORT diagram drawn from its layout (the same boxes,
 * lines and arrows as the SVG), and a PDF summary of the study report — provenance, the diagram,
 * baseline characteristics, the primary results, the outcome plots, safety overview, deviations
 * and data quality. The plots are our own Vega SVGs (`outcome-plots.ts`), drawn as vector paths
 * and text by svg-to-pdfkit, one figure per page. Helvetica is a WinAnsi font: Danish letters are
 * fine; symbols outside WinAnsi (≥, ≤, −, ρ) are spelled out.
 */
import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { layoutConsort, type ConsortCounts } from '../../core/consort/index.js';
import type { ConsortReport } from './consort.js';
import type { OutcomePlot } from './outcome-plots.js';
import type { StudyReport } from './study-report.js';

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SPELLED: Readonly<Record<string, string>> = {
  '≥': '>=',
  '≤': '<=',
  '−': '-',
  ρ: 'rho',
  '→': '->',
  '←': '<-',
  '₀': '0',
};

/** Text that Helvetica (WinAnsi) can show. */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x100 || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += SPELLED[ch] ?? '?';
  }
  return out;
}

type Doc = InstanceType<typeof PDFDocument>;

function finish(doc: Doc, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(file);
    stream.on('finish', () => resolve());
    stream.on('error', reject);
    doc.pipe(stream);
    doc.end();
  });
}

/** Draws the diagram at (x0, y0) scaled by `scale`. */
function drawConsort(doc: Doc, counts: ConsortCounts, x0: number, y0: number, scale: number): void {
  const layout = layoutConsort(counts);
  doc.save();
  doc.translate(x0, y0).scale(scale);
  doc.lineWidth(1);
  for (const a of layout.arrows) {
    const [first, ...rest] = a.points;
    if (!first) continue;
    doc.moveTo(first[0], first[1]);
    for (const p of rest) doc.lineTo(p[0], p[1]);
    doc.strokeColor('#333').stroke();
    const last = a.points[a.points.length - 1]!;
    const prev = a.points[a.points.length - 2] ?? first;
    const angle = Math.atan2(last[1] - prev[1], last[0] - prev[0]);
    const head = (d: number) => [last[0] - 7 * Math.cos(angle + d), last[1] - 7 * Math.sin(angle + d)] as const;
    const [l, r] = [head(0.45), head(-0.45)];
    doc.moveTo(last[0], last[1]).lineTo(l[0], l[1]).lineTo(r[0], r[1]).closePath().fillColor('#333').fill();
  }
  for (const b of layout.boxes) {
    if (b.kind === 'stage') {
      doc.roundedRect(b.x, b.y, b.w, b.h, 4).fillAndStroke('#dbe8f6', '#7fa6d4');
      doc
        .fillColor('#1d3f6e')
        .font('Helvetica-Bold')
        .fontSize(12)
        .text(winAnsi(b.lines[0]?.text ?? ''), b.x, b.y + 6, { width: b.w, align: 'center', lineBreak: false });
      continue;
    }
    doc.rect(b.x, b.y, b.w, b.h).fillAndStroke('#ffffff', '#222222');
    b.lines.forEach((l, i) => {
      doc
        .fillColor('#111')
        .font(l.bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(12)
        .text(winAnsi(l.text), b.x + 8 + l.indent * 14, b.y + 8 + i * 16, { lineBreak: false });
    });
  }
  doc.restore();
}

/** Writes the CONSORT diagram as a one-page PDF sized to the diagram. */
export async function writeConsortPdf(report: ConsortReport, file: string): Promise<void> {
  const layout = layoutConsort(report.counts);
  const doc = new PDFDocument({
    size: [layout.width + 40, layout.height + 90],
    margin: 20,
    info: { Title: 'STEMJOINT CONSORT flow diagram', Producer: report.software },
  });
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(
      winAnsi(
        `STEMJOINT — CONSORT 2010 flow diagram${report.blinded ? ' (arms pooled, blinded)' : report.interim ? ' (by arm, interim: DSMB only)' : ' (by arm)'}`,
      ),
      20,
      20,
    );
  drawConsort(doc, report.counts, 20, 50, 1);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#555')
    .text(
      winAnsi(`Protocol ${report.protocolVersion} · generated ${report.generatedAt} · ${report.software}`),
      20,
      layout.height + 62,
      { lineBreak: false },
    );
  await finish(doc, file);
}

/** The intrinsic size of an SVG document (its width/height attributes, else its viewBox). */
export function svgSize(svg: string): { width: number; height: number } | null {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string): number => Number(new RegExp(`\\s${name}="([\\d.]+)`).exec(open)?.[1] ?? NaN);
  const [width, height] = [attr('width'), attr('height')];
  if (width > 0 && height > 0) return { width, height };
  const box = /\sviewBox="[\d.-]+[ ,]+[\d.-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"/.exec(open);
  return box ? { width: Number(box[1]), height: Number(box[2]) } : null;
}

/**
 * Draws the outcome plots, each on its own page under a numbered caption, scaled to the page width
 * (never enlarged) and kept inside the page. Text in the SVG goes through `winAnsi` like all text here.
 */
function drawPlots(doc: Doc, plots: readonly OutcomePlot[], width: number): void {
  plots.forEach((plot, i) => {
    doc.addPage();
    doc
      .font('Helvetica-Bold')
      .fontSize(12)
      .fillColor('#111')
      .text(winAnsi(`Figure ${i + 1}. ${plot.title}`), { width });
    const size = svgSize(plot.svg);
    if (!size) return;
    const top = doc.y + 10;
    const scale = Math.min(1, width / size.width, (doc.page.height - top - 60) / size.height);
    // The type declarations name the document class rather than an instance.
    SVGtoPDF(doc as unknown as typeof PDFDocument, winAnsi(plot.svg), 50, top, {
      width: size.width * scale,
      height: size.height * scale,
      preserveAspectRatio: 'xMinYMin meet',
    });
  });
}

const f = (x: number | null | undefined, d = 2): string => (x === null || x === undefined ? '-' : x.toFixed(d));

/** Writes an A4 PDF summary of the study report. */
export async function writeStudyReportPdf(report: StudyReport, file: string): Promise<void> {
  const s = report.stamp;
  const byArm = s.mode === 'by_arm';
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: `STEMJOINT study report (${byArm ? 'by arm' : 'blinded'})`,
      Producer: `${s.software.name} ${s.software.version}`,
    },
  });
  const width = doc.page.width - 100;
  const h1 = (t: string): void => {
    doc
      .moveDown(0.8)
      .font('Helvetica-Bold')
      .fontSize(14)
      .fillColor('#1d3f6e')
      .text(winAnsi(t))
      .fillColor('#111')
      .moveDown(0.3);
  };
  const line = (t: string, bold = false): void => {
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9.5)
      .text(winAnsi(t), { width });
  };
  doc.font('Helvetica-Bold').fontSize(20).text('STEMJOINT study report');
  doc
    .font('Helvetica')
    .fontSize(10)
    .text('Allogeneic mesenchymal stem cell intra-articular injection for knee osteoarthritis (NCT05933434)');
  doc.moveDown(0.5);
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(byArm ? '#b03a2e' : '#2e7d32')
    .text(
      byArm
        ? `UNBLINDED — results by arm${s.interim ? ' (interim, DSMB closed session only)' : ''}. Confidential.`
        : 'BLINDED — all results pool the arms; no allocation in this report.',
    )
    .fillColor('#111');
  h1('Provenance');
  for (const [k, v] of [
    ['Protocol version', s.protocolVersion],
    ['Data snapshot SHA-256', s.dataSnapshotHash],
    ['Software', `${s.software.name} ${s.software.version} (Node ${s.software.node})`],
    ['Generated', s.generatedAt],
    ['Data cut-off', s.dataCutoff],
    ['Database', s.databaseLocked ? 'locked' : 'not locked'],
  ] as const) {
    line(`${k}: ${v}`);
  }
  const pop = report.sap.populations;
  h1('Participant flow');
  line(
    `Enrolled ${pop.enrolled}; randomized ${pop.randomized}; full analysis set ${pop.fullAnalysisSet}; safety set ${pop.safetySet}; withdrawn ${pop.withdrawn}; emergency unblinded ${pop.emergencyUnblinded}.`,
  );
  const layout = layoutConsort(report.consort.counts);
  const scale = Math.min(width / layout.width, (doc.page.height - 140) / layout.height);
  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(12).text('CONSORT 2010 flow diagram');
  drawConsort(doc, report.consort.counts, 50, 75, scale);
  doc.addPage();
  h1('Baseline characteristics (full analysis set)');
  line(`Groups: ${report.baseline.groups.map((g) => `${g.label} (n = ${g.n})`).join(', ')}`, true);
  for (const r of report.baseline.rows) {
    line(
      `${r.label}: ${r.cells.map((c) => (r.kind === 'continuous' ? `${f(c.mean ?? null, 1)} (SD ${f(c.sd ?? null, 1)}, n ${c.n})` : `${c.count ?? 0}/${c.n} (${f(c.percent ?? null, 1)}%)`)).join('  |  ')}`,
    );
  }
  h1('Statistical analysis plan');
  for (const c of report.sap.continuous) {
    line(`${c.primary ? 'PRIMARY: ' : ''}${c.label}`, true);
    if (c.byArm) {
      const m = c.byArm.mmrm;
      if (m.estimable) {
        for (const k of m.contrasts) {
          line(
            `   ${k.visit}: difference ${f(k.estimate)} (95% CI ${f(k.lower)} to ${f(k.upper)}), p ${f(k.p, 4)}${k.primary ? '  <- primary' : ''}`,
          );
        }
      } else line(`   MMRM not estimable: ${m.reason}`);
      const a = c.byArm.ancova;
      line(
        a.estimable
          ? `   ANCOVA at ${a.visit}: ${f(a.estimate)} (${f(a.lower)} to ${f(a.upper)}), p ${f(a.p, 4)}`
          : `   ANCOVA not estimable: ${a.reason}`,
      );
    } else {
      for (const r of c.pooled.change) {
        if (r.n > 0) line(`   ${r.visit}: n ${r.n}, mean change ${f(r.mean)} (95% CI ${f(r.lower)} to ${f(r.upper)})`);
      }
    }
  }
  drawPlots(doc, report.plots, width);
  doc.addPage();
  h1('Safety');
  const ae = report.sap.adverseEvents;
  for (const g of ae.byArm
    ? ae.byArm.groups.map((x) => ({ label: x.arm, t: x.table }))
    : [{ label: 'All participants', t: ae.pooled }]) {
    line(
      `${g.label} (n = ${g.t.participants}): with >= 1 AE ${g.t.overview.any.participants}, serious ${g.t.overview.serious.participants}, events ${g.t.overview.any.events}, ${f(g.t.exposure.eventsPer100ParticipantYears, 1)} per 100 participant-years`,
    );
  }
  h1('Protocol deviations and data quality');
  line(
    `Deviations: ${report.deviations.open} open of ${report.deviations.total}; ${report.deviations.byCategory.map((c) => `${c.category} ${c.open}`).join(', ') || 'none'}.`,
  );
  const q = report.dataQuality;
  line(
    `Queries: ${q.queries.open} open, ${q.queries.answered} answered, ${q.queries.closed} closed. SDV: ${q.sdv.verified} of ${q.sdv.submitted} submitted forms verified (${f(q.sdv.coverage === null ? null : q.sdv.coverage * 100, 1)}%). Backlog: ${report.backlog.missingForms} forms missing at ${report.backlog.visitsWithMissingForms} visits.`,
  );
  doc.moveDown(1);
  line('The full tables are in report.html.', true);
  await finish(doc, file);
}
