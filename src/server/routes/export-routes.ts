/**
 * Data exports as downloads for data managers, statisticians and the DSMB: ODM as an XML file, the
 * multi-file formats (CSV, SDTM, FHIR) as one ZIP archive. The file is streamed straight from the
 * database to the response (reply hijacked after every check has passed, so refusals are ordinary
 * JSON errors), with a content-disposition file name; every download is audited with its SHA-256.
 * Exports are blinded unless `unblinded=true` is asked for by a role that sees the allocation, so
 * the blinding presenter has nothing to remove from them.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Actor, ServiceContext } from '../../services/context.js';
import {
  assertExportAllowed,
  defaultFileName,
  exportToStream,
  type ExportRequest,
} from '../../services/exports/run-export.js';
import { defineRoute, type AnyRoute } from '../route.js';

const flag = z.enum(['true', 'false']).optional();
const Common = {
  unblinded: flag.describe('true: a by-arm (unblinded) export; needs a role that sees the allocation'),
  pageSize: z.coerce.number().int().min(1).max(5000).optional(),
};
const FileResponse = z
  .string()
  .optional()
  .describe('the export file: ODM XML (application/xml) or a ZIP archive (application/zip)');

const CONTENT_TYPES: Record<ExportRequest['format'], string> = {
  odm: 'application/xml; charset=utf-8',
  csv: 'application/zip',
  sdtm: 'application/zip',
  fhir: 'application/zip',
};

/** Streams an export into the hijacked response; failures after the headers end the connection. */
async function download(
  ctx: ServiceContext,
  actor: Actor,
  request: ExportRequest,
  reply: FastifyReply,
): Promise<undefined> {
  await assertExportAllowed(ctx, actor, request);
  const fileName = defaultFileName(request, ctx.now());
  reply.hijack();
  reply.raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': CONTENT_TYPES[request.format],
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  try {
    await exportToStream(ctx, actor, request, reply.raw);
  } catch (e) {
    // The status line is gone: the only honest signal left is an incomplete response.
    reply.log.error({ err: e }, 'export download failed');
    reply.raw.destroy(e as Error);
  }
  return undefined;
}

const pageSize = (q: { pageSize?: number | undefined }): { pageSize?: number } =>
  q.pageSize ? { pageSize: q.pageSize } : {};

/** The export download routes. */
export function exportRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/odm',
      operationId: 'downloadOdmExport',
      summary: 'Download a CDISC ODM 1.3.2 export (metadata from the protocol, clinical data with audit records)',
      tags: ['exports'],
      access: { kind: 'staff', operation: 'export.create' },
      query: z.object({ ...Common, metadataOnly: flag }).strict(),
      response: FileResponse,
      handler: ({ ctx, auth, query, reply }) =>
        download(
          ctx,
          auth!.actor,
          {
            format: 'odm',
            unblinded: query.unblinded === 'true',
            metadataOnly: query.metadataOnly === 'true',
            ...pageSize(query),
          },
          reply,
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/csv',
      operationId: 'downloadCsvExport',
      summary: 'Download the analysis-ready CSV export (ZIP: long and wide tables per form, data dictionary)',
      tags: ['exports'],
      access: { kind: 'staff', operation: 'export.create' },
      query: z.object(Common).strict(),
      response: FileResponse,
      handler: ({ ctx, auth, query, reply }) =>
        download(ctx, auth!.actor, { format: 'csv', unblinded: query.unblinded === 'true', ...pageSize(query) }, reply),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/sdtm',
      operationId: 'downloadSdtmExport',
      summary: 'Download the SDTM-shaped datasets (ZIP of CSV, CDISC Dataset-JSON 1.1 or SAS XPT v5, with define.xml)',
      tags: ['exports'],
      access: { kind: 'staff', operation: 'export.create' },
      query: z.object({ ...Common, format: z.enum(['csv', 'json', 'xpt']).optional() }).strict(),
      response: FileResponse,
      handler: ({ ctx, auth, query, reply }) =>
        download(
          ctx,
          auth!.actor,
          {
            format: 'sdtm',
            sdtmFormat: query.format ?? 'csv',
            unblinded: query.unblinded === 'true',
            ...pageSize(query),
          },
          reply,
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/fhir',
      operationId: 'downloadFhirExport',
      summary: 'Download the FHIR R4 export (ZIP of collection Bundles)',
      tags: ['exports'],
      access: { kind: 'staff', operation: 'export.create' },
      query: z.object(Common).strict(),
      response: FileResponse,
      handler: ({ ctx, auth, query, reply }) =>
        download(
          ctx,
          auth!.actor,
          { format: 'fhir', unblinded: query.unblinded === 'true', ...pageSize(query) },
          reply,
        ),
    }),
  ];
}
