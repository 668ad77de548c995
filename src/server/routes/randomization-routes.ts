/**
 * Randomization, blinding, product chain and emergency unblinding. Handlers are thin. Arms travel
 * in fields named `arm` / `allocation`, which the blinding presenter in `registerRoute` removes for
 * blinded callers; only the two emergency-unblinding routes declare `revealsArm` and return the arm
 * to the requesting investigator alone (checked by the service).
 */
import { z } from 'zod';
import { ARMS, DESIGNS } from '../../core/randomization/index.js';
import {
  getAllocationList,
  getAllocationStatus,
  getParticipantRandomization,
  initAllocationList,
  listRandomizationCandidates,
  listRandomizations,
  randomizeParticipant,
  revealAllocationList,
} from '../../services/randomization.js';
import {
  addVials,
  createDonor,
  createLot,
  discardPreparation,
  getPreparation,
  getReleaseSpecification,
  listDonors,
  listLots,
  listPreparations,
  listVials,
  prepareDose,
  recordAdministration,
  recordLotRelease,
  recordNonAdministration,
  recordPostReleaseSterility,
  setVialStatus,
  traceDonor,
  traceLot,
  traceParticipant,
} from '../../services/product-chain.js';
import { SCREENING_TESTS, TEST_RESULTS } from '../../services/product-chain-spec.js';
import {
  listEmergencyUnblindings,
  requestEmergencyUnblinding,
  viewEmergencyUnblindingArm,
} from '../../services/unblinding.js';
import { VIAL_STATUSES } from '../../storage/schema-randomization.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { IdParams, nonEmptyText, SignatureSchema } from '../schemas.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const isoInstant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO date-time with offset, e.g. 2026-05-01T10:30:00+02:00',
});
const ArmSchema = z.enum(ARMS);
const percent = z.number().min(0).max(100);
const FailureSchema = z.object({ test: z.string(), message: z.string() });
const IssueSchema = z.object({ path: z.string(), message: z.string() });

const StatusSchema = z.object({
  initialised: z.boolean(),
  algorithm: z.string().nullable(),
  version: z.string().nullable(),
  commitment: z.string().nullable(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  revealedAt: z.string().nullable(),
  strata: z.array(z.object({ stratum: z.string(), slots: z.number(), used: z.number(), remaining: z.number() })),
  randomized: z.number(),
});

const DoseSchema = z.object({
  status: z.enum(['awaiting_preparation', 'ready', 'expired', 'administered', 'not_administered']),
  useBy: z.string().nullable(),
  administeredAt: z.string().nullable(),
  day0: z.string().nullable(),
});

const RandomizationSchema = z.object({
  id: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  stratum: z.string(),
  randomizationNumber: z.string(),
  kit: z.string(),
  randomizedAt: z.string(),
  randomizedBy: z.string(),
  emergencyUnblinded: z.boolean(),
  emergencyUnblindedAt: z.string().nullable(),
  dose: DoseSchema,
  arm: ArmSchema.nullable().optional().describe('Unblinded callers only'),
});

const ReadinessSchema = z.object({
  ready: z.boolean(),
  stratum: z.string().nullable(),
  problems: z.array(IssueSchema),
});

const AdministrationSchema = z.object({
  id: z.string(),
  participantId: z.string(),
  kit: z.string(),
  status: z.enum(['administered', 'not_administered']),
  administeredAt: z.string().nullable(),
  day0: z.string().nullable(),
  kneeSide: z.enum(['left', 'right']).nullable(),
  ultrasoundGuided: z.boolean().nullable(),
  volumeMl: z.number().nullable(),
  injector: z.string().nullable(),
  reason: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

const ParticipantRandomizationSchema = z.object({
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  participantStatus: z.string(),
  readiness: ReadinessSchema,
  randomization: RandomizationSchema.nullable(),
  administration: AdministrationSchema.nullable(),
  emergencyUnblindings: z.array(
    z.object({ id: z.string(), requestedBy: z.string(), requestedAt: z.string(), reason: z.string() }),
  ),
});

const ParametersSchema = z.object({
  design: z.enum(DESIGNS),
  per_stratum: z.number(),
  block_sizes: z.array(z.number()).optional(),
  max_imbalance: z.number().optional(),
  strata: z.array(z.string()),
  arms: z.array(ArmSchema),
});

const EntrySchema = z.object({ seq: z.number(), block: z.number().nullable(), arm: ArmSchema, kit: z.string() });

const UnblindingSchema = z.object({
  id: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  randomizationNumber: z.string(),
  kit: z.string(),
  requestedById: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  reason: z.string(),
  signatureId: z.string(),
});
const RevealedArmSchema = z.object({ unblinding: UnblindingSchema, arm: ArmSchema, armLabel: z.string() });

const ScreeningTestsSchema = z
  .object(
    Object.fromEntries(SCREENING_TESTS.map((t) => [t, z.enum(TEST_RESULTS)])) as Record<
      (typeof SCREENING_TESTS)[number],
      z.ZodEnum<{ negative: 'negative'; positive: 'positive'; pending: 'pending' }>
    >,
  )
  .strict();

const DonorSchema = z.object({
  id: z.string(),
  donorCode: z.string(),
  eligibility: z.enum(['eligible', 'not_eligible']),
  screeningTests: z.record(z.string(), z.enum(TEST_RESULTS)),
  procurementDate: z.string(),
  notes: z.string().nullable(),
  lotCount: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
});

const ReleaseResultsSchema = z
  .object({
    testedOn: isoDate,
    viabilityPct: percent,
    cd73Pct: percent,
    cd90Pct: percent,
    cd105Pct: percent,
    cd45Pct: percent,
    cd34Pct: percent,
    hlaDrPct: percent,
    sterility: z.enum(TEST_RESULTS),
    endotoxinEuPerMl: z.number().min(0).max(1000),
    mycoplasma: z.enum(TEST_RESULTS),
  })
  .strict();

const LotSchema = z.object({
  id: z.string(),
  lotNumber: z.string(),
  donorId: z.string(),
  donorCode: z.string(),
  passage: z.number(),
  cryopreservedOn: z.string(),
  expiryDate: z.string(),
  status: z.enum(['quarantine', 'released', 'rejected']),
  releaseResults: ReleaseResultsSchema.nullable(),
  releaseFailures: z.array(FailureSchema),
  pendingResults: z.array(z.string()),
  releasedAt: z.string().nullable(),
  releasedBy: z.string().nullable(),
  releaseSignatureId: z.string().nullable(),
  notes: z.string().nullable(),
  vials: z.record(z.string(), z.number()),
  createdAt: z.string(),
});

const VialSchema = z.object({
  id: z.string(),
  vialCode: z.string(),
  lotId: z.string(),
  lotNumber: z.string(),
  location: z.string(),
  status: z.enum(VIAL_STATUSES),
  statusReason: z.string().nullable(),
  allocation: z
    .object({ participantId: z.string(), studyId: z.string(), kit: z.string(), preparationId: z.string() })
    .nullable()
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const PreparationSchema = z.object({
  id: z.string(),
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  kit: z.string(),
  arm: ArmSchema.optional(),
  vialId: z.string().nullable(),
  vialCode: z.string().nullable(),
  lotId: z.string().nullable(),
  lotNumber: z.string().nullable(),
  donorId: z.string().nullable(),
  donorCode: z.string().nullable(),
  salineBatch: z.string().nullable(),
  thawedAt: z.string(),
  viableCellsMillion: z.number().nullable(),
  viabilityPct: z.number().nullable(),
  volumeMl: z.number(),
  appearance: z.enum(['conforms', 'does_not_conform']),
  passed: z.boolean(),
  failures: z.array(FailureSchema),
  useBy: z.string(),
  status: z.enum(['released', 'failed', 'administered', 'discarded']),
  expired: z.boolean(),
  statusReason: z.string().nullable(),
  postReleaseSterility: z.enum(['pending', 'no_growth', 'growth']),
  preparedBy: z.string(),
  signatureId: z.string(),
  preparedAt: z.string(),
});

const RecipientSchema = z.object({
  participantId: z.string(),
  studyId: z.string(),
  siteId: z.string(),
  kit: z.string(),
  lotNumber: z.string().nullable(),
  vialCode: z.string().nullable(),
  preparationId: z.string(),
  preparationStatus: z.string(),
  thawedAt: z.string(),
  received: z.boolean(),
  administeredAt: z.string().nullable(),
  day0: z.string().nullable(),
});
const RecipientsSchema = z
  .object({ recipients: z.array(RecipientSchema) })
  .optional()
  .describe('Unblinded callers only');

const code = (max: number) => z.string().trim().min(2).max(max);

export function randomizationRoutes(): AnyRoute[] {
  return [
    // --- the allocation list ------------------------------------------------------------------
    defineRoute({
      method: 'GET',
      url: '/api/v1/randomization/status',
      operationId: 'getRandomizationStatus',
      summary: 'The published commitment and how far each stratum of the allocation list is used (no arms, no design)',
      tags: ['randomization'],
      access: { kind: 'staff', operation: 'randomization.status' },
      response: StatusSchema,
      handler: async ({ ctx }) => getAllocationStatus(ctx.database.db),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/randomization/allocation-list',
      operationId: 'initAllocationList',
      summary: 'Create the study allocation list from a CSPRNG seed (once); returns the commitment to publish',
      tags: ['randomization'],
      access: { kind: 'staff', operation: 'randomization.init' },
      body: z
        .object({
          design: z.enum(DESIGNS).optional(),
          perStratum: z.number().int().min(1).max(100_000).optional(),
          blockSizes: z.array(z.number().int()).min(1).max(8).optional(),
          maxImbalance: z.number().int().min(1).max(100).optional(),
          strata: z.array(z.string().max(32)).min(1).max(64).optional(),
        })
        .strict()
        .optional(),
      response: StatusSchema,
      status: 201,
      handler: async ({ auth, body: given, ctx }) => {
        const body = given ?? {};
        return initAllocationList(ctx, auth!.actor, {
          parameters: {
            ...(body.design ? { design: body.design } : {}),
            ...(body.perStratum ? { per_stratum: body.perStratum } : {}),
            ...(body.blockSizes ? { block_sizes: body.blockSizes } : {}),
            ...(body.maxImbalance ? { max_imbalance: body.maxImbalance } : {}),
            ...(body.strata ? { strata: body.strata } : {}),
          },
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/randomization/allocation-list',
      operationId: 'getAllocationList',
      summary:
        'The allocation list with the kit ↔ arm map and which slot each participant took (unblinded roles; statistician after lock)',
      tags: ['randomization', 'unblinded'],
      access: { kind: 'staff', operation: 'randomization.allocation.read' },
      response: z.object({
        algorithm: z.string(),
        version: z.string(),
        commitment: z.string(),
        parameters: ParametersSchema,
        createdAt: z.string(),
        strata: StatusSchema.shape.strata,
        slots: z.array(
          z.object({
            stratum: z.string(),
            seq: z.number(),
            block: z.number().nullable(),
            arm: ArmSchema.optional(),
            kit: z.string(),
            participantId: z.string().nullable(),
            studyId: z.string().nullable(),
            randomizationNumber: z.string().nullable(),
            randomizedAt: z.string().nullable(),
          }),
        ),
      }),
      handler: async ({ auth, ctx }) => getAllocationList(ctx, auth!.actor),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/randomization/allocation-list/reveal',
      operationId: 'revealAllocationList',
      summary:
        'After database lock: the full list with seed and salt, as printed by `randomization generate --json`, for `randomization verify`',
      tags: ['randomization', 'unblinded'],
      access: { kind: 'staff', operation: 'randomization.reveal' },
      response: z.object({
        algorithm: z.string(),
        version: z.string(),
        seed: z.string(),
        parameters: ParametersSchema,
        strata: z.record(z.string(), z.array(EntrySchema)),
        salt: z.string(),
        commitment: z.string(),
      }),
      handler: async ({ auth, ctx }) => revealAllocationList(ctx, auth!.actor),
    }),

    // --- site staff: randomize and see number, kit, time ----------------------------------------
    defineRoute({
      method: 'GET',
      url: '/api/v1/randomizations',
      operationId: 'listRandomizations',
      summary: 'Randomized participants at your sites: randomization number, kit code, time and dose status',
      tags: ['randomization'],
      access: { kind: 'staff', operation: 'randomization.read' },
      response: z.object({ randomizations: z.array(RandomizationSchema) }),
      handler: async ({ auth, ctx }) => ({ randomizations: await listRandomizations(ctx, auth!.actor) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/randomization/candidates',
      operationId: 'listRandomizationCandidates',
      summary: 'Enrolled participants awaiting randomization at your sites, each with what is still missing',
      tags: ['randomization'],
      access: { kind: 'staff', operation: 'randomization.read' },
      response: z.object({
        candidates: z.array(
          z.object({
            participantId: z.string(),
            studyId: z.string(),
            siteId: z.string(),
            klGrade: z.number().nullable(),
            enrolledAt: z.string(),
            readiness: ReadinessSchema,
          }),
        ),
      }),
      handler: async ({ auth, ctx }) => ({ candidates: await listRandomizationCandidates(ctx, auth!.actor) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/randomization',
      operationId: 'getParticipantRandomization',
      summary: "One participant's readiness, randomization, dose status, administration and emergency unblindings",
      tags: ['randomization'],
      access: { kind: 'staff', operation: 'randomization.read' },
      params: IdParams,
      response: ParticipantRandomizationSchema,
      handler: async ({ auth, params, ctx }) => getParticipantRandomization(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/randomize',
      operationId: 'randomizeParticipant',
      summary:
        'Randomize: takes the next slot of the stratum. A retry with the same requestId returns the same result; randomizing an already randomized participant otherwise is refused (409)',
      tags: ['randomization'],
      access: { kind: 'staff', operation: 'randomization.randomize' },
      params: IdParams,
      body: z
        .object({
          requestId: z
            .string()
            .regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8–100 letters, digits, - or _')
            .optional(),
        })
        .strict()
        .optional(),
      response: z.object({ randomization: RandomizationSchema, replayed: z.boolean() }),
      handler: async ({ auth, params, body, ctx }) =>
        randomizeParticipant(ctx, auth!.actor, params.id, body?.requestId ? { requestId: body.requestId } : {}),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/administration',
      operationId: 'recordAdministration',
      summary:
        'Record the injection (kit code from the masked syringe, time, knee side, ultrasound guidance, volume, injector); its date is Day 0',
      tags: ['randomization', 'product'],
      access: { kind: 'staff', operation: 'product.administer' },
      params: IdParams,
      body: z
        .object({
          kit: z.string().min(1).max(20),
          administeredAt: isoInstant,
          kneeSide: z.enum(['left', 'right']),
          ultrasoundGuided: z.boolean(),
          volumeMl: z.number().positive().max(50),
          injector: nonEmptyText(100),
        })
        .strict(),
      response: AdministrationSchema,
      status: 201,
      handler: async ({ auth, params, body, ctx }) => recordAdministration(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/administration/not-given',
      operationId: 'recordNonAdministration',
      summary: 'Record that a randomized participant will not receive the dose, with the reason (CONSORT)',
      tags: ['randomization', 'product'],
      access: { kind: 'staff', operation: 'product.administer' },
      params: IdParams,
      body: z.object({ reason: nonEmptyText(1000) }).strict(),
      response: AdministrationSchema,
      status: 201,
      handler: async ({ auth, params, body, ctx }) => recordNonAdministration(ctx, auth!.actor, params.id, body),
    }),

    // --- emergency unblinding ------------------------------------------------------------------
    defineRoute({
      method: 'POST',
      url: '/api/v1/participants/:id/emergency-unblinding',
      operationId: 'requestEmergencyUnblinding',
      summary:
        'Emergency unblinding of one participant (investigator, reason, e-signature): the arm is returned to you only; the sponsor is notified',
      tags: ['unblinding'],
      access: { kind: 'staff', operation: 'unblinding.emergency' },
      params: IdParams,
      body: z.object({ reason: nonEmptyText(2000), signature: SignatureSchema }).strict(),
      response: RevealedArmSchema,
      status: 201,
      revealsArm: true,
      handler: async ({ auth, params, body, ctx }) =>
        requestEmergencyUnblinding(ctx, auth!.actor, params.id, {
          reason: body.reason,
          password: body.signature.password,
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/emergency-unblindings/:id/arm',
      operationId: 'viewEmergencyUnblindingArm',
      summary: 'The arm revealed by your own emergency unblinding (only the requesting investigator; audited)',
      tags: ['unblinding'],
      access: { kind: 'staff', operation: 'unblinding.emergency' },
      params: IdParams,
      response: RevealedArmSchema,
      revealsArm: true,
      handler: async ({ auth, params, ctx }) => viewEmergencyUnblindingArm(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/emergency-unblindings',
      operationId: 'listEmergencyUnblindings',
      summary: 'The emergency-unblinding log: who unblinded which participant, when and why (never the arm)',
      tags: ['unblinding'],
      access: { kind: 'staff', operation: 'unblinding.log.read' },
      response: z.object({ unblindings: z.array(UnblindingSchema) }),
      handler: async ({ auth, ctx }) => ({ unblindings: await listEmergencyUnblindings(ctx, auth!.actor) }),
    }),

    // --- cell laboratory: the product chain ------------------------------------------------------
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/specification',
      operationId: 'getReleaseSpecification',
      summary: 'The release specification of lots and the acceptance limits of a prepared dose',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      response: z.object({
        version: z.string(),
        lot: z.record(z.string(), z.number()),
        dose: z.record(z.string(), z.number()),
        screeningTests: z.array(z.string()),
      }),
      handler: async () => getReleaseSpecification(),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/donors',
      operationId: 'listDonors',
      summary: 'Cell donors (pseudonymous codes) with eligibility, infection screening and lot counts',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      response: z.object({ donors: z.array(DonorSchema) }),
      handler: async ({ ctx }) => ({ donors: await listDonors(ctx) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/donors',
      operationId: 'createDonor',
      summary: 'Register a donor under a pseudonymous code',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      body: z
        .object({
          donorCode: code(20),
          eligibility: z.enum(['eligible', 'not_eligible']),
          screeningTests: ScreeningTestsSchema,
          procurementDate: isoDate,
          notes: z.string().max(2000).optional(),
        })
        .strict(),
      response: DonorSchema,
      status: 201,
      handler: async ({ auth, body, ctx }) => createDonor(ctx, auth!.actor, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/donors/:id',
      operationId: 'traceDonor',
      summary: 'Trace donor X: the donor, its lots and every participant who received product from them',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      params: IdParams,
      response: z.object({ donor: DonorSchema, lots: z.array(LotSchema), allocation: RecipientsSchema }),
      handler: async ({ auth, params, ctx }) => traceDonor(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/lots',
      operationId: 'listLots',
      summary: 'Lots with passage, cryopreservation, release results and decision, and vial counts by status',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      response: z.object({ lots: z.array(LotSchema) }),
      handler: async ({ ctx }) => ({ lots: await listLots(ctx) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/lots',
      operationId: 'createLot',
      summary: 'Register a manufactured lot of an eligible donor (in quarantine until released)',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      body: z
        .object({
          lotNumber: code(40),
          donorId: z.string().min(1).max(100),
          passage: z.number().int().min(0).max(20),
          cryopreservedOn: isoDate,
          expiryDate: isoDate,
          notes: z.string().max(2000).optional(),
        })
        .strict(),
      response: LotSchema,
      status: 201,
      handler: async ({ auth, body, ctx }) => createLot(ctx, auth!.actor, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/lots/:id',
      operationId: 'traceLot',
      summary: 'Trace lot Y: the lot, its donor, its vials and every participant who received product from it',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      params: IdParams,
      response: z.object({
        lot: LotSchema,
        donor: DonorSchema,
        vials: z.array(VialSchema),
        allocation: RecipientsSchema,
      }),
      handler: async ({ auth, params, ctx }) => traceLot(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/lots/:id/release',
      operationId: 'recordLotRelease',
      summary:
        'Record release results (viability, ISCT markers, sterility, endotoxin, mycoplasma); the decision follows the specification (e-signed)',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      params: IdParams,
      body: z.object({ results: ReleaseResultsSchema, signature: SignatureSchema }).strict(),
      response: LotSchema,
      handler: async ({ auth, params, body, ctx }) =>
        recordLotRelease(ctx, auth!.actor, params.id, { results: body.results, password: body.signature.password }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/lots/:id/vials',
      operationId: 'addVials',
      summary: 'Add the vials (cryobags) of a lot with their storage locations',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      params: IdParams,
      body: z
        .object({
          vials: z
            .array(z.object({ vialCode: code(40), location: nonEmptyText(100) }).strict())
            .min(1)
            .max(500),
        })
        .strict(),
      response: z.object({ vials: z.array(VialSchema) }),
      status: 201,
      handler: async ({ auth, params, body, ctx }) => ({ vials: await addVials(ctx, auth!.actor, params.id, body) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/vials',
      operationId: 'listVials',
      summary: 'Vials with location and status (optionally of one lot or one status), and the dose each was used for',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      query: z.object({ lotId: z.string().max(100).optional(), status: z.enum(VIAL_STATUSES).optional() }).strict(),
      response: z.object({ vials: z.array(VialSchema) }),
      handler: async ({ query, ctx }) => ({
        vials: await listVials(ctx, {
          ...(query.lotId ? { lotId: query.lotId } : {}),
          ...(query.status ? { status: query.status } : {}),
        }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/vials/:id/status',
      operationId: 'setVialStatus',
      summary: 'Reserve, release a reservation, move or discard a vial, with a reason',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      params: IdParams,
      body: z
        .object({
          status: z.enum(['available', 'reserved', 'discarded']),
          reason: nonEmptyText(1000),
          location: z.string().max(100).optional(),
        })
        .strict(),
      response: VialSchema,
      handler: async ({ auth, params, body, ctx }) => setVialStatus(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/preparations',
      operationId: 'listPreparations',
      summary: 'Dose preparations (thaw, viable cells, viability, volume, pass/fail with reasons, preparer, use-by)',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      response: z.object({ preparations: z.array(PreparationSchema) }),
      handler: async ({ auth, ctx }) => ({ preparations: await listPreparations(ctx, auth!.actor) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/preparations',
      operationId: 'prepareDose',
      summary:
        'Thaw and prepare the dose for a kit (a cell vial, or a saline batch for a saline kit), checked against the limits, e-signed by the preparer',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      body: z
        .object({
          kit: z.string().min(1).max(20),
          vialId: z.string().max(100).nullable().optional(),
          salineBatch: z.string().max(40).nullable().optional(),
          thawedAt: isoInstant,
          viableCellsMillion: z.number().min(0).max(1000).nullable().optional(),
          viabilityPct: percent.nullable().optional(),
          volumeMl: z.number().positive().max(50),
          appearance: z.enum(['conforms', 'does_not_conform']),
          signature: SignatureSchema,
        })
        .strict(),
      response: PreparationSchema,
      status: 201,
      handler: async ({ auth, body, ctx }) => {
        const { signature, ...rest } = body;
        return prepareDose(ctx, auth!.actor, { ...rest, password: signature.password });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/product/preparations/:id',
      operationId: 'getPreparation',
      summary: 'One dose preparation',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      params: IdParams,
      response: PreparationSchema,
      handler: async ({ auth, params, ctx }) => getPreparation(ctx, auth!.actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/preparations/:id/discard',
      operationId: 'discardPreparation',
      summary: 'Discard a released dose that will not be given (its vial is discarded too)',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      params: IdParams,
      body: z.object({ reason: nonEmptyText(1000) }).strict(),
      response: PreparationSchema,
      handler: async ({ auth, params, body, ctx }) => discardPreparation(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/product/preparations/:id/sterility',
      operationId: 'recordPostReleaseSterility',
      summary: 'Record the 14-day post-release sterility culture; growth alerts the sponsor and the unblinded roles',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.write' },
      params: IdParams,
      body: z.object({ result: z.enum(['no_growth', 'growth']) }).strict(),
      response: PreparationSchema,
      handler: async ({ auth, params, body, ctx }) => recordPostReleaseSterility(ctx, auth!.actor, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/participants/:id/product-chain',
      operationId: 'traceParticipant',
      summary: 'Trace participant Z: donor → lot → vial → thaw/preparation → administration',
      tags: ['product', 'unblinded'],
      access: { kind: 'staff', operation: 'product.read' },
      params: IdParams,
      response: z.object({
        participantId: z.string(),
        studyId: z.string(),
        siteId: z.string(),
        randomization: RandomizationSchema.nullable(),
        administration: AdministrationSchema.nullable(),
        allocation: z
          .object({
            arm: ArmSchema.nullable(),
            chain: z.array(
              z.object({
                preparation: PreparationSchema,
                vial: VialSchema.nullable(),
                lot: LotSchema.nullable(),
                donor: DonorSchema.nullable(),
              }),
            ),
            administeredPreparationId: z.string().nullable(),
          })
          .optional(),
      }),
      handler: async ({ auth, params, ctx }) => traceParticipant(ctx, auth!.actor, params.id),
    }),
  ];
}
