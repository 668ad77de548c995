/**
 * ePRO reminders and alerts as durable jobs: planning (idempotent, one job per participant and
 * occasion), and the handlers the job worker runs — sending the access code, the evening diary
 * reminder, the visit-questionnaire reminder (through the participant's channel, decrypting the
 * contact inside the job with an `identity.used_for_reminder` audit record), and the missed-day
 * alert to the site (through the outbox). Handlers re-check everything when they run: a diary day
 * already answered, a revoked access or a withdrawal turns the job into `skipped`.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_DIARY_SETTINGS,
  diaryDayOfVisit,
  diaryDayWindow,
  type DiarySettings,
} from '../core/epro/diary-days.js';
import { planReminders, type VisitWindow } from '../core/epro/reminder-plan.js';
import { visitWindowDates } from '../core/ecrf/participant-schedule.js';
import type { Executor } from '../storage/database.js';
import type { EproAccessTable } from '../storage/schema-epro.js';
import { runCommand, type CommandScope } from './command.js';
import { requireVault, systemActor, type ServiceContext } from './context.js';
import { currentProtocol } from './ecrf-store.js';
import { resolveDay0 } from './ecrf-visits.js';
import { decryptContact, loadAccessRow } from './epro-access.js';
import { participantVisitCodes } from './epro-questionnaires.js';
import { enqueueJob, type ClaimedJob, type JobHandler, type JobOutcome } from './jobs.js';
import type { NotificationChannels, OutgoingMessage } from './notification-channels.js';
import { appendOutboxMessage, MISSED_DAY_KIND } from './outbox-dispatch.js';

const WORKER_ACTOR = systemActor('epro-reminders');

/** Visit questionnaire windows for reminder planning. */
function visitWindows(day0: string): VisitWindow[] {
  const protocol = currentProtocol();
  return participantVisitCodes(protocol).flatMap((code) => {
    const w = visitWindowDates(protocol, code, day0);
    return w === null ? [] : [{ visitCode: code, earliest: w.earliest, latest: w.latest }];
  });
}

/** Plans a participant's reminder jobs inside the caller's command (idempotent). Returns how many are new. */
export async function planParticipantReminders(
  scope: Pick<CommandScope, 'tx' | 'at'>,
  participantId: string,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): Promise<number> {
  const { day0 } = await resolveDay0(scope.tx, participantId);
  if (day0 === null) return 0;
  let created = 0;
  for (const r of planReminders(participantId, day0, visitWindows(day0), new Date(scope.at), settings)) {
    if (
      await enqueueJob(scope, {
        kind: r.kind,
        payload: { participantId, visitCode: r.visitCode },
        runAt: r.runAt,
        dedupeKey: r.dedupeKey,
      })
    ) {
      created += 1;
    }
  }
  return created;
}

/** Plans reminders for every active access (the hourly planning job; also after a Day 0 becomes known). */
export async function planAllReminders(
  ctx: ServiceContext,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): Promise<{ participants: number; created: number }> {
  const rows = await ctx.database.db
    .selectFrom('epro_access')
    .select('participant_id')
    .where('status', '=', 'active')
    .execute();
  let created = 0;
  for (const r of rows) {
    created += await runCommand(
      ctx,
      WORKER_ACTOR,
      (scope) => planParticipantReminders(scope, r.participant_id, settings),
      { allowWhenLocked: true },
    );
  }
  return { participants: rows.length, created };
}

/** Enqueues the next planning run (one per hour across all instances, by its dedupe key). */
export async function ensurePlanningJob(ctx: ServiceContext, at: Date = ctx.now()): Promise<void> {
  const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
  await runCommand(
    ctx,
    WORKER_ACTOR,
    (scope) =>
      enqueueJob(scope, {
        kind: 'epro.plan_reminders',
        payload: {},
        runAt: hour,
        dedupeKey: `epro.plan_reminders:${hour.toISOString()}`,
      }),
    { allowWhenLocked: true },
  );
}

interface Recipient {
  access: EproAccessTable;
  studyId: string;
  siteId: string;
}

/** The participant behind a job, or why the job is moot now. */
async function recipientOf(db: Executor, participantId: string): Promise<Recipient | { skip: string }> {
  const access = await loadAccessRow(db, participantId);
  if (!access || access.status !== 'active') return { skip: 'no active ePRO access' };
  const p = await db
    .selectFrom('participants')
    .select(['study_id', 'site_id', 'status', 'withdrawal_scope'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) return { skip: 'participant not found' };
  if (p.status === 'withdrawn') return { skip: `participant withdrawn (${p.withdrawal_scope ?? 'withdrawn'})` };
  return { access, studyId: p.study_id, siteId: p.site_id };
}

const publicUrl = (): string => (process.env.STEMJOINT_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');

const REMINDER_TEXT = {
  diary: {
    da: (day: number) => ({
      subject: `STEMJOINT: smertedagbog dag ${day}`,
      text: `Husk at udfylde din smertedagbog for dag ${day} i dag. Log ind her: ${publicUrl()}/p/`,
    }),
    en: (day: number) => ({
      subject: `STEMJOINT: pain diary day ${day}`,
      text: `Please remember to fill in your pain diary for day ${day} today. Sign in here: ${publicUrl()}/p/`,
    }),
  },
  visit: {
    da: () => ({
      subject: 'STEMJOINT: spørgeskemaer',
      text: `Dine spørgeskemaer til næste kontrol er nu åbne. Log ind her: ${publicUrl()}/p/`,
    }),
    en: () => ({
      subject: 'STEMJOINT: questionnaires',
      text: `Your questionnaires for the next visit are now open. Sign in here: ${publicUrl()}/p/`,
    }),
  },
  code: {
    da: (link: string, code: string) => ({
      subject: 'STEMJOINT: din adgang til spørgeskemaerne',
      text: `Åbn linket ${link} og skriv koden ${code}. Koden kan bruges én gang.`,
    }),
    en: (link: string, code: string) => ({
      subject: 'STEMJOINT: your access to the questionnaires',
      text: `Open the link ${link} and enter the code ${code}. The code can be used once.`,
    }),
  },
} as const;

/**
 * Sends one message to the participant through their channel: the contact is decrypted here, its
 * use is audited, and the delivery is recorded against the job (never the contact itself).
 */
async function deliver(
  ctx: ServiceContext,
  channels: NotificationChannels,
  job: ClaimedJob,
  r: Recipient,
  content: { subject: string; text: string },
): Promise<JobOutcome> {
  if (r.access.channel === 'in_person') {
    return { status: 'skipped', reason: 'no contact enrolled (code handed over in person)' };
  }
  const to = decryptContact(ctx, r.access);
  if (to === null) return { status: 'skipped', reason: 'no contact' };
  const channel = channels[r.access.channel];
  const message: OutgoingMessage = {
    to,
    subject: content.subject,
    text: content.text,
    kind: job.kind,
    reference: job.id,
  };
  await runCommand(
    ctx,
    WORKER_ACTOR,
    ({ audit }) =>
      audit({
        action: 'identity.used_for_reminder',
        entityType: 'participant',
        entityId: r.access.participant_id,
        after: { purpose: job.kind, channel: channel.name, jobId: job.id },
      }),
    { allowWhenLocked: true },
  );
  const sent = await channel.send(message);
  await runCommand(
    ctx,
    WORKER_ACTOR,
    async ({ tx, at }) => {
      await tx
        .insertInto('notification_deliveries')
        .values({
          id: randomUUID(),
          job_id: job.id,
          participant_id: r.access.participant_id,
          channel: channel.name,
          kind: job.kind,
          message_id: sent.messageId,
          sent_at: at,
        })
        .execute();
    },
    { allowWhenLocked: true },
  );
  return { status: 'done', result: { channel: channel.name, messageId: sent.messageId } };
}

async function submitted(
  db: Executor,
  participantId: string,
  visitCode: string,
  formIds: readonly string[],
): Promise<boolean> {
  const rows = await db
    .selectFrom('form_instances')
    .select('form_id')
    .where('participant_id', '=', participantId)
    .where('visit_code', '=', visitCode)
    .where('form_id', 'in', [...formIds])
    .where('status', '=', 'submitted')
    .execute();
  return rows.length === formIds.length;
}

const payloadString = (job: ClaimedJob, key: string): string => {
  const v = job.payload[key];
  if (typeof v !== 'string') throw new Error(`job ${job.id}: payload.${key} missing`);
  return v;
};

/** The job handlers of the ePRO module, delivering through `channels`. */
export function eproJobHandlers(
  channels: NotificationChannels,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): Record<string, JobHandler> {
  return {
    'epro.plan_reminders': async (ctx) => {
      const r = await planAllReminders(ctx, settings);
      await ensurePlanningJob(ctx, new Date(ctx.now().getTime() + 3_600_000));
      return { status: 'done', result: r };
    },
    'epro.access_code': async (ctx, job) => {
      const participantId = payloadString(job, 'participantId');
      const r = await recipientOf(ctx.database.db, participantId);
      if ('skip' in r) return { status: 'skipped', reason: r.skip };
      if (r.access.generation !== job.payload.generation || r.access.code_hash === null) {
        return { status: 'skipped', reason: 'the code was replaced or already used' };
      }
      const secret = requireVault(ctx).decrypt(payloadString(job, 'keyId'), payloadString(job, 'sealed')) as {
        code: string;
        handle: string;
      };
      const link = `${publicUrl()}/p/?k=${secret.handle}`;
      return deliver(ctx, channels, job, r, REMINDER_TEXT.code[r.access.language](link, secret.code));
    },
    'epro.diary_reminder': async (ctx, job) => {
      const participantId = payloadString(job, 'participantId');
      const visitCode = payloadString(job, 'visitCode');
      const day = diaryDayOfVisit(visitCode);
      if (day === null) return { status: 'skipped', reason: `not a diary day: ${visitCode}` };
      const r = await recipientOf(ctx.database.db, participantId);
      if ('skip' in r) return { status: 'skipped', reason: r.skip };
      if (await submitted(ctx.database.db, participantId, visitCode, ['pain_diary'])) {
        return { status: 'skipped', reason: 'already answered' };
      }
      const { day0 } = await resolveDay0(ctx.database.db, participantId);
      if (day0 === null || diaryDayWindow(day0, day, settings).closesAt.getTime() <= ctx.now().getTime()) {
        return { status: 'skipped', reason: 'the diary day has closed' };
      }
      return deliver(ctx, channels, job, r, REMINDER_TEXT.diary[r.access.language](day));
    },
    'epro.visit_reminder': async (ctx, job) => {
      const participantId = payloadString(job, 'participantId');
      const visitCode = payloadString(job, 'visitCode');
      const r = await recipientOf(ctx.database.db, participantId);
      if ('skip' in r) return { status: 'skipped', reason: r.skip };
      if (await submitted(ctx.database.db, participantId, visitCode, ['koos', 'nrs'])) {
        return { status: 'skipped', reason: 'already answered' };
      }
      return deliver(ctx, channels, job, r, REMINDER_TEXT.visit[r.access.language]());
    },
    'epro.missed_day_alert': async (ctx, job) => {
      const participantId = payloadString(job, 'participantId');
      const visitCode = payloadString(job, 'visitCode');
      const r = await recipientOf(ctx.database.db, participantId);
      if ('skip' in r) return { status: 'skipped', reason: r.skip };
      if (await submitted(ctx.database.db, participantId, visitCode, ['pain_diary'])) {
        return { status: 'skipped', reason: 'answered' };
      }
      // The site hears of it through the outbox, which `outbox-dispatch.ts` e-mails to its investigators and coordinators.
      await runCommand(
        ctx,
        WORKER_ACTOR,
        async ({ tx, at, audit }) => {
          const payload = {
            participantId,
            studyId: r.studyId,
            visitCode,
            message: `${r.studyId}: pain diary ${visitCode} not entered`,
          };
          await appendOutboxMessage(tx, at, { kind: MISSED_DAY_KIND, recipient: `site:${r.siteId}`, payload });
          await audit({
            action: 'epro.missed_day_alert',
            entityType: 'participant',
            entityId: participantId,
            after: { visitCode, siteId: r.siteId, jobId: job.id },
          });
        },
        { allowWhenLocked: true },
      );
      return { status: 'done', result: { alerted: `site:${r.siteId}` } };
    },
  };
}
