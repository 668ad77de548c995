/** Sign-in, sign-out, the current user, own password and own API tokens. */
import { z } from 'zod';
import { createApiToken, changeOwnPassword, login, logout } from '../../services/auth.js';
import { getUser } from '../../services/users.js';
import { defineRoute, SESSION_COOKIE, type AnyRoute } from '../route.js';
import { OkSchema, UserSchema } from '../schemas.js';

const MeSchema = z.object({
  user: UserSchema,
  csrfToken: z.string().nullable(),
  expiresAt: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

export function authRoutes(opts: { secureCookies: boolean }): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login',
      operationId: 'login',
      summary: 'Sign in with e-mail and password; sets the session cookie',
      tags: ['auth'],
      access: { kind: 'public' },
      body: z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict(),
      response: MeSchema,
      handler: async ({ body, ctx, request, reply }) => {
        const result = await login(ctx, { email: body.email, password: body.password, clientAddress: request.ip });
        reply.setCookie(SESSION_COOKIE, result.sessionSecret, {
          httpOnly: true,
          sameSite: 'strict',
          secure: opts.secureCookies,
          path: '/',
          expires: new Date(result.expiresAt),
        });
        return {
          user: await getUser(ctx.database.db, result.userId, ctx.now()),
          csrfToken: result.csrfToken,
          expiresAt: result.expiresAt,
          mustChangePassword: result.mustChangePassword,
        };
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
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
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
      body: z.object({ name: z.string().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }).strict(),
      response: z.object({ id: z.string(), token: z.string(), prefix: z.string(), expiresAt: z.string().nullable() }),
      status: 201,
      handler: async ({ auth, body, ctx }) =>
        createApiToken(ctx, auth!.actor, { userId: auth!.actor.userId, name: body.name, ...(body.expiresInDays ? { expiresInDays: body.expiresInDays } : {}) }),
    }),
  ];
}
