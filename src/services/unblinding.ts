/**
 * Emergency unblinding (spec §4): an investigator, for one participant, with a reason and an
 * e-signature. The arm goes to that investigator only (the routes that return it are declared
 * `revealsArm`); the sponsor and the unblinded roles are notified through the outbox (without the
 * arm); the participant is flagged for the analysis; everything is in the audit trail. Never
 * refused on a locked database: patient safety comes first.
 */
import { randomUUID } from 'node:crypto';
import { conflict, forbidden, invalid, notFound } from '../core/errors.js';
import { ALWAYS_UNBLINDED_ROLES } from '../core/roles.js';
import type { Arm } from '../core/randomization/index.js';
import type { Executor, Tx } from '../storage/database.js';
import { actorSites, assertSiteAccess } from './access.js';
import { confirmSignerPassword, recordSignature } from './auth.js';
import { runCommand } from './command.js';
import type { Actor, ServiceContext } from './context.js';
import { appendOutboxMessage } from './outbox-dispatch.js';
import { ARM_LABELS, armForKit, userNames } from './randomization.js';

/** The sponsor's notification address label; delivery (e-mail, …) is the outbox worker's job. */
export const SPONSOR_RECIPIENT = 'sponsor';

/**
 * Queues one notification per recipient: the sponsor and every active user holding an unblinded
 * role (cell laboratory, DSMB). Payloads never carry an arm: notifications leave the system.
 */
export async function queueUnblindedNotifications(
  tx: Tx,
  at: string,
  kind: string,
  payload: Record<string, unknown>,
): Promise<number> {
  const users = await tx
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.email')
    .distinct()
    .where('role_grants.revoked_at', 'is', null)
    .where('users.status', '=', 'active')
    .where('role_grants.role', 'in', [...ALWAYS_UNBLINDED_ROLES])
    .orderBy('users.email')
    .execute();
  const recipients = [SPONSOR_RECIPIENT, ...users.map((u) => u.email)];
  for (const recipient of recipients) {
    await appendOutboxMessage(tx, at, { kind, recipient, payload });
  }
  return recipients.length;
}

export interface EmergencyUnblindingView {
  id: string;
  participantId: string;
  studyId: string;
  siteId: string;
  randomizationNumber: string;
  kit: string;
  requestedById: string;
  requestedBy: string;
  requestedAt: string;
  reason: string;
  signatureId: string;
}

export interface RevealedArm {
  unblinding: EmergencyUnblindingView;
  arm: Arm;
  armLabel: string;
}

async function loadUnblindings(
  db: Executor,
  where: { id?: string; sites?: 'all' | string[] },
): Promise<EmergencyUnblindingView[]> {
  let q = db
    .selectFrom('emergency_unblindings')
    .innerJoin('participants', 'participants.id', 'emergency_unblindings.participant_id')
    .innerJoin('randomizations', 'randomizations.participant_id', 'emergency_unblindings.participant_id')
    .selectAll('emergency_unblindings')
    .select([
      'participants.study_id',
      'participants.site_id',
      'randomizations.randomization_number',
      'randomizations.kit',
    ])
    .orderBy('emergency_unblindings.requested_at', 'desc')
    .orderBy('emergency_unblindings.id');
  if (where.id) q = q.where('emergency_unblindings.id', '=', where.id);
  if (where.sites && where.sites !== 'all') {
    q =
      where.sites.length === 0
        ? q.where('participants.id', '=', '')
        : q.where('participants.site_id', 'in', where.sites);
  }
  const rows = await q.execute();
  const names = await userNames(
    db,
    rows.map((r) => r.requested_by),
  );
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    studyId: r.study_id,
    siteId: r.site_id,
    randomizationNumber: r.randomization_number,
    kit: r.kit,
    requestedById: r.requested_by,
    requestedBy: names.get(r.requested_by) ?? r.requested_by,
    requestedAt: r.requested_at,
    reason: r.reason,
    signatureId: r.signature_id,
  }));
}

/** Unblinds one participant for the requesting investigator. Returns the arm — to be shown to that user only. */
export async function requestEmergencyUnblinding(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { reason: string; password: string },
): Promise<RevealedArm> {
  if (actor.kind !== 'user') throw invalid('Emergency unblinding is requested by a person');
  const reason = props.reason.trim();
  if (reason.length < 10) {
    throw invalid('A reason is required', [
      { path: 'reason', message: 'state the medical reason (at least 10 characters)' },
    ]);
  }
  const p = await ctx.database.db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) throw notFound('Participant');
  assertSiteAccess(actor, 'unblinding.emergency', p.site_id);
  await confirmSignerPassword(ctx, actor, props.password, 'signature.password');
  const id = randomUUID();
  const kit = await runCommand(
    ctx,
    actor,
    async (scope) => {
      const { tx, at, audit } = scope;
      const r = await tx
        .selectFrom('randomizations')
        .select(['id', 'kit', 'randomization_number', 'emergency_unblinded_at'])
        .where('participant_id', '=', participantId)
        .executeTakeFirst();
      if (!r) throw conflict(`${p.study_id} has not been randomized: there is no allocation to reveal`);
      const sig = await recordSignature(scope, {
        meaning: 'responsibility',
        statement: `I request emergency unblinding of participant ${p.study_id} (${r.randomization_number}) for the medical reason stated. I understand that the participant will be recorded as unblinded.`,
        entityType: 'participant',
        entityId: participantId,
      });
      await tx
        .insertInto('emergency_unblindings')
        .values({
          id,
          participant_id: participantId,
          requested_by: actor.userId,
          requested_at: at,
          reason,
          signature_id: sig.id,
        })
        .execute();
      await tx
        .updateTable('randomizations')
        .set({ emergency_unblinded: 1, emergency_unblinded_at: r.emergency_unblinded_at ?? at })
        .where('id', '=', r.id)
        .execute();
      const notified = await queueUnblindedNotifications(tx, at, 'emergency_unblinding', {
        unblindingId: id,
        studyId: p.study_id,
        siteId: p.site_id,
        randomizationNumber: r.randomization_number,
        requestedBy: actor.email,
        requestedByName: actor.displayName,
        requestedAt: at,
        reason,
      });
      await audit({
        action: 'unblinding.emergency',
        entityType: 'participant',
        entityId: participantId,
        after: {
          unblindingId: id,
          studyId: p.study_id,
          randomizationNumber: r.randomization_number,
          requestedBy: actor.email,
          signatureId: sig.id,
          notified,
        },
        reason,
      });
      return r.kit;
    },
    { allowWhenLocked: true },
  );
  const arm = await armForKit(ctx, kit);
  const [unblinding] = await loadUnblindings(ctx.database.db, { id });
  return { unblinding: unblinding!, arm, armLabel: ARM_LABELS[arm] };
}

/** The arm again, for the investigator who requested this unblinding only; each view is audited. */
export async function viewEmergencyUnblindingArm(
  ctx: ServiceContext,
  actor: Actor,
  unblindingId: string,
): Promise<RevealedArm> {
  const [u] = await loadUnblindings(ctx.database.db, { id: unblindingId });
  if (!u) throw notFound('Emergency unblinding');
  if (actor.kind !== 'user' || actor.userId !== u.requestedById) {
    throw forbidden('The arm is shown only to the investigator who requested this emergency unblinding');
  }
  await runCommand(
    ctx,
    actor,
    ({ audit }) =>
      audit({
        action: 'unblinding.arm_viewed',
        entityType: 'participant',
        entityId: u.participantId,
        after: { unblindingId },
      }),
    {
      allowWhenLocked: true,
    },
  );
  const arm = await armForKit(ctx, u.kit);
  return { unblinding: u, arm, armLabel: ARM_LABELS[arm] };
}

/** Who unblinded which participant, when and why — never the arm. */
export async function listEmergencyUnblindings(ctx: ServiceContext, actor: Actor): Promise<EmergencyUnblindingView[]> {
  return loadUnblindings(ctx.database.db, { sites: actorSites(actor, 'unblinding.log.read') });
}
