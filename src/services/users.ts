/**
 * Staff accounts: creation with role grants, listing, disabling (never deleting: the audit trail
 * keeps pointing at them), password resets and role changes. Every change is audited.
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound, type FieldIssue } from '../core/errors.js';
import { isStaffRole, type Role } from '../core/roles.js';
import type { Executor } from '../storage/database.js';
import { runCommand } from './command.js';
import type { Actor, RoleGrant, ServiceContext } from './context.js';
import { checkPasswordPolicy, generatePassword, hashPassword, type PasswordHashCost } from './passwords.js';

export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
  locked: boolean;
  locale: string;
  grants: RoleGrant[];
  createdAt: string;
}

export interface CreateUserProps {
  email: string;
  displayName: string;
  /** When omitted a one-time password is generated and returned; the user must change it. */
  password?: string;
  grants: RoleGrant[];
  locale?: 'en' | 'da';
  /** Only the trial simulator sets this, for its own accounts (see `hashPassword`). */
  passwordHashCost?: PasswordHashCost;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function checkGrants(db: Executor, grants: RoleGrant[]): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (grants.length === 0) issues.push({ path: 'grants', message: 'at least one role is required' });
  for (const [i, g] of grants.entries()) {
    if (!isStaffRole(g.role)) issues.push({ path: `grants[${i}].role`, message: `unknown staff role "${g.role}"` });
    if (g.siteId !== null) {
      const site = await db.selectFrom('sites').select('id').where('id', '=', g.siteId).executeTakeFirst();
      if (!site) issues.push({ path: `grants[${i}].siteId`, message: `unknown site "${g.siteId}"` });
    }
  }
  return issues;
}

/** Grants the user `grants` from `at`, granted by the acting user (none for the system). */
async function insertGrants(
  tx: Executor,
  userId: string,
  grants: RoleGrant[],
  actor: Actor,
  at: string,
): Promise<void> {
  for (const g of grants) {
    await tx
      .insertInto('role_grants')
      .values({
        id: randomUUID(),
        user_id: userId,
        role: g.role,
        site_id: g.siteId,
        granted_at: at,
        granted_by: actor.kind === 'user' ? actor.userId : null,
        revoked_at: null,
      })
      .execute();
  }
}

export async function createUser(
  ctx: ServiceContext,
  actor: Actor,
  props: CreateUserProps,
): Promise<{ user: UserSummary; oneTimePassword: string | null }> {
  const email = normalizeEmail(props.email);
  const issues: FieldIssue[] = [];
  if (!EMAIL_PATTERN.test(email) || email.length > 254) {
    issues.push({ path: 'email', message: 'must be an e-mail address' });
  }
  if (props.displayName.trim() === '') issues.push({ path: 'displayName', message: 'must not be empty' });
  if (props.password !== undefined) issues.push(...checkPasswordPolicy(props.password, ctx.security.minPasswordLength));
  issues.push(...(await checkGrants(ctx.database.db, props.grants)));
  if (issues.length > 0) throw invalid('The user could not be created', issues);

  const oneTimePassword = props.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(props.password ?? (oneTimePassword as string), props.passwordHashCost);
  const id = randomUUID();
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const existing = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      if (existing) {
        throw conflict('A user with this e-mail address already exists', [
          { path: 'email', message: 'already in use' },
        ]);
      }
      await tx
        .insertInto('users')
        .values({
          id,
          email,
          display_name: props.displayName.trim(),
          password_hash: passwordHash,
          status: 'active',
          failed_logins: 0,
          locked_until: null,
          must_change_password: oneTimePassword ? 1 : 0,
          locale: props.locale ?? 'en',
          created_at: at,
          updated_at: at,
          password_changed_at: at,
        })
        .execute();
      await insertGrants(tx, id, props.grants, actor, at);
      await audit({
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        after: { email, displayName: props.displayName.trim(), grants: props.grants, status: 'active' },
      });
    },
    { allowWhenLocked: true },
  );
  return { user: await getUser(ctx.database.db, id, ctx.now()), oneTimePassword };
}

export async function getGrants(db: Executor, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select(['role', 'site_id'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('granted_at')
    .execute();
  return rows.map((r) => ({ role: r.role as Role, siteId: r.site_id }));
}

export async function getUser(db: Executor, id: string, now: Date): Promise<UserSummary> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('User');
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    locked: row.locked_until !== null && row.locked_until > now.toISOString(),
    locale: row.locale,
    grants: await getGrants(db, row.id),
    createdAt: row.created_at,
  };
}

export async function findUserIdByEmail(db: Executor, email: string): Promise<string> {
  const row = await db.selectFrom('users').select('id').where('email', '=', normalizeEmail(email)).executeTakeFirst();
  if (!row) throw notFound(`User ${normalizeEmail(email)}`);
  return row.id;
}

/** The acting user behind an e-mail address, with their current grants (for the demo, the simulator and tools). */
export async function actorForEmail(db: Executor, email: string): Promise<Extract<Actor, { kind: 'user' }>> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  if (!row) throw notFound(`User ${normalizeEmail(email)}`);
  const grants = await getGrants(db, row.id);
  return {
    kind: 'user',
    userId: row.id,
    email: row.email,
    displayName: row.display_name,
    grants,
    roles: [...new Set(grants.map((g) => g.role))],
  };
}

export async function listUsers(ctx: ServiceContext): Promise<UserSummary[]> {
  const rows = await ctx.database.db.selectFrom('users').select('id').orderBy('email').execute();
  const now = ctx.now();
  return Promise.all(rows.map((r) => getUser(ctx.database.db, r.id, now)));
}

/** Tables whose rows belong to a user and end by setting `revoked_at`. */
type RevocableByUser = 'sessions' | 'api_tokens' | 'role_grants';

/** Ends the user's rows in `table` that are still open. */
async function revokeOpenRows(tx: Executor, table: RevocableByUser, userId: string, at: string): Promise<void> {
  await tx
    .updateTable(table)
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

function requireReason(reason: string): void {
  if (reason.trim() === '') throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
}

/**
 * Moves a user to `status` (nothing happens, and nothing is audited, when they are there already),
 * with what that status change does besides (`apply`), in one audited command.
 */
async function setUserStatus(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  reason: string,
  status: UserSummary['status'],
  apply: (tx: Executor, at: string) => Promise<void>,
): Promise<UserSummary> {
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const row = await tx.selectFrom('users').select(['status']).where('id', '=', userId).executeTakeFirst();
      if (!row) throw notFound('User');
      if (row.status === status) return;
      await apply(tx, at);
      await audit({
        action: status === 'disabled' ? 'user.disabled' : 'user.enabled',
        entityType: 'user',
        entityId: userId,
        before: { status: row.status },
        after: { status },
        reason,
      });
    },
    { allowWhenLocked: true },
  );
  return getUser(ctx.database.db, userId, ctx.now());
}

export async function disableUser(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  reason: string,
): Promise<UserSummary> {
  requireReason(reason);
  if (actor.kind === 'user' && actor.userId === userId) {
    throw conflict('You cannot disable your own account', [{ path: 'userId', message: 'is your own account' }]);
  }
  return setUserStatus(ctx, actor, userId, reason, 'disabled', async (tx, at) => {
    await tx.updateTable('users').set({ status: 'disabled', updated_at: at }).where('id', '=', userId).execute();
    // A disabled user's sessions and tokens end with it.
    await revokeOpenRows(tx, 'sessions', userId, at);
    await revokeOpenRows(tx, 'api_tokens', userId, at);
  });
}

export async function enableUser(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  reason: string,
): Promise<UserSummary> {
  requireReason(reason);
  return setUserStatus(ctx, actor, userId, reason, 'active', async (tx, at) => {
    await tx
      .updateTable('users')
      .set({ status: 'active', failed_logins: 0, locked_until: null, updated_at: at })
      .where('id', '=', userId)
      .execute();
  });
}

/**
 * Sets a new password (given, or generated and returned once). Clears lockout; ends the user's
 * sessions; a generated password must be changed at the next login.
 */
export async function resetPassword(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  newPassword?: string,
): Promise<{ oneTimePassword: string | null }> {
  if (newPassword !== undefined) {
    const issues = checkPasswordPolicy(newPassword, ctx.security.minPasswordLength);
    if (issues.length > 0) throw invalid('The password does not meet the policy', issues);
  }
  const oneTimePassword = newPassword === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(newPassword ?? (oneTimePassword as string));
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const row = await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!row) throw notFound('User');
      await tx
        .updateTable('users')
        .set({
          password_hash: passwordHash,
          must_change_password: oneTimePassword ? 1 : 0,
          failed_logins: 0,
          locked_until: null,
          password_changed_at: at,
          updated_at: at,
        })
        .where('id', '=', userId)
        .execute();
      await revokeOpenRows(tx, 'sessions', userId, at);
      // The password itself is never audited, only that it changed.
      await audit({
        action: 'user.password_reset',
        entityType: 'user',
        entityId: userId,
        after: { mustChangePassword: oneTimePassword !== null },
      });
    },
    { allowWhenLocked: true },
  );
  return { oneTimePassword };
}

export async function setGrants(
  ctx: ServiceContext,
  actor: Actor,
  userId: string,
  grants: RoleGrant[],
  reason: string,
): Promise<UserSummary> {
  const issues = await checkGrants(ctx.database.db, grants);
  if (reason.trim() === '') issues.push({ path: 'reason', message: 'must not be empty' });
  if (issues.length > 0) throw invalid('The roles could not be changed', issues);
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const before = await getGrants(tx, userId);
      const row = await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!row) throw notFound('User');
      await revokeOpenRows(tx, 'role_grants', userId, at);
      await insertGrants(tx, userId, grants, actor, at);
      // A change of privileges ends the user's sessions at once: they sign in again under the new roles.
      await revokeOpenRows(tx, 'sessions', userId, at);
      await audit({
        action: 'user.grants_changed',
        entityType: 'user',
        entityId: userId,
        before,
        after: grants,
        reason,
      });
    },
    { allowWhenLocked: true },
  );
  return getUser(ctx.database.db, userId, ctx.now());
}
