/**
 * Adverse events and safety reporting: AE records and their follow-up, consistency queries, SAE
 * cases with their clocks and submissions, SUSAR classification with per-case unblinding for the
 * sponsor's safety physician, AE review tasks, safety tables, the annual-report extract and the SAE
 * report document. Every response passes the blinding presenter; the two unblinding routes are the
 * only ones that reveal an arm, to a designated physician for one case.
 */
import { z } from 'zod';
import type { Operation } from '../../core/authorization.js';
import {
  AdverseEventChangeSchema,
  AE_ACTION_CODES,
  AE_OUTCOME_CODES,
  AE_REVIEW_SOURCES,
  AeReviewTaskSchema,
  CASE_DEADLINE_KINDS,
  CAUSALITY_CODES,
  EXPECTEDNESS_CODES,
  InstantSchema,
  NewAdverseEventSchema,
  SAE_SUBMISSION_KINDS,
  SponsorAssessmentSchema,
  SusarClassificationSchema,
} from '../../core/safety/index.js';
import {
  assessAdverseEventAsSponsor,
  confirmSafetyQuery,
  createAdverseEvent,
  getAdverseEvent,
  listAdverseEvents,
  listSafetyQueries,
  markAdverseEventEnteredInError,
  updateAdverseEvent,
} from '../../services/adverse-events.js';
import { actorSeesArms } from '../../services/blinding.js';
import type { Actor, ServiceContext } from '../../services/context.js';
import {
  designateSafetyPhysician,
  isSafetyPhysician,
  issueRsiVersion,
  listRsiVersions,
  listSafetyPhysicians,
  revokeSafetyPhysician,
} from '../../services/safety-access.js';
import {
  classifySusar,
  closeSaeCase,
  getSafetyDashboard,
  getSaeCase,
  listSaeCases,
  recordSaeSubmission,
  unblindCaseForSusar,
  viewCaseArm,
} from '../../services/safety-cases.js';
import { scanSafetyDeadlines } from '../../services/safety-notifications.js';
import {
  buildSafetyExtractCsv,
  getPooledSafetySummary,
  getSafetySummaryByArm,
  renderSaeReport,
} from '../../services/safety-outputs.js';
import {
  createAeReviewTask,
  dismissAeReviewTask,
  getAeReviewTask,
  linkAeToReviewTask,
  listAeReviewTasks,
  recordAeFromReviewTask,
} from '../../services/safety-review-tasks.js';
import { defineRoute, type AnyRoute, type RouteDef } from '../route.js';
import { IdParams, nonEmptyText, ReasonBody, SignatureSchema } from '../schemas.js';

// ---- response shapes (documentation for the OpenAPI document and the web pages) ----------------

const Causality = z.object({ cellProduct: z.enum(CAUSALITY_CODES), procedure: z.enum(CAUSALITY_CODES) });
const Seriousness = z.object({
  death: z.boolean(),
  lifeThreatening: z.boolean(),
  hospitalisation: z.boolean(),
  disability: z.boolean(),
  congenitalAnomaly: z.boolean(),
  importantMedicalEvent: z.boolean(),
});
const Meddra = z.object({
  version: z.string(),
  lltCode: z.string().nullable(),
  lltName: z.string().nullable(),
  ptCode: z.string().nullable(),
  ptName: z.string().nullable(),
  socCode: z.string().nullable(),
  socName: z.string().nullable(),
});
const AeRecordShape = {
  verbatimTerm: z.string(),
  meddra: Meddra.nullable(),
  onsetDate: z.string(),
  endDate: z.string().nullable(),
  grade: z.number().int(),
  seriousness: Seriousness,
  localToIndexKnee: z.boolean().nullable(),
  investigatorCausality: Causality.nullable(),
  actionTaken: z.array(z.enum(AE_ACTION_CODES)),
  outcome: z.enum(AE_OUTCOME_CODES),
  narrative: z.string().nullable(),
};
const SponsorAssessmentView = z.object({
  causality: Causality,
  expectedness: z.enum(EXPECTEDNESS_CODES),
  rsiVersion: z.string(),
  comment: z.string().nullable(),
});
const QueryView = z.object({
  id: z.string(),
  aeId: z.string(),
  rule: z.string(),
  path: z.string(),
  message: z.string(),
  status: z.enum(['open', 'resolved', 'confirmed']),
  raisedAt: z.string(),
  raisedInVersion: z.number(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  response: z.string().nullable(),
});
const AeView = z.object({
  id: z.string(),
  aeNumber: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  status: z.enum(['active', 'entered_in_error']),
  version: z.number(),
  ...AeRecordShape,
  ongoing: z.boolean(),
  serious: z.boolean(),
  fatalOrLifeThreatening: z.boolean(),
  sponsorAssessment: SponsorAssessmentView.nullable(),
  reportableCausality: z.enum(['related', 'not_related', 'pending']),
  siteAwarenessAt: z.string(),
  seriousAwarenessAt: z.string().nullable(),
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  openQueries: z.number(),
  reviewTaskId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  arm: z
    .enum(['ADMSC', 'SALINE'])
    .nullable()
    .optional()
    .describe('Only for callers who see arms (DSMB; statistician after lock)'),
});
const AeDetail = AeView.extend({
  versions: z.array(
    z.object({
      version: z.number(),
      kind: z.enum(['initial', 'follow_up', 'sponsor_assessment', 'entered_in_error']),
      changedAt: z.string(),
      changedBy: z.string(),
      reason: z.string().nullable(),
      changedFields: z.array(z.string()),
      record: z.object(AeRecordShape),
      sponsorAssessment: SponsorAssessmentView.nullable(),
    }),
  ),
  queries: z.array(QueryView),
});
const DeadlineView = z.object({
  kind: z.enum(CASE_DEADLINE_KINDS),
  label: z.string(),
  due: z.string().describe('UTC instant'),
  dueLocal: z.string().describe('the same instant in Europe/Copenhagen with its offset'),
  status: z.enum(['pending', 'due_soon', 'overdue', 'met', 'met_late']),
  metAt: z.string().nullable(),
});
const CaseView = z.object({
  id: z.string(),
  caseNumber: z.string(),
  status: z.enum(['open', 'downgraded', 'nullified', 'closed']),
  aeId: z.string(),
  aeNumber: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  verbatimTerm: z.string(),
  grade: z.number(),
  seriousness: Seriousness,
  fatalOrLifeThreatening: z.boolean(),
  investigatorAwarenessAt: z.string(),
  sponsorAwarenessAt: z.string().nullable(),
  sponsorAssessed: z.boolean(),
  susarCandidate: z.boolean(),
  deadlines: z.array(DeadlineView),
  submissions: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(SAE_SUBMISSION_KINDS),
      occurredAt: z.string(),
      occurredAtLocal: z.string(),
      reference: z.string().nullable(),
      note: z.string().nullable(),
      recordedBy: z.string(),
      recordedAt: z.string(),
    }),
  ),
  susarVisible: z
    .boolean()
    .describe('false: the SUSAR classification, its clocks and reports are hidden from this caller'),
  susarAssessment: z
    .object({
      susar: z.boolean().nullable(),
      rationale: z.string().nullable(),
      classifiedBy: z.string().nullable(),
      classifiedAt: z.string().nullable(),
      susarAwarenessAt: z.string().nullable(),
    })
    .nullable(),
  unblinding: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
});
const ArmView = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  studyId: z.string(),
  arm: z.enum(['ADMSC', 'SALINE']).nullable(),
  unblindedAt: z.string(),
  unblindedBy: z.string(),
});
const TaskView = z.object({
  id: z.string(),
  taskNumber: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  source: z.enum(AE_REVIEW_SOURCES),
  sourceRef: z.string().nullable(),
  summary: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  status: z.enum(['open', 'ae_recorded', 'dismissed']),
  aeId: z.string().nullable(),
  aeNumber: z.string().nullable(),
  resolutionReason: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
const Cell = z.object({ participants: z.number(), percent: z.number().nullable(), events: z.number() });
const GradeCounts = z.record(z.string(), z.number());
const IncidenceTable = z.object({
  participants: z.number(),
  overview: z.object({
    any: Cell,
    serious: Cell,
    related: Cell,
    seriousRelated: Cell,
    grade3OrHigher: Cell,
    fatal: Cell,
  }),
  byWorstGrade: z.array(z.object({ grade: z.number(), participants: z.number(), percent: z.number().nullable() })),
  bySocPt: z.array(
    Cell.extend({
      socCode: z.string().nullable(),
      socName: z.string(),
      seriousParticipants: z.number(),
      relatedParticipants: z.number(),
      terms: z.array(
        Cell.extend({
          ptCode: z.string().nullable(),
          ptName: z.string(),
          seriousParticipants: z.number(),
          relatedParticipants: z.number(),
          participantsByWorstGrade: GradeCounts,
        }),
      ),
    }),
  ),
  exposure: z.object({
    participantYears: z.number(),
    events: z.number(),
    eventsPer100ParticipantYears: z.number().nullable(),
    seriousEvents: z.number(),
    seriousEventsPer100ParticipantYears: z.number().nullable(),
  }),
});
const DashboardLine = DeadlineView.extend({
  caseId: z.string(),
  caseNumber: z.string(),
  studyId: z.string(),
  aeNumber: z.string(),
  verbatimTerm: z.string(),
});
const PhysicianList = z.object({
  physicians: z.array(
    z.object({
      userId: z.string(),
      email: z.string(),
      displayName: z.string(),
      designatedAt: z.string(),
      designatedBy: z.string(),
      reason: z.string(),
      active: z.boolean(),
      revokedAt: z.string().nullable(),
    }),
  ),
});
const RsiList = z.object({
  versions: z.array(z.object({ version: z.string(), title: z.string(), effectiveFrom: z.string() })),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const SiteSubmissionBody = z
  .object({
    kind: z.enum(['investigator_initial_report', 'investigator_follow_up_report']),
    occurredAt: InstantSchema.optional(),
    reference: z.string().max(200).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();
const SponsorSubmissionBody = z
  .object({
    kind: z.enum(['sponsor_acknowledgement', 'susar_initial_report', 'susar_follow_up_report']),
    occurredAt: InstantSchema.optional(),
    reference: z.string().max(200).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();

const TAGS = ['safety'];

/**
 * A safety route as declared below: every field of a route but its tag and access, which all safety
 * routes share (tagged `safety`, for signed-in staff holding `operation`).
 */
type SafetyRouteSpec<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
> = Omit<RouteDef<P, Q, B, R>, 'tags' | 'access'> & { operation: Operation };

function safetyRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
>({ operation, ...def }: SafetyRouteSpec<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return defineRoute<P, Q, B, R>({ ...def, tags: TAGS, access: { kind: 'staff', operation } });
}

/**
 * A route on one record (`:id`) whose handler is one service call with the record id and, for a
 * write, the validated body; the spec names the service instead of a handler.
 */
function recordRoute<B extends z.ZodType | undefined, R extends z.ZodType>({
  service,
  ...spec
}: Omit<SafetyRouteSpec<typeof IdParams, undefined, B, R>, 'params' | 'handler'> & {
  service: (
    ctx: ServiceContext,
    actor: Actor,
    id: string,
    body: B extends z.ZodType ? z.output<B> : undefined,
  ) => Promise<z.input<R>>;
}): RouteDef<typeof IdParams, undefined, B, R> {
  return safetyRoute<typeof IdParams, undefined, B, R>({
    ...spec,
    params: IdParams,
    handler: async ({ auth, params, body, ctx }) => service(ctx, auth!.actor, params.id, body),
  });
}

// The list and extract routes hand their validated query to the service as its filter: the services
// treat an absent (undefined) filter field as "no filter", and the strict schemas admit no other keys.
export function safetyRoutes(): AnyRoute[] {
  return [
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/me',
      operationId: 'getSafetyCapabilities',
      summary: 'What the caller may see and do in the safety module (for the pages)',
      operation: 'safety.read',
      response: z.object({ safetyPhysician: z.boolean(), seesSusar: z.boolean(), byArmTables: z.boolean() }),
      handler: async ({ auth, ctx }) => {
        const physician = await isSafetyPhysician(ctx.database.db, auth!.actor);
        const seesArms = await actorSeesArms(ctx.database.db, auth!.actor);
        return { safetyPhysician: physician, seesSusar: physician || seesArms, byArmTables: seesArms };
      },
    }),
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/dashboard',
      operationId: 'getSafetyDashboard',
      summary: 'What is due and overdue (SAE and SUSAR clocks), open review tasks and queries',
      operation: 'safety.read',
      response: z.object({
        now: z.string(),
        nowLocal: z.string(),
        counts: z.object({
          openCases: z.number(),
          overdue: z.number(),
          dueSoon: z.number(),
          openReviewTasks: z.number(),
          openQueries: z.number(),
          aesPendingInvestigatorCausality: z.number(),
        }),
        deadlines: z.array(DashboardLine),
        metLate: z.array(DashboardLine),
      }),
      handler: async ({ auth, ctx }) => getSafetyDashboard(ctx, auth!.actor),
    }),

    // ---- adverse events ---------------------------------------------------------------------
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/adverse-events',
      operationId: 'listAdverseEvents',
      summary: 'The AE listing (your sites), optionally for one participant, serious only, or by status',
      operation: 'safety.read',
      query: z
        .object({
          participantId: z.string().max(100).optional(),
          serious: bool.optional(),
          status: z.enum(['active', 'entered_in_error', 'all']).optional(),
        })
        .strict(),
      response: z.object({ adverseEvents: z.array(AeView) }),
      handler: async ({ auth, query, ctx }) => ({ adverseEvents: await listAdverseEvents(ctx, auth!.actor, query) }),
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/adverse-events',
      operationId: 'createAdverseEvent',
      summary: 'Record an adverse event; a serious one opens its SAE case and starts the 24-hour clock',
      operation: 'safety.ae.write',
      body: NewAdverseEventSchema,
      response: AeDetail,
      status: 201,
      handler: async ({ auth, body, ctx }) => createAdverseEvent(ctx, auth!.actor, body),
    }),
    recordRoute({
      method: 'GET',
      url: '/api/v1/safety/adverse-events/:id',
      operationId: 'getAdverseEvent',
      summary: 'One adverse event with every version and its consistency queries',
      operation: 'safety.read',
      response: AeDetail,
      service: getAdverseEvent,
    }),
    recordRoute({
      method: 'PATCH',
      url: '/api/v1/safety/adverse-events/:id',
      operationId: 'updateAdverseEvent',
      summary: 'Follow-up or correction: a new version with a reason (investigator causality: investigators only)',
      operation: 'safety.ae.write',
      body: AdverseEventChangeSchema,
      response: AeDetail,
      service: updateAdverseEvent,
    }),
    recordRoute({
      method: 'PUT',
      url: '/api/v1/safety/adverse-events/:id/sponsor-assessment',
      operationId: 'assessAdverseEventAsSponsor',
      summary:
        "The sponsor's causality and expectedness against an RSI version (designated safety physician); never changes the investigator's assessment",
      operation: 'safety.sponsor.assess',
      body: SponsorAssessmentSchema,
      response: AeDetail,
      service: assessAdverseEventAsSponsor,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/adverse-events/:id/entered-in-error',
      operationId: 'markAdverseEventEnteredInError',
      summary: 'Mark an adverse event as entered in error (kept, excluded from tables; its case is nullified)',
      operation: 'safety.ae.write',
      body: ReasonBody,
      response: AeDetail,
      service: markAdverseEventEnteredInError,
    }),
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/queries',
      operationId: 'listSafetyQueries',
      summary: 'Consistency queries on adverse events (default: open)',
      operation: 'safety.read',
      query: z.object({ status: z.enum(['open', 'resolved', 'confirmed']).optional() }).strict(),
      response: z.object({ queries: z.array(QueryView.extend({ aeNumber: z.string(), studyId: z.string() })) }),
      handler: async ({ auth, query, ctx }) => ({ queries: await listSafetyQueries(ctx, auth!.actor, query) }),
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/queries/:id/confirm',
      operationId: 'confirmSafetyQuery',
      summary: 'The investigator confirms a queried combination as correct, with a response',
      operation: 'safety.ae.assess',
      body: z.object({ response: nonEmptyText(1000) }).strict(),
      response: QueryView,
      service: confirmSafetyQuery,
    }),

    // ---- SAE cases --------------------------------------------------------------------------
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/cases',
      operationId: 'listSaeCases',
      summary: 'SAE cases (your sites) with their clocks',
      operation: 'safety.read',
      query: z
        .object({
          status: z.enum(['open', 'downgraded', 'nullified', 'closed']).optional(),
          participantId: z.string().max(100).optional(),
        })
        .strict(),
      response: z.object({ cases: z.array(CaseView) }),
      handler: async ({ auth, query, ctx }) => ({ cases: await listSaeCases(ctx, auth!.actor, query) }),
    }),
    recordRoute({
      method: 'GET',
      url: '/api/v1/safety/cases/:id',
      operationId: 'getSaeCase',
      summary: 'One SAE case with its deadlines, submissions and (for those who may see it) the SUSAR assessment',
      operation: 'safety.read',
      response: CaseView,
      service: getSaeCase,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/cases/:id/site-reports',
      operationId: 'recordSiteSaeReport',
      summary: "Record the investigator's initial or follow-up SAE report to the sponsor (time defaults to now)",
      operation: 'safety.case.report',
      body: SiteSubmissionBody,
      response: CaseView,
      status: 201,
      service: recordSaeSubmission,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/cases/:id/sponsor-submissions',
      operationId: 'recordSponsorSaeSubmission',
      summary:
        "Record the sponsor's acknowledgement (its awareness) or a SUSAR report to EudraVigilance (designated safety physician)",
      operation: 'safety.sponsor.assess',
      body: SponsorSubmissionBody,
      response: CaseView,
      status: 201,
      service: recordSaeSubmission,
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/cases/:id/unblind',
      operationId: 'unblindSaeCaseForSusar',
      summary:
        "Reveal this participant's arm to the designated safety physician for this case's SUSAR assessment (reason and e-signature; audited)",
      operation: 'safety.susar.unblind',
      params: IdParams,
      body: z.object({ reason: nonEmptyText(1000), signature: SignatureSchema }).strict(),
      response: ArmView,
      revealsArm: true,
      handler: async ({ auth, params, body, ctx }) =>
        unblindCaseForSusar(ctx, auth!.actor, params.id, { reason: body.reason, password: body.signature.password }),
    }),
    recordRoute({
      method: 'GET',
      url: '/api/v1/safety/cases/:id/arm',
      operationId: 'viewSaeCaseArm',
      summary: 'The arm again, for the physician who unblinded this case (each view audited)',
      operation: 'safety.susar.unblind',
      response: ArmView,
      revealsArm: true,
      service: viewCaseArm,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/cases/:id/susar-classification',
      operationId: 'classifySusar',
      summary: 'SUSAR or not (designated safety physician); a SUSAR starts the 7- or 15-day clock',
      operation: 'safety.sponsor.assess',
      body: SusarClassificationSchema,
      response: CaseView,
      service: classifySusar,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/cases/:id/close',
      operationId: 'closeSaeCase',
      summary: 'Close a case once every deadline is met and the SUSAR question is decided',
      operation: 'safety.sponsor.assess',
      body: ReasonBody,
      response: CaseView,
      service: closeSaeCase,
    }),
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/cases/:id/report',
      operationId: 'getSaeReportDocument',
      summary: 'The SAE report document of the case (HTML download; print to PDF)',
      operation: 'safety.report.read',
      params: IdParams,
      response: z.string().describe('text/html'),
      handler: async ({ auth, params, ctx, reply }) => {
        const doc = await renderSaeReport(ctx, auth!.actor, params.id);
        reply.type('text/html; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${doc.fileName}"`);
        return doc.html;
      },
    }),

    // ---- review tasks -----------------------------------------------------------------------
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/review-tasks',
      operationId: 'listAeReviewTasks',
      summary: 'AE review tasks from diary and form signals (default: open)',
      operation: 'safety.review.read',
      query: z
        .object({
          status: z.enum(['open', 'ae_recorded', 'dismissed', 'all']).optional(),
          participantId: z.string().max(100).optional(),
        })
        .strict(),
      response: z.object({ tasks: z.array(TaskView) }),
      handler: async ({ auth, query, ctx }) => ({ tasks: await listAeReviewTasks(ctx, auth!.actor, query) }),
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/review-tasks',
      operationId: 'createAeReviewTask',
      summary: 'Raise an AE review task (the same source and sourceRef never make a second task)',
      operation: 'safety.review.create',
      body: AeReviewTaskSchema,
      response: z.object({ task: TaskView, created: z.boolean() }),
      status: 201,
      handler: async ({ auth, body, ctx }) => createAeReviewTask(ctx, auth!.actor, body),
    }),
    recordRoute({
      method: 'GET',
      url: '/api/v1/safety/review-tasks/:id',
      operationId: 'getAeReviewTask',
      summary: 'One AE review task',
      operation: 'safety.review.read',
      response: TaskView,
      service: getAeReviewTask,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/review-tasks/:id/dismiss',
      operationId: 'dismissAeReviewTask',
      summary: 'Not an adverse event: dismiss the task with a reason (investigator)',
      operation: 'safety.review.resolve',
      body: ReasonBody,
      response: TaskView,
      service: dismissAeReviewTask,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/review-tasks/:id/adverse-event',
      operationId: 'recordAeFromReviewTask',
      summary: "Record an adverse event from the task (the task's participant) and resolve the task",
      operation: 'safety.review.resolve',
      body: NewAdverseEventSchema.omit({ participantId: true }),
      response: z.object({ task: TaskView, adverseEvent: AeDetail }),
      status: 201,
      service: recordAeFromReviewTask,
    }),
    recordRoute({
      method: 'POST',
      url: '/api/v1/safety/review-tasks/:id/link',
      operationId: 'linkAeToReviewTask',
      summary: 'Resolve the task with an adverse event already recorded for the participant',
      operation: 'safety.review.resolve',
      body: z.object({ adverseEventId: z.string().min(1).max(100) }).strict(),
      response: TaskView,
      service: linkAeToReviewTask,
    }),

    // ---- outputs ----------------------------------------------------------------------------
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/tables',
      operationId: 'getPooledSafetyTables',
      summary:
        'Participants with ≥1 AE overall, by SOC and PT, by worst grade, serious and related; events per 100 participant-years (arms pooled)',
      operation: 'safety.tables.read',
      response: z.object({
        generatedAt: z.string(),
        population: z.enum(['treated', 'enrolled']),
        pooled: IncidenceTable,
      }),
      handler: async ({ auth, ctx }) => getPooledSafetySummary(ctx, auth!.actor),
    }),
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/tables/by-arm',
      operationId: 'getSafetyTablesByArm',
      summary: "The same tables by arm with Fisher's exact test (DSMB; statistician after database lock)",
      operation: 'safety.tables.by_arm',
      response: z.object({
        generatedAt: z.string(),
        population: z.enum(['treated', 'enrolled']),
        byArm: z.object({
          groups: z.array(
            z.object({ arm: z.enum(['ADMSC', 'SALINE']).nullable(), label: z.string(), table: IncidenceTable }),
          ),
          comparisons: z
            .array(
              z.object({
                row: z.string(),
                socCode: z.string().nullable(),
                ptCode: z.string().nullable(),
                label: z.string(),
                p: z.number().nullable(),
              }),
            )
            .nullable(),
        }),
      }),
      handler: async ({ auth, ctx }) => getSafetySummaryByArm(ctx, auth!.actor),
    }),
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/extract.csv',
      operationId: 'getSafetyExtract',
      summary:
        'Data extract for the annual safety report (CSV); `unblinded=true` adds arm and SUSAR (DSMB; statistician after lock)',
      operation: 'safety.extract',
      query: z.object({ from: isoDate.optional(), to: isoDate.optional(), unblinded: bool.optional() }).strict(),
      response: z.string().describe('text/csv'),
      handler: async ({ auth, query, ctx, reply }) => {
        const doc = await buildSafetyExtractCsv(ctx, auth!.actor, query);
        reply.type('text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${doc.fileName}"`);
        return doc.csv;
      },
    }),

    // ---- administration ---------------------------------------------------------------------
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/physicians',
      operationId: 'listSafetyPhysicians',
      summary: 'Designated sponsor safety physicians',
      operation: 'safety.physician.manage',
      response: PhysicianList,
      handler: async ({ ctx }) => ({ physicians: await listSafetyPhysicians(ctx.database.db) }),
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/physicians',
      operationId: 'designateSafetyPhysician',
      summary: 'Designate a study-wide data manager as sponsor safety physician',
      operation: 'safety.physician.manage',
      body: z.object({ email: z.string().min(3).max(254), reason: nonEmptyText(1000) }).strict(),
      response: PhysicianList,
      status: 201,
      handler: async ({ auth, body, ctx }) => ({ physicians: await designateSafetyPhysician(ctx, auth!.actor, body) }),
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/physicians/:id/revoke',
      operationId: 'revokeSafetyPhysician',
      summary: 'Revoke a safety-physician designation (by user id)',
      operation: 'safety.physician.manage',
      params: IdParams,
      body: ReasonBody,
      response: PhysicianList,
      handler: async ({ auth, params, body, ctx }) => ({
        physicians: await revokeSafetyPhysician(ctx, auth!.actor, params.id, body.reason),
      }),
    }),
    safetyRoute({
      method: 'GET',
      url: '/api/v1/safety/rsi-versions',
      operationId: 'listRsiVersions',
      summary: 'Issued versions of the reference safety information',
      operation: 'safety.read',
      response: RsiList,
      handler: async ({ ctx }) => ({ versions: await listRsiVersions(ctx.database.db) }),
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/rsi-versions',
      operationId: 'issueRsiVersion',
      summary: 'Issue a version of the reference safety information',
      operation: 'safety.rsi.manage',
      body: z.object({ version: nonEmptyText(40), title: nonEmptyText(200), effectiveFrom: isoDate }).strict(),
      response: RsiList,
      status: 201,
      handler: async ({ auth, body, ctx }) => ({ versions: await issueRsiVersion(ctx, auth!.actor, body) }),
    }),
    safetyRoute({
      method: 'POST',
      url: '/api/v1/safety/deadline-scan',
      operationId: 'scanSafetyDeadlines',
      summary: 'Enqueue near and overdue deadline notifications (idempotent; normally run by a scheduler)',
      operation: 'safety.scan',
      response: z.object({
        scannedCases: z.number(),
        notified: z.array(
          z.object({
            caseNumber: z.string(),
            deadline: z.enum(CASE_DEADLINE_KINDS),
            level: z.enum(['near', 'overdue']),
            due: z.string(),
            recipients: z.number(),
          }),
        ),
      }),
      handler: async ({ ctx }) => scanSafetyDeadlines(ctx, ctx.now()),
    }),
  ];
}
