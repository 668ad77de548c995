/** Screening log, eligibility, sign-off, identity, consent, enrolment and withdrawal. */
import { z } from 'zod';
import {
  createScreening,
  enrolParticipant,
  getParticipant,
  getScreening,
  issueConsentVersion,
  listConsentVersions,
  listParticipants,
  listScreenings,
  MANUAL_OUTCOMES,
  recordConsent,
  recordScreeningOutcome,
  setIdentity,
  signOffEligibility,
  summarizeScreeningLog,
  updateScreeningValues,
  viewIdentity,
  withdrawParticipant,
  WITHDRAWAL_SCOPES,
} from '../../services/screening.js';
import { SCREENING_STATUSES } from '../../storage/schema.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { IdParams, nonEmptyText, SignatureSchema } from '../schemas.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const isoInstant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO date-time with offset, e.g. 2026-05-01T10:30:00+02:00',
});

/** Screening values are validated item by item by the eligibility core, so they pass through here as an object. */
const ScreeningValues = z
  .record(z.string().max(64), z.unknown())
  .refine((v) => Object.keys(v).length <= 64, 'too many items');

const CriterionSchema = z.object({
  id: z.string(),
  kind: z.enum(['inclusion', 'exclusion']),
  name: z.string(),
  rule: z.string(),
  status: z.enum(['pass', 'fail', 'undecided']),
  inputs: z.array(z.object({ item: z.string(), value: z.unknown() })),
  decidedBy: z.array(z.string()),
  awaiting: z.array(z.string()),
});

const ConsentSchema = z.object({
  id: z.string(),
  documentVersion: z.string(),
  consentedAt: z.string(),
  takenBy: z.string(),
  signatureMode: z.enum(['electronic', 'paper']),
  status: z.enum(['active', 'superseded', 'withdrawn']),
  withdrawnAt: z.string().nullable(),
  withdrawalScope: z.string().nullable(),
});

const ScreeningSchema = z.object({
  id: z.string(),
  screeningNumber: z.string(),
  siteId: z.string(),
  status: z.enum(SCREENING_STATUSES),
  outcomeReason: z.string().nullable(),
  values: z.record(z.string(), z.unknown()),
  assessment: z.object({
    eligible: z.boolean().nullable(),
    unmet: z.array(z.string()),
    excluded: z.array(z.string()),
    missing: z.array(z.string()),
    derived: z.object({ age: z.number().nullable(), bmi: z.number().nullable() }),
    criteria: z.array(CriterionSchema),
  }),
  hasIdentity: z.boolean(),
  signedOff: z.object({ by: z.string(), at: z.string(), signatureId: z.string() }).nullable(),
  consent: ConsentSchema.nullable(),
  participantId: z.string().nullable(),
  protocolVersion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ParticipantSchema = z.object({
  id: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  screeningId: z.string(),
  screeningNumber: z.string(),
  status: z.enum(['enrolled', 'randomized', 'withdrawn', 'completed']),
  sex: z.string().nullable(),
  yearOfBirth: z.number().nullable(),
  klGrade: z.number().nullable(),
  enrolledAt: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawalScope: z.string().nullable(),
  consentVersion: z.string().nullable(),
  reconsentRequired: z.boolean(),
  protocolVersion: z.string(),
});

const ConsentVersionList = z.object({
  versions: z.array(z.object({ version: z.string(), title: z.string(), issuedAt: z.string() })),
});

export function screeningRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/screenings',
      operationId: 'listScreenings',
      summary: 'The screening log (your sites), optionally by status',
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.read' },
      query: z.object({ status: z.enum(SCREENING_STATUSES).optional() }).strict(),
      response: z.object({ screenings: z.array(ScreeningSchema) }),
      handler: async ({ auth, query, ctx }) => ({
        screenings: await listScreenings(ctx, auth!.actor, query.status ? { status: query.status } : {}),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/screenings/summary',
      operationId: 'summarizeScreeningLog',
      summary: 'Counts by outcome and by failed criterion (feeds the CONSORT diagram)',
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.read' },
      response: z.object({
        screened: z.number(),
        byStatus: z.record(z.string(), z.number()),
        byCriterion: z.record(z.string(), z.number()),
        otherReasons: z.array(z.object({ status: z.string(), reason: z.string(), count: z.number() })),
      }),
      handler: async ({ ctx }) => summarizeScreeningLog(ctx.database.db),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/screenings',
      operationId: 'createScreening',
      summary: 'Add a person to the screening log (a screening number is assigned)',
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.write' },
      body: z.object({ siteId: z.string().max(100).optional(), values: ScreeningValues.optional() }).strict(),
      response: ScreeningSchema,
      status: 201,
      handler: async ({ auth, body, ctx }) =>
        createScreening(ctx, auth!.actor, {
          ...(body.siteId ? { siteId: body.siteId } : {}),
          values: body.values ?? {},
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/screenings/:id',
      operationId: 'getScreening',
      summary: 'One screening with its eligibility assessment, consent and sign-off',
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.read' },
      params: IdParams,
      response: ScreeningSchema,
      handler: async ({ auth, params, ctx }) => getScreening(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/screenings/:id/values',
      operationId: 'updateScreeningValues',
      summary:
        'Change screening values (null clears); eligibility is re-assessed; after sign-off a reason is required and the sign-off is voided',
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.write' },
      params: IdParams,
      body: z.object({ values: ScreeningValues, reason: z.string().max(1000).optional() }).strict(),
      response: ScreeningSchema,
      handler: async ({ auth, params, body, ctx }) =>
        updateScreeningValues(ctx, auth!.actor, params.id, {
          values: body.values,
          ...(body.reason ? { reason: body.reason } : {}),
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/screenings/:id/sign-off',
      operationId: 'signOffEligibility',
      summary: "Investigator's e-signed confirmation of eligibility",
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.sign_off' },
      params: IdParams,
      body: z.object({ signature: SignatureSchema }).strict(),
      response: ScreeningSchema,
      handler: async ({ auth, params, body, ctx }) =>
        signOffEligibility(ctx, auth!.actor, params.id, { password: body.signature.password }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/screenings/:id/outcome',
      operationId: 'recordScreeningOutcome',
      summary: 'Close a screening as declined, not reached or other, with a reason',
      tags: ['screening'],
      access: { kind: 'staff', operation: 'screening.write' },
      params: IdParams,
      body: z.object({ outcome: z.enum(MANUAL_OUTCOMES), reason: nonEmptyText(1000) }).strict(),
      response: ScreeningSchema,
      handler: async ({ auth, params, body, ctx }) => recordScreeningOutcome(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/screenings/:id/identity',
      operationId: 'setScreeningIdentity',
      summary: 'Record the CPR number, name and contact details (encrypted; site staff only)',
      tags: ['identity'],
      access: { kind: 'staff', operation: 'identity.write' },
      params: IdParams,
      body: z
        .object({
          cpr: z.string().min(1).max(20),
          firstName: nonEmptyText(100),
          lastName: nonEmptyText(100),
          phone: z.string().max(40).optional(),
          email: z.string().max(254).optional(),
          address: z.string().max(500).optional(),
        })
        .strict(),
      response: z.object({
        warnings: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
        dateOfBirth: z.string(),
        sex: z.enum(['female', 'male']),
        screenedBefore: z.array(z.string()),
      }),
      handler: async ({ auth, params, body, ctx }) => setIdentity(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/screenings/:id/identity',
      operationId: 'viewScreeningIdentity',
      summary: 'View the identity (site staff only; every view is audited)',
      tags: ['identity'],
      access: { kind: 'staff', operation: 'identity.read' },
      params: IdParams,
      response: z.object({
        cpr: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        phone: z.string().optional(),
        email: z.string().optional(),
        address: z.string().optional(),
        dateOfBirth: z.string(),
        sex: z.enum(['female', 'male']),
      }),
      handler: async ({ auth, params, ctx }) => viewIdentity(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/screenings/:id/consents',
      operationId: 'recordConsent',
      summary: 'Record informed consent, or re-consent to a newer document version',
      tags: ['consent'],
      access: { kind: 'staff', operation: 'consent.write' },
      params: IdParams,
      body: z
        .object({
          documentVersion: nonEmptyText(50),
          consentedAt: isoInstant,
          signatureMode: z.enum(['electronic', 'paper']),
        })
        .strict(),
      response: ScreeningSchema,
      status: 201,
      handler: async ({ auth, params, body, ctx }) =>
        recordConsent(ctx, auth!.actor, params.id, { ...body, consentedAt: new Date(body.consentedAt).toISOString() }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/consent-versions',
      operationId: 'listConsentVersions',
      summary: 'Issued versions of the consent document',
      tags: ['consent'],
      access: { kind: 'staff' },
      response: ConsentVersionList,
      handler: async ({ ctx }) => ({ versions: await listConsentVersions(ctx.database.db) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/consent-versions',
      operationId: 'issueConsentVersion',
      summary: 'Issue a new consent document version (participants on older versions need re-consent)',
      tags: ['consent'],
      access: { kind: 'staff', operation: 'consent_version.manage' },
      body: z.object({ version: nonEmptyText(50), title: nonEmptyText(300), issuedAt: isoDate }).strict(),
      response: ConsentVersionList,
      status: 201,
      handler: async ({ auth, body, ctx }) => ({ versions: await issueConsentVersion(ctx, auth!.actor, body) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/screenings/:id/enrol',
      operationId: 'enrolParticipant',
      summary: 'Enrol a signed-off, consented screening under the next study id',
      tags: ['participants'],
      access: { kind: 'staff', operation: 'participant.enrol' },
      params: IdParams,
      body: z.object({}).strict().optional(),
      response: ParticipantSchema,
      status: 201,
      handler: async ({ auth, params, ctx }) => enrolParticipant(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants',
      operationId: 'listParticipants',
      summary: 'Participants at your sites',
      tags: ['participants'],
      access: { kind: 'staff', operation: 'participant.read' },
      response: z.object({ participants: z.array(ParticipantSchema) }),
      handler: async ({ auth, ctx }) => ({ participants: await listParticipants(ctx, auth!.actor) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id',
      operationId: 'getParticipant',
      summary: 'One participant',
      tags: ['participants'],
      access: { kind: 'staff', operation: 'participant.read' },
      params: IdParams,
      response: ParticipantSchema,
      handler: async ({ auth, params, ctx }) => getParticipant(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/withdraw',
      operationId: 'withdrawParticipant',
      summary: 'Record withdrawal of consent with its scope (collected data is kept)',
      tags: ['participants'],
      access: { kind: 'staff', operation: 'participant.withdraw' },
      params: IdParams,
      body: z.object({ scope: z.enum(WITHDRAWAL_SCOPES), reason: nonEmptyText(1000), withdrawnOn: isoDate }).strict(),
      response: ParticipantSchema,
      handler: async ({ auth, params, body, ctx }) => withdrawParticipant(ctx, auth!.actor, params.id, body),
    }),
  ];
}
