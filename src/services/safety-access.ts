/**
 * Who may do sponsor safety work, and the two facts the safety module borrows from randomization:
 * a participant's arm (for SUSAR classification and the DSMB's by-arm tables) and Day 0 (the
 * injection date, for exposure and the "onset before injection" query).
 *
 * Sponsor safety physicians: the role matrix (spec §10) has no sponsor role, so the sponsor's safety
 * physician is a study-wide `data_manager` who also holds a designation in `safety_physicians`,
 * granted and revoked by an admin with a reason (audited). Only designated physicians make sponsor
 * assessments, and only they may look at one participant's arm for one SAE case to classify it.
 */
import { conflict, forbidden, invalid, notFound } from '../core/errors.js';
import type { Executor } from '../storage/database.js';
import { runCommand } from './command.js';
import { getDay0, loadKitArms } from './randomization.js';
import type { Actor, ServiceContext } from './context.js';

/** The arms (spec §2). */
export type ArmCode = 'ADMSC' | 'SALINE';

/**
 * The allocated arm of each participant (null: not randomized, or no allocation list). The arms are
 * sealed in the allocation list (randomization module), so this decrypts the list with the identity
 * vault: call it only for actors who may see arms, or for the per-case SUSAR unblinding.
 */
export async function armsOfParticipants(
  ctx: ServiceContext,
  participantIds: readonly string[],
  db: Executor = ctx.database.db,
): Promise<Map<string, ArmCode | null>> {
  const out = new Map<string, ArmCode | null>(participantIds.map((id) => [id, null]));
  if (participantIds.length === 0) return out;
  const rows = await db
    .selectFrom('randomizations')
    .select(['participant_id', 'kit'])
    .where('participant_id', 'in', [...new Set(participantIds)])
    .execute();
  if (rows.length === 0) return out;
  const kitArms = await loadKitArms(ctx, db);
  for (const r of rows) out.set(r.participant_id, kitArms.get(r.kit) ?? null);
  return out;
}

/** One participant's arm, or null (see `armsOfParticipants`). */
export async function armOfParticipant(
  ctx: ServiceContext,
  participantId: string,
  db: Executor = ctx.database.db,
): Promise<ArmCode | null> {
  return (await armsOfParticipants(ctx, [participantId], db)).get(participantId) ?? null;
}

/** Day 0 (the injection date, `YYYY-MM-DD`), or null before the injection. */
export async function day0OfParticipant(db: Executor, participantId: string): Promise<string | null> {
  return getDay0(db, participantId);
}

/** Whether the actor is a designated sponsor safety physician (active designation, data_manager role). */
export async function isSafetyPhysician(db: Executor, actor: Actor): Promise<boolean> {
  if (actor.kind !== 'user' || !actor.roles.includes('data_manager')) return false;
  const row = await db
    .selectFrom('safety_physicians')
    .select('user_id')
    .where('user_id', '=', actor.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Throws 403 unless the actor is a designated sponsor safety physician. */
export async function assertSafetyPhysician(db: Executor, actor: Actor): Promise<void> {
  if (!(await isSafetyPhysician(db, actor))) {
    throw forbidden(
      'Only a designated sponsor safety physician may do this (a data manager with the safety-physician designation)',
    );
  }
}

/** A designated physician as listed. */
export interface SafetyPhysicianView {
  userId: string;
  email: string;
  displayName: string;
  designatedAt: string;
  designatedBy: string;
  reason: string;
  active: boolean;
  revokedAt: string | null;
}

/** Every designation, active first. */
export async function listSafetyPhysicians(db: Executor): Promise<SafetyPhysicianView[]> {
  const rows = await db
    .selectFrom('safety_physicians')
    .innerJoin('users', 'users.id', 'safety_physicians.user_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'safety_physicians.designated_at',
      'safety_physicians.designated_by',
      'safety_physicians.reason',
      'safety_physicians.revoked_at',
    ])
    .orderBy('users.email')
    .execute();
  return rows
    .map((r) => ({
      userId: r.id,
      email: r.email,
      displayName: r.display_name,
      designatedAt: r.designated_at,
      designatedBy: r.designated_by,
      reason: r.reason,
      active: r.revoked_at === null,
      revokedAt: r.revoked_at,
    }))
    .sort((a, b) => Number(b.active) - Number(a.active));
}

/** Designates a study-wide data manager as sponsor safety physician (admin; audited). */
export async function designateSafetyPhysician(
  ctx: ServiceContext,
  actor: Actor,
  props: { email: string; reason: string },
): Promise<SafetyPhysicianView[]> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const user = await tx
      .selectFrom('users')
      .select(['id', 'email', 'status'])
      .where('email', '=', props.email.trim().toLowerCase())
      .executeTakeFirst();
    if (!user) throw invalid('Unknown user', [{ path: 'email', message: 'no such user' }]);
    if (user.status !== 'active') {
      throw invalid('The account is disabled', [{ path: 'email', message: 'account is disabled' }]);
    }
    const grant = await tx
      .selectFrom('role_grants')
      .select('id')
      .where('user_id', '=', user.id)
      .where('role', '=', 'data_manager')
      .where('site_id', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!grant) {
      throw invalid('A sponsor safety physician must hold the study-wide data_manager role', [
        { path: 'email', message: 'has no study-wide data_manager grant' },
      ]);
    }
    const existing = await tx
      .selectFrom('safety_physicians')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (existing && existing.revoked_at === null) {
      throw conflict(`${user.email} is already a designated safety physician`);
    }
    const by = actor.kind === 'user' ? actor.email : 'system';
    if (existing) {
      await tx
        .updateTable('safety_physicians')
        .set({ designated_by: by, designated_at: at, reason: props.reason.trim(), revoked_at: null, revoked_by: null })
        .where('user_id', '=', user.id)
        .execute();
    } else {
      await tx
        .insertInto('safety_physicians')
        .values({
          user_id: user.id,
          designated_by: by,
          designated_at: at,
          reason: props.reason.trim(),
          revoked_at: null,
          revoked_by: null,
        })
        .execute();
    }
    await audit({
      action: 'safety_physician.designated',
      entityType: 'user',
      entityId: user.id,
      after: { email: user.email },
      reason: props.reason.trim(),
    });
  });
  return listSafetyPhysicians(ctx.database.db);
}

/** Revokes a designation (admin; audited). */
export async function revokeSafetyPhysician(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  reason: string,
): Promise<SafetyPhysicianView[]> {
  if (!reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const existing = await tx
      .selectFrom('safety_physicians')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!existing || existing.revoked_at !== null) throw notFound('Active safety-physician designation');
    await tx
      .updateTable('safety_physicians')
      .set({ revoked_at: at, revoked_by: actor.kind === 'user' ? actor.email : 'system' })
      .where('user_id', '=', userId)
      .execute();
    await audit({ action: 'safety_physician.revoked', entityType: 'user', entityId: userId, reason: reason.trim() });
  });
  return listSafetyPhysicians(ctx.database.db);
}

/** An RSI version as listed. */
export interface RsiVersionView {
  version: string;
  title: string;
  effectiveFrom: string;
}

/** The issued RSI versions, oldest first. */
export async function listRsiVersions(db: Executor): Promise<RsiVersionView[]> {
  const rows = await db.selectFrom('rsi_versions').selectAll().orderBy('effective_from').orderBy('version').execute();
  return rows.map((r) => ({ version: r.version, title: r.title, effectiveFrom: r.effective_from }));
}

/** Issues a version of the reference safety information (e.g. "IB 3.0 §7.2"); audited. */
export async function issueRsiVersion(
  ctx: ServiceContext,
  actor: Actor,
  props: { version: string; title: string; effectiveFrom: string },
): Promise<RsiVersionView[]> {
  const version = props.version.trim();
  const issues = [];
  if (!version || version.length > 40) issues.push({ path: 'version', message: 'must be 1–40 characters' });
  if (!props.title.trim()) issues.push({ path: 'title', message: 'must not be empty' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(props.effectiveFrom)) {
    issues.push({ path: 'effectiveFrom', message: 'must be a date YYYY-MM-DD' });
  }
  if (issues.length > 0) throw invalid('The RSI version is not valid', issues);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const exists = await tx
      .selectFrom('rsi_versions')
      .select('version')
      .where('version', '=', version)
      .executeTakeFirst();
    if (exists) throw conflict('This RSI version already exists', [{ path: 'version', message: 'already exists' }]);
    await tx
      .insertInto('rsi_versions')
      .values({
        version,
        title: props.title.trim(),
        effective_from: props.effectiveFrom,
        created_by: actor.kind === 'user' ? actor.email : 'system',
        created_at: at,
      })
      .execute();
    await audit({
      action: 'rsi_version.issued',
      entityType: 'rsi_version',
      entityId: version,
      after: { version, title: props.title.trim(), effectiveFrom: props.effectiveFrom },
    });
  });
  return listRsiVersions(ctx.database.db);
}

/** E-mail addresses to notify about a case: the site's investigators, and (for sponsor matters) the safety physicians. */
export async function safetyRecipients(
  db: Executor,
  siteId: string,
  audience: 'site_and_sponsor' | 'sponsor',
): Promise<string[]> {
  const physicians = await db
    .selectFrom('safety_physicians')
    .innerJoin('users', 'users.id', 'safety_physicians.user_id')
    .select('users.email')
    .where('safety_physicians.revoked_at', 'is', null)
    .where('users.status', '=', 'active')
    .execute();
  let sponsor = physicians.map((r) => r.email);
  if (sponsor.length === 0) {
    // Without a designated physician the message must still reach the sponsor side: the study-wide data managers.
    const dms = await db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select('users.email')
      .where('role_grants.role', '=', 'data_manager')
      .where('role_grants.site_id', 'is', null)
      .where('role_grants.revoked_at', 'is', null)
      .where('users.status', '=', 'active')
      .execute();
    sponsor = dms.map((r) => r.email);
  }
  if (audience === 'sponsor') return [...new Set(sponsor)].sort();
  const site = await db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.email')
    .where('role_grants.role', '=', 'investigator')
    .where((eb) => eb.or([eb('role_grants.site_id', '=', siteId), eb('role_grants.site_id', 'is', null)]))
    .where('role_grants.revoked_at', 'is', null)
    .where('users.status', '=', 'active')
    .execute();
  return [...new Set([...site.map((r) => r.email), ...sponsor])].sort();
}
