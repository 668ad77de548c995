/**
 * Authentication: password login with per-account lockout and a per-address rate limit (both kept
 * in the database so every app instance sees the same counts), the TOTP second step, server-side
 * sessions, personal API tokens, and the e-signature primitive. Secrets are random 256-bit values;
 * only their SHA-256 is stored, so a copy of the database does not let anyone in.
 *
 * Sign-in is one or two steps. The password step either opens a session, or — for a user with a
 * second factor, or whose role requires one — opens a short-lived *challenge* that grants nothing
 * but the right to present a TOTP code (or a recovery code), or to enrol, within a few minutes and
 * a few attempts. Every step, successful or not, is in the audit trail.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { conflict, invalid, TrialError, unauthenticated, type FieldIssue } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import { reusableQuery } from '../storage/reusable-query.js';
import type { Executor } from '../storage/database.js';
import type { LoginChallengeTable } from '../storage/schema-security.js';
import { runCommand, type CommandScope } from './command.js';
import { systemActor, type Actor, type ServiceContext } from './context.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import {
  activateTotpInScope,
  beginTotpEnrolment,
  checkActiveCode,
  checkPendingCode,
  claimTotpStep,
  consumeRecoveryCode,
  hasActiveTotp,
  totpRequiredForRoles,
  type TotpEnrolment,
} from './totp.js';
import { securityDb } from './totp-store.js';
import { getGrants, normalizeEmail } from './users.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const newSecret = (): string => randomBytes(32).toString('base64url');
const addMinutes = (d: Date, minutes: number): Date => new Date(d.getTime() + minutes * 60_000);

export interface SessionInfo {
  csrfToken: string;
  expiresAt: string;
  mustChangePassword: boolean;
}

export interface LoginResult extends SessionInfo {
  /** The session secret for the cookie; never stored, never logged. */
  sessionSecret: string;
  userId: string;
}

/** What the second step needs: `totp` = enter a code; `totp_enrolment` = set up a second factor first. */
export type LoginChallengePurpose = LoginChallengeTable['purpose'];

export interface LoginChallenge {
  status: 'totp_required' | 'totp_enrolment_required';
  /** The challenge secret for its HttpOnly cookie; never stored, never logged. */
  challengeSecret: string;
  challengeExpiresAt: string;
  userId: string;
}

/** The outcome of the password step: a session, or a second step to take. */
export type LoginOutcome = ({ status: 'signed_in' } & LoginResult) | LoginChallenge;

// A dummy hash to verify against when the e-mail is unknown, so response time does not reveal
// which addresses have accounts.
let dummyHash: Promise<string> | null = null;
const getDummyHash = (): Promise<string> => (dummyHash ??= hashPassword('not-a-real-password-000'));

/**
 * Counts one hit in a fixed one-minute window; throws rate_limited when the window is full. Used by
 * every sign-in step (per client address) and by the code checks of signed-in users (per account).
 */
export async function limitAttempts(ctx: ServiceContext, bucket: string, limit: number): Promise<void> {
  const now = ctx.now();
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  const hits = await ctx.database.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('rate_limits')
      .values({ bucket, window_start: windowStart, hits: 1 })
      .onConflict((oc) =>
        oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    // Old windows are worthless; trim them as we go instead of running a sweeper.
    await tx
      .deleteFrom('rate_limits')
      .where('window_start', '<', new Date(now.getTime() - 3_600_000).toISOString())
      .execute();
    return row.hits;
  });
  if (hits > limit) throw new TrialError('rate_limited', 'Too many attempts; wait a minute and try again');
}

const loginActor = (user: { id: string; email: string; display_name: string }): Extract<Actor, { kind: 'user' }> => ({
  kind: 'user',
  userId: user.id,
  email: user.email,
  displayName: user.display_name,
  grants: [],
  roles: [],
});

/** Ends the session whose secret the browser still presented when signing in again (rotation). */
async function revokePreviousSession(
  scope: CommandScope,
  userId: string,
  previousSessionSecret: string | undefined,
): Promise<void> {
  if (!previousSessionSecret) return;
  await scope.tx
    .updateTable('sessions')
    .set({ revoked_at: scope.at })
    .where('id_hash', '=', sha256(previousSessionSecret))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Inside a command: opens a new session (a fresh random id, never a reused one) and audits the login. */
async function openSession(
  ctx: ServiceContext,
  scope: CommandScope,
  user: { id: string; must_change_password: number },
  secondFactor: 'none' | 'totp' | 'recovery_code' | 'totp_enrolment',
): Promise<LoginResult> {
  const sessionSecret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = addMinutes(ctx.now(), ctx.security.sessionAbsoluteHours * 60).toISOString();
  await scope.tx
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, updated_at: scope.at })
    .where('id', '=', user.id)
    .execute();
  await scope.tx
    .insertInto('sessions')
    .values({
      id_hash: sha256(sessionSecret),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: scope.at,
      last_seen_at: scope.at,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  await scope.audit({
    action: 'auth.login',
    entityType: 'user',
    entityId: user.id,
    after: { sessionExpiresAt: expiresAt, secondFactor },
  });
  return { sessionSecret, csrfToken, expiresAt, userId: user.id, mustChangePassword: user.must_change_password === 1 };
}

/** Counts a failed sign-in against the account (shared by wrong passwords and wrong codes) and locks it at the threshold. */
async function recordAccountFailure(
  ctx: ServiceContext,
  scope: CommandScope,
  userId: string,
  reason: string,
): Promise<void> {
  const current = await scope.tx
    .selectFrom('users')
    .select(['failed_logins', 'locked_until'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const failures = current.failed_logins + 1;
  const lock = failures >= ctx.security.lockoutThreshold;
  await scope.tx
    .updateTable('users')
    .set({
      failed_logins: lock ? 0 : failures,
      locked_until: lock ? addMinutes(ctx.now(), ctx.security.lockoutMinutes).toISOString() : current.locked_until,
      updated_at: scope.at,
    })
    .where('id', '=', userId)
    .execute();
  await scope.audit({
    action: 'auth.login_failed',
    entityType: 'user',
    entityId: userId,
    after: { reason, consecutiveFailures: failures },
  });
  if (lock) {
    await scope.audit({
      action: 'auth.account_locked',
      entityType: 'user',
      entityId: userId,
      after: { minutes: ctx.security.lockoutMinutes },
    });
  }
}

export async function login(
  ctx: ServiceContext,
  props: { email: string; password: string; clientAddress: string; previousSessionSecret?: string },
): Promise<LoginOutcome> {
  await limitAttempts(ctx, `login:${props.clientAddress}`, ctx.security.loginAttemptsPerMinute);
  const email = normalizeEmail(props.email);
  const user = await ctx.database.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  if (!user) {
    await verifyPassword(await getDummyHash(), props.password);
    await runCommand(
      ctx,
      systemActor('auth'),
      ({ audit }) =>
        audit({
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: 'unknown',
          after: { reason: 'unknown_account' },
        }),
      { allowWhenLocked: true },
    );
    throw new TrialError('invalid_credentials', 'Wrong e-mail address or password');
  }
  const nowIso = ctx.now().toISOString();
  if (user.locked_until !== null && user.locked_until > nowIso) {
    await runCommand(
      ctx,
      systemActor('auth'),
      ({ audit }) =>
        audit({ action: 'auth.login_refused', entityType: 'user', entityId: user.id, after: { reason: 'locked' } }),
      { allowWhenLocked: true },
    );
    throw new TrialError(
      'account_locked',
      `This account is locked after repeated failed logins until ${user.locked_until}; ask an administrator or wait`,
    );
  }
  const passwordOk = await verifyPassword(user.password_hash, props.password);
  if (!passwordOk) {
    await runCommand(ctx, systemActor('auth'), (scope) => recordAccountFailure(ctx, scope, user.id, 'wrong_password'), {
      allowWhenLocked: true,
    });
    throw new TrialError('invalid_credentials', 'Wrong e-mail address or password');
  }
  if (user.status !== 'active') {
    await runCommand(
      ctx,
      systemActor('auth'),
      ({ audit }) =>
        audit({ action: 'auth.login_refused', entityType: 'user', entityId: user.id, after: { reason: 'disabled' } }),
      { allowWhenLocked: true },
    );
    throw new TrialError('account_disabled', 'This account has been disabled; contact the study administrator');
  }
  const roles = [...new Set((await getGrants(ctx.database.db, user.id)).map((g) => g.role))] as Role[];
  const totpActive = await hasActiveTotp(ctx.database.db, user.id);
  if (totpActive || totpRequiredForRoles(ctx, roles)) {
    // Second step. The failure counter is NOT reset here: wrong codes count on from wrong passwords,
    // so knowing the password does not buy unlimited guesses at the code.
    const purpose: LoginChallengePurpose = totpActive ? 'totp' : 'totp_enrolment';
    const challengeSecret = newSecret();
    const challengeExpiresAt = addMinutes(ctx.now(), ctx.security.loginChallengeMinutes).toISOString();
    await runCommand(
      ctx,
      loginActor(user),
      async (scope) => {
        await revokePreviousSession(scope, user.id, props.previousSessionSecret);
        const db = securityDb(scope.tx);
        await db
          .deleteFrom('login_challenges')
          .where('expires_at', '<', new Date(ctx.now().getTime() - 86_400_000).toISOString())
          .execute();
        await db
          .insertInto('login_challenges')
          .values({
            id_hash: sha256(challengeSecret),
            user_id: user.id,
            purpose,
            created_at: scope.at,
            expires_at: challengeExpiresAt,
            attempts: 0,
            consumed_at: null,
          })
          .execute();
        await scope.audit({
          action: 'auth.password_verified',
          entityType: 'user',
          entityId: user.id,
          after: { next: purpose, challengeExpiresAt },
        });
      },
      { allowWhenLocked: true },
    );
    return {
      status: purpose === 'totp' ? 'totp_required' : 'totp_enrolment_required',
      challengeSecret,
      challengeExpiresAt,
      userId: user.id,
    };
  }
  const session = await runCommand(
    ctx,
    loginActor(user),
    async (scope) => {
      await revokePreviousSession(scope, user.id, props.previousSessionSecret);
      return openSession(ctx, scope, user, 'none');
    },
    { allowWhenLocked: true },
  );
  return { status: 'signed_in', ...session };
}

const challengeGone = (): TrialError =>
  unauthenticated('This sign-in step has expired or was already used; sign in again with your password');

/** The user behind a live challenge of the given purpose; throws unauthenticated otherwise (no audit: nobody to attribute it to). */
async function loadChallenge(ctx: ServiceContext, challengeSecret: string, purpose: LoginChallengePurpose) {
  const challenge = await securityDb(ctx.database.db)
    .selectFrom('login_challenges')
    .selectAll()
    .where('id_hash', '=', sha256(challengeSecret))
    .executeTakeFirst();
  if (
    !challenge ||
    challenge.consumed_at !== null ||
    challenge.purpose !== purpose ||
    challenge.expires_at <= ctx.now().toISOString()
  ) {
    throw challengeGone();
  }
  const user = await ctx.database.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', challenge.user_id)
    .executeTakeFirstOrThrow();
  if (user.status !== 'active') {
    throw new TrialError('account_disabled', 'This account has been disabled; contact the study administrator');
  }
  if (user.locked_until !== null && user.locked_until > ctx.now().toISOString()) {
    throw new TrialError(
      'account_locked',
      `This account is locked after repeated failed logins until ${user.locked_until}; ask an administrator or wait`,
    );
  }
  return { challenge, user };
}

/** Inside a command: uses up the challenge (atomically, so two requests cannot both complete it). */
async function consumeChallenge(scope: CommandScope, idHash: string): Promise<void> {
  const r = await securityDb(scope.tx)
    .updateTable('login_challenges')
    .set({ consumed_at: scope.at })
    .where('id_hash', '=', idHash)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw challengeGone();
}

/** Inside a command: counts a wrong code against the challenge, voiding it at the limit. */
async function countChallengeAttempt(ctx: ServiceContext, scope: CommandScope, idHash: string): Promise<boolean> {
  const db = securityDb(scope.tx);
  const row = await db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_hash', '=', idHash)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  const void_ = row.attempts >= ctx.security.loginChallengeAttempts;
  if (void_) {
    await db
      .updateTable('login_challenges')
      .set({ consumed_at: scope.at })
      .where('id_hash', '=', idHash)
      .where('consumed_at', 'is', null)
      .execute();
  }
  return void_;
}

/**
 * The second sign-in step: a TOTP code (or one recovery code) for the challenge that the password
 * step opened. Wrong codes count against the challenge and the account's lockout; a code is never
 * accepted twice.
 */
export async function completeTotpLogin(
  ctx: ServiceContext,
  props: { challengeSecret: string; code?: string; recoveryCode?: string; clientAddress: string },
): Promise<LoginResult & { recoveryCodesLeft: number | null }> {
  await limitAttempts(ctx, `login:${props.clientAddress}`, ctx.security.loginAttemptsPerMinute);
  if ((props.code === undefined) === (props.recoveryCode === undefined)) {
    throw invalid('Give either a code from your authenticator app or a recovery code', [
      { path: 'code', message: 'give either code or recoveryCode' },
    ]);
  }
  const { challenge, user } = await loadChallenge(ctx, props.challengeSecret, 'totp');
  const step = props.code !== undefined ? await checkActiveCode(ctx, user.id, props.code) : null;
  const outcome = await runCommand(
    ctx,
    loginActor(user),
    async (scope) => {
      const ok =
        props.code !== undefined
          ? step !== null && (await claimTotpStep(scope, user.id, step))
          : await consumeRecoveryCode(scope, user.id, props.recoveryCode!);
      if (!ok) {
        const voided = await countChallengeAttempt(ctx, scope, challenge.id_hash);
        await recordAccountFailure(
          ctx,
          scope,
          user.id,
          props.code !== undefined ? 'wrong_totp_code' : 'wrong_recovery_code',
        );
        return { ok: false as const, voided };
      }
      await consumeChallenge(scope, challenge.id_hash);
      let recoveryCodesLeft: number | null = null;
      if (props.recoveryCode !== undefined) {
        const left = await securityDb(scope.tx)
          .selectFrom('user_recovery_codes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', user.id)
          .where('used_at', 'is', null)
          .executeTakeFirstOrThrow();
        recoveryCodesLeft = Number(left.n);
        await scope.audit({
          action: 'auth.recovery_code_used',
          entityType: 'user',
          entityId: user.id,
          after: { recoveryCodesLeft },
        });
      }
      const session = await openSession(ctx, scope, user, props.code !== undefined ? 'totp' : 'recovery_code');
      return { ok: true as const, session: { ...session, recoveryCodesLeft } };
    },
    { allowWhenLocked: true },
  );
  if (!outcome.ok) {
    if (outcome.voided) throw unauthenticated('Too many wrong codes; sign in again with your password');
    throw new TrialError(
      'invalid_credentials',
      props.code !== undefined ? 'Wrong code from the authenticator app' : 'Wrong or already used recovery code',
    );
  }
  return outcome.session;
}

/** Enrolment during sign-in (roles that require a second factor): a new secret for the challenge's user. */
export async function startLoginTotpEnrolment(
  ctx: ServiceContext,
  props: { challengeSecret: string; clientAddress: string },
): Promise<TotpEnrolment & { challengeExpiresAt: string }> {
  await limitAttempts(ctx, `login:${props.clientAddress}`, ctx.security.loginAttemptsPerMinute);
  const { challenge, user } = await loadChallenge(ctx, props.challengeSecret, 'totp_enrolment');
  const enrolment = await beginTotpEnrolment(ctx, loginActor(user), user.id);
  return { ...enrolment, challengeExpiresAt: challenge.expires_at };
}

/** Confirms the enrolment started during sign-in with a code; opens the session and returns the recovery codes (shown once). */
export async function confirmLoginTotpEnrolment(
  ctx: ServiceContext,
  props: { challengeSecret: string; code: string; clientAddress: string },
): Promise<LoginResult & { recoveryCodes: string[] }> {
  await limitAttempts(ctx, `login:${props.clientAddress}`, ctx.security.loginAttemptsPerMinute);
  const { challenge, user } = await loadChallenge(ctx, props.challengeSecret, 'totp_enrolment');
  const checked = await checkPendingCode(ctx, user.id, props.code);
  const outcome = await runCommand(
    ctx,
    loginActor(user),
    async (scope) => {
      if (!checked) {
        const voided = await countChallengeAttempt(ctx, scope, challenge.id_hash);
        await scope.audit({
          action: 'auth.totp_enrolment_failed',
          entityType: 'user',
          entityId: user.id,
          after: { reason: 'wrong_code', challengeVoided: voided },
        });
        return { ok: false as const, voided };
      }
      await consumeChallenge(scope, challenge.id_hash);
      const recoveryCodes = await activateTotpInScope(scope, user.id, checked);
      const session = await openSession(ctx, scope, user, 'totp_enrolment');
      return { ok: true as const, session: { ...session, recoveryCodes } };
    },
    { allowWhenLocked: true },
  );
  if (!outcome.ok) {
    if (outcome.voided) throw unauthenticated('Too many wrong codes; sign in again with your password');
    const pending = await securityDb(ctx.database.db)
      .selectFrom('user_totp')
      .select('status')
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (!pending) throw conflict('No two-factor enrolment is in progress; start one first');
    throw invalid('The code was not accepted', [
      { path: 'code', message: 'is not the current code of your authenticator app' },
    ]);
  }
  return outcome.session;
}

export interface Authenticated {
  actor: Extract<Actor, { kind: 'user' }>;
  via: 'session' | 'token';
  /** Present for cookie sessions: the token that writes must echo in X-CSRF-Token. */
  session?: SessionInfo & { idHash: string };
}

// The lookups of every authenticated request, compiled once (see reusable-query.ts).
const sessionByIdHash = reusableQuery((db, idHash: string) =>
  db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash),
);
const userById = reusableQuery((db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id));
const allGrantsOfUser = reusableQuery((db, userId: string) =>
  db
    .selectFrom('role_grants')
    .select(['role', 'site_id', 'granted_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('granted_at'),
);

/**
 * The signed-in user with their current grants. With `sessionOpenedAt`, a grant made or revoked
 * after it ends the session: new rights come with a new session id. Every grant row of the user
 * (revoked ones too) is read in one query, since this runs on every authenticated request.
 */
async function loadActor(
  db: Executor,
  userId: string,
  now: string,
  sessionOpenedAt?: string,
): Promise<{ actor: Authenticated['actor']; mustChangePassword: boolean }> {
  const [user] = await userById(db, userId);
  if (!user) throw unauthenticated();
  if (user.status !== 'active') throw new TrialError('account_disabled', 'This account has been disabled');
  if (user.locked_until !== null && user.locked_until > now) {
    throw new TrialError('account_locked', 'This account is locked');
  }
  const rows = await allGrantsOfUser(db, userId);
  if (
    sessionOpenedAt !== undefined &&
    rows.some((r) => r.granted_at > sessionOpenedAt || (r.revoked_at !== null && r.revoked_at > sessionOpenedAt))
  ) {
    throw new TrialError('session_expired', 'Your roles have changed; please sign in again');
  }
  const grants = rows.filter((r) => r.revoked_at === null).map((r) => ({ role: r.role as Role, siteId: r.site_id }));
  const roles = [...new Set(grants.map((g) => g.role))];
  return {
    actor: { kind: 'user', userId: user.id, email: user.email, displayName: user.display_name, grants, roles },
    mustChangePassword: user.must_change_password === 1,
  };
}

/** Resolves a session cookie; throws session_expired / unauthenticated / account_* otherwise. */
export async function authenticateSession(ctx: ServiceContext, sessionSecret: string): Promise<Authenticated> {
  const idHash = sha256(sessionSecret);
  const db = ctx.database.db;
  const [session] = await sessionByIdHash(db, idHash);
  if (!session || session.revoked_at !== null) throw unauthenticated('Not signed in (or signed out); please sign in');
  const now = ctx.now();
  const nowIso = now.toISOString();
  const idleDeadline = addMinutes(new Date(session.last_seen_at), ctx.security.sessionIdleMinutes).toISOString();
  if (session.expires_at <= nowIso || idleDeadline <= nowIso) {
    throw new TrialError('session_expired', 'Your session has expired; please sign in again');
  }
  // A privilege change ends the sessions opened before it (checked inside loadActor).
  const { actor, mustChangePassword } = await loadActor(db, session.user_id, nowIso, session.created_at);
  // Defence in depth: a session opened before two-factor became required for this role (or
  // before an administrator reset the second factor) does not carry on without one.
  if (totpRequiredForRoles(ctx, actor.roles) && !(await hasActiveTotp(db, actor.userId))) {
    throw new TrialError(
      'session_expired',
      'Two-factor authentication is required for your role; sign in again to set it up',
    );
  }
  // Touch at most once a minute: idle expiry needs only that precision, and it spares a write per request.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: nowIso }).where('id_hash', '=', idHash).execute();
  }
  return {
    actor,
    via: 'session',
    session: { idHash, csrfToken: session.csrf_token, expiresAt: session.expires_at, mustChangePassword },
  };
}

export function csrfTokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function logout(ctx: ServiceContext, auth: Authenticated): Promise<void> {
  if (!auth.session) return;
  const idHash = auth.session.idHash;
  await runCommand(
    ctx,
    auth.actor,
    async ({ tx, at, audit }) => {
      await tx.updateTable('sessions').set({ revoked_at: at }).where('id_hash', '=', idHash).execute();
      await audit({ action: 'auth.logout', entityType: 'user', entityId: auth.actor.userId });
    },
    { allowWhenLocked: true },
  );
}

export async function changeOwnPassword(
  ctx: ServiceContext,
  auth: Authenticated,
  props: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await ctx.database.db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', auth.actor.userId)
    .executeTakeFirstOrThrow();
  const issues: FieldIssue[] = [];
  if (!(await verifyPassword(user.password_hash, props.currentPassword))) {
    issues.push({ path: 'currentPassword', message: 'is not your current password' });
  }
  issues.push(
    ...checkPasswordPolicy(props.newPassword, ctx.security.minPasswordLength, 'newPassword', {
      email: auth.actor.email,
    }),
  );
  if (props.newPassword === props.currentPassword) {
    issues.push({ path: 'newPassword', message: 'must differ from the current password' });
  }
  if (issues.length > 0) throw invalid('The password was not changed', issues);
  const passwordHash = await hashPassword(props.newPassword);
  await runCommand(
    ctx,
    auth.actor,
    async ({ tx, at, audit }) => {
      await tx
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: 0, password_changed_at: at, updated_at: at })
        .where('id', '=', auth.actor.userId)
        .execute();
      // Other sessions of this user end; the current one carries on.
      let q = tx
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('user_id', '=', auth.actor.userId)
        .where('revoked_at', 'is', null);
      if (auth.session) q = q.where('id_hash', '!=', auth.session.idHash);
      await q.execute();
      await audit({ action: 'user.password_changed', entityType: 'user', entityId: auth.actor.userId });
    },
    { allowWhenLocked: true },
  );
}

const TOKEN_PREFIX = 'sjt_';

/** Creates a personal API token; the returned secret is shown once and stored only as a hash. */
export async function createApiToken(
  ctx: ServiceContext,
  actor: Actor,
  props: { userId: string; name: string; expiresInDays?: number },
): Promise<{ id: string; token: string; prefix: string; expiresAt: string | null }> {
  const issues: FieldIssue[] = [];
  if (props.name.trim() === '' || props.name.length > 100) {
    issues.push({ path: 'name', message: 'must be 1–100 characters' });
  }
  if (
    props.expiresInDays !== undefined &&
    (!Number.isInteger(props.expiresInDays) || props.expiresInDays < 1 || props.expiresInDays > 3650)
  ) {
    issues.push({ path: 'expiresInDays', message: 'must be a whole number of days from 1 to 3650' });
  }
  if (issues.length > 0) throw invalid('The token could not be created', issues);
  const secret = newSecret();
  const id = randomUUID();
  const prefix = secret.slice(0, 8);
  const token = `${TOKEN_PREFIX}${secret}`;
  const expiresAt = props.expiresInDays ? addMinutes(ctx.now(), props.expiresInDays * 1440).toISOString() : null;
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const user = await tx.selectFrom('users').select(['status']).where('id', '=', props.userId).executeTakeFirst();
      if (!user) throw invalid('Unknown user', [{ path: 'userId', message: 'no such user' }]);
      if (user.status !== 'active') throw invalid('The user is disabled', [{ path: 'userId', message: 'is disabled' }]);
      await tx
        .insertInto('api_tokens')
        .values({
          id,
          user_id: props.userId,
          name: props.name.trim(),
          token_hash: sha256(token),
          prefix,
          created_at: at,
          last_used_at: null,
          expires_at: expiresAt,
          revoked_at: null,
        })
        .execute();
      await audit({
        action: 'token.created',
        entityType: 'api_token',
        entityId: id,
        after: { userId: props.userId, name: props.name.trim(), prefix, expiresAt },
      });
    },
    { allowWhenLocked: true },
  );
  return { id, token, prefix, expiresAt };
}

export async function authenticateToken(ctx: ServiceContext, token: string): Promise<Authenticated> {
  if (!token.startsWith(TOKEN_PREFIX)) throw unauthenticated('Invalid API token');
  const row = await ctx.database.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  const nowIso = ctx.now().toISOString();
  if (!row || row.revoked_at !== null) throw unauthenticated('Invalid or revoked API token');
  if (row.expires_at !== null && row.expires_at <= nowIso) {
    throw new TrialError('session_expired', 'This API token has expired');
  }
  const { actor } = await loadActor(ctx.database.db, row.user_id, nowIso);
  // A token must not be a way around the second factor that the user's role requires.
  if (totpRequiredForRoles(ctx, actor.roles) && !(await hasActiveTotp(ctx.database.db, actor.userId))) {
    throw new TrialError(
      'forbidden',
      "Two-factor authentication is required for this account's role; sign in to the web app and set it up before using API tokens",
    );
  }
  if (row.last_used_at === null || new Date(nowIso).getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await ctx.database.db.updateTable('api_tokens').set({ last_used_at: nowIso }).where('id', '=', row.id).execute();
  }
  return { actor, via: 'token' };
}

export async function revokeApiToken(ctx: ServiceContext, actor: Actor, tokenId: string): Promise<void> {
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      await tx
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', tokenId)
        .where('revoked_at', 'is', null)
        .execute();
      await audit({ action: 'token.revoked', entityType: 'api_token', entityId: tokenId });
    },
    { allowWhenLocked: true },
  );
}

/**
 * E-signature, step 1 (outside the transaction, because argon2 is deliberately slow): the signer
 * re-enters their password. Step 2 is `recordSignature` inside the command that is being signed,
 * so the signature and the signed change commit together.
 */
export async function confirmSignerPassword(
  ctx: ServiceContext,
  actor: Actor,
  password: string,
  path = 'signature.password',
): Promise<void> {
  if (actor.kind !== 'user') throw invalid('Only a person can sign');
  const row = await ctx.database.db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, password))) {
    throw invalid('The signature was not accepted', [{ path, message: 'password is not correct' }]);
  }
}

export const SIGNATURE_MEANINGS = ['authorship', 'review', 'approval', 'responsibility'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

export async function recordSignature(
  scope: CommandScope,
  props: { meaning: SignatureMeaning; statement: string; entityType: string; entityId: string },
): Promise<{ id: string; signedAt: string }> {
  if (scope.actor.kind !== 'user') throw invalid('Only a person can sign');
  const id = randomUUID();
  const row = await scope.audit({
    action: 'esignature.signed',
    entityType: props.entityType,
    entityId: props.entityId,
    after: {
      signatureId: id,
      meaning: props.meaning,
      statement: props.statement,
      signer: scope.actor.email,
      signerName: scope.actor.displayName,
    },
  });
  await scope.tx
    .insertInto('signatures')
    .values({
      id,
      user_id: scope.actor.userId,
      meaning: props.meaning,
      entity_type: props.entityType,
      entity_id: props.entityId,
      signed_at: scope.at,
      audit_seq: row.seq,
    })
    .execute();
  return { id, signedAt: scope.at };
}
