/**
 * Participant ePRO. Two audiences:
 *
 * - Site staff (`access: staff`): enrol a participant's phone/e-mail (or reset lost access), revoke
 *   it, see a participant's ePRO and the diary-compliance dashboard.
 * - Participants, who have no staff account: these routes are `public` for the route machinery and
 *   authenticate the participant themselves with `resolveParticipantSession` (cookie
 *   `sj_participant`, CSRF header on writes). Their paths carry no participant id: a participant
 *   can only ever address their own questionnaires. Their responses are built by the ePRO services
 *   field by field, so no arm, kit or staff data can be in them.
 *
 * `GET /p/` serves the participant web app (`dist/web/participant.html`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  languageFromAcceptLanguage,
  PARTICIPANT_LANGUAGES,
  type ParticipantLanguage,
} from '../../core/epro/participant-messages.js';
import { notFound } from '../../core/errors.js';
import { SAVE_MODES } from '../../core/ecrf/validate-form-data.js';
import type { ServiceContext } from '../../services/context.js';
import {
  ACCESS_CHANNELS,
  enrolParticipantAccess,
  getAccessView,
  loginParticipant,
  logoutParticipant,
  PARTICIPANT_COOKIE,
  PARTICIPANT_CSRF_HEADER,
  resolveParticipantSession,
  revokeParticipantAccess,
  setParticipantLanguage,
  setParticipantPin,
  type ParticipantPrincipal,
} from '../../services/epro-access.js';
import { getParticipantEpro, listEproCompliance } from '../../services/epro-compliance.js';
import { getQuestionnaire, listOpenQuestionnaires, saveQuestionnaire } from '../../services/epro-questionnaires.js';
import { summarizeJobs } from '../../services/jobs.js';
import { listSiteAlerts } from '../../services/outbox-dispatch.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { IdParams, nonEmptyText, OkSchema } from '../schemas.js';

const WEB_DIST = join(import.meta.dirname, '../../../dist/web');

const Language = z.enum(PARTICIPANT_LANGUAGES);

/** The language of a request before we know who asks: Accept-Language, else Danish. */
const requestLanguage = (request: FastifyRequest): ParticipantLanguage =>
  languageFromAcceptLanguage(request.headers['accept-language']) ?? 'da';

const secureRequest = (request: FastifyRequest): boolean =>
  request.protocol === 'https' || /^(1|true|yes)$/i.test(process.env.STEMJOINT_SECURE_COOKIES ?? '');

/** The signed-in participant of a request (401/403 otherwise); writes must carry the CSRF header. */
function participantOf(ctx: ServiceContext, request: FastifyRequest, write: boolean): Promise<ParticipantPrincipal> {
  const csrf = request.headers[PARTICIPANT_CSRF_HEADER];
  return resolveParticipantSession(ctx, {
    sessionSecret: request.cookies[PARTICIPANT_COOKIE],
    write,
    csrfToken: typeof csrf === 'string' ? csrf : undefined,
    fallbackLanguage: requestLanguage(request),
  });
}

const clearParticipantCookie = (reply: FastifyReply): void => {
  reply.clearCookie(PARTICIPANT_COOKIE, { path: '/' });
};

const OptionSchema = z.object({ value: z.union([z.string(), z.number(), z.boolean()]), label: z.string() });
const ShowIfSchema = z.object({ item: z.string(), equals: z.union([z.string(), z.number(), z.boolean()]) }).nullable();
const QuestionSchema = z.object({
  id: z.string(),
  type: z.enum(['integer', 'decimal', 'code', 'boolean', 'text']),
  label: z.string(),
  help: z.string().nullable(),
  required: z.boolean(),
  range: z.object({ min: z.number(), max: z.number() }).nullable(),
  precision: z.number().nullable(),
  options: z.array(OptionSchema).nullable(),
  maxLength: z.number().nullable(),
  multiline: z.boolean(),
  showIf: ShowIfSchema,
});
const SummarySchema = z.object({
  visitCode: z.string(),
  formId: z.enum(['pain_diary', 'koos', 'nrs']),
  title: z.string(),
  kind: z.enum(['diary', 'visit']),
  diaryDay: z.number().nullable(),
  date: z.string(),
  state: z.enum(['open', 'late']),
  closesAt: z.string(),
  status: z.enum(['not_started', 'draft']),
});
const QuestionnaireSchema = SummarySchema.extend({
  recallPeriod: z.string().nullable(),
  instructions: z.string().nullable(),
  groups: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      repeating: z.boolean(),
      showIf: ShowIfSchema,
      questions: z.array(QuestionSchema),
    }),
  ),
  values: z.record(z.string(), z.unknown()),
  progress: z.object({ answered: z.number(), total: z.number() }),
});
const MeSchema = z.object({ language: Language, hasPin: z.boolean(), csrfToken: z.string() });

const QuestionnaireParams = z
  .object({
    visitCode: z.string().regex(/^[A-Z][A-Z0-9]{0,5}$/, 'must be a visit code'),
    formId: z.string().regex(/^[a-z_]{1,40}$/, 'must be a form id'),
  })
  .strict();

const AccessViewSchema = z.object({
  participantId: z.string(),
  enrolled: z.boolean(),
  status: z.enum(['active', 'revoked']).nullable(),
  channel: z.enum(ACCESS_CHANNELS).nullable(),
  contactHint: z.string().nullable(),
  language: Language.nullable(),
  hasPin: z.boolean(),
  codePending: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
});
const ComplianceSchema = z.object({
  completed: z.number(),
  late: z.number(),
  due: z.number(),
  missed: z.number(),
  of: z.number(),
});

export function eproRoutes(): AnyRoute[] {
  return [
    // ------------------------------------------------------------------ the participant web app
    defineRoute({
      method: 'GET',
      url: '/p/',
      operationId: 'getParticipantApp',
      summary: 'The participant web app (HTML)',
      tags: ['epro-participant'],
      access: { kind: 'public' },
      response: z.string(),
      handler: async ({ reply }) => {
        const file = join(WEB_DIST, 'participant.html');
        if (!existsSync(file)) throw notFound('The participant web app (run npm run build:web)');
        reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
        return readFileSync(file, 'utf8');
      },
    }),
    // ------------------------------------------------------------------ participant routes
    defineRoute({
      method: 'POST',
      url: '/api/v1/participant/login',
      operationId: 'participantLogin',
      summary: 'Participant sign-in with the link handle and a one-time code or PIN (sets the sj_participant cookie)',
      tags: ['epro-participant'],
      access: { kind: 'public' },
      body: z
        .object({
          handle: z.string().min(10).max(100),
          code: z.string().max(20).optional(),
          pin: z.string().max(20).optional(),
        })
        .strict(),
      response: MeSchema,
      handler: async ({ ctx, body, request, reply }) => {
        const result = await loginParticipant(ctx, {
          ...body,
          clientAddress: request.ip,
          language: requestLanguage(request),
        });
        reply.setCookie(PARTICIPANT_COOKIE, result.sessionSecret, {
          httpOnly: true,
          sameSite: 'strict',
          secure: secureRequest(request),
          path: '/',
          expires: new Date(result.expiresAt),
        });
        return { language: result.language, hasPin: result.hasPin, csrfToken: result.csrfToken };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participant/logout',
      operationId: 'participantLogout',
      summary: 'Participant sign-out',
      tags: ['epro-participant'],
      access: { kind: 'public' },
      response: OkSchema,
      handler: async ({ ctx, request, reply }) => {
        const principal = await participantOf(ctx, request, true);
        await logoutParticipant(ctx, principal);
        clearParticipantCookie(reply);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participant/me',
      operationId: 'getParticipantSession',
      summary: "The signed-in participant's session: language, whether a PIN is set, the CSRF token",
      tags: ['epro-participant'],
      access: { kind: 'public' },
      response: MeSchema,
      handler: async ({ ctx, request }) => {
        const p = await participantOf(ctx, request, false);
        return { language: p.language, hasPin: p.hasPin, csrfToken: p.csrfToken };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/participant/pin',
      operationId: 'setParticipantPin',
      summary: 'Participant chooses a PIN (4–8 digits) for later sign-ins',
      tags: ['epro-participant'],
      access: { kind: 'public' },
      body: z.object({ pin: z.string().max(20) }).strict(),
      response: OkSchema,
      handler: async ({ ctx, request, body }) => {
        await setParticipantPin(ctx, await participantOf(ctx, request, true), body.pin);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/participant/language',
      operationId: 'setParticipantLanguage',
      summary: "Participant's language (da/en) for screens, messages and reminders",
      tags: ['epro-participant'],
      access: { kind: 'public' },
      body: z.object({ language: Language }).strict(),
      response: OkSchema,
      handler: async ({ ctx, request, body }) => {
        await setParticipantLanguage(ctx, await participantOf(ctx, request, true), body.language);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participant/questionnaires',
      operationId: 'listParticipantQuestionnaires',
      summary: "The signed-in participant's open questionnaires",
      tags: ['epro-participant'],
      access: { kind: 'public' },
      response: z.array(SummarySchema),
      handler: async ({ ctx, request }) => listOpenQuestionnaires(ctx, await participantOf(ctx, request, false)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participant/questionnaires/:visitCode/:formId',
      operationId: 'getParticipantQuestionnaire',
      summary: 'One open questionnaire of the signed-in participant, with its questions and draft answers',
      tags: ['epro-participant'],
      access: { kind: 'public' },
      params: QuestionnaireParams,
      response: QuestionnaireSchema,
      handler: async ({ ctx, request, params }) =>
        getQuestionnaire(ctx, await participantOf(ctx, request, false), params.visitCode, params.formId),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/participant/questionnaires/:visitCode/:formId',
      operationId: 'saveParticipantQuestionnaire',
      summary: 'Save answers as a draft, or submit them (final for the participant)',
      tags: ['epro-participant'],
      access: { kind: 'public' },
      params: QuestionnaireParams,
      body: z.object({ values: z.record(z.string().max(64), z.unknown()), action: z.enum(SAVE_MODES) }).strict(),
      response: z.object({
        visitCode: z.string(),
        formId: z.string(),
        status: z.enum(['draft', 'submitted']),
        late: z.boolean(),
        savedAt: z.string(),
      }),
      handler: async ({ ctx, request, params, body }) =>
        saveQuestionnaire(ctx, await participantOf(ctx, request, true), params.visitCode, params.formId, body),
    }),
    // ------------------------------------------------------------------ staff routes
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/epro/access',
      operationId: 'enrolParticipantEproAccess',
      summary: "Enrol a participant's e-mail or phone for ePRO (or reset lost access): a new link and one-time code",
      tags: ['epro'],
      access: { kind: 'staff', operation: 'epro.manage' },
      params: IdParams,
      body: z
        .object({
          channel: z.enum(ACCESS_CHANNELS),
          contact: z.string().max(254).nullable().optional(),
          language: Language,
        })
        .strict(),
      status: 201,
      response: z.object({
        participantId: z.string(),
        channel: z.enum(ACCESS_CHANNELS),
        contactHint: z.string().nullable(),
        language: Language,
        loginPath: z.string(),
        code: z.string().nullable(),
        codeExpiresAt: z.string(),
        sent: z.boolean(),
      }),
      handler: async ({ ctx, auth, params, body }) => enrolParticipantAccess(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/epro/access/revoke',
      operationId: 'revokeParticipantEproAccess',
      summary: "Revoke a participant's ePRO access (lost phone): sessions end, code and PIN void",
      tags: ['epro'],
      access: { kind: 'staff', operation: 'epro.manage' },
      params: IdParams,
      body: z.object({ reason: nonEmptyText(1000) }).strict(),
      response: AccessViewSchema,
      handler: async ({ ctx, auth, params, body }) => revokeParticipantAccess(ctx, auth!.actor, params.id, body.reason),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/epro/access',
      operationId: 'getParticipantEproAccess',
      summary: "A participant's ePRO access state (the contact masked)",
      tags: ['epro'],
      access: { kind: 'staff', operation: 'epro.read' },
      params: IdParams,
      response: AccessViewSchema,
      handler: async ({ ctx, auth, params }) => getAccessView(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/epro',
      operationId: 'getParticipantEpro',
      summary: "A participant's ePRO: access, diary day by day, compliance, visit questionnaires with scores",
      tags: ['epro'],
      access: { kind: 'staff', operation: 'epro.read' },
      params: IdParams,
      response: z.object({
        participantId: z.string(),
        studyId: z.string(),
        access: AccessViewSchema,
        day0: z.string().nullable(),
        compliance: ComplianceSchema,
        diary: z.array(
          z.object({
            day: z.number(),
            visitCode: z.string(),
            entryDate: z.string(),
            state: z.enum(['not_yet_open', 'open', 'late', 'closed']),
            status: z.enum(['submitted', 'draft', 'missing']),
            late: z.boolean(),
            nrsWorst: z.number().nullable(),
            nrsAverage: z.number().nullable(),
            submittedAt: z.string().nullable(),
          }),
        ),
        questionnaires: z.array(
          z.object({
            visitCode: z.string(),
            formId: z.string(),
            status: z.string(),
            submittedBy: z.enum(['participant', 'site']),
            scores: z.record(z.string(), z.union([z.number(), z.boolean(), z.null()])),
          }),
        ),
      }),
      handler: async ({ ctx, auth, params }) => getParticipantEpro(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/epro/compliance',
      operationId: 'listEproCompliance',
      summary: 'Diary compliance per participant (days completed of 30) for the site dashboard',
      tags: ['epro'],
      access: { kind: 'staff', operation: 'epro.read' },
      response: z.array(
        z.object({
          participantId: z.string(),
          studyId: z.string(),
          siteId: z.string(),
          participantStatus: z.string(),
          eproEnrolled: z.boolean(),
          accessStatus: z.enum(['active', 'revoked']).nullable(),
          lastLoginAt: z.string().nullable(),
          day0: z.string().nullable(),
          compliance: ComplianceSchema,
          percentOfDue: z.number().nullable(),
        }),
      ),
      handler: async ({ ctx, auth }) => listEproCompliance(ctx, auth!.actor),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/epro/alerts',
      operationId: 'listEproSiteAlerts',
      summary: "Recent missed-diary-day alerts to the caller's sites, with their e-mail delivery state",
      tags: ['epro'],
      access: { kind: 'staff', operation: 'epro.read' },
      query: z
        .object({
          siteId: z.string().min(1).max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        })
        .strict(),
      response: z.array(
        z.object({
          id: z.string(),
          siteId: z.string(),
          participantId: z.string().nullable(),
          studyId: z.string().nullable(),
          visitCode: z.string().nullable(),
          createdAt: z.string(),
          delivery: z.enum(['pending', 'sent', 'failed']),
          sentAt: z.string().nullable(),
          attempts: z.number(),
        }),
      ),
      handler: async ({ ctx, auth, query }) => listSiteAlerts(ctx, auth!.actor, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/jobs/summary',
      operationId: 'summarizeJobs',
      summary: 'Background jobs (reminders, alerts, access codes) by kind and status',
      tags: ['epro'],
      access: { kind: 'staff', operation: 'jobs.read' },
      response: z.array(z.object({ kind: z.string(), status: z.string(), n: z.number() })),
      handler: async ({ ctx }) => summarizeJobs(ctx.database.db),
    }),
  ];
}
