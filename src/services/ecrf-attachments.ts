/**
 * File attachments of eCRF items (an MRI report, a scanned consent form), stored content-addressed:
 * the SHA-256 of the content is the address, the content is stored once however often it is used,
 * and a `file` item holds the reference `{ sha256, name, mediaType, size }`. An attachment is
 * uploaded for a participant and readable by whoever may read that participant's data.
 */
import { createHash } from 'node:crypto';
import { invalid, notFound } from '../core/errors.js';
import { assertSiteAccess } from './access.js';
import { runCommand } from './command.js';
import { actorLabel, type Actor, type ServiceContext } from './context.js';
import { assertCasebookOpen, loadCasebookRow, loadParticipantFacts } from './ecrf-store.js';

/**
 * Largest attachment accepted, in bytes. Base64 grows content by a third, so 700 KiB of content
 * stays under the server's 1 MiB request limit with room for the rest of the body.
 */
export const MAX_ATTACHMENT_BYTES = 700 * 1024;

/** Media types accepted for attachments (documents and images; never executable content). */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'] as const;

/** An attachment reference, as stored in a `file` item. */
export interface AttachmentRef {
  sha256: string;
  name: string;
  mediaType: string;
  size: number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Uploads an attachment for a participant; returns the reference to put into a `file` item. */
export async function uploadAttachment(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { name: string; mediaType: string; contentBase64: string },
): Promise<AttachmentRef> {
  const name = props.name.trim();
  const issues = [];
  if (name === '' || name.length > 255 || /[/\\]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 0x20)) {
    issues.push({ path: 'name', message: 'must be a file name (no path) of at most 255 characters' });
  }
  if (!(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(props.mediaType)) {
    issues.push({ path: 'mediaType', message: `must be one of ${ATTACHMENT_MEDIA_TYPES.join(', ')}` });
  }
  if (!BASE64.test(props.contentBase64)) issues.push({ path: 'contentBase64', message: 'must be base64' });
  if (issues.length > 0) throw invalid('The attachment is not valid', issues);
  const content = Buffer.from(props.contentBase64, 'base64');
  if (content.length === 0) {
    throw invalid('The attachment is empty', [{ path: 'contentBase64', message: 'must not be empty' }]);
  }
  if (content.length > MAX_ATTACHMENT_BYTES) {
    throw invalid('The attachment is too large', [
      { path: 'contentBase64', message: `at most ${MAX_ATTACHMENT_BYTES} bytes` },
    ]);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const ref: AttachmentRef = { sha256, name, mediaType: props.mediaType, size: content.length };
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await loadParticipantFacts(tx, participantId);
    assertSiteAccess(actor, 'ecrf.write', p.siteId);
    assertCasebookOpen(await loadCasebookRow(tx, p.id), p.studyId);
    const by = actorLabel(actor);
    const stored = await tx
      .selectFrom('ecrf_attachments')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!stored) {
      await tx
        .insertInto('ecrf_attachments')
        .values({
          sha256,
          media_type: props.mediaType,
          size: content.length,
          content_base64: props.contentBase64,
          created_at: at,
          created_by: by,
        })
        .execute();
    }
    const link = await tx
      .selectFrom('ecrf_attachment_links')
      .select('sha256')
      .where('sha256', '=', sha256)
      .where('participant_id', '=', p.id)
      .executeTakeFirst();
    if (!link) {
      await tx
        .insertInto('ecrf_attachment_links')
        .values({ sha256, participant_id: p.id, name, media_type: props.mediaType, uploaded_at: at, uploaded_by: by })
        .execute();
    }
    await audit({
      action: 'attachment.uploaded',
      entityType: 'attachment',
      entityId: sha256,
      after: { participantId: p.id, ...ref, alreadyStored: stored !== undefined },
    });
  });
  return ref;
}

/** An attachment with its content. */
export interface AttachmentContent extends AttachmentRef {
  uploadedAt: string;
  uploadedBy: string;
  contentBase64: string;
}

/** Downloads an attachment uploaded for a participant (the content hash is checked on the way out). */
export async function getAttachment(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  sha256: string,
): Promise<AttachmentContent> {
  const db = ctx.database.db;
  const p = await loadParticipantFacts(db, participantId);
  assertSiteAccess(actor, 'ecrf.read', p.siteId);
  const row = await db
    .selectFrom('ecrf_attachment_links')
    .innerJoin('ecrf_attachments', 'ecrf_attachments.sha256', 'ecrf_attachment_links.sha256')
    .select([
      'ecrf_attachment_links.name',
      'ecrf_attachment_links.media_type',
      'ecrf_attachment_links.uploaded_at',
      'ecrf_attachment_links.uploaded_by',
      'ecrf_attachments.size',
      'ecrf_attachments.content_base64',
    ])
    .where('ecrf_attachment_links.sha256', '=', sha256)
    .where('ecrf_attachment_links.participant_id', '=', p.id)
    .executeTakeFirst();
  if (!row) throw notFound('Attachment');
  const actual = createHash('sha256').update(Buffer.from(row.content_base64, 'base64')).digest('hex');
  if (actual !== sha256) throw new Error(`attachment ${sha256} does not match its content hash`);
  return {
    sha256,
    name: row.name,
    mediaType: row.media_type,
    size: Number(row.size),
    uploadedAt: row.uploaded_at,
    uploadedBy: row.uploaded_by,
    contentBase64: row.content_base64,
  };
}
