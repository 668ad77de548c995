/**
 * Routes are declared once, as data: method, path, operationId, who may call them, and zod schemas
 * for params, query, body and response. From that one declaration we register the fastify handler
 * (with validation, authentication, CSRF and authorization applied the same way everywhere) and
 * generate the OpenAPI 3.1 document. Handlers stay thin: they call a service and return its result.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { z } from 'zod';
import { can, type Operation } from '../core/authorization.js';
import { forbidden, invalid, TrialError, unauthenticated, type FieldIssue } from '../core/errors.js';
import { authenticateSession, authenticateToken, csrfTokenMatches, type Authenticated } from '../services/auth.js';
import type { ServiceContext } from '../services/context.js';
import { presentForActor } from '../services/blinding.js';

export const SESSION_COOKIE = 'sj_session';
export const CSRF_HEADER = 'x-csrf-token';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Access =
  | { kind: 'public' }
  /** Any signed-in staff user; `operation` (when given) must be held by one of their roles. */
  | { kind: 'staff'; operation?: Operation; allowPasswordChangePending?: boolean };

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  auth: Authenticated | null;
  ctx: ServiceContext;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema,
> {
  method: HttpMethod;
  url: string;
  operationId: string;
  summary: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status (default 200; 201 for creations). */
  status?: number;
  /**
   * Only for routes whose purpose is to show an allocation to the caller (emergency unblinding),
   * authorised by their own operation. Every other route's response passes through the blinding
   * presenter, which removes allocation-revealing fields for blinded callers.
   */
  revealsArm?: boolean;
  handler(input: HandlerInput<Infer<P>, Infer<Q>, Infer<B>>): Promise<z.input<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of routes
export type AnyRoute = RouteDef<any, any, any, any>;

/** Identity function that lets TypeScript infer a route's schema types. */
export const defineRoute = <
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema,
>(
  def: RouteDef<P, Q, B, R>,
): RouteDef<P, Q, B, R> => def;

function zodIssues(prefix: string, error: z.ZodError): FieldIssue[] {
  // An unknown key is reported at its own path (`body.extra`), not at the object holding it.
  return error.issues.flatMap((i) =>
    (i.code === 'unrecognized_keys' ? i.keys : [null]).map((k) => ({
      path: [prefix, ...i.path.map(String), ...(k === null ? [] : [k])].join('.'),
      message: i.message,
      code: i.code,
    })),
  );
}

function parsePart<S extends Schema | undefined>(
  schema: S,
  value: unknown,
  prefix: string,
  issues: FieldIssue[],
): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    issues.push(...zodIssues(prefix, result.error));
    return undefined as Infer<S>;
  }
  return result.data as Infer<S>;
}

async function authenticate(ctx: ServiceContext, request: FastifyRequest): Promise<Authenticated | null> {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('Authorization header must be "Bearer <token>"');
    return authenticateToken(ctx, match[1]);
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return authenticateSession(ctx, cookie);
  return null;
}

const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerRoute(app: FastifyInstance, ctx: ServiceContext, route: AnyRoute): void {
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request, reply) => {
      let auth: Authenticated | null = null;
      if (route.access.kind === 'staff') {
        auth = await authenticate(ctx, request);
        if (!auth) throw unauthenticated();
        if (auth.via === 'session' && WRITE_METHODS.has(route.method)) {
          const given = request.headers[CSRF_HEADER];
          if (!csrfTokenMatches(auth.session?.csrfToken ?? '', typeof given === 'string' ? given : undefined)) {
            throw new TrialError(
              'csrf_failed',
              'Missing or wrong X-CSRF-Token header for a cookie-authenticated write',
            );
          }
        }
        if (auth.session?.mustChangePassword && !route.access.allowPasswordChangePending) {
          throw new TrialError('password_change_required', 'Change your one-time password before continuing');
        }
        if (route.access.operation && !can(auth.actor.roles, route.access.operation)) throw forbidden();
      }
      const issues: FieldIssue[] = [];
      const params = parsePart(route.params, request.params, 'params', issues);
      const query = parsePart(route.query, request.query, 'query', issues);
      const body = parsePart(route.body, request.body, 'body', issues);
      if (issues.length > 0) throw invalid('The request is not valid', issues);
      const result = await route.handler({ params, query, body, auth, ctx, request, reply });
      reply.status(route.status ?? 200);
      // The blind is enforced here, once, for every response of every route.
      return auth && !route.revealsArm ? presentForActor(ctx.database.db, auth.actor, result) : result;
    },
  });
}

const toOpenApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function jsonSchema(schema: Schema, io: 'input' | 'output'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

function parameters(schema: Schema | undefined, location: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
          },
        },
      },
    },
  },
};

/** The OpenAPI 3.1 document for the given routes. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = toOpenApiPath(r.url);
    const errorResponse = (description: string): Record<string, unknown> => ({
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: {
        description: 'Success',
        content: { 'application/json': { schema: jsonSchema(r.response, 'output') } },
      },
      '400': errorResponse('Invalid input; `details` names each offending field'),
    };
    if (r.access.kind === 'staff') {
      responses['401'] = errorResponse('Not authenticated or session expired');
      responses['403'] = errorResponse('Not permitted, locked or disabled account, or CSRF failure');
    }
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      tags: r.tags,
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      responses,
    };
    if (r.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    }
    if (r.access.kind === 'staff') {
      op.security = [{ session: [] }, { bearer: [] }];
      if (r.access.operation) op['x-required-operation'] = r.access.operation;
    } else {
      op.security = [];
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'STEMJOINT trial platform API',
      version,
      description:
        'API of the STEMJOINT trial platform (NCT05933434). Cookie-authenticated writes need the X-CSRF-Token header.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (sjt_…)' },
      },
    },
  };
}
