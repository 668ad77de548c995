/**
 * TOTP two-factor authentication for staff: enrolment (a secret shown once, confirmed with a code),
 * single-use recovery codes, disabling one's own second factor where the role allows it, and the
 * administrator's reset. The secret is encrypted with the identity vault (its key never enters the
 * database) and never appears in an audit record or a log; recovery codes are stored hashed.
 * The sign-in steps that use these functions live in `auth.ts`.
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound, type FieldIssue, type TrialError } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import type { Executor } from '../storage/database.js';
import { runCommand, type CommandScope } from './command.js';
import { requireVault, type Actor, type ServiceContext } from './context.js';
import { verifyPassword } from './passwords.js';
import { securityDb } from './totp-store.js';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpUri, verifyTotpCode } from './totp-codes.js';

/** Whether holders of `roles` must use two-factor authentication under these settings. */
export const totpRequiredForRoles = (ctx: ServiceContext, roles: readonly Role[]): boolean =>
  roles.some((r) => ctx.security.totpRequiredRoles.includes(r));

/** Whether the user has a confirmed (active) TOTP second factor. */
export async function hasActiveTotp(db: Executor, userId: string): Promise<boolean> {
  const row = await securityDb(db)
    .selectFrom('user_totp')
    .select('status')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.status === 'active';
}

export interface TotpStatus {
  /** A confirmed second factor is in use. */
  enrolled: boolean;
  /** An enrolment was started but not yet confirmed with a code. */
  pending: boolean;
  /** The user's roles require two-factor authentication. */
  required: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
}

export async function getTotpStatus(ctx: ServiceContext, userId: string, roles: readonly Role[]): Promise<TotpStatus> {
  const db = securityDb(ctx.database.db);
  const row = await db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
  const left = await db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    enrolled: row?.status === 'active',
    pending: row?.status === 'pending',
    required: totpRequiredForRoles(ctx, roles),
    confirmedAt: row?.confirmed_at ?? null,
    recoveryCodesLeft: row?.status === 'active' ? Number(left.n) : 0,
  };
}

export interface TotpEnrolment {
  /** The base32 secret, shown once for manual entry. */
  secret: string;
  /** The otpauth:// URI for authenticator apps (shown once, e.g. as a QR code). */
  otpauthUri: string;
}

/**
 * Starts (or restarts) an enrolment: a new secret, stored encrypted as `pending` until confirmed.
 * Refused when a confirmed second factor exists (disable or reset it first).
 */
export async function beginTotpEnrolment(ctx: ServiceContext, actor: Actor, userId: string): Promise<TotpEnrolment> {
  const vault = requireVault(ctx);
  const secret = newTotpSecret();
  const sealed = vault.encrypt({ totp: secret });
  const email = await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const db = securityDb(tx);
      const user = await db.selectFrom('users').select(['email', 'status']).where('id', '=', userId).executeTakeFirst();
      if (!user) throw notFound('User');
      const existing = await db
        .selectFrom('user_totp')
        .select('status')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (existing?.status === 'active') {
        throw conflict(
          'Two-factor authentication is already set up for this account; disable it or ask an administrator to reset it first',
        );
      }
      if (existing) {
        await db
          .updateTable('user_totp')
          .set({ key_id: sealed.keyId, secret_ciphertext: sealed.ciphertext, last_used_step: null, updated_at: at })
          .where('user_id', '=', userId)
          .execute();
      } else {
        await db
          .insertInto('user_totp')
          .values({
            user_id: userId,
            status: 'pending',
            key_id: sealed.keyId,
            secret_ciphertext: sealed.ciphertext,
            last_used_step: null,
            created_at: at,
            confirmed_at: null,
            updated_at: at,
          })
          .execute();
      }
      // The secret itself is never audited; that an enrolment began is.
      await audit({ action: 'auth.totp_enrolment_started', entityType: 'user', entityId: userId });
      return user.email;
    },
    { allowWhenLocked: true },
  );
  return { secret, otpauthUri: totpUri(secret, email) };
}

async function loadSecret(
  ctx: ServiceContext,
  userId: string,
  status: 'pending' | 'active',
): Promise<{ secret: string; lastUsedStep: number | null; ciphertext: string } | null> {
  const row = await securityDb(ctx.database.db)
    .selectFrom('user_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row || row.status !== status) return null;
  const opened = requireVault(ctx).decrypt(row.key_id, row.secret_ciphertext) as { totp: string };
  return {
    secret: opened.totp,
    lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
    ciphertext: row.secret_ciphertext,
  };
}

/** Checks a code against the pending enrolment secret; the matched time step, or null. */
export async function checkPendingCode(
  ctx: ServiceContext,
  userId: string,
  code: string,
): Promise<{ step: number; ciphertext: string } | null> {
  const pending = await loadSecret(ctx, userId, 'pending');
  if (!pending) return null;
  const step = verifyTotpCode(pending.secret, code, ctx.now(), null);
  return step === null ? null : { step, ciphertext: pending.ciphertext };
}

/** Checks a code against the active secret (replays refused); the matched time step, or null. */
export async function checkActiveCode(ctx: ServiceContext, userId: string, code: string): Promise<number | null> {
  const active = await loadSecret(ctx, userId, 'active');
  if (!active) return null;
  return verifyTotpCode(active.secret, code, ctx.now(), active.lastUsedStep);
}

/**
 * Records the use of time step `step`, atomically: a concurrent request with the same code (or an
 * older one) finds the step taken and fails. Returns false when the step was already used.
 */
export async function claimTotpStep(scope: CommandScope, userId: string, step: number): Promise<boolean> {
  const r = await securityDb(scope.tx)
    .updateTable('user_totp')
    .set({ last_used_step: step, updated_at: scope.at })
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Spends one recovery code (atomically); false when it is unknown or already used. */
export async function consumeRecoveryCode(scope: CommandScope, userId: string, code: string): Promise<boolean> {
  const r = await securityDb(scope.tx)
    .updateTable('user_recovery_codes')
    .set({ used_at: scope.at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(userId, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Replaces the user's recovery codes with fresh ones; returns them (shown once). */
async function issueRecoveryCodes(scope: CommandScope, userId: string): Promise<string[]> {
  const db = securityDb(scope.tx);
  const codes = newRecoveryCodes();
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('user_recovery_codes')
    .values(
      codes.map((c) => ({
        id: randomUUID(),
        user_id: userId,
        code_hash: hashRecoveryCode(userId, c),
        created_at: scope.at,
        used_at: null,
      })),
    )
    .execute();
  return codes;
}

/**
 * Inside a command: turns a pending enrolment whose code was checked (`checkPendingCode`) into the
 * active second factor and issues recovery codes. Fails if the enrolment changed in between.
 */
export async function activateTotpInScope(
  scope: CommandScope,
  userId: string,
  checked: { step: number; ciphertext: string },
): Promise<string[]> {
  const r = await securityDb(scope.tx)
    .updateTable('user_totp')
    .set({ status: 'active', last_used_step: checked.step, confirmed_at: scope.at, updated_at: scope.at })
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .where('secret_ciphertext', '=', checked.ciphertext)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw conflict('The enrolment changed while it was being confirmed; start again');
  const codes = await issueRecoveryCodes(scope, userId);
  await scope.audit({
    action: 'auth.totp_enrolled',
    entityType: 'user',
    entityId: userId,
    after: { recoveryCodes: codes.length },
  });
  return codes;
}

const wrongCode = (path = 'code'): TrialError =>
  invalid('The code was not accepted', [{ path, message: 'is not the current code of your authenticator app' }]);

/** Confirms the signed-in user's own pending enrolment with a code; returns the recovery codes. */
export async function confirmTotpEnrolment(
  ctx: ServiceContext,
  actor: Extract<Actor, { kind: 'user' }>,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const checked = await checkPendingCode(ctx, actor.userId, code);
  if (!checked) {
    const pending = await loadSecret(ctx, actor.userId, 'pending');
    if (!pending) throw conflict('No two-factor enrolment is in progress; start one first');
    throw wrongCode();
  }
  const recoveryCodes = await runCommand(ctx, actor, (scope) => activateTotpInScope(scope, actor.userId, checked), {
    allowWhenLocked: true,
  });
  return { recoveryCodes };
}

/** New recovery codes for the signed-in user (the old ones stop working); needs a current code. */
export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  actor: Extract<Actor, { kind: 'user' }>,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  if (!(await hasActiveTotp(ctx.database.db, actor.userId))) {
    throw conflict('Two-factor authentication is not set up for this account');
  }
  const step = await checkActiveCode(ctx, actor.userId, code);
  if (step === null) throw wrongCode();
  const recoveryCodes = await runCommand(
    ctx,
    actor,
    async (scope) => {
      if (!(await claimTotpStep(scope, actor.userId, step))) throw wrongCode();
      const codes = await issueRecoveryCodes(scope, actor.userId);
      await scope.audit({
        action: 'auth.totp_recovery_codes_regenerated',
        entityType: 'user',
        entityId: actor.userId,
        after: { recoveryCodes: codes.length },
      });
      return codes;
    },
    { allowWhenLocked: true },
  );
  return { recoveryCodes };
}

async function removeTotp(scope: CommandScope, userId: string): Promise<boolean> {
  const db = securityDb(scope.tx);
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Turns off the signed-in user's own second factor (password and a current code required). Refused
 * when their roles require two-factor authentication: then only an administrator's reset helps.
 */
export async function disableOwnTotp(
  ctx: ServiceContext,
  actor: Extract<Actor, { kind: 'user' }>,
  props: { password: string; code: string },
): Promise<void> {
  if (totpRequiredForRoles(ctx, actor.roles)) {
    throw conflict(
      'Two-factor authentication is required for your role and cannot be turned off; an administrator can reset it if you lost your device',
    );
  }
  if (!(await hasActiveTotp(ctx.database.db, actor.userId))) {
    throw conflict('Two-factor authentication is not set up for this account');
  }
  const user = await ctx.database.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  const issues: FieldIssue[] = [];
  if (!(await verifyPassword(user.password_hash, props.password))) {
    issues.push({ path: 'password', message: 'is not your current password' });
  }
  const step = await checkActiveCode(ctx, actor.userId, props.code);
  if (step === null) issues.push({ path: 'code', message: 'is not the current code of your authenticator app' });
  if (issues.length > 0) throw invalid('Two-factor authentication was not turned off', issues);
  await runCommand(
    ctx,
    actor,
    async (scope) => {
      if (!(await claimTotpStep(scope, actor.userId, step!))) throw wrongCode();
      await removeTotp(scope, actor.userId);
      await scope.audit({ action: 'auth.totp_disabled', entityType: 'user', entityId: actor.userId });
    },
    { allowWhenLocked: true },
  );
}

/**
 * The administrator's reset (lost phone): removes the user's second factor and recovery codes and
 * ends their sessions. If their role requires two-factor authentication they enrol again at their
 * next sign-in. With a reason, audited.
 */
export async function resetUserTotp(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  reason: string,
): Promise<{ removed: boolean }> {
  if (reason.trim() === '') throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  return runCommand(
    ctx,
    actor,
    async (scope) => {
      const user = await scope.tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!user) throw notFound('User');
      const removed = await removeTotp(scope, userId);
      await scope.tx
        .updateTable('sessions')
        .set({ revoked_at: scope.at })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
      await securityDb(scope.tx)
        .updateTable('login_challenges')
        .set({ consumed_at: scope.at })
        .where('user_id', '=', userId)
        .where('consumed_at', 'is', null)
        .execute();
      await scope.audit({
        action: 'user.totp_reset',
        entityType: 'user',
        entityId: userId,
        after: { removed },
        reason: reason.trim(),
      });
      return { removed };
    },
    { allowWhenLocked: true },
  );
}
