/**
 * The HTTP server: fastify with our route declarations, one error handler, security headers,
 * a JSON parser with size and depth limits, the OpenAPI document and the web app's static files.
 * The server holds no state of its own: sessions, locks and jobs live in the database, so any
 * number of instances can serve one PostgreSQL database behind a reverse proxy.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { TrialError } from '../core/errors.js';
import type { ServiceContext } from '../services/context.js';
import { authRoutes } from './routes/auth-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { screeningRoutes } from './routes/screening-routes.js';
import { ecrfRoutes } from './routes/ecrf-routes.js';
import { randomizationRoutes } from './routes/randomization-routes.js';
import { safetyRoutes } from './routes/safety-routes.js';
import { eproRoutes } from './routes/epro-routes.js';
import { analysisRoutes } from './routes/analysis-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { errorBody, handleError } from './http-errors.js';
import { buildOpenApiDocument, registerRoute, type AnyRoute } from './route.js';

export const APP_VERSION = '0.1.0';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = join(ROOT, 'dist/web');

/** Requests nested deeper than this are refused before any handler sees them. */
const MAX_JSON_DEPTH = 32;
const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  logLevel?: string;
  secureCookies?: boolean;
  trustProxy?: boolean;
  /** Extra routes contributed by feature modules. */
  extraRoutes?: AnyRoute[];
}

function jsonDepth(value: unknown, depth = 0): number {
  if (depth > MAX_JSON_DEPTH) return depth;
  if (value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value as Record<string, unknown>)) max = Math.max(max, jsonDepth(v, depth + 1));
  return max;
}

export function allRoutes(opts: AppOptions = {}): AnyRoute[] {
  return [
    ...authRoutes({ secureCookies: opts.secureCookies ?? false }),
    ...adminRoutes(),
    ...screeningRoutes(),
    ...ecrfRoutes(),
    ...randomizationRoutes(),
    ...safetyRoutes(),
    ...eproRoutes(),
    ...analysisRoutes(),
    ...exportRoutes(),
    ...(opts.extraRoutes ?? []),
  ];
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function buildApp(ctx: ServiceContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      // Headers may carry session cookies and tokens; bodies may carry personal data. Neither is logged.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          method: req.method,
          url: req.url.split('?')[0],
          id: req.id,
        }),
      },
    },
    bodyLimit: BODY_LIMIT,
    trustProxy: opts.trustProxy ?? false,
    return503OnClosing: true,
    // On close: stop accepting, let in-flight requests finish, drop idle keep-alive connections.
    forceCloseConnections: 'idle',
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const textBody = String(body);
    if (textBody.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(textBody, (key, value: unknown) => (key === '__proto__' ? undefined : value));
    } catch {
      return done(
        new TrialError('validation_failed', 'The request body is not valid JSON', [
          { path: 'body', message: 'malformed JSON' },
        ]),
        undefined,
      );
    }
    if (jsonDepth(parsed) > MAX_JSON_DEPTH) {
      return done(
        new TrialError('validation_failed', `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`, [
          { path: 'body', message: 'too deeply nested' },
        ]),
        undefined,
      );
    }
    return done(null, parsed);
  });

  await app.register(fastifyCookie);
  app.setErrorHandler((err, request, reply) => handleError(err, request, reply));

  // While shutting down, answers to in-flight requests close their connection, so that keep-alive
  // sockets do not hold the process open after the last request has finished.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (opts.secureCookies) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  const routes = allRoutes(opts);
  for (const route of routes) registerRoute(app, ctx, route);
  const openApi = buildOpenApiDocument(routes, APP_VERSION);

  app.get('/api/openapi.json', async () => openApi);
  app.get('/api/health', async () => {
    await ctx.database.db.selectFrom('study').select('id').executeTakeFirst();
    return { status: 'ok', engine: ctx.database.engine, version: APP_VERSION };
  });

  if (existsSync(join(WEB_DIST, 'index.html'))) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', index: ['index.html'], wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && existsSync(join(WEB_DIST, 'index.html'))) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
  return app;
}
