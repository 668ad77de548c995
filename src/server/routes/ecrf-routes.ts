/**
 * Visits, eCRFs, queries, monitoring and locking. Pages need few calls: the casebook (visits ×
 * forms matrix with statuses, windows and query counts), one form read (values, item metadata,
 * warnings and open queries per item, SDV, locks), one save, the query inbox, the calendar.
 */
import { z } from 'zod';
import { QUERY_AGE_BUCKETS } from '../../core/ecrf/query-age.js';
import { getCasebook } from '../../services/ecrf-casebook.js';
import { getAttachment, uploadAttachment, ATTACHMENT_MEDIA_TYPES } from '../../services/ecrf-attachments.js';
import {
  createFormInstance,
  getFormAtVisit,
  getFormDefinition,
  getFormHistory,
  getFormInstance,
  saveFormAtVisit,
  saveFormInstance,
  type SaveFormInput,
} from '../../services/ecrf.js';
import { getParticipantSchedule, getVisitCalendar, listDeviations, recordVisit } from '../../services/ecrf-visits.js';
import {
  getSdvWorklist,
  lockCasebook,
  lockForm,
  signCasebook,
  unlockCasebook,
  unlockForm,
  verifyForm,
} from '../../services/monitoring.js';
import {
  answerQuery,
  closeQuery,
  getQuery,
  listQueries,
  raiseQuery,
  reopenQuery,
  summarizeQueries,
} from '../../services/queries.js';
import { FORM_INSTANCE_STATUSES, QUERY_ORIGINS, QUERY_STATUSES } from '../../storage/schema-ecrf.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { IdParams, nonEmptyText, SignatureSchema } from '../schemas.js';

const id = z.string().min(1).max(100);
const code = z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'must be an identifier (letters, digits, _)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const Localized = z.object({ da: z.string(), en: z.string() });
const Issue = z.object({ path: z.string(), message: z.string(), code: z.string().optional() });

const ParticipantVisitFormParams = z.object({ id, visitCode: code, formId: code }).strict();
const ParticipantFormParams = z.object({ id, formId: code }).strict();
const ParticipantVisitParams = z.object({ id, visitCode: code }).strict();

/** Values are validated item by item against the protocol by the eCRF engine, so they pass through as an object. */
const Values = z.record(z.string().max(64), z.unknown()).refine((v) => Object.keys(v).length <= 1000, 'too many items');

const SaveBody = z
  .object({
    values: Values,
    action: z.enum(['draft', 'submit']),
    reason: z.string().max(1000).nullable().optional(),
    expectedVersion: z.number().int().positive().nullable().optional(),
  })
  .strict();

const InstanceMetaSchema = z.object({
  id: z.string(),
  participantId: z.string(),
  visitCode: z.string().nullable(),
  formId: z.string(),
  repeatNo: z.number(),
  status: z.enum(FORM_INSTANCE_STATUSES),
  protocolVersion: z.string(),
  version: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  locked: z.boolean(),
  lockedAt: z.string().nullable(),
  lockedBy: z.string().nullable(),
});

const DerivedValues = z.record(z.string(), z.union([z.boolean(), z.number(), z.null()]));

const SaveResultSchema = z.object({
  instance: InstanceMetaSchema,
  values: z.record(z.string(), z.unknown()),
  derived: DerivedValues,
  masked: z.array(z.string()),
  warnings: z.array(Issue),
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
  autoQueries: z.object({ raised: z.number(), closed: z.number() }),
});

const ItemViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  label: Localized,
  help: Localized.nullable(),
  unit: z.object({ ucum: z.string(), display: z.string() }).nullable(),
  range: z
    .object({
      hardMin: z.number(),
      hardMax: z.number(),
      softMin: z.number().optional(),
      softMax: z.number().optional(),
    })
    .nullable(),
  precision: z.number().nullable(),
  codeList: z
    .object({
      id: z.string(),
      ordered: z.boolean(),
      entries: z.array(z.object({ code: z.union([z.string(), z.number()]), label: Localized })),
    })
    .nullable(),
  multiple: z.boolean(),
  pattern: z.object({ regex: z.string(), description: Localized }).nullable(),
  maxLength: z.number().nullable(),
  multiline: z.boolean(),
  mediaTypes: z.array(z.string()).nullable(),
  required: z.boolean(),
  showIf: z.unknown().describe('condition tree (see src/core/protocol/condition.ts), null when always shown'),
  derived: z.boolean(),
  derivationMethod: z.string().nullable(),
  applicable: z.boolean(),
  potentiallyUnblinding: z.boolean(),
  visible: z.boolean(),
  licensedTextKey: z.string().nullable(),
  nullMeaning: Localized.nullable(),
});

const FormDefinitionSchema = z.object({
  id: z.string(),
  title: Localized,
  kind: z.string(),
  repeating: z.boolean(),
  respondent: z.string(),
  epro: z.boolean(),
  recallPeriod: Localized.nullable(),
  licenceNote: z.string().nullable(),
  description: Localized.nullable(),
  groups: z.array(
    z.object({
      id: z.string(),
      name: Localized,
      repeating: z.boolean(),
      showIf: z.unknown(),
      respondent: z.string().nullable(),
      items: z.array(ItemViewSchema),
    }),
  ),
});

const QueryEventSchema = z.object({
  seq: z.number(),
  action: z.string(),
  text: z.string().nullable(),
  at: z.string(),
  by: z.string(),
});

const QuerySchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  formId: z.string(),
  visitCode: z.string().nullable(),
  itemPath: z.string().nullable(),
  origin: z.enum(QUERY_ORIGINS),
  checkCode: z.string().nullable(),
  status: z.enum(QUERY_STATUSES),
  text: z.string(),
  answer: z.string().nullable(),
  raisedAt: z.string(),
  raisedBy: z.string(),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  reopenCount: z.number(),
  ageDays: z.number(),
  events: z.array(QueryEventSchema).optional(),
});

const SdvSchema = z.object({
  status: z.enum(['not_verified', 'verified', 'changed_since_verification']),
  verifiedVersion: z.number().nullable(),
  verifiedAt: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  currentVersion: z.number(),
  changes: z.array(z.object({ path: z.string(), verified: z.unknown(), current: z.unknown() })),
});

const FormViewSchema = z.object({
  participant: z.object({ id: z.string(), studyId: z.string(), siteId: z.string(), status: z.string() }),
  visitCode: z.string().nullable(),
  formId: z.string(),
  repeatNo: z.number(),
  definition: FormDefinitionSchema,
  instance: InstanceMetaSchema.nullable(),
  values: z.record(z.string(), z.unknown()),
  derived: DerivedValues,
  masked: z.array(z.string()),
  warnings: z.array(Issue),
  itemStates: z.record(z.string(), z.object({ warnings: z.array(Issue), openQueries: z.number() })),
  queries: z.array(QuerySchema),
  sdv: SdvSchema.nullable(),
  locks: z.object({ form: z.boolean(), casebook: z.boolean(), database: z.boolean() }),
});

const VisitSchema = z.object({
  visit: z.string(),
  name: Localized,
  kind: z.string(),
  target: z.string().nullable(),
  earliest: z.string().nullable(),
  latest: z.string().nullable(),
  status: z.enum(['not_yet_due', 'due', 'overdue', 'done_in_window', 'done_out_of_window', 'missed', 'not_applicable']),
  deviation: z.boolean(),
  doneOn: z.string().nullable(),
  studyDay: z.number().nullable(),
  daysOverdue: z.number().nullable(),
  missed: z.boolean(),
  missedReason: z.string().nullable(),
  recordedAt: z.string().nullable(),
  recordedBy: z.string().nullable(),
});

const ScheduleSchema = z.object({
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  day0: z.string().nullable(),
  day0Source: z.enum(['injection', 'baseline_visit']).nullable(),
  today: z.string(),
  visits: z.array(VisitSchema),
});

const CasebookInstanceSchema = z.object({
  instanceId: z.string(),
  repeatNo: z.number(),
  status: z.enum(FORM_INSTANCE_STATUSES),
  version: z.number(),
  locked: z.boolean(),
  sdv: z.enum(['not_verified', 'verified', 'changed_since_verification']),
  openQueries: z.number(),
  warnings: z.number(),
  updatedAt: z.string(),
});

const CasebookStateSchema = z.object({
  locked: z.boolean(),
  lockedAt: z.string().nullable(),
  lockedBy: z.string().nullable(),
  signature: z.object({ signedAt: z.string(), signedBy: z.string(), signatureId: z.string() }).nullable(),
});

const ManagedBy = z.enum(['screening', 'product_chain', 'safety']).nullable();

const CasebookSchema = z.object({
  participant: z.object({
    id: z.string(),
    studyId: z.string(),
    siteId: z.string(),
    status: z.string(),
    withdrawnOn: z.string().nullable(),
    withdrawalScope: z.string().nullable(),
  }),
  day0: z.string().nullable(),
  day0Source: z.enum(['injection', 'baseline_visit']).nullable(),
  today: z.string(),
  visits: z.array(VisitSchema),
  forms: z.array(z.object({ formId: z.string(), title: Localized, managedBy: ManagedBy })),
  cells: z.array(
    z.object({
      visitCode: z.string(),
      formId: z.string(),
      status: z.enum(['not_started', 'draft', 'submitted', 'not_applicable', 'external']),
      managedBy: ManagedBy,
      instance: CasebookInstanceSchema.nullable(),
    }),
  ),
  logs: z.array(
    z.object({
      formId: z.string(),
      title: Localized,
      kind: z.string(),
      repeating: z.boolean(),
      managedBy: ManagedBy,
      instances: z.array(CasebookInstanceSchema),
    }),
  ),
  queries: z.object({ open: z.number(), answered: z.number(), closed: z.number() }),
  deviations: z.number(),
  progress: z.object({ expected: z.number(), submitted: z.number(), draft: z.number() }),
  casebook: CasebookStateSchema,
});

const DeviationSchema = z.object({
  id: z.string(),
  participantId: z.string(),
  siteId: z.string(),
  visitCode: z.string().nullable(),
  category: z.string(),
  description: z.string(),
  deviationDate: z.string(),
  source: z.enum(['auto', 'manual']),
  status: z.enum(['open', 'voided']),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  createdBy: z.string(),
  voidedAt: z.string().nullable(),
  voidedReason: z.string().nullable(),
});

const AttachmentRefSchema = z.object({ sha256: z.string(), name: z.string(), mediaType: z.string(), size: z.number() });

const saveInput = (body: z.output<typeof SaveBody>): SaveFormInput => ({
  values: body.values,
  action: body.action,
  reason: body.reason ?? null,
  expectedVersion: body.expectedVersion ?? null,
});

export function ecrfRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/ecrf/forms/:formId',
      operationId: 'getFormDefinition',
      summary:
        'A form definition for data entry: items, types, units, limits, code lists, conditions, required/derived flags, blinding',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: z.object({ formId: code }).strict(),
      query: z.object({ visitCode: code.optional(), protocolVersion: z.string().max(20).optional() }).strict(),
      response: FormDefinitionSchema,
      handler: async ({ auth, params, query, ctx }) =>
        getFormDefinition(ctx, auth!.actor, params.formId, {
          visitCode: query.visitCode ?? null,
          ...(query.protocolVersion ? { protocolVersion: query.protocolVersion } : {}),
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/casebook',
      operationId: 'getCasebook',
      summary:
        "A participant's casebook: visits × forms matrix with status, windows, open queries, SDV, locks and signature",
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: IdParams,
      response: CasebookSchema,
      handler: async ({ auth, params, ctx }) => getCasebook(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/schedule',
      operationId: 'getParticipantSchedule',
      summary: 'Visit schedule from Day 0: target dates, windows and status of every visit',
      tags: ['visits'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: IdParams,
      response: ScheduleSchema,
      handler: async ({ auth, params, ctx }) => getParticipantSchedule(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/participants/:id/visits/:visitCode',
      operationId: 'recordVisit',
      summary:
        'Record the date a visit took place, or that it was missed; outside the window it is recorded as a deviation, never refused; changes need a reason',
      tags: ['visits'],
      access: { kind: 'staff', operation: 'visit.write' },
      params: ParticipantVisitParams,
      body: z.union([
        z.object({ date: isoDate, reason: z.string().max(1000).optional() }).strict(),
        z
          .object({
            missed: z.literal(true),
            missedReason: nonEmptyText(1000),
            reason: z.string().max(1000).optional(),
          })
          .strict(),
      ]),
      response: VisitSchema,
      handler: async ({ auth, params, body, ctx }) => recordVisit(ctx, auth!.actor, params.id, params.visitCode, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/visits/:visitCode/forms/:formId',
      operationId: 'getFormAtVisit',
      summary:
        'A form at a visit: values (blinded items removed), item metadata, warnings and open queries per item, SDV, locks',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: ParticipantVisitFormParams,
      response: FormViewSchema,
      handler: async ({ auth, params, ctx }) =>
        getFormAtVisit(ctx, auth!.actor, params.id, params.visitCode, params.formId),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/participants/:id/visits/:visitCode/forms/:formId',
      operationId: 'saveFormAtVisit',
      summary: 'Save a form at a visit as a draft, or submit it; after submission every change needs a reason',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.write' },
      params: ParticipantVisitFormParams,
      body: SaveBody,
      response: SaveResultSchema,
      handler: async ({ auth, params, body, ctx }) =>
        saveFormAtVisit(ctx, auth!.actor, params.id, params.visitCode, params.formId, saveInput(body)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/forms/:formId',
      operationId: 'getParticipantForm',
      summary: 'A participant-level form that occurs once (end of study)',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: ParticipantFormParams,
      response: FormViewSchema,
      handler: async ({ auth, params, ctx }) => getFormAtVisit(ctx, auth!.actor, params.id, null, params.formId),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/participants/:id/forms/:formId',
      operationId: 'saveParticipantForm',
      summary: 'Save or submit a participant-level form that occurs once (end of study)',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.write' },
      params: ParticipantFormParams,
      body: SaveBody,
      response: SaveResultSchema,
      handler: async ({ auth, params, body, ctx }) =>
        saveFormAtVisit(ctx, auth!.actor, params.id, null, params.formId, saveInput(body)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/forms/:formId/instances',
      operationId: 'createFormInstance',
      summary:
        'Add an instance of a repeating form (concomitant medication, unscheduled visit, protocol deviation) with its values',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.write' },
      params: ParticipantFormParams,
      body: SaveBody,
      response: SaveResultSchema,
      status: 201,
      handler: async ({ auth, params, body, ctx }) =>
        createFormInstance(ctx, auth!.actor, params.id, params.formId, saveInput(body)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/form-instances/:id',
      operationId: 'getFormInstance',
      summary: 'A form instance by id (as getFormAtVisit)',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: IdParams,
      response: FormViewSchema,
      handler: async ({ auth, params, ctx }) => getFormInstance(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/form-instances/:id',
      operationId: 'saveFormInstance',
      summary: 'Save or submit a form instance by id; after submission every change needs a reason',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.write' },
      params: IdParams,
      body: SaveBody,
      response: SaveResultSchema,
      handler: async ({ auth, params, body, ctx }) => saveFormInstance(ctx, auth!.actor, params.id, saveInput(body)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/form-instances/:id/history',
      operationId: 'getFormHistory',
      summary: 'Item-level audit trail of a form instance: who, when, old value, new value, why',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: IdParams,
      response: z.object({
        history: z.array(
          z.object({
            seq: z.number(),
            at: z.string(),
            by: z.string(),
            action: z.string(),
            reason: z.string().nullable(),
            status: z.string().nullable(),
            version: z.number().nullable(),
            changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
            details: z.record(z.string(), z.unknown()).nullable(),
          }),
        ),
      }),
      handler: async ({ auth, params, ctx }) => ({ history: await getFormHistory(ctx, auth!.actor, params.id) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/deviations',
      operationId: 'listProtocolDeviations',
      summary:
        'The protocol deviation register (out-of-window visits are entered automatically), for one participant or your sites',
      tags: ['visits'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      query: z.object({ participantId: id.optional() }).strict(),
      response: z.object({ deviations: z.array(DeviationSchema) }),
      handler: async ({ auth, query, ctx }) => ({
        deviations: await listDeviations(
          ctx,
          auth!.actor,
          query.participantId ? { participantId: query.participantId } : {},
        ),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ecrf/calendar',
      operationId: 'getVisitCalendar',
      summary: 'Upcoming and overdue visits per site (default: today to 60 days ahead, plus everything overdue)',
      tags: ['visits'],
      access: { kind: 'staff', operation: 'calendar.read' },
      query: z.object({ siteId: id.optional(), from: isoDate.optional(), to: isoDate.optional() }).strict(),
      response: z.object({
        today: z.string(),
        from: z.string(),
        to: z.string(),
        counts: z.object({ overdue: z.number(), due: z.number(), upcoming: z.number() }),
        entries: z.array(
          z.object({
            participantId: z.string(),
            studyId: z.string(),
            siteId: z.string(),
            visit: z.string(),
            name: Localized,
            target: z.string(),
            earliest: z.string(),
            latest: z.string(),
            status: z.enum(['not_yet_due', 'due', 'overdue']),
            daysOverdue: z.number().nullable(),
          }),
        ),
      }),
      handler: async ({ auth, query, ctx }) =>
        getVisitCalendar(ctx, auth!.actor, {
          ...(query.siteId ? { siteId: query.siteId } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/queries',
      operationId: 'listQueries',
      summary:
        'The query inbox at your sites, filtered by status (or unresolved), site, participant, form, visit, origin or instance',
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.read' },
      query: z
        .object({
          status: z.enum([...QUERY_STATUSES, 'unresolved']).optional(),
          siteId: id.optional(),
          participantId: id.optional(),
          formId: code.optional(),
          visitCode: code.optional(),
          origin: z.enum(QUERY_ORIGINS).optional(),
          instanceId: id.optional(),
        })
        .strict(),
      response: z.object({ queries: z.array(QuerySchema) }),
      handler: async ({ auth, query, ctx }) => {
        const filter = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
        return { queries: await listQueries(ctx, auth!.actor, filter) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/queries/summary',
      operationId: 'summarizeQueries',
      summary: 'Query counts by status, and unresolved queries by site, participant, form, age and origin',
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.read' },
      query: z.object({ siteId: id.optional() }).strict(),
      response: z.object({
        byStatus: z.record(z.string(), z.number()),
        unresolved: z.object({
          total: z.number(),
          bySite: z.record(z.string(), z.number()),
          byParticipant: z.record(z.string(), z.number()),
          byForm: z.record(z.string(), z.number()),
          byAge: z.object(Object.fromEntries(QUERY_AGE_BUCKETS.map((b) => [b, z.number()]))),
          byOrigin: z.record(z.string(), z.number()),
        }),
      }),
      handler: async ({ auth, query, ctx }) =>
        summarizeQueries(ctx, auth!.actor, query.siteId ? { siteId: query.siteId } : {}),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/queries/:id',
      operationId: 'getQuery',
      summary: 'One query with its thread',
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.read' },
      params: IdParams,
      response: QuerySchema,
      handler: async ({ auth, params, ctx }) => getQuery(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/form-instances/:id/queries',
      operationId: 'raiseQuery',
      summary: 'Raise a manual query on an item (`item` or `group[row].item`) or on the whole form',
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.raise' },
      params: IdParams,
      body: z.object({ itemPath: z.string().max(200).nullable().optional(), text: nonEmptyText(2000) }).strict(),
      response: QuerySchema,
      status: 201,
      handler: async ({ auth, params, body, ctx }) =>
        raiseQuery(ctx, auth!.actor, params.id, { itemPath: body.itemPath ?? null, text: body.text }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/queries/:id/answer',
      operationId: 'answerQuery',
      summary: "The site's answer to an open query",
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.answer' },
      params: IdParams,
      body: z.object({ text: nonEmptyText(2000) }).strict(),
      response: QuerySchema,
      handler: async ({ auth, params, body, ctx }) => answerQuery(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/queries/:id/close',
      operationId: 'closeQuery',
      summary: 'Close an open or answered query',
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.close' },
      params: IdParams,
      body: z.object({ text: z.string().max(2000).optional() }).strict(),
      response: QuerySchema,
      handler: async ({ auth, params, body, ctx }) =>
        closeQuery(ctx, auth!.actor, params.id, body.text ? { text: body.text } : {}),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/queries/:id/reopen',
      operationId: 'reopenQuery',
      summary: 'Re-open an answered or closed query, saying why',
      tags: ['queries'],
      access: { kind: 'staff', operation: 'query.close' },
      params: IdParams,
      body: z.object({ text: nonEmptyText(2000) }).strict(),
      response: QuerySchema,
      handler: async ({ auth, params, body, ctx }) => reopenQuery(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/form-instances/:id/sdv',
      operationId: 'verifyForm',
      summary: 'Source data verification of the named version of a submitted form (monitor)',
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'sdv.write' },
      params: IdParams,
      body: z.object({ version: z.number().int().positive() }).strict(),
      response: z.object({ instance: InstanceMetaSchema, sdv: SdvSchema }),
      handler: async ({ auth, params, body, ctx }) => verifyForm(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/ecrf/sdv-worklist',
      operationId: 'getSdvWorklist',
      summary: 'Submitted forms not yet verified, or changed since verification',
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      query: z.object({ siteId: id.optional(), participantId: id.optional() }).strict(),
      response: z.object({
        forms: z.array(
          z.object({
            instanceId: z.string(),
            participantId: z.string(),
            studyId: z.string(),
            siteId: z.string(),
            visitCode: z.string().nullable(),
            formId: z.string(),
            repeatNo: z.number(),
            version: z.number(),
            submittedAt: z.string().nullable(),
            updatedAt: z.string(),
            sdvStatus: z.enum(['not_verified', 'changed_since_verification']),
            verifiedVersion: z.number().nullable(),
          }),
        ),
      }),
      handler: async ({ auth, query, ctx }) => ({
        forms: await getSdvWorklist(ctx, auth!.actor, {
          ...(query.siteId ? { siteId: query.siteId } : {}),
          ...(query.participantId ? { participantId: query.participantId } : {}),
        }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/form-instances/:id/lock',
      operationId: 'lockForm',
      summary: 'Lock a submitted form without unresolved queries (data manager)',
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'ecrf.lock' },
      params: IdParams,
      body: z.object({ reason: z.string().max(1000).optional() }).strict(),
      response: InstanceMetaSchema,
      handler: async ({ auth, params, body, ctx }) =>
        lockForm(ctx, auth!.actor, params.id, { reason: body.reason ?? null }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/form-instances/:id/unlock',
      operationId: 'unlockForm',
      summary: 'Unlock a form (data manager, with a reason)',
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'ecrf.unlock' },
      params: IdParams,
      body: z.object({ reason: nonEmptyText(1000) }).strict(),
      response: InstanceMetaSchema,
      handler: async ({ auth, params, body, ctx }) => unlockForm(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/casebook/lock',
      operationId: 'lockCasebook',
      summary: "Lock a participant's casebook: no drafts, no unresolved queries (data manager)",
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'ecrf.lock' },
      params: IdParams,
      body: z.object({ reason: z.string().max(1000).optional() }).strict(),
      response: CasebookStateSchema,
      handler: async ({ auth, params, body, ctx }) =>
        lockCasebook(ctx, auth!.actor, params.id, { reason: body.reason ?? null }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/casebook/unlock',
      operationId: 'unlockCasebook',
      summary: "Unlock a participant's casebook (data manager, with a reason)",
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'ecrf.unlock' },
      params: IdParams,
      body: z.object({ reason: nonEmptyText(1000) }).strict(),
      response: CasebookStateSchema,
      handler: async ({ auth, params, body, ctx }) => unlockCasebook(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/casebook/sign',
      operationId: 'signCasebook',
      summary: "The investigator's e-signature of a participant's casebook (voided by any later data change)",
      tags: ['monitoring'],
      access: { kind: 'staff', operation: 'casebook.sign' },
      params: IdParams,
      body: z.object({ signature: SignatureSchema }).strict(),
      response: CasebookStateSchema,
      handler: async ({ auth, params, body, ctx }) =>
        signCasebook(ctx, auth!.actor, params.id, { password: body.signature.password }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/attachments',
      operationId: 'uploadAttachment',
      summary:
        'Upload a file (base64, at most 700 KiB) for a participant; returns the content-addressed reference for a file item',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.write' },
      params: IdParams,
      body: z
        .object({
          name: nonEmptyText(255),
          mediaType: z.enum(ATTACHMENT_MEDIA_TYPES),
          contentBase64: z.string().min(1).max(1_000_000),
        })
        .strict(),
      response: AttachmentRefSchema,
      status: 201,
      handler: async ({ auth, params, body, ctx }) => uploadAttachment(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/attachments/:sha256',
      operationId: 'getAttachment',
      summary: 'Download an attachment (base64) by its SHA-256',
      tags: ['ecrf'],
      access: { kind: 'staff', operation: 'ecrf.read' },
      params: z
        .object({ id, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex') })
        .strict(),
      response: AttachmentRefSchema.extend({
        uploadedAt: z.string(),
        uploadedBy: z.string(),
        contentBase64: z.string(),
      }),
      handler: async ({ auth, params, ctx }) => getAttachment(ctx, auth!.actor, params.id, params.sha256),
    }),
  ];
}
