/**
 * The study report's PDF carries the outcome plots: one page per plot with its numbered caption
 * and the plot itself drawn as vector graphics (paths and text from the Vega SVG, not an image),
 * and a blinded PDF names no arm. The PDF is read back without external tools: pdfkit writes its
 * page objects in clear and its content streams Flate-compressed, which node:zlib inflates; text
 * is shown by TJ/Tj operators with hex strings in WinAnsi.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/services/context.js';
import { svgSize, winAnsi, writeStudyReportPdf } from '../src/services/reports/report-pdf.js';
import { buildStudyReport, type StudyReport } from '../src/services/reports/study-report.js';
import { buildSimulatedStudy, type SimulatedStudy } from './analysis-fixtures.js';

/** One page of a pdfkit PDF: its decoded content stream and the text it shows. */
interface PdfPage {
  content: string;
  text: string;
}

/** The text shown by the TJ/Tj operators of a content stream, one operator per line. */
function shownText(content: string): string {
  const out: string[] = [];
  const decode = (hex: string): string => Buffer.from(hex, 'hex').toString('latin1');
  for (const m of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    if (m[1] !== undefined) out.push([...m[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1]!)).join(''));
    else out.push(decode(m[2]!));
  }
  return out.join('\n');
}

/** The pages of a pdfkit PDF in order (each page object names its one content stream). */
function readPdfPages(pdf: Buffer): PdfPage[] {
  // latin1 maps bytes to characters one to one, so string offsets are byte offsets.
  const raw = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\b/g)) {
    const end = raw.indexOf('endobj', m.index);
    const body = raw.slice(m.index, end);
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    let start = m.index + s + 'stream'.length;
    if (raw[start] === '\r') start += 1;
    if (raw[start] === '\n') start += 1;
    const length = Number(/\/Length (\d+)/.exec(body.slice(0, s))?.[1] ?? 0);
    objects.set(Number(m[1]), { dict: body.slice(0, s), stream: pdf.subarray(start, start + length) });
  }
  const kids = /\/Type \/Pages[\s\S]*?\/Kids \[([^\]]*)\]/.exec(raw)?.[1] ?? '';
  return [...kids.matchAll(/(\d+) 0 R/g)].map((ref) => {
    const page = objects.get(Number(ref[1]))!;
    const stream = objects.get(Number(/\/Contents (\d+) 0 R/.exec(page.dict)?.[1]))!;
    const bytes = /\/FlateDecode/.test(stream.dict) ? inflateSync(stream.stream!) : stream.stream!;
    const content = bytes.toString('latin1');
    return { content, text: shownText(content) };
  });
}

/** Path-painting and path-building operators of a content stream. */
const pathOps = (content: string): number => (content.match(/\s(?:m|l|c|re|h)\s/g) ?? []).length;

describe('study report PDF with the outcome plots', () => {
  let study: SimulatedStudy;
  let dir: string;
  let report: StudyReport;
  let pages: PdfPage[];

  beforeAll(async () => {
    study = await buildSimulatedStudy('sqlite', { participants: 14, seed: 8 });
    dir = mkdtempSync(join(tmpdir(), 'stemjoint-pdf-'));
    report = await buildStudyReport(study.ctx, systemActor('test'), { mode: 'pooled' });
    const file = join(dir, 'report.pdf');
    await writeStudyReportPdf(report, file);
    pages = readPdfPages(readFileSync(file));
  }, 600_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await study?.close();
  });

  it('has one page per plot: caption, then the plot as vector paths and text', () => {
    expect(report.plots.length).toBeGreaterThanOrEqual(4);
    report.plots.forEach((plot, i) => {
      const caption = winAnsi(`Figure ${i + 1}. ${plot.title}`);
      const found = pages.filter((p) => p.text.replace(/\n/g, ' ').includes(caption));
      expect(found, caption).toHaveLength(1);
      const page = found[0]!;
      // The plot is drawn, not embedded as a picture: many path operators, no image XObject.
      expect(pathOps(page.content), caption).toBeGreaterThan(20);
      expect(page.content).not.toMatch(/\/Im\d+ Do/);
      // Its axis or legend text is on the page too (the SVG's text, drawn by svg-to-pdfkit).
      const svgTexts = [...plot.svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => winAnsi(m[1]!));
      expect(svgTexts.length, plot.id).toBeGreaterThan(0);
      const shown = page.text.replace(/\s+/g, '');
      const drawn = svgTexts.filter((t) => shown.includes(t.replace(/\s+/g, '')));
      expect(drawn.length, `${plot.id}: ${svgTexts.slice(0, 5).join(' | ')}`).toBeGreaterThan(svgTexts.length / 2);
    });
  });

  it('keeps the rest of the report, and a blinded PDF names no arm', () => {
    const all = pages.map((p) => p.text).join('\n');
    expect(all).toContain('STEMJOINT study report');
    expect(all).toContain('CONSORT 2010 flow diagram');
    expect(all).toContain('Safety');
    expect(all).not.toMatch(/ADMSC|SALINE|AD-MSC|Saline/);
  });

  it('reads an SVG size from width/height or the viewBox', () => {
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="420" height="300.5">')).toEqual({
      width: 420,
      height: 300.5,
    });
    expect(svgSize('<svg viewBox="0 0 640 480">')).toEqual({ width: 640, height: 480 });
    expect(svgSize('<svg>')).toBeNull();
  });
});
