/**
 * Randomization, emergency unblinding and the cell-product chain
 * (`src/server/routes/randomization-routes.ts`). The shapes mirror the routes' zod response schemas.
 *
 * Blinding is enforced by the server, which strips every arm-revealing field (`arm`, `allocation`,
 * `armLabel`, …) from the answers of blinded callers. The blinded types below therefore have no arm
 * at all; the `Unblinded…` types, used only by pages whose route requires an unblinded role, add it
 * back as optional. The two emergency-unblinding calls are the only ones that return an arm to an
 * investigator, and only to the one who requested it.
 */
import type { Arm } from '../../../src/core/randomization/types.js';
import { api } from './client.js';

export type { Arm };

/** A problem the server names by field, with its English message. */
export interface Issue {
  path: string;
  message: string;
}

/** `GET /randomization/status`: the published commitment and how far each stratum is used. */
export interface RandomizationStatus {
  initialised: boolean;
  algorithm: string | null;
  version: string | null;
  commitment: string | null;
  createdAt: string | null;
  createdBy: string | null;
  revealedAt: string | null;
  strata: StratumUsage[];
  randomized: number;
}

/** Slots of one stratum of the allocation list. */
export interface StratumUsage {
  stratum: string;
  slots: number;
  used: number;
  remaining: number;
}

export const DOSE_STATUSES = ['awaiting_preparation', 'ready', 'expired', 'administered', 'not_administered'] as const;
/** Where the participant's dose stands (the same for both arms, so it is not unblinding). */
export type DoseStatus = (typeof DOSE_STATUSES)[number];

/** The dose as blinded staff see it. */
export interface DoseView {
  status: DoseStatus;
  useBy: string | null;
  administeredAt: string | null;
  day0: string | null;
}

/** A randomization as blinded staff see it: number, kit code and time; never the arm. */
export interface RandomizationView {
  id: string;
  participantId: string;
  studyId: string;
  siteId: string;
  stratum: string;
  randomizationNumber: string;
  kit: string;
  randomizedAt: string;
  randomizedBy: string;
  emergencyUnblinded: boolean;
  emergencyUnblindedAt: string | null;
  dose: DoseView;
}

/** A randomization with the arm, as the server sends it to unblinded roles only. */
export interface UnblindedRandomizationView extends RandomizationView {
  arm?: Arm | null;
}

/** Whether a participant can be randomized now, and what is missing. */
export interface Readiness {
  ready: boolean;
  stratum: string | null;
  problems: Issue[];
}

/** An enrolled participant waiting for randomization. */
export interface RandomizationCandidate {
  participantId: string;
  studyId: string;
  siteId: string;
  klGrade: number | null;
  enrolledAt: string;
  readiness: Readiness;
}

export const KNEE_SIDES = ['left', 'right'] as const;
/** The injected knee. */
export type KneeSide = (typeof KNEE_SIDES)[number];

/** The injection (or the record that it was not given). */
export interface AdministrationView {
  id: string;
  participantId: string;
  kit: string;
  status: 'administered' | 'not_administered';
  administeredAt: string | null;
  day0: string | null;
  kneeSide: KneeSide | null;
  ultrasoundGuided: boolean | null;
  volumeMl: number | null;
  injector: string | null;
  reason: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** An entry of a participant's emergency-unblinding history (never the arm). */
export interface UnblindingSummary {
  id: string;
  requestedBy: string;
  requestedAt: string;
  reason: string;
}

/** `GET /participants/:id/randomization`. */
export interface ParticipantRandomization {
  participantId: string;
  studyId: string;
  siteId: string;
  participantStatus: string;
  readiness: Readiness;
  randomization: RandomizationView | null;
  administration: AdministrationView | null;
  emergencyUnblindings: UnblindingSummary[];
}

/** What the injection form sends. */
export interface AdministrationInput {
  kit: string;
  administeredAt: string;
  kneeSide: KneeSide;
  ultrasoundGuided: boolean;
  volumeMl: number;
  injector: string;
}

/** One entry of the emergency-unblinding log (who, when, which participant, why; never the arm). */
export interface UnblindingLogEntry {
  id: string;
  participantId: string;
  studyId: string;
  siteId: string;
  randomizationNumber: string;
  kit: string;
  requestedById: string;
  requestedBy: string;
  requestedAt: string;
  reason: string;
  signatureId: string;
}

/** The arm revealed to the requesting investigator by an emergency unblinding. */
export interface RevealedArm {
  unblinding: UnblindingLogEntry;
  arm: Arm;
  armLabel: string;
}

const participantPath = (id: string, action: string): string =>
  `/api/v1/participants/${encodeURIComponent(id)}/${action}`;

/** The commitment and the use of each stratum (no arms, no design). */
export const fetchRandomizationStatus = (): Promise<RandomizationStatus> => api.get('/api/v1/randomization/status');

/** Randomized participants at the user's sites. */
export async function listRandomizations(): Promise<RandomizationView[]> {
  return (await api.get<{ randomizations: RandomizationView[] }>('/api/v1/randomizations')).randomizations;
}

/** Enrolled participants awaiting randomization, each with what is still missing. */
export async function listRandomizationCandidates(): Promise<RandomizationCandidate[]> {
  return (await api.get<{ candidates: RandomizationCandidate[] }>('/api/v1/randomization/candidates')).candidates;
}

/** One participant's readiness, randomization, dose, administration and unblindings. */
export const fetchParticipantRandomization = (id: string): Promise<ParticipantRandomization> =>
  api.get(participantPath(id, 'randomization'));

/** Randomizes; a retry with the same `requestId` returns the same result instead of a second slot. */
export const randomizeParticipant = (
  id: string,
  requestId: string,
): Promise<{ randomization: RandomizationView; replayed: boolean }> =>
  api.post(participantPath(id, 'randomize'), { requestId });

/** Records the injection; its Copenhagen date becomes Day 0. */
export const recordAdministration = (id: string, input: AdministrationInput): Promise<AdministrationView> =>
  api.post(participantPath(id, 'administration'), input);

/** Records that the participant will not receive the dose, with the reason. */
export const recordNonAdministration = (id: string, reason: string): Promise<AdministrationView> =>
  api.post(participantPath(id, 'administration/not-given'), { reason });

/** Emergency unblinding (investigator, reason, e-signature): the answer carries the arm, for this user only. */
export const requestEmergencyUnblinding = (id: string, reason: string, password: string): Promise<RevealedArm> =>
  api.post(participantPath(id, 'emergency-unblinding'), { reason, signature: { password } });

/** The arm of the user's own earlier emergency unblinding (each view is audited). */
export const fetchUnblindingArm = (unblindingId: string): Promise<RevealedArm> =>
  api.get(`/api/v1/emergency-unblindings/${encodeURIComponent(unblindingId)}/arm`);

/** The emergency-unblinding log. */
export async function listEmergencyUnblindings(): Promise<UnblindingLogEntry[]> {
  return (await api.get<{ unblindings: UnblindingLogEntry[] }>('/api/v1/emergency-unblindings')).unblindings;
}

// ---- unblinded: the allocation list and the cell-product chain --------------------------------

/** One slot of the allocation list with the kit ↔ arm map and who took it. */
export interface AllocationSlot {
  stratum: string;
  seq: number;
  block: number | null;
  arm?: Arm;
  kit: string;
  participantId: string | null;
  studyId: string | null;
  randomizationNumber: string | null;
  randomizedAt: string | null;
}

/** `GET /randomization/allocation-list` (unblinded roles). */
export interface AllocationList {
  algorithm: string;
  version: string;
  commitment: string;
  parameters: {
    design: 'blocks' | 'bigstick';
    per_stratum: number;
    block_sizes?: number[];
    max_imbalance?: number;
    strata: string[];
    arms: Arm[];
  };
  createdAt: string;
  strata: StratumUsage[];
  slots: AllocationSlot[];
}

export const SCREENING_TESTS = ['hiv_1_2', 'hbv', 'hcv', 'syphilis', 'htlv_1_2'] as const;
/** A donor infection-screening test. */
export type ScreeningTest = (typeof SCREENING_TESTS)[number];
export const TEST_RESULTS = ['negative', 'positive', 'pending'] as const;
/** A test result. */
export type TestResult = (typeof TEST_RESULTS)[number];

/** A cell donor under a pseudonymous code. */
export interface Donor {
  id: string;
  donorCode: string;
  eligibility: 'eligible' | 'not_eligible';
  screeningTests: Record<string, TestResult>;
  procurementDate: string;
  notes: string | null;
  lotCount: number;
  createdAt: string;
  createdBy: string;
}

/** What registering a donor sends. */
export interface DonorInput {
  donorCode: string;
  eligibility: 'eligible' | 'not_eligible';
  screeningTests: Record<ScreeningTest, TestResult>;
  procurementDate: string;
  notes?: string;
}

export const RELEASE_NUMBERS = [
  'viabilityPct',
  'cd73Pct',
  'cd90Pct',
  'cd105Pct',
  'cd45Pct',
  'cd34Pct',
  'hlaDrPct',
  'endotoxinEuPerMl',
] as const;
/** A numeric release result. */
export type ReleaseNumber = (typeof RELEASE_NUMBERS)[number];

/** A lot's release results. */
export interface ReleaseResults extends Record<ReleaseNumber, number> {
  testedOn: string;
  sterility: TestResult;
  mycoplasma: TestResult;
}

/** A failed test with the reason. */
export interface SpecFailure {
  test: string;
  message: string;
}

export const LOT_STATUSES = ['quarantine', 'released', 'rejected'] as const;
/** A lot's release decision. */
export type LotStatus = (typeof LOT_STATUSES)[number];

/** A manufactured lot. */
export interface Lot {
  id: string;
  lotNumber: string;
  donorId: string;
  donorCode: string;
  passage: number;
  cryopreservedOn: string;
  expiryDate: string;
  status: LotStatus;
  releaseResults: ReleaseResults | null;
  releaseFailures: SpecFailure[];
  pendingResults: string[];
  releasedAt: string | null;
  releasedBy: string | null;
  releaseSignatureId: string | null;
  notes: string | null;
  vials: Record<string, number>;
  createdAt: string;
}

/** What registering a lot sends. */
export interface LotInput {
  lotNumber: string;
  donorId: string;
  passage: number;
  cryopreservedOn: string;
  expiryDate: string;
  notes?: string;
}

export const VIAL_STATUSES = ['available', 'reserved', 'thawed', 'used', 'discarded'] as const;
/** Where a vial stands. */
export type VialStatus = (typeof VIAL_STATUSES)[number];

/** A vial (cryobag) of a lot. */
export interface Vial {
  id: string;
  vialCode: string;
  lotId: string;
  lotNumber: string;
  location: string;
  status: VialStatus;
  statusReason: string | null;
  allocation?: { participantId: string; studyId: string; kit: string; preparationId: string } | null;
  createdAt: string;
  updatedAt: string;
}

export const PREPARATION_STATUSES = ['released', 'failed', 'administered', 'discarded'] as const;
/** Where a dose preparation stands. */
export type PreparationStatus = (typeof PREPARATION_STATUSES)[number];

/** A thaw and dose preparation (cells or saline), checked against the limits. */
export interface Preparation {
  id: string;
  participantId: string;
  studyId: string;
  siteId: string;
  kit: string;
  arm?: Arm;
  vialId: string | null;
  vialCode: string | null;
  lotId: string | null;
  lotNumber: string | null;
  donorId: string | null;
  donorCode: string | null;
  salineBatch: string | null;
  thawedAt: string;
  viableCellsMillion: number | null;
  viabilityPct: number | null;
  volumeMl: number;
  appearance: 'conforms' | 'does_not_conform';
  passed: boolean;
  failures: SpecFailure[];
  useBy: string;
  status: PreparationStatus;
  expired: boolean;
  statusReason: string | null;
  postReleaseSterility: 'pending' | 'no_growth' | 'growth';
  preparedBy: string;
  signatureId: string;
  preparedAt: string;
}

/** What a dose preparation sends (a vial for a cell kit, a saline batch for a saline kit). */
export interface PreparationInput {
  kit: string;
  vialId?: string | null;
  salineBatch?: string | null;
  thawedAt: string;
  viableCellsMillion?: number | null;
  viabilityPct?: number | null;
  volumeMl: number;
  appearance: 'conforms' | 'does_not_conform';
}

/** The release specification and the dose limits. */
export interface ReleaseSpecification {
  version: string;
  lot: Record<string, number>;
  dose: Record<string, number>;
  screeningTests: string[];
}

/** A participant who received (or had prepared) product of a donor or lot. */
export interface Recipient {
  participantId: string;
  studyId: string;
  siteId: string;
  kit: string;
  lotNumber: string | null;
  vialCode: string | null;
  preparationId: string;
  preparationStatus: string;
  thawedAt: string;
  received: boolean;
  administeredAt: string | null;
  day0: string | null;
}

/** `GET /product/donors/:id`. */
export interface DonorTrace {
  donor: Donor;
  lots: Lot[];
  allocation?: { recipients: Recipient[] };
}

/** `GET /product/lots/:id`. */
export interface LotTrace {
  lot: Lot;
  donor: Donor;
  vials: Vial[];
  allocation?: { recipients: Recipient[] };
}

/** One link of the chain behind a participant. */
export interface ChainLink {
  preparation: Preparation;
  vial: Vial | null;
  lot: Lot | null;
  donor: Donor | null;
}

/** `GET /participants/:id/product-chain`: donor → lot → vial → preparation → administration. */
export interface ParticipantChain {
  participantId: string;
  studyId: string;
  siteId: string;
  randomization: UnblindedRandomizationView | null;
  administration: AdministrationView | null;
  allocation?: { arm: Arm | null; chain: ChainLink[]; administeredPreparationId: string | null };
}

/** The allocation list with its kit ↔ arm map (unblinded roles). */
export const fetchAllocationList = (): Promise<AllocationList> => api.get('/api/v1/randomization/allocation-list');

/** Randomizations including the arm (the server adds it for unblinded roles only). */
export async function listUnblindedRandomizations(): Promise<UnblindedRandomizationView[]> {
  return (await api.get<{ randomizations: UnblindedRandomizationView[] }>('/api/v1/randomizations')).randomizations;
}

/** The release specification and dose limits. */
export const fetchReleaseSpecification = (): Promise<ReleaseSpecification> => api.get('/api/v1/product/specification');

/** Donors. */
export async function listDonors(): Promise<Donor[]> {
  return (await api.get<{ donors: Donor[] }>('/api/v1/product/donors')).donors;
}

/** Registers a donor. */
export const createDonor = (input: DonorInput): Promise<Donor> => api.post('/api/v1/product/donors', input);

/** A donor with its lots and every recipient. */
export const traceDonor = (id: string): Promise<DonorTrace> =>
  api.get(`/api/v1/product/donors/${encodeURIComponent(id)}`);

/** Lots. */
export async function listLots(): Promise<Lot[]> {
  return (await api.get<{ lots: Lot[] }>('/api/v1/product/lots')).lots;
}

/** Registers a lot (in quarantine until released). */
export const createLot = (input: LotInput): Promise<Lot> => api.post('/api/v1/product/lots', input);

/** A lot with its donor, vials and every recipient. */
export const traceLot = (id: string): Promise<LotTrace> => api.get(`/api/v1/product/lots/${encodeURIComponent(id)}`);

/** Records release results; the decision follows the specification (e-signed). */
export const recordLotRelease = (id: string, results: ReleaseResults, password: string): Promise<Lot> =>
  api.post(`/api/v1/product/lots/${encodeURIComponent(id)}/release`, { results, signature: { password } });

/** Adds vials to a lot. */
export async function addVials(lotId: string, vials: { vialCode: string; location: string }[]): Promise<Vial[]> {
  return (await api.post<{ vials: Vial[] }>(`/api/v1/product/lots/${encodeURIComponent(lotId)}/vials`, { vials }))
    .vials;
}

/** Vials, optionally of one lot or one status. */
export async function listVials(filter: { lotId?: string; status?: VialStatus } = {}): Promise<Vial[]> {
  const query = new URLSearchParams();
  if (filter.lotId) query.set('lotId', filter.lotId);
  if (filter.status) query.set('status', filter.status);
  const qs = query.toString();
  return (await api.get<{ vials: Vial[] }>(`/api/v1/product/vials${qs ? `?${qs}` : ''}`)).vials;
}

/** Reserves, un-reserves, moves or discards a vial, with a reason. */
export const setVialStatus = (
  id: string,
  change: { status: 'available' | 'reserved' | 'discarded'; reason: string; location?: string },
): Promise<Vial> => api.post(`/api/v1/product/vials/${encodeURIComponent(id)}/status`, change);

/** Dose preparations. */
export async function listPreparations(): Promise<Preparation[]> {
  return (await api.get<{ preparations: Preparation[] }>('/api/v1/product/preparations')).preparations;
}

/** Prepares a dose for a kit, e-signed by the preparer. */
export const prepareDose = (input: PreparationInput, password: string): Promise<Preparation> =>
  api.post('/api/v1/product/preparations', { ...input, signature: { password } });

/** Discards a released dose that will not be given. */
export const discardPreparation = (id: string, reason: string): Promise<Preparation> =>
  api.post(`/api/v1/product/preparations/${encodeURIComponent(id)}/discard`, { reason });

/** Records the 14-day post-release sterility culture. */
export const recordPostReleaseSterility = (id: string, result: 'no_growth' | 'growth'): Promise<Preparation> =>
  api.post(`/api/v1/product/preparations/${encodeURIComponent(id)}/sterility`, { result });

/** The full chain behind a participant. */
export const traceParticipant = (id: string): Promise<ParticipantChain> =>
  api.get(participantPath(id, 'product-chain'));
