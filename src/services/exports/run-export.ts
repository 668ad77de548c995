/**
 * Running an export end to end, the same way for the command line and the web download: decide
 * what the actor may see, load the kit↔arm map only for an unblinded export, stream the format to
 * a file, a directory or an HTTP response (directory formats as a ZIP), write a manifest with the
 * SHA-256 of every file, and audit the export with its content hash (`export.created`, allowed on a
 * locked database because an export changes no data).
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { TrialError } from '../../core/errors.js';
import { currentStemjointProtocol } from '../../core/protocol/stemjoint-registry.js';
import { runCommand } from '../command.js';
import type { Actor, ServiceContext } from '../context.js';
import { countParticipants } from './export-reader.js';
import { resolveExportViewer, type ExportViewer } from './export-viewer.js';
import {
  directoryTarget,
  fileSink,
  streamSink,
  zipTarget,
  type FileTarget,
  type TextSink,
  type WrittenFile,
} from './output-target.js';
import { SILENT_PROGRESS, type ExportProgress } from './progress.js';
import type { SdtmFileFormat } from './sdtm-export.js';

/** The export formats. */
export const EXPORT_FORMATS = ['odm', 'csv', 'sdtm', 'fhir'] as const;
/** One export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export. */
export interface ExportRequest {
  readonly format: ExportFormat;
  /** An unblinded (by-arm) export; refused unless the actor sees the allocation. */
  readonly unblinded?: boolean;
  /** ODM: metadata only. */
  readonly metadataOnly?: boolean;
  /** SDTM: CSV files or CDISC Dataset-JSON 1.1 (default csv). */
  readonly sdtmFormat?: SdtmFileFormat;
  /** Participants per page (memory bound). */
  readonly pageSize?: number;
}

/** The outcome: what was written and the audit record's hash. */
export interface ExportResult {
  readonly exportId: string;
  readonly format: ExportFormat;
  readonly unblinded: boolean;
  readonly participants: number;
  readonly files: readonly WrittenFile[];
  /** SHA-256 of the file (ODM) or of the manifest (directory formats). */
  readonly sha256: string;
  readonly bytes: number;
}

interface Prepared {
  viewer: ExportViewer;
  kitArms: ReadonlyMap<string, string> | undefined;
  total: number;
}

async function prepare(ctx: ServiceContext, actor: Actor, request: ExportRequest): Promise<Prepared> {
  const db = ctx.database.db;
  const viewer = await resolveExportViewer(db, actor, { unblinded: request.unblinded === true });
  let kitArms: ReadonlyMap<string, string> | undefined;
  if (viewer.unblinded) {
    if (!ctx.identityVault) {
      const list = await db.selectFrom('allocation_lists').select('id').executeTakeFirst();
      if (list) {
        throw new TrialError(
          'internal',
          'An unblinded export needs the identity key (the allocation list is sealed with it); set STEMJOINT_IDENTITY_KEY or the keyring file',
        );
      }
    } else {
      // Loaded on demand: the randomization service brings the screening and eligibility modules along.
      const { loadKitArms } = await import('../randomization.js');
      kitArms = await loadKitArms(ctx);
    }
  }
  return { viewer, kitArms, total: await countParticipants(db, viewer) };
}

/** File name of a single-file export. */
export function defaultFileName(request: ExportRequest, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[:T]/g, '').replace(/-/g, '');
  const suffix = request.unblinded ? '-unblinded' : '';
  if (request.format === 'odm') return `stemjoint-odm${request.metadataOnly ? '-metadata' : ''}${suffix}-${stamp}.xml`;
  return `stemjoint-${request.format}${request.format === 'sdtm' ? `-${request.sdtmFormat ?? 'csv'}` : ''}${suffix}-${stamp}.zip`;
}

/**
 * Audits a finished export with its content hash.
 */
async function auditExport(
  ctx: ServiceContext,
  actor: Actor,
  result: ExportResult,
  request: ExportRequest,
): Promise<void> {
  await runCommand(
    ctx,
    actor,
    ({ audit }) =>
      audit({
        action: 'export.created',
        entityType: 'export',
        entityId: result.exportId,
        after: {
          format: result.format,
          ...(request.format === 'sdtm' ? { sdtmFormat: request.sdtmFormat ?? 'csv' } : {}),
          ...(request.metadataOnly ? { metadataOnly: true } : {}),
          unblinded: result.unblinded,
          participants: result.participants,
          sha256: result.sha256,
          bytes: result.bytes,
          files: result.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
        },
      }),
    { allowWhenLocked: true },
  );
}

/** Records an export that stopped before its end (a download the client abandoned). */
async function auditAbort(
  ctx: ServiceContext,
  actor: Actor,
  exportId: string,
  request: ExportRequest,
  error: Error,
): Promise<void> {
  await runCommand(
    ctx,
    actor,
    ({ audit }) =>
      audit({
        action: 'export.aborted',
        entityType: 'export',
        entityId: exportId,
        after: { format: request.format, unblinded: request.unblinded === true, error: error.message.slice(0, 200) },
      }),
    {
      allowWhenLocked: true,
    },
  ).catch(() => undefined);
}

function manifestJson(
  exportId: string,
  request: ExportRequest,
  viewer: ExportViewer,
  participants: number,
  files: readonly WrittenFile[],
  now: Date,
): string {
  const protocol = currentStemjointProtocol();
  return `${JSON.stringify(
    {
      exportId,
      study: protocol.study.id,
      protocolVersion: protocol.version,
      format: request.format,
      ...(request.format === 'sdtm' ? { sdtmFormat: request.sdtmFormat ?? 'csv' } : {}),
      blinding: viewer.unblinded
        ? 'unblinded (by arm)'
        : 'blinded: no arms, no kit-arm map, no product chain, no potentially unblinding items',
      pseudonymisation: 'participants by study id; no CPR, names or contact details; year of birth only',
      createdAt: now.toISOString(),
      participants,
      files: files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
    },
    null,
    2,
  )}\n`;
}

async function runDirectoryExport(
  ctx: ServiceContext,
  actor: Actor,
  request: ExportRequest,
  openTarget: () => FileTarget,
  progress: ExportProgress,
): Promise<ExportResult> {
  const prepared = await prepare(ctx, actor, request);
  const exportId = randomUUID();
  const target = openTarget();
  const db = ctx.database.db;
  const now = ctx.now();
  const common = {
    now,
    progress,
    total: prepared.total,
    ...(prepared.kitArms ? { kitArms: prepared.kitArms } : {}),
    ...(request.pageSize ? { pageSize: request.pageSize } : {}),
  };
  try {
    let summary: { participants: number; files: WrittenFile[] };
    // Each format's writer is loaded when it is asked for, so an export process holds one of them.
    if (request.format === 'csv') {
      const { writeCsvExport } = await import('./csv-export.js');
      summary = await writeCsvExport(db, prepared.viewer, target, common);
    } else if (request.format === 'sdtm') {
      const { writeSdtmExport } = await import('./sdtm-export.js');
      summary = await writeSdtmExport(db, prepared.viewer, target, {
        ...common,
        fileFormat: request.sdtmFormat ?? 'csv',
      });
    } else if (request.format === 'fhir') {
      const { writeFhirExport } = await import('./fhir-export.js');
      summary = await writeFhirExport(db, prepared.viewer, target, common);
    } else throw new Error(`${request.format} is a single-file format`);
    const manifestSink = target.openFile('manifest.json');
    await manifestSink.write(
      manifestJson(exportId, request, prepared.viewer, summary.participants, summary.files, now),
    );
    const manifest = await manifestSink.end();
    await target.close();
    const files = [...summary.files, manifest];
    const result: ExportResult = {
      exportId,
      format: request.format,
      unblinded: prepared.viewer.unblinded,
      participants: summary.participants,
      files,
      sha256: manifest.sha256,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
    };
    await auditExport(ctx, actor, result, request);
    return result;
  } catch (e) {
    await auditAbort(ctx, actor, exportId, request, e as Error);
    throw e;
  } finally {
    progress.finish();
  }
}

async function runOdmExport(
  ctx: ServiceContext,
  actor: Actor,
  request: ExportRequest,
  openSink: () => TextSink,
  progress: ExportProgress,
): Promise<ExportResult> {
  const prepared = await prepare(ctx, actor, request);
  const exportId = randomUUID();
  // The file is created only once the export is allowed.
  const sink = openSink();
  try {
    if (!request.metadataOnly) progress.begin('ODM', prepared.total);
    const { writeOdm } = await import('./odm-export.js');
    const summary = await writeOdm(ctx.database.db, prepared.viewer, sink, {
      now: ctx.now(),
      progress,
      ...(request.metadataOnly ? { metadataOnly: true } : {}),
      ...(prepared.kitArms ? { kitArms: prepared.kitArms } : {}),
      ...(request.pageSize ? { pageSize: request.pageSize } : {}),
    });
    const file = await sink.end();
    const result: ExportResult = {
      exportId,
      format: 'odm',
      unblinded: prepared.viewer.unblinded,
      participants: summary.participants,
      files: [file],
      sha256: file.sha256,
      bytes: file.bytes,
    };
    await auditExport(ctx, actor, result, request);
    return result;
  } catch (e) {
    await auditAbort(ctx, actor, exportId, request, e as Error);
    throw e;
  } finally {
    progress.finish();
  }
}

/**
 * Exports to the file system: ODM to `out` (a file), the other formats into the directory `out`.
 *
 * @param ctx - the service context (its identity vault is needed for unblinded exports)
 * @param actor - who exports (audited)
 * @param request - format and options
 * @param out - file (ODM) or directory path
 * @param progress - progress reporting
 */
export async function exportToPath(
  ctx: ServiceContext,
  actor: Actor,
  request: ExportRequest,
  out: string,
  progress: ExportProgress = SILENT_PROGRESS,
): Promise<ExportResult> {
  if (request.format === 'odm') {
    return runOdmExport(ctx, actor, request, () => fileSink(out, out.split(/[\\/]/).pop() ?? out), progress);
  }
  return runDirectoryExport(ctx, actor, request, () => directoryTarget(out), progress);
}

/**
 * Exports to a stream (an HTTP response): ODM as XML, the other formats as one ZIP archive.
 * The viewer is resolved before anything is written, so a refusal arrives as an ordinary error.
 */
export async function exportToStream(
  ctx: ServiceContext,
  actor: Actor,
  request: ExportRequest,
  stream: Writable,
  progress: ExportProgress = SILENT_PROGRESS,
): Promise<ExportResult> {
  if (request.format === 'odm') {
    return runOdmExport(ctx, actor, request, () => streamSink(stream, defaultFileName(request, ctx.now())), progress);
  }
  return runDirectoryExport(ctx, actor, request, () => zipTarget(stream), progress);
}

/** Checks, without writing anything, that `actor` may run `request` (for routes that must decide before sending headers). */
export async function assertExportAllowed(ctx: ServiceContext, actor: Actor, request: ExportRequest): Promise<void> {
  await prepare(ctx, actor, request);
}
