/**
 * Delivery of the notification outbox. Modules append `outbox` rows in their own transactions
 * (missed diary days to `site:<siteId>`, safety clocks and unblinding alerts to staff e-mail
 * addresses); this dispatcher sends them. It runs as a step of every process's job worker and of
 * `stemjoint jobs run-once`:
 *
 * - **Claim.** One atomic `UPDATE … RETURNING` sets a lease (`locked_by`, `locked_until`) and counts
 *   the attempt, on rows that are unsent, due (`available_at`), not leased (or whose lease expired:
 *   the dispatcher died) and below the attempt limit. PostgreSQL picks the candidates with
 *   `FOR UPDATE SKIP LOCKED` and the outer statement re-checks them; SQLite serialises the
 *   transaction. Either way one row goes to one dispatcher, as in `jobs.ts`.
 * - **Resolve.** `site:<id>` becomes the e-mail addresses of the site's active investigators and
 *   coordinators (site grants and study-wide grants); a plain e-mail address is itself. Other
 *   recipients (the `sponsor` label of the unblinding alerts has no address in the database) and
 *   kinds without a message text are never claimed: they stay pending, visible in the outbox.
 * - **Send** through the e-mail channel, one message per row addressed to all its addresses, so a
 *   retry never mails some of them twice; mark `sent_at` only while the lease is ours; audit
 *   `outbox.delivered` (kind, recipient label, address count, channel, message id — no address).
 * - **Fail** → `last_error` (addresses masked), `available_at` moved by the jobs' back-off (1, 2,
 *   4 … minutes); after `MAX_OUTBOX_ATTEMPTS` the row stays unsent and is audited
 *   `outbox.delivery_failed` once.
 *
 * Messages carry study ids, visit codes, case numbers and due times: never an arm, a kit, a name, a
 * contact or free text from the payload.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../storage/database.js';
import type { OutboxTable } from '../storage/schema.js';
import { actorSites } from './access.js';
import { runCommand } from './command.js';
import { systemActor, type Actor, type ServiceContext } from './context.js';
import { retryDelayMs, startPollingLoop, type PollingLoop, type PollingOptions } from './jobs.js';
import type { NotificationChannel } from './notification-channels.js';

/** After this many failed attempts a message is given up (it stays in the outbox, unsent). */
export const MAX_OUTBOX_ATTEMPTS = 8;

/** The kind of the missed-diary-day alert (written by `epro.missed_day_alert`). */
export const MISSED_DAY_KIND = 'epro.missed_day';

/** The roles that hear of a site's alerts. */
const SITE_ALERT_ROLES = ['investigator', 'coordinator'] as const;

const SITE_PREFIX = 'site:';
/** A recipient that is itself an address (the safety and unblinding modules resolve their own). */
const ADDRESS = /^[^\s@,<>]+@[^\s@,<>]+$/;

const publicUrl = (): string => (process.env.STEMJOINT_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');

const text = (payload: Record<string, unknown>, key: string): string => {
  const v = payload[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '—';
};

type Formatter = (payload: Record<string, unknown>) => { subject: string; text: string };

const safetyMessage =
  (headline: string): Formatter =>
  (p) => ({
    subject: `STEMJOINT: ${headline} — ${text(p, 'caseNumber')} (${text(p, 'studyId')})`,
    text: [
      `${headline}.`,
      `SAE case ${text(p, 'caseNumber')}, adverse event ${text(p, 'aeNumber')}, participant ${text(p, 'studyId')}.`,
      `${text(p, 'label')}: due ${text(p, 'dueLocal')} (Copenhagen time).`,
      `Open the case: ${publicUrl()}/safety/cases/${encodeURIComponent(text(p, 'caseId'))}`,
    ].join('\n'),
  });

/**
 * The message text of each deliverable kind, built from named payload fields only (so nothing a
 * module adds to a payload later leaves the system by accident). Kinds not listed stay pending.
 */
const FORMATTERS: Readonly<Record<string, Formatter>> = {
  [MISSED_DAY_KIND]: (p) => ({
    subject: `STEMJOINT: smertedagbog ikke udfyldt / pain diary not entered — ${text(p, 'studyId')} ${text(p, 'visitCode')}`,
    text: [
      `${text(p, 'studyId')} har ikke udfyldt smertedagbogen for ${text(p, 'visitCode')}.`,
      `${text(p, 'studyId')} has not entered the pain diary for ${text(p, 'visitCode')}.`,
      '',
      `${publicUrl()}/participants/${encodeURIComponent(text(p, 'participantId'))}/epro`,
    ].join('\n'),
  }),
  'safety.sae_case_opened': safetyMessage('New SAE case'),
  'safety.deadline_near': safetyMessage('SAE report due soon'),
  'safety.deadline_overdue': safetyMessage('SAE report overdue'),
  emergency_unblinding: (p) => ({
    subject: `STEMJOINT: emergency unblinding — ${text(p, 'studyId')}`,
    text: [
      `An investigator unblinded participant ${text(p, 'studyId')} (randomization number ${text(p, 'randomizationNumber')}) in an emergency at ${text(p, 'requestedAt')}.`,
      `The reason and the signature are in the unblinding log: ${publicUrl()}/unblinding`,
    ].join('\n'),
  }),
  product_sterility_alert: (p) => ({
    subject: `STEMJOINT: post-release sterility growth — ${text(p, 'studyId')}`,
    text: [
      `The 14-day sterility culture of a released dose for participant ${text(p, 'studyId')} showed growth.`,
      `See the cell laboratory: ${publicUrl()}/pharmacy`,
    ].join('\n'),
  }),
};

/** The outbox kinds this dispatcher delivers. */
export const DELIVERABLE_OUTBOX_KINDS: readonly string[] = Object.keys(FORMATTERS);

/** One message for the outbox. */
export interface NewOutboxMessage {
  kind: string;
  /** `site:<siteId>` or an e-mail address. */
  recipient: string;
  payload: Record<string, unknown>;
}

/** Appends a message to the outbox in the caller's transaction (sent later by the dispatcher); returns its id. */
export async function appendOutboxMessage(tx: Executor, at: string, message: NewOutboxMessage): Promise<string> {
  const id = randomUUID();
  await tx
    .insertInto('outbox')
    .values({
      id,
      kind: message.kind,
      recipient: message.recipient,
      payload_json: JSON.stringify(message.payload),
      created_at: at,
      available_at: at,
      attempts: 0,
      locked_by: null,
      locked_until: null,
      sent_at: null,
      last_error: null,
    })
    .execute();
  return id;
}

/** The e-mail addresses of a site's active investigators and coordinators (sorted, distinct). */
export async function siteAlertAddresses(db: Executor, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.email')
    .where('role_grants.role', 'in', [...SITE_ALERT_ROLES])
    .where((eb) => eb.or([eb('role_grants.site_id', '=', siteId), eb('role_grants.site_id', 'is', null)]))
    .where('role_grants.revoked_at', 'is', null)
    .where('users.status', '=', 'active')
    .execute();
  return [...new Set(rows.map((r) => r.email))].sort();
}

/** The addresses behind an outbox recipient. */
async function resolveRecipient(db: Executor, recipient: string): Promise<string[]> {
  if (recipient.startsWith(SITE_PREFIX)) return siteAlertAddresses(db, recipient.slice(SITE_PREFIX.length));
  return ADDRESS.test(recipient) ? [recipient] : [];
}

/** The recipient as it may be recorded: a site label stays, an address becomes `address`. */
const recipientLabel = (recipient: string): string => (recipient.startsWith(SITE_PREFIX) ? recipient : 'address');

/** An error message without e-mail addresses (SMTP servers like to quote them). */
const maskAddresses = (message: string): string =>
  message.replace(/[^\s@<>"',;:]+@[^\s@<>"',;:]+/g, '<address>').slice(0, 500);

const DISPATCH_ACTOR = (workerId: string): Actor => systemActor(`outbox:${workerId}`);

/**
 * Claims up to `limit` deliverable rows for `workerId` with a lease of `leaseMs` (see the module
 * comment). Recipients that cannot resolve and kinds without a text are left alone.
 */
export async function claimOutbox(
  ctx: ServiceContext,
  workerId: string,
  options: { limit?: number; leaseMs?: number } = {},
): Promise<OutboxTable[]> {
  const limit = options.limit ?? 20;
  const leaseMs = options.leaseMs ?? 120_000;
  return runCommand(
    ctx,
    DISPATCH_ACTOR(workerId),
    async ({ tx, at }) => {
      const lockedUntil = new Date(Date.parse(at) + leaseMs).toISOString();
      const claimable = <Q extends Executor>(db: Q) =>
        db
          .selectFrom('outbox')
          .select('id')
          .where('sent_at', 'is', null)
          .where('available_at', '<=', at)
          .where('attempts', '<', MAX_OUTBOX_ATTEMPTS)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
          .where('kind', 'in', [...DELIVERABLE_OUTBOX_KINDS])
          .where((eb) => eb.or([eb('recipient', 'like', `${SITE_PREFIX}%`), eb('recipient', 'like', '%@%')]))
          .orderBy('available_at')
          .orderBy('id')
          .limit(limit);
      const candidates = ctx.database.engine === 'postgres' ? claimable(tx).forUpdate().skipLocked() : claimable(tx);
      return (
        tx
          .updateTable('outbox')
          .set({ locked_by: workerId, locked_until: lockedUntil, attempts: sql<number>`attempts + 1` })
          .where('id', 'in', candidates)
          // Re-checked on the locked row itself, so a row claimed meanwhile is never claimed twice.
          .where('sent_at', 'is', null)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
          .returningAll()
          .execute()
      );
    },
    // Notifications are not clinical data: a locked database still tells the site about missed days.
    { allowWhenLocked: true },
  );
}

/** What one dispatch pass did. */
export interface OutboxDispatchResult {
  claimed: number;
  sent: number;
  failed: number;
}

async function markSent(
  ctx: ServiceContext,
  workerId: string,
  row: OutboxTable,
  addresses: number,
  channel: string,
  messageId: string,
): Promise<void> {
  await runCommand(
    ctx,
    DISPATCH_ACTOR(workerId),
    async ({ tx, at, audit }) => {
      const updated = await tx
        .updateTable('outbox')
        .set({ sent_at: at, locked_by: null, locked_until: null, last_error: null })
        .where('id', '=', row.id)
        .where('locked_by', '=', workerId)
        .where('sent_at', 'is', null)
        .executeTakeFirst();
      // Our lease ran out mid-send and another dispatcher owns the row now: it records its own delivery.
      if (Number(updated.numUpdatedRows) !== 1) return;
      await audit({
        action: 'outbox.delivered',
        entityType: 'outbox',
        entityId: row.id,
        after: {
          kind: row.kind,
          recipient: recipientLabel(row.recipient),
          addresses,
          channel,
          messageId,
          attempt: row.attempts,
        },
      });
    },
    { allowWhenLocked: true },
  );
}

async function markFailed(ctx: ServiceContext, workerId: string, row: OutboxTable, error: unknown): Promise<void> {
  const message = maskAddresses(error instanceof Error ? error.message : 'unknown error');
  await runCommand(
    ctx,
    DISPATCH_ACTOR(workerId),
    async ({ tx, at, audit }) => {
      const final = row.attempts >= MAX_OUTBOX_ATTEMPTS;
      const updated = await tx
        .updateTable('outbox')
        .set({
          last_error: message,
          locked_by: null,
          locked_until: null,
          available_at: final ? row.available_at : new Date(Date.parse(at) + retryDelayMs(row.attempts)).toISOString(),
        })
        .where('id', '=', row.id)
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      if (final && Number(updated.numUpdatedRows) === 1) {
        await audit({
          action: 'outbox.delivery_failed',
          entityType: 'outbox',
          entityId: row.id,
          after: { kind: row.kind, recipient: recipientLabel(row.recipient), attempts: row.attempts, error: message },
        });
      }
    },
    { allowWhenLocked: true },
  );
}

/** Claims and sends the due outbox messages once; each row's failure is recorded, never thrown. */
export async function dispatchOutboxOnce(
  ctx: ServiceContext,
  channel: NotificationChannel,
  options: { workerId?: string; limit?: number; leaseMs?: number } = {},
): Promise<OutboxDispatchResult> {
  const workerId = options.workerId ?? `outbox-${randomUUID().slice(0, 8)}`;
  const rows = await claimOutbox(ctx, workerId, options);
  const result: OutboxDispatchResult = { claimed: rows.length, sent: 0, failed: 0 };
  for (const row of rows) {
    try {
      const format = FORMATTERS[row.kind];
      if (!format) throw new Error(`no message text for outbox kind ${row.kind}`);
      const addresses = await resolveRecipient(ctx.database.db, row.recipient);
      if (addresses.length === 0) throw new Error(`no active recipient for ${recipientLabel(row.recipient)}`);
      const content = format(JSON.parse(row.payload_json) as Record<string, unknown>);
      const sent = await channel.send({ to: addresses.join(', '), ...content, kind: row.kind, reference: row.id });
      await markSent(ctx, workerId, row, addresses.length, channel.name, sent.messageId);
      result.sent += 1;
    } catch (error) {
      await markFailed(ctx, workerId, row, error);
      result.failed += 1;
    }
  }
  return result;
}

/** A running dispatcher loop. */
export type OutboxDispatcher = PollingLoop;

/**
 * Dispatches every `intervalMs` (and again at once after a full batch) until stopped; a failed
 * pass (a lost connection) is reported through `onError` and the loop carries on.
 */
export function startOutboxDispatcher(
  ctx: ServiceContext,
  channel: NotificationChannel,
  options: PollingOptions = {},
): OutboxDispatcher {
  const workerId = options.workerId ?? `outbox-${randomUUID().slice(0, 8)}`;
  return startPollingLoop((limit) => dispatchOutboxOnce(ctx, channel, { workerId, limit }), options);
}

/** Delivery state of one outbox message. */
export type AlertDelivery = 'pending' | 'sent' | 'failed';

/** One missed-diary-day alert as the site sees it. */
export interface SiteAlertView {
  id: string;
  siteId: string;
  participantId: string | null;
  studyId: string | null;
  visitCode: string | null;
  createdAt: string;
  delivery: AlertDelivery;
  sentAt: string | null;
  attempts: number;
}

/** The recent missed-diary-day alerts of the sites where the actor may read ePRO, newest first. */
export async function listSiteAlerts(
  ctx: ServiceContext,
  actor: Actor,
  options: { siteId?: string; limit?: number } = {},
): Promise<SiteAlertView[]> {
  const sites = actorSites(actor, 'epro.read');
  const wanted =
    options.siteId === undefined ? sites : sites === 'all' || sites.includes(options.siteId) ? [options.siteId] : [];
  if (wanted !== 'all' && wanted.length === 0) return [];
  const rows = await ctx.database.db
    .selectFrom('outbox')
    .selectAll()
    .where('kind', '=', MISSED_DAY_KIND)
    .$if(wanted !== 'all', (q) =>
      q.where(
        'recipient',
        'in',
        (wanted as string[]).map((s) => `${SITE_PREFIX}${s}`),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 50)
    .execute();
  return rows.map((r) => {
    const p = JSON.parse(r.payload_json) as Record<string, unknown>;
    const str = (k: string): string | null => (typeof p[k] === 'string' ? (p[k] as string) : null);
    return {
      id: r.id,
      siteId: r.recipient.slice(SITE_PREFIX.length),
      participantId: str('participantId'),
      studyId: str('studyId'),
      visitCode: str('visitCode'),
      createdAt: r.created_at,
      delivery: r.sent_at !== null ? 'sent' : r.attempts >= MAX_OUTBOX_ATTEMPTS ? 'failed' : 'pending',
      sentAt: r.sent_at,
      attempts: r.attempts,
    };
  });
}
