/**
 * Sign-in (password, then a TOTP code or enrolment where required), sign-out, the current user,
 * own password, own API tokens, own two-factor settings, and the administrator's two-factor reset.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { TrialError } from '../../core/errors.js';
import {
  changeOwnPassword,
  completeTotpLogin,
  confirmLoginTotpEnrolment,
  createApiToken,
  limitAttempts,
  login,
  logout,
  startLoginTotpEnrolment,
  type LoginResult,
} from '../../services/auth.js';
import type { ServiceContext } from '../../services/context.js';
import {
  confirmTotpEnrolment,
  disableOwnTotp,
  beginTotpEnrolment,
  getTotpStatus,
  regenerateRecoveryCodes,
  resetUserTotp,
} from '../../services/totp.js';
import { getUser } from '../../services/users.js';
import { defineRoute, SESSION_COOKIE, type AnyRoute } from '../route.js';
import { IdParams, OkSchema, ReasonBody, UserSchema } from '../schemas.js';

/** The HttpOnly cookie that carries the half-authenticated sign-in challenge (never a session). */
export const CHALLENGE_COOKIE = 'sj_mfa';
const CHALLENGE_PATH = '/api/v1/auth/login';

const MeSchema = z.object({
  user: UserSchema,
  csrfToken: z.string().nullable(),
  expiresAt: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

const SignedInSchema = MeSchema.extend({ status: z.literal('signed_in') });
const ChallengeSchema = z.object({
  status: z.enum(['totp_required', 'totp_enrolment_required']),
  challengeExpiresAt: z.string(),
});

const TotpCode = z.string().regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');
const RecoveryCode = z.string().min(16).max(40);
const RecoveryCodes = z.array(z.string());
const TotpEnrolmentSchema = z.object({ secret: z.string(), otpauthUri: z.string() });

/** Code checks of signed-in users: at most this many per account and minute (brute force of 6 digits is hopeless then). */
const CODE_CHECKS_PER_MINUTE = 10;

function challengeFrom(cookies: Record<string, string | undefined>): string {
  const secret = cookies[CHALLENGE_COOKIE];
  if (!secret) throw new TrialError('unauthenticated', 'No sign-in in progress; sign in with your password first');
  return secret;
}

export function authRoutes(opts: { secureCookies: boolean }): AnyRoute[] {
  const setSessionCookie = (reply: FastifyReply, result: LoginResult): void => {
    reply.setCookie(SESSION_COOKIE, result.sessionSecret, {
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookies,
      path: '/',
      expires: new Date(result.expiresAt),
    });
    reply.clearCookie(CHALLENGE_COOKIE, {
      path: CHALLENGE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookies,
    });
  };
  const me = async (ctx: ServiceContext, result: LoginResult) => ({
    user: await getUser(ctx.database.db, result.userId, ctx.now()),
    csrfToken: result.csrfToken,
    expiresAt: result.expiresAt,
    mustChangePassword: result.mustChangePassword,
  });

  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login',
      operationId: 'login',
      summary:
        'Sign in with e-mail and password; sets the session cookie, or starts the two-factor step (status totp_required / totp_enrolment_required)',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict(),
      response: z.union([SignedInSchema, ChallengeSchema]),
      handler: async ({ body, ctx, request, reply }) => {
        const previous = request.cookies[SESSION_COOKIE];
        const outcome = await login(ctx, {
          email: body.email,
          password: body.password,
          clientAddress: request.ip,
          ...(previous ? { previousSessionSecret: previous } : {}),
        });
        if (outcome.status !== 'signed_in') {
          // The old session cookie (if any) was revoked with the password step; drop it here too.
          if (previous) reply.clearCookie(SESSION_COOKIE, { path: '/' });
          reply.setCookie(CHALLENGE_COOKIE, outcome.challengeSecret, {
            httpOnly: true,
            sameSite: 'strict',
            secure: opts.secureCookies,
            path: CHALLENGE_PATH,
            expires: new Date(outcome.challengeExpiresAt),
          });
          return { status: outcome.status, challengeExpiresAt: outcome.challengeExpiresAt };
        }
        setSessionCookie(reply, outcome);
        return { status: 'signed_in' as const, ...(await me(ctx, outcome)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login/totp',
      operationId: 'completeLoginWithTotp',
      summary:
        'Second sign-in step: the code from the authenticator app, or one recovery code; sets the session cookie',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({ code: TotpCode.optional(), recoveryCode: RecoveryCode.optional() }).strict(),
      response: MeSchema.extend({ recoveryCodesLeft: z.number().nullable() }),
      handler: async ({ body, ctx, request, reply }) => {
        const result = await completeTotpLogin(ctx, {
          challengeSecret: challengeFrom(request.cookies),
          clientAddress: request.ip,
          ...(body.code !== undefined ? { code: body.code } : {}),
          ...(body.recoveryCode !== undefined ? { recoveryCode: body.recoveryCode } : {}),
        });
        setSessionCookie(reply, result);
        return { ...(await me(ctx, result)), recoveryCodesLeft: result.recoveryCodesLeft };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login/totp-enrolment',
      operationId: 'startLoginTotpEnrolment',
      summary: 'During sign-in, for roles that require two-factor: a new authenticator secret (shown once)',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({}).strict().optional(),
      response: TotpEnrolmentSchema.extend({ challengeExpiresAt: z.string() }),
      handler: async ({ ctx, request }) =>
        startLoginTotpEnrolment(ctx, { challengeSecret: challengeFrom(request.cookies), clientAddress: request.ip }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login/totp-enrolment/confirm',
      operationId: 'confirmLoginTotpEnrolment',
      summary:
        'During sign-in: confirm the new authenticator with a code; sets the session cookie and returns recovery codes (shown once)',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({ code: TotpCode }).strict(),
      response: MeSchema.extend({ recoveryCodes: RecoveryCodes }),
      handler: async ({ body, ctx, request, reply }) => {
        const result = await confirmLoginTotpEnrolment(ctx, {
          challengeSecret: challengeFrom(request.cookies),
          code: body.code,
          clientAddress: request.ip,
        });
        setSessionCookie(reply, result);
        return { ...(await me(ctx, result)), recoveryCodes: result.recoveryCodes };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/logout',
      operationId: 'logout',
      summary: 'Sign out (ends the session)',
      tags: ['auth'],
      access: { kind: 'staff', allowPasswordChangePending: true },
      response: OkSchema,
      handler: async ({ auth, ctx, reply }) => {
        await logout(ctx, auth!);
        reply.clearCookie(SESSION_COOKIE, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: opts.secureCookies,
        });
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/me',
      operationId: 'getCurrentUser',
      summary: 'The signed-in user, their roles and the CSRF token for writes',
      tags: ['auth'],
      access: { kind: 'staff', allowPasswordChangePending: true },
      response: MeSchema,
      handler: async ({ auth, ctx }) => ({
        user: await getUser(ctx.database.db, auth!.actor.userId, ctx.now()),
        csrfToken: auth!.session?.csrfToken ?? null,
        expiresAt: auth!.session?.expiresAt ?? null,
        mustChangePassword: auth!.session?.mustChangePassword ?? false,
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/password',
      operationId: 'changeOwnPassword',
      summary: 'Change your own password (required after a one-time password)',
      tags: ['auth'],
      access: { kind: 'staff', allowPasswordChangePending: true },
      body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }).strict(),
      response: OkSchema,
      handler: async ({ auth, body, ctx }) => {
        await changeOwnPassword(ctx, auth!, body);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      operationId: 'createOwnApiToken',
      summary: 'Create a personal API token for scripts (shown once)',
      tags: ['auth'],
      access: { kind: 'staff', operation: 'token.create_own' },
      body: z
        .object({ name: z.string().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() })
        .strict(),
      response: z.object({ id: z.string(), token: z.string(), prefix: z.string(), expiresAt: z.string().nullable() }),
      status: 201,
      handler: async ({ auth, body, ctx }) =>
        createApiToken(ctx, auth!.actor, {
          userId: auth!.actor.userId,
          name: body.name,
          ...(body.expiresInDays ? { expiresInDays: body.expiresInDays } : {}),
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/totp',
      operationId: 'getOwnTotpStatus',
      summary: 'Your two-factor status: enrolled, required by your role, recovery codes left',
      tags: ['auth'],
      access: { kind: 'staff' },
      response: z.object({
        enrolled: z.boolean(),
        pending: z.boolean(),
        required: z.boolean(),
        confirmedAt: z.string().nullable(),
        recoveryCodesLeft: z.number(),
      }),
      handler: async ({ auth, ctx }) => getTotpStatus(ctx, auth!.actor.userId, auth!.actor.roles),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/totp/enrolment',
      operationId: 'startOwnTotpEnrolment',
      summary: 'Set up two-factor authentication: a new authenticator secret and otpauth URI (shown once)',
      tags: ['auth'],
      access: { kind: 'staff' },
      body: z.object({}).strict().optional(),
      response: TotpEnrolmentSchema,
      handler: async ({ auth, ctx }) => beginTotpEnrolment(ctx, auth!.actor, auth!.actor.userId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/totp/enrolment/confirm',
      operationId: 'confirmOwnTotpEnrolment',
      summary: 'Confirm the new authenticator with a code; returns recovery codes (shown once)',
      tags: ['auth'],
      access: { kind: 'staff' },
      body: z.object({ code: TotpCode }).strict(),
      response: z.object({ recoveryCodes: RecoveryCodes }),
      handler: async ({ auth, body, ctx }) => {
        await limitAttempts(ctx, `totp:${auth!.actor.userId}`, CODE_CHECKS_PER_MINUTE);
        return confirmTotpEnrolment(ctx, auth!.actor, body.code);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/totp/recovery-codes',
      operationId: 'regenerateOwnRecoveryCodes',
      summary: 'New recovery codes (the old ones stop working); needs a current code',
      tags: ['auth'],
      access: { kind: 'staff' },
      body: z.object({ code: TotpCode }).strict(),
      response: z.object({ recoveryCodes: RecoveryCodes }),
      handler: async ({ auth, body, ctx }) => {
        await limitAttempts(ctx, `totp:${auth!.actor.userId}`, CODE_CHECKS_PER_MINUTE);
        return regenerateRecoveryCodes(ctx, auth!.actor, body.code);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/totp/disable',
      operationId: 'disableOwnTotp',
      summary:
        'Turn off your own two-factor authentication (password and a current code; not for roles that require it)',
      tags: ['auth'],
      access: { kind: 'staff' },
      body: z.object({ password: z.string().min(1).max(256), code: TotpCode }).strict(),
      response: OkSchema,
      handler: async ({ auth, body, ctx }) => {
        await limitAttempts(ctx, `totp:${auth!.actor.userId}`, CODE_CHECKS_PER_MINUTE);
        await disableOwnTotp(ctx, auth!.actor, body);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/totp/reset',
      operationId: 'resetUserTotp',
      summary:
        "Remove a user's two-factor authentication and recovery codes (lost device), with a reason; ends their sessions",
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.manage' },
      params: IdParams,
      body: ReasonBody,
      response: z.object({ removed: z.boolean() }),
      handler: async ({ auth, params, body, ctx }) => resetUserTotp(ctx, auth!.actor, params.id, body.reason),
    }),
  ];
}
