/**
 * The screening log, eligibility sign-off, identity, consent, enrolment and withdrawal
 * (`src/server/routes/screening-routes.ts`). The shapes mirror the route's zod response schemas.
 */
import type { ScreeningItemId } from '../../../src/core/eligibility/screening-items.js';
import { api } from './client.js';

export const SCREENING_STATUSES = [
  'in_progress',
  'eligible',
  'ineligible',
  'declined',
  'not_reached',
  'other',
  'enrolled',
] as const;
/** Where a screening stands (the screening log's outcome column). */
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];

export const MANUAL_OUTCOMES = ['declined', 'not_reached', 'other'] as const;
/** Outcomes staff record by hand, each with a reason. */
export type ManualOutcome = (typeof MANUAL_OUTCOMES)[number];

export const WITHDRAWAL_SCOPES = ['no_further_visits', 'no_further_data', 'no_further_contact'] as const;
/** What a withdrawal of consent stops. */
export type WithdrawalScope = (typeof WITHDRAWAL_SCOPES)[number];

/** One criterion of the server's assessment. */
export interface CriterionView {
  id: string;
  kind: 'inclusion' | 'exclusion';
  name: string;
  rule: string;
  status: 'pass' | 'fail' | 'undecided';
  inputs: { item: string; value: unknown }[];
  decidedBy: string[];
  awaiting: string[];
}

/** The eligibility assessment stored with a screening (server truth). */
export interface AssessmentView {
  eligible: boolean | null;
  unmet: string[];
  excluded: string[];
  missing: string[];
  derived: { age: number | null; bmi: number | null };
  criteria: CriterionView[];
}

/** The current informed consent of a screening. */
export interface ConsentView {
  id: string;
  documentVersion: string;
  consentedAt: string;
  takenBy: string;
  signatureMode: 'electronic' | 'paper';
  status: 'active' | 'superseded' | 'withdrawn';
  withdrawnAt: string | null;
  withdrawalScope: string | null;
}

/** One entry of the screening log. */
export interface ScreeningView {
  id: string;
  screeningNumber: string;
  siteId: string;
  status: ScreeningStatus;
  outcomeReason: string | null;
  values: Partial<Record<ScreeningItemId, unknown>>;
  assessment: AssessmentView;
  hasIdentity: boolean;
  signedOff: { by: string; at: string; signatureId: string } | null;
  consent: ConsentView | null;
  participantId: string | null;
  protocolVersion: string;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/v1/screenings/summary`: counts for the log and the CONSORT diagram. */
export interface ScreeningSummary {
  screened: number;
  byStatus: Record<string, number>;
  byCriterion: Record<string, number>;
  otherReasons: { status: string; reason: string; count: number }[];
}

/** What `PUT …/identity` takes. */
export interface IdentityInput {
  cpr: string;
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
  address?: string;
}

/** What `PUT …/identity` answers: warnings (modulus 11) and what the CPR number encodes. */
export interface IdentityResult {
  warnings: { path: string; message: string; code?: string }[];
  dateOfBirth: string;
  sex: 'female' | 'male';
  screenedBefore: string[];
}

/** The decrypted identity (site staff only; every view is audited). */
export interface IdentityView extends IdentityInput {
  dateOfBirth: string;
  sex: 'female' | 'male';
}

/** An issued version of the consent document. */
export interface ConsentVersion {
  version: string;
  title: string;
  issuedAt: string;
}

/** An enrolled participant, known by the study id. */
export interface ParticipantView {
  id: string;
  studyId: string;
  siteId: string;
  screeningId: string;
  screeningNumber: string;
  status: 'enrolled' | 'randomized' | 'withdrawn' | 'completed';
  sex: string | null;
  yearOfBirth: number | null;
  klGrade: number | null;
  enrolledAt: string;
  withdrawnAt: string | null;
  withdrawalScope: string | null;
  consentVersion: string | null;
  reconsentRequired: boolean;
  protocolVersion: string;
}

const screeningPath = (id: string, action = ''): string =>
  `/api/v1/screenings/${encodeURIComponent(id)}${action === '' ? '' : `/${action}`}`;

/** The screening log of the user's sites, optionally one status only. */
export async function listScreenings(status?: ScreeningStatus): Promise<ScreeningView[]> {
  const query = status ? `?status=${encodeURIComponent(status)}` : '';
  return (await api.get<{ screenings: ScreeningView[] }>(`/api/v1/screenings${query}`)).screenings;
}

/** Counts by outcome and by failed criterion. */
export const fetchScreeningSummary = (): Promise<ScreeningSummary> => api.get('/api/v1/screenings/summary');

/** Adds a person to the screening log; the server assigns the screening number. */
export const createScreening = (props: { siteId?: string; values?: Record<string, unknown> }): Promise<ScreeningView> =>
  api.post('/api/v1/screenings', props);

/** One screening with its assessment, consent and sign-off. */
export const fetchScreening = (id: string): Promise<ScreeningView> => api.get(screeningPath(id));

/** Changes screening values (null clears one); a reason is required after sign-off, which the change voids. */
export const updateScreeningValues = (
  id: string,
  values: Record<string, unknown>,
  reason?: string,
): Promise<ScreeningView> =>
  api.request('PATCH', screeningPath(id, 'values'), { values, ...(reason ? { reason } : {}) });

/** The investigator's e-signed confirmation of eligibility. */
export const signOffScreening = (id: string, password: string): Promise<ScreeningView> =>
  api.post(screeningPath(id, 'sign-off'), { signature: { password } });

/** Closes a screening as declined, not reached or other, with a reason. */
export const recordScreeningOutcome = (id: string, outcome: ManualOutcome, reason: string): Promise<ScreeningView> =>
  api.post(screeningPath(id, 'outcome'), { outcome, reason });

/** Stores (or replaces) the identity in the encrypted store. */
export const saveIdentity = (id: string, identity: IdentityInput): Promise<IdentityResult> =>
  api.put(screeningPath(id, 'identity'), identity);

/** Decrypts the identity; the server records the view in the audit trail. */
export const fetchIdentity = (id: string): Promise<IdentityView> => api.get(screeningPath(id, 'identity'));

/** Records informed consent, or re-consent to a newer document version. */
export const recordConsent = (
  id: string,
  consent: { documentVersion: string; consentedAt: string; signatureMode: 'electronic' | 'paper' },
): Promise<ScreeningView> => api.post(screeningPath(id, 'consents'), consent);

/** Issued consent document versions, oldest first. */
export async function listConsentVersions(): Promise<ConsentVersion[]> {
  return (await api.get<{ versions: ConsentVersion[] }>('/api/v1/consent-versions')).versions;
}

/** Enrols a signed-off, consented screening under the next study id. */
export const enrolScreening = (id: string): Promise<ParticipantView> => api.post(screeningPath(id, 'enrol'), {});

/** Participants at the user's sites. */
export async function listParticipants(): Promise<ParticipantView[]> {
  return (await api.get<{ participants: ParticipantView[] }>('/api/v1/participants')).participants;
}

/** One participant. */
export const fetchParticipant = (id: string): Promise<ParticipantView> =>
  api.get(`/api/v1/participants/${encodeURIComponent(id)}`);

/** Records withdrawal of consent with its scope; collected data is kept. */
export const withdrawParticipant = (
  id: string,
  withdrawal: { scope: WithdrawalScope; reason: string; withdrawnOn: string },
): Promise<ParticipantView> => api.post(`/api/v1/participants/${encodeURIComponent(id)}/withdraw`, withdrawal);
