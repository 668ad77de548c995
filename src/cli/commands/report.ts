/**
 * `stemjoint report …` (issue 10):
 *  - `consort --db URL --out FILE.svg|.png|.pdf|.json [--blinded] [--as EMAIL]`: the CONSORT 2010
 *    flow diagram; by arm unless --blinded (by arm is refused before database lock, except to a DSMB
 *    member named with --as); PDF is drawn with pdfkit, PNG is a Chromium screenshot (only where
 *    Debian's Chromium is installed);
 *  - `study --db URL --out DIR [--blinded | --by-arm] [--as EMAIL]`: the study report as HTML (plus
 *    the CONSORT SVG, the plot SVGs, the SAP results as JSON and a PDF summary) in DIR; by arm on a
 *    locked database, blinded otherwise, unless a flag says which;
 *  - `dashboard --db URL [--as EMAIL]`: the trial dashboard's data as JSON.
 * Exit codes: 0 written, 1 refused (blinded, or by arm before lock), 3 bad input, 4 failure.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Command } from 'commander';
import type * as PlaywrightModule from 'playwright-core';
import { layoutConsort } from '../../core/consort/index.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import { buildConsortReport, type ConsortReport } from '../../services/reports/consort.js';
import { buildDashboard } from '../../services/reports/dashboard.js';
import { writeConsortPdf, writeStudyReportPdf } from '../../services/reports/report-pdf.js';
import { buildStudyReport } from '../../services/reports/study-report.js';
import { CliExit, printJson } from '../io.js';
import { asOption, dbOption, resolveReportActor, withReportContext } from './report-context.js';

const CHROMIUM = '/usr/bin/chromium';

/** Loaded lazily: only PNG output needs a browser. */
type PlaywrightChromium = typeof PlaywrightModule.chromium;

interface ConsortCliOptions {
  db?: string;
  out: string;
  blinded?: boolean;
  as?: string;
  json?: boolean;
}

interface StudyCliOptions {
  db?: string;
  out: string;
  blinded?: boolean;
  byArm?: boolean;
  as?: string;
}

/** Screenshots an SVG in Chromium (PNG); only where Debian's Chromium exists. */
async function svgToPng(svg: string, width: number, height: number, file: string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new CliExit(4, `PNG output needs Chromium at ${CHROMIUM}; write .svg or .pdf instead`);
  }
  let chromium: PlaywrightChromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new CliExit(4, 'PNG output needs the playwright-core package; write .svg or .pdf instead');
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').first().screenshot({ path: file });
  } finally {
    await browser.close();
  }
}

async function writeConsort(report: ConsortReport, out: string): Promise<void> {
  const ext = extname(out).toLowerCase();
  if (ext === '.svg') writeFileSync(out, report.svg);
  else if (ext === '.json') writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  else if (ext === '.pdf') await writeConsortPdf(report, out);
  else if (ext === '.png') {
    const layout = layoutConsort(report.counts);
    await svgToPng(report.svg, layout.width + 20, layout.height + 80, out);
  } else throw new CliExit(3, `--out: the file must end in .svg, .png, .pdf or .json (got '${out}')`);
}

async function studyMode(ctx: ServiceContext, opts: StudyCliOptions): Promise<'pooled' | 'by_arm'> {
  if (opts.blinded && opts.byArm) throw new CliExit(3, '--blinded and --by-arm exclude each other');
  if (opts.blinded) return 'pooled';
  if (opts.byArm) return 'by_arm';
  const study = await ctx.database.db.selectFrom('study').select('database_locked').executeTakeFirstOrThrow();
  return study.database_locked === 1 ? 'by_arm' : 'pooled';
}

/** Registers the `report` command group. */
export function registerReportCommand(program: Command): void {
  const group = program
    .command('report')
    .description('Reports from the study database: CONSORT flow diagram, study report, dashboard data');

  group
    .command('consort')
    .description('CONSORT 2010 flow diagram (SVG, PNG, PDF or JSON with the participants behind each box)')
    .addOption(dbOption())
    .requiredOption('--out <file>', 'the file to write: .svg, .png, .pdf or .json')
    .option(
      '--blinded',
      'pool the arms (allowed while the trial runs); default: by arm, which needs a locked database or a DSMB member',
    )
    .addOption(asOption())
    .option('--json', 'also print the counts as JSON')
    .action(async (opts: ConsortCliOptions) => {
      const byArm = !opts.blinded;
      await withReportContext(opts.db, { vault: byArm }, async (ctx) => {
        const actor: Actor = await resolveReportActor(ctx, opts.as, 'reports.consort.read');
        const report = await buildConsortReport(ctx, actor, { byArm });
        await writeConsort(report, opts.out);
        if (opts.json) printJson({ ...report, svg: undefined });
        else {
          const c = report.counts;
          process.stdout.write(
            `CONSORT diagram (${byArm ? 'by arm' : 'arms pooled, blinded'}) written to ${opts.out}: assessed ${c.assessed.n}, excluded ${c.excluded.n}, not yet randomized ${c.pending.n}, randomized ${c.randomized.n} (${c.columns.map((col) => `${col.arm ?? 'pooled'} ${col.allocated.n}`).join(', ')})${report.consistency.length ? `; CONSISTENCY PROBLEMS: ${report.consistency.join('; ')}` : ''}\n`,
          );
        }
        if (report.consistency.length > 0) throw new CliExit(4, 'the diagram is not consistent (see above)');
      });
    });

  group
    .command('study')
    .description(
      'the study report: HTML (CONSORT, baseline table, SAP results with plots, safety, deviations, data quality, provenance) plus SVGs, JSON and a PDF summary',
    )
    .addOption(dbOption())
    .requiredOption('--out <dir>', 'the directory to write (created if missing)')
    .option('--blinded', 'arms pooled (the default before database lock)')
    .option('--by-arm', 'by arm (the default on a locked database; refused before lock except to a DSMB member)')
    .addOption(asOption())
    .action(async (opts: StudyCliOptions) => {
      await withReportContext(opts.db, { vault: opts.blinded !== true }, async (ctx) => {
        const actor = await resolveReportActor(ctx, opts.as, 'reports.read');
        const mode = await studyMode(ctx, opts);
        const started = Date.now();
        const report = await buildStudyReport(ctx, actor, { mode });
        mkdirSync(join(opts.out, 'plots'), { recursive: true });
        writeFileSync(join(opts.out, 'report.html'), report.html);
        writeFileSync(join(opts.out, 'consort.svg'), report.consort.svg);
        for (const p of report.plots) writeFileSync(join(opts.out, 'plots', `${p.id}.svg`), p.svg);
        writeFileSync(join(opts.out, 'sap.json'), `${JSON.stringify(report.sap, null, 2)}\n`);
        writeFileSync(
          join(opts.out, 'consort.json'),
          `${JSON.stringify({ ...report.consort, svg: undefined }, null, 2)}\n`,
        );
        await writeStudyReportPdf(report, join(opts.out, 'report.pdf'));
        process.stdout.write(
          `study report (${mode === 'by_arm' ? `BY ARM${report.stamp.interim ? ', interim' : ''}` : 'blinded'}) written to ${opts.out}: report.html, report.pdf, consort.svg, ${report.plots.length} plots, sap.json; data snapshot ${report.stamp.dataSnapshotHash}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      });
    });

  group
    .command('dashboard')
    .description(
      'the trial dashboard data as JSON (enrolment, visits due/overdue, completion, diaries, queries, SAE clocks, backlog)',
    )
    .addOption(dbOption())
    .addOption(asOption())
    .action(async (opts: { db?: string; as?: string }) => {
      await withReportContext(opts.db, { vault: false }, async (ctx) => {
        const actor = await resolveReportActor(ctx, opts.as, 'reports.dashboard.read');
        printJson(await buildDashboard(ctx, actor));
      });
    });
}
