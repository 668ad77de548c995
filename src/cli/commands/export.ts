/**
 * `stemjoint export odm|csv|sdtm|fhir` and `stemjoint import odm`.
 *
 * Who exports: with `--as EMAIL` the command acts with that staff user's roles (blinded unless the
 * user sees the allocation and `--unblinded` is given), so blinded exports can be produced and
 * checked from the command line. Without `--as` it acts as the operator (a system actor): the
 * export is blinded unless `--unblinded` is given or the database is locked. Every export is
 * audited with its SHA-256. A progress bar is drawn on stderr when stderr is a terminal.
 */
import { Option, type Command } from 'commander';
import { isTrialError } from '../../core/errors.js';
import type { Database } from '../../storage/database.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import type { ExportRequest } from '../../services/exports/run-export.js';
import type { ImportReport } from '../../services/exports/odm-import.js';
import type { ExportProgress } from '../../services/exports/progress.js';
import type { SdtmFileFormat } from '../../services/exports/sdtm-export.js';
import { CliExit, printJson } from '../io.js';

// Services load on demand, so that other commands do not pay for the export modules.
const services = async () => ({
  ...(await import('../../storage/database.js')),
  ...(await import('../../services/context.js')),
  ...(await import('../../services/identity-vault.js')),
  ...(await import('../../services/users.js')),
  ...(await import('../../services/study.js')),
});

const DEFAULT_DB = 'sqlite:./data/stemjoint.db';
/** The SDTM file formats (`SDTM_FILE_FORMATS` of the service, which is loaded only when an export runs). */
const SDTM_FORMATS = ['csv', 'json', 'xpt'] as const satisfies readonly SdtmFileFormat[];
type SdtmFormat = (typeof SDTM_FORMATS)[number];
const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );

interface CommonOptions {
  db?: string;
  as?: string;
  unblinded?: boolean;
  json?: boolean;
  pageSize?: string;
}

async function withDatabase<T>(
  dbUrl: string | undefined,
  needsVault: boolean,
  body: (ctx: ServiceContext) => Promise<T>,
): Promise<T> {
  const url = dbUrl ?? process.env.STEMJOINT_DB ?? DEFAULT_DB;
  const { openDatabase, redactUrl, loadIdentityVault, createServiceContext, getStudyOverview } = await services();
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (e) {
    throw new CliExit(3, `--db: ${(e as Error).message}`);
  }
  try {
    // The identity keyring is needed only to unseal the allocation list for an unblinded export.
    const vault = needsVault ? { identityVault: loadIdentityVault().vault } : {};
    const ctx = createServiceContext(database, vault);
    try {
      await getStudyOverview(ctx.database.db);
    } catch {
      throw new CliExit(4, `database ${redactUrl(url)} is not initialised; run \`stemjoint init --db URL\` first`);
    }
    return await body(ctx);
  } catch (e) {
    if (isTrialError(e) && e.code === 'forbidden') throw new CliExit(1, `refused: ${e.message}`);
    if (isTrialError(e) && e.code === 'not_found' && /User/.test(e.message)) throw new CliExit(3, `--as: ${e.message}`);
    throw e;
  } finally {
    await database.close();
  }
}

async function resolveActor(ctx: ServiceContext, email: string | undefined): Promise<Actor> {
  const { systemActor, actorForEmail } = await services();
  if (email === undefined) return systemActor('cli');
  try {
    return await actorForEmail(ctx.database.db, email);
  } catch {
    throw new CliExit(3, `--as: no active staff account ${email}`);
  }
}

/** A progress bar on stderr when it is a terminal; silent otherwise. */
async function terminalProgress(): Promise<ExportProgress> {
  if (!process.stderr.isTTY) return { begin: () => undefined, advance: () => undefined, finish: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {label} [{bar}] {value}/{total} participants | {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    begin(label, total) {
      if (started) bar.stop();
      bar.start(Math.max(total, 1), 0, { label: label.padEnd(28).slice(0, 28) });
      started = true;
    },
    advance: (n) => bar.increment(n),
    finish() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function pageSizeOf(opts: CommonOptions): number | undefined {
  if (opts.pageSize === undefined) return undefined;
  const n = Number(opts.pageSize);
  if (!Number.isInteger(n) || n < 1 || n > 5000) {
    throw new CliExit(3, '--page-size: must be a whole number from 1 to 5000');
  }
  return n;
}

async function runExport(request: ExportRequest, out: string, opts: CommonOptions): Promise<void> {
  await withDatabase(opts.db, request.unblinded === true || opts.as === undefined, async (ctx) => {
    const actor = await resolveActor(ctx, opts.as);
    const { exportToPath } = await import('../../services/exports/run-export.js');
    const result = await exportToPath(ctx, actor, request, out, await terminalProgress());
    if (opts.json) {
      return printJson(
        result.files.length > 20 ? { ...result, files: `${result.files.length} files (see manifest.json)` } : result,
      );
    }
    process.stdout.write(
      `${result.format.toUpperCase()} export written to ${out}: ${result.participants} participants, ${result.files.length} file(s), ${result.bytes} bytes; ${result.unblinded ? 'UNBLINDED (by arm)' : 'blinded'}; sha256 ${result.sha256} (audited as export ${result.exportId})\n`,
    );
  });
}

const common = (cmd: Command): Command =>
  cmd
    .addOption(dbOption())
    .option(
      '--as <email>',
      'act as this staff user (their roles decide what the export may contain); default: the operator (system actor)',
    )
    .option(
      '--unblinded',
      'by-arm (unblinded) export: arms, kit-arm map, product chain, potentially unblinding items; needs a role that sees the allocation (or the operator)',
    )
    .option('--page-size <n>', 'participants read per page (memory bound; default 10)')
    .option('--json', 'print the result as JSON');

/** Registers the `export` and `import` command groups. */
export function registerExportCommand(program: Command): void {
  const exp = program
    .command('export')
    .description(
      'Data out: CDISC ODM 1.3.2, analysis-ready CSV, SDTM-shaped datasets, FHIR R4 (pseudonymised, blind-safe, audited)',
    );
  common(
    exp
      .command('odm')
      .description('CDISC ODM 1.3.2: metadata from the protocol and clinical data with audit records')
      .requiredOption('--out <file>', 'the XML file to write'),
  )
    .option('--metadata-only', 'only the study metadata (no clinical data)')
    .action(async (opts: CommonOptions & { out: string; metadataOnly?: boolean }) => {
      await runExport(
        {
          format: 'odm',
          unblinded: opts.unblinded === true,
          metadataOnly: opts.metadataOnly === true,
          ...(pageSizeOf(opts) ? { pageSize: pageSizeOf(opts)! } : {}),
        },
        opts.out,
        opts,
      );
    });
  common(
    exp
      .command('csv')
      .description('analysis-ready CSV: long and wide table per form, participants, data dictionary (CSV + HTML)')
      .requiredOption('--out <dir>', 'the directory to write'),
  ).action(async (opts: CommonOptions & { out: string }) => {
    await runExport(
      {
        format: 'csv',
        unblinded: opts.unblinded === true,
        ...(pageSizeOf(opts) ? { pageSize: pageSizeOf(opts)! } : {}),
      },
      opts.out,
      opts,
    );
  });
  common(
    exp
      .command('sdtm')
      .description(
        'SDTM-shaped datasets (DM, DS, SV, IE, EX, EC, AE, CM, QS, MK, GF, IS) as CSV, Dataset-JSON 1.1 or SAS transport (XPT v5)',
      )
      .requiredOption('--out <dir>', 'the directory to write'),
  )
    .addOption(
      new Option('--format <format>', 'csv, json (CDISC Dataset-JSON 1.1) or xpt (SAS transport v5)')
        .choices(SDTM_FORMATS)
        .default('csv'),
    )
    .addOption(new Option('--sdtm-format <format>', 'the same as --format').choices(SDTM_FORMATS))
    .action(async (opts: CommonOptions & { out: string; format: SdtmFormat; sdtmFormat?: SdtmFormat }) => {
      await runExport(
        {
          format: 'sdtm',
          sdtmFormat: opts.sdtmFormat ?? opts.format,
          unblinded: opts.unblinded === true,
          ...(pageSizeOf(opts) ? { pageSize: pageSizeOf(opts)! } : {}),
        },
        opts.out,
        opts,
      );
    });
  common(
    exp
      .command('fhir')
      .description(
        'FHIR R4 Bundles: ResearchStudy, Questionnaires, and per participant Patient (pseudonymous), ResearchSubject, QuestionnaireResponses, Observations, AdverseEvents',
      )
      .requiredOption('--out <dir>', 'the directory to write'),
  ).action(async (opts: CommonOptions & { out: string }) => {
    await runExport(
      {
        format: 'fhir',
        unblinded: opts.unblinded === true,
        ...(pageSizeOf(opts) ? { pageSize: pageSizeOf(opts)! } : {}),
      },
      opts.out,
      opts,
    );
  });

  const imp = program.command('import').description('Data in');
  imp
    .command('odm')
    .description(
      'Import an ODM 1.3.2 ClinicalData file into this study (one transaction: all or nothing; every rejected value reported)',
    )
    .addOption(dbOption())
    .requiredOption('--in <file>', 'the ODM XML file')
    .option('--as <email>', 'act as this data manager (default: the operator, audited as system:cli)')
    .option(
      '--create-subjects',
      'register SubjectKeys that are not enrolled here as imported participants (e.g. a fresh database)',
    )
    .option('--dry-run', 'check everything and report, but write nothing')
    .option('--json', 'print the report as JSON')
    .action(
      async (opts: {
        db?: string;
        in: string;
        as?: string;
        createSubjects?: boolean;
        dryRun?: boolean;
        json?: boolean;
      }) => {
        await withDatabase(opts.db, false, async (ctx) => {
          const actor = await resolveActor(ctx, opts.as);
          const { importOdmFile } = await import('../../services/exports/odm-import.js');
          let report: ImportReport;
          try {
            report = await importOdmFile(ctx, actor, opts.in, {
              createSubjects: opts.createSubjects === true,
              dryRun: opts.dryRun === true,
            });
          } catch (e) {
            if (isTrialError(e) && e.code === 'validation_failed') {
              throw new CliExit(
                3,
                `import refused: ${e.message}\n${e.details.map((d) => `  ${d.path}: ${d.message}`).join('\n')}`,
              );
            }
            throw e;
          }
          if (opts.json) printJson(report);
          else printReport(report);
          if (report.rejected.length > 0) throw new CliExit(1);
        });
      },
    );
}

function printReport(r: ImportReport): void {
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  if (r.rejected.length > 0) {
    out(`import REFUSED: ${r.rejected.length} value(s) rejected; nothing was imported`);
    for (const x of r.rejected.slice(0, 200)) {
      out(`  ${x.subject ?? '-'} ${x.event ?? ''} ${x.form ?? ''} ${x.itemOid ?? ''}: ${x.reason}`.replace(/ +/g, ' '));
    }
    if (r.rejected.length > 200) out(`  … and ${r.rejected.length - 200} more (use --json for all)`);
    return;
  }
  out(
    `${r.dryRun ? 'dry run: would import' : 'imported'} ${r.instancesCreated} form(s) with ${r.valuesImported} value(s) for ${r.subjects} subject(s); ${r.subjectsCreated} subject(s) registered; ${r.unchanged} form(s) unchanged`,
  );
  for (const s of r.skipped.slice(0, 50)) {
    out(`  skipped: ${s.subject ?? '-'} ${s.form ?? ''}: ${s.reason}`.replace(/ +/g, ' '));
  }
  if (r.skipped.length > 50) out(`  … and ${r.skipped.length - 50} more skipped`);
}
