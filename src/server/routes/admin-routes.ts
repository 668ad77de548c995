/** Study overview, sites, user administration, database lock and the audit trail. */
import { z } from 'zod';
import { confirmSignerPassword } from '../../services/auth.js';
import { verifyAuditChain } from '../../services/audit-trail.js';
import { createSite, getStudyOverview, setDatabaseLock } from '../../services/study.js';
import { createUser, disableUser, enableUser, listUsers, resetPassword, setGrants } from '../../services/users.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { IdParams, nonEmptyText, ReasonBody, RoleGrantSchema, SignatureSchema, UserSchema } from '../schemas.js';

const StudySchema = z.object({
  id: z.string(),
  acronym: z.string(),
  title: z.string(),
  registryId: z.string(),
  protocolVersion: z.string(),
  enrolmentTarget: z.number(),
  databaseLocked: z.boolean(),
  lockedAt: z.string().nullable(),
  sites: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  counts: z.object({ users: z.number(), auditRecords: z.number() }),
});

const AuditRecordSchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  hash: z.string(),
});

export function adminRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/study',
      operationId: 'getStudy',
      summary: 'Study overview: identifiers, protocol version, sites, lock state',
      tags: ['study'],
      access: { kind: 'staff', operation: 'study.read' },
      response: StudySchema,
      handler: async ({ ctx }) => getStudyOverview(ctx.database.db),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/study/lock',
      operationId: 'lockDatabase',
      summary: 'Lock the database (freezes every clinical write); e-signed',
      tags: ['study'],
      access: { kind: 'staff', operation: 'study.lock' },
      body: z.object({ reason: nonEmptyText(1000), signature: SignatureSchema }).strict(),
      response: StudySchema,
      handler: async ({ auth, body, ctx }) => {
        await confirmSignerPassword(ctx, auth!.actor, body.signature.password, 'body.signature.password');
        return setDatabaseLock(ctx, auth!.actor, true, body.reason);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/study/unlock',
      operationId: 'unlockDatabase',
      summary: 'Unlock the database, with a reason; e-signed',
      tags: ['study'],
      access: { kind: 'staff', operation: 'study.unlock' },
      body: z.object({ reason: nonEmptyText(1000), signature: SignatureSchema }).strict(),
      response: StudySchema,
      handler: async ({ auth, body, ctx }) => {
        await confirmSignerPassword(ctx, auth!.actor, body.signature.password, 'body.signature.password');
        return setDatabaseLock(ctx, auth!.actor, false, body.reason);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sites',
      operationId: 'createSite',
      summary: 'Add a site',
      tags: ['study'],
      access: { kind: 'staff', operation: 'site.manage' },
      body: z.object({ code: z.string().min(1).max(20), name: nonEmptyText(200) }).strict(),
      response: z.object({ id: z.string(), code: z.string(), name: z.string() }),
      status: 201,
      handler: async ({ auth, body, ctx }) => createSite(ctx, auth!.actor, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/users',
      operationId: 'listUsers',
      summary: 'All staff accounts with their roles',
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.read' },
      response: z.object({ users: z.array(UserSchema) }),
      handler: async ({ ctx }) => ({ users: await listUsers(ctx) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users',
      operationId: 'createUser',
      summary: 'Create a staff account; without a password a one-time password is returned',
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.manage' },
      body: z
        .object({
          email: z.string().min(3).max(254),
          displayName: nonEmptyText(200),
          password: z.string().min(1).max(256).optional(),
          locale: z.enum(['en', 'da']).optional(),
          grants: z.array(RoleGrantSchema).min(1).max(50),
        })
        .strict(),
      response: z.object({ user: UserSchema, oneTimePassword: z.string().nullable() }),
      status: 201,
      handler: async ({ auth, body, ctx }) =>
        createUser(ctx, auth!.actor, {
          email: body.email,
          displayName: body.displayName,
          grants: body.grants,
          ...(body.password !== undefined ? { password: body.password } : {}),
          ...(body.locale ? { locale: body.locale } : {}),
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/disable',
      operationId: 'disableUser',
      summary: 'Disable a staff account (users are never deleted)',
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.manage' },
      params: IdParams,
      body: ReasonBody,
      response: UserSchema,
      handler: async ({ auth, params, body, ctx }) => disableUser(ctx, auth!.actor, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/enable',
      operationId: 'enableUser',
      summary: 'Re-enable a disabled staff account',
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.manage' },
      params: IdParams,
      body: ReasonBody,
      response: UserSchema,
      handler: async ({ auth, params, body, ctx }) => enableUser(ctx, auth!.actor, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/reset-password',
      operationId: 'resetUserPassword',
      summary: 'Reset a password to a one-time password (also clears a lockout)',
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.manage' },
      params: IdParams,
      body: z.object({}).strict().optional(),
      response: z.object({ oneTimePassword: z.string().nullable() }),
      handler: async ({ auth, params, ctx }) => resetPassword(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/users/:id/grants',
      operationId: 'setUserGrants',
      summary: "Replace a user's role grants, with a reason",
      tags: ['users'],
      access: { kind: 'staff', operation: 'user.manage' },
      params: IdParams,
      body: z.object({ grants: z.array(RoleGrantSchema).min(1).max(50), reason: nonEmptyText(1000) }).strict(),
      response: UserSchema,
      handler: async ({ auth, params, body, ctx }) => setGrants(ctx, auth!.actor, params.id, body.grants, body.reason),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit',
      operationId: 'listAuditRecords',
      summary: 'Audit trail records, newest first, optionally for one entity',
      tags: ['audit'],
      access: { kind: 'staff', operation: 'audit.read' },
      query: z
        .object({
          entityType: z.string().max(100).optional(),
          entityId: z.string().max(100).optional(),
          beforeSeq: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        })
        .strict(),
      response: z.object({ records: z.array(AuditRecordSchema) }),
      handler: async ({ query, ctx }) => {
        let q = ctx.database.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(query.limit);
        if (query.entityType) q = q.where('entity_type', '=', query.entityType);
        if (query.entityId) q = q.where('entity_id', '=', query.entityId);
        if (query.beforeSeq) q = q.where('seq', '<', query.beforeSeq);
        const rows = await q.execute();
        return {
          records: rows.map((r) => ({
            seq: Number(r.seq),
            at: r.at,
            actorId: r.actor_id,
            actor: r.actor_label,
            action: r.action,
            entityType: r.entity_type,
            entityId: r.entity_id,
            before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
            after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
            reason: r.reason,
            hash: r.hash,
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit/verify',
      operationId: 'verifyAuditTrail',
      summary: 'Walk the audit hash chain and report whether it verifies',
      tags: ['audit'],
      access: { kind: 'staff', operation: 'audit.verify' },
      response: z.object({
        ok: z.boolean(),
        count: z.number(),
        seq: z.number().nullable(),
        problem: z.string().nullable(),
      }),
      handler: async ({ ctx }) => {
        const r = await verifyAuditChain(ctx.database.db);
        return r.ok
          ? { ok: true, count: r.count, seq: null, problem: null }
          : { ok: false, count: r.count, seq: r.seq, problem: r.problem };
      },
    }),
  ];
}
