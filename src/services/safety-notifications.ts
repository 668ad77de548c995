/**
 * Safety notifications through the outbox (table `outbox` of the foundation; a mail worker sends
 * them): when an SAE case opens, and when one of its deadlines is near or overdue.
 * `scanSafetyDeadlines` is meant to run every few minutes (CLI `stemjoint safety scan`, the API, or
 * a scheduler); it enqueues each (case, deadline, due instant, level) exactly once, even with
 * several app instances scanning at the same time, because a unique row in `safety_notifications`
 * is inserted first and only the inserting transaction enqueues the messages.
 *
 * Payloads carry the case number, the study id and the due times: never an arm, never personal
 * data, and SUSAR clocks go only to the sponsor side.
 */
import { randomUUID } from 'node:crypto';
import {
  CASE_DEADLINE_LABELS,
  deadlineNotificationLevel,
  formatCopenhagenInstant,
  type CaseDeadlineKind,
} from '../core/safety/index.js';
import type { Tx } from '../storage/database.js';
import { runCommand } from './command.js';
import { systemActor, type ServiceContext } from './context.js';
import { appendOutboxMessage } from './outbox-dispatch.js';
import { safetyRecipients } from './safety-access.js';
import { deadlinesOf } from './safety-case-clocks.js';

/** Outbox message kinds used by the safety module. */
export const SAFETY_OUTBOX_KINDS = [
  'safety.sae_case_opened',
  'safety.deadline_near',
  'safety.deadline_overdue',
] as const;

/** Appends one outbox message per recipient, in the caller's transaction. */
export async function enqueueSafetyMessages(
  tx: Tx,
  at: string,
  kind: (typeof SAFETY_OUTBOX_KINDS)[number],
  recipients: readonly string[],
  payload: Record<string, unknown>,
): Promise<number> {
  for (const recipient of recipients) {
    await appendOutboxMessage(tx, at, { kind, recipient, payload });
  }
  return recipients.length;
}

/**
 * Records that a notification was sent for (case, topic, due, level); false when it already was —
 * the unique constraint makes this the single point of idempotency across app instances.
 */
export async function claimNotification(
  tx: Tx,
  at: string,
  props: { caseId: string; topic: string; dueAt: string; level: string },
): Promise<boolean> {
  const result = await tx
    .insertInto('safety_notifications')
    .values({
      id: randomUUID(),
      case_id: props.caseId,
      topic: props.topic,
      due_at: props.dueAt,
      level: props.level,
      created_at: at,
    })
    .onConflict((oc) => oc.columns(['case_id', 'topic', 'due_at', 'level']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** What one scan did. */
export interface SafetyScanResult {
  scannedCases: number;
  notified: {
    caseNumber: string;
    deadline: CaseDeadlineKind;
    level: 'near' | 'overdue';
    due: string;
    recipients: number;
  }[];
}

/**
 * Enqueues a notification for every open case deadline that is near or overdue at `now` and has
 * not been announced at that level for that due instant before. Idempotent.
 */
export async function scanSafetyDeadlines(ctx: ServiceContext, now: Date): Promise<SafetyScanResult> {
  return runCommand(
    ctx,
    systemActor('safety-deadline-scan'),
    async ({ tx, at, audit }) => {
      const cases = await tx
        .selectFrom('sae_cases')
        .innerJoin('participants', 'participants.id', 'sae_cases.participant_id')
        .innerJoin('adverse_events', 'adverse_events.id', 'sae_cases.ae_id')
        .select([
          'sae_cases.id',
          'sae_cases.case_number',
          'sae_cases.site_id',
          'sae_cases.investigator_awareness_at',
          'sae_cases.susar_awareness_at',
          'sae_cases.susar',
          'sae_cases.fatal_or_life_threatening',
          'participants.study_id',
          'adverse_events.ae_number',
        ])
        .where('sae_cases.status', '=', 'open')
        .orderBy('sae_cases.case_number')
        .execute();
      const result: SafetyScanResult = { scannedCases: cases.length, notified: [] };
      for (const c of cases) {
        const submissions = await tx
          .selectFrom('sae_submissions')
          .select(['kind', 'occurred_at'])
          .where('case_id', '=', c.id)
          .execute();
        const deadlines = deadlinesOf(c, submissions, now);
        for (const d of deadlines) {
          const level = deadlineNotificationLevel(d, now);
          if (!level) continue;
          const dueAt = d.due.toISOString();
          if (!(await claimNotification(tx, at, { caseId: c.id, topic: d.kind, dueAt, level }))) continue;
          const recipients = await safetyRecipients(
            tx,
            c.site_id,
            d.kind === 'sponsor_report' ? 'site_and_sponsor' : 'sponsor',
          );
          await enqueueSafetyMessages(
            tx,
            at,
            level === 'near' ? 'safety.deadline_near' : 'safety.deadline_overdue',
            recipients,
            {
              caseId: c.id,
              caseNumber: c.case_number,
              aeNumber: c.ae_number,
              studyId: c.study_id,
              deadline: d.kind,
              label: CASE_DEADLINE_LABELS[d.kind],
              due: dueAt,
              dueLocal: formatCopenhagenInstant(d.due),
              level,
            },
          );
          await audit({
            action: 'sae_case.deadline_notified',
            entityType: 'sae_case',
            entityId: c.id,
            after: { deadline: d.kind, level, due: dueAt, recipients: recipients.length },
          });
          result.notified.push({
            caseNumber: c.case_number,
            deadline: d.kind,
            level,
            due: dueAt,
            recipients: recipients.length,
          });
        }
      }
      return result;
    },
    // Notifications are not clinical data: overdue reports must still be chased after a lock.
    { allowWhenLocked: true },
  );
}
