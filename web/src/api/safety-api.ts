/**
 * Adverse events and safety reporting (`src/server/routes/safety-routes.ts`): AEs and their
 * follow-up, consistency queries, SAE cases with their clocks and submissions, AE review tasks,
 * safety tables and the dashboard. The shapes mirror the routes' zod response schemas.
 *
 * The arm never appears in the blinded types: the server strips it for blinded callers, and the
 * by-arm tables have their own call that only unblinded roles can make.
 */
import type {
  AeAction,
  AeOutcome,
  Causality,
  CausalityAssessment,
  Expectedness,
  SeriousnessFlags,
} from '../../../src/core/safety/ae-codes.js';
import { api } from './client.js';

export {
  AE_ACTION_CODES,
  AE_OUTCOME_CODES,
  CAUSALITY_CODES,
  CTCAE_GRADES,
  EXPECTEDNESS_CODES,
  SERIOUSNESS_CRITERIA,
} from '../../../src/core/safety/ae-codes.js';
export type { AeAction, AeOutcome, Causality, CausalityAssessment, Expectedness, SeriousnessFlags };

/** MedDRA coding as entered by the site's coder. */
export interface MeddraCoding {
  version: string;
  lltCode: string | null;
  lltName: string | null;
  ptCode: string | null;
  ptName: string | null;
  socCode: string | null;
  socName: string | null;
}

/** The clinical content of one AE version. */
export interface AeRecord {
  verbatimTerm: string;
  meddra: MeddraCoding | null;
  onsetDate: string;
  endDate: string | null;
  grade: number;
  seriousness: SeriousnessFlags;
  localToIndexKnee: boolean | null;
  investigatorCausality: CausalityAssessment | null;
  actionTaken: AeAction[];
  outcome: AeOutcome;
  narrative: string | null;
}

/** The sponsor's assessment, kept apart from the investigator's. */
export interface SponsorAssessment {
  causality: CausalityAssessment;
  expectedness: Expectedness;
  rsiVersion: string;
  comment: string | null;
}

export const QUERY_STATUSES = ['open', 'resolved', 'confirmed'] as const;
/** Where a consistency query stands. */
export type QueryStatus = (typeof QUERY_STATUSES)[number];

/** A consistency query on an AE. */
export interface SafetyQuery {
  id: string;
  aeId: string;
  rule: string;
  path: string;
  message: string;
  status: QueryStatus;
  raisedAt: string;
  raisedInVersion: number;
  closedAt: string | null;
  closedBy: string | null;
  response: string | null;
}

/** An adverse event as listed. */
export interface AeView extends AeRecord {
  id: string;
  aeNumber: string;
  participantId: string;
  studyId: string;
  siteId: string;
  status: 'active' | 'entered_in_error';
  version: number;
  ongoing: boolean;
  serious: boolean;
  fatalOrLifeThreatening: boolean;
  sponsorAssessment: SponsorAssessment | null;
  reportableCausality: 'related' | 'not_related' | 'pending';
  siteAwarenessAt: string;
  seriousAwarenessAt: string | null;
  caseId: string | null;
  caseNumber: string | null;
  openQueries: number;
  reviewTaskId: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export const AE_VERSION_KINDS = ['initial', 'follow_up', 'sponsor_assessment', 'entered_in_error'] as const;
/** What made a version. */
export type AeVersionKind = (typeof AE_VERSION_KINDS)[number];

/** One version of an AE. */
export interface AeVersion {
  version: number;
  kind: AeVersionKind;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  changedFields: string[];
  record: AeRecord;
  sponsorAssessment: SponsorAssessment | null;
}

/** An AE with its history and queries. */
export interface AeDetail extends AeView {
  versions: AeVersion[];
  queries: SafetyQuery[];
}

/** MedDRA coding as a form sends it: the version and at least one code. */
export type MeddraInput = { version: string } & Partial<Omit<MeddraCoding, 'version'>>;

/** A new AE as the API takes it. */
export interface NewAdverseEvent {
  participantId: string;
  verbatimTerm: string;
  meddra?: MeddraInput | null;
  onsetDate: string;
  endDate?: string | null;
  grade: number;
  seriousness: SeriousnessFlags;
  localToIndexKnee?: boolean | null;
  investigatorCausality?: CausalityAssessment | null;
  actionTaken: AeAction[];
  outcome: AeOutcome;
  narrative?: string | null;
  siteAwarenessAt: string;
  seriousAwarenessAt?: string;
}

/** The record fields a follow-up may change. */
export type AeChanges = Partial<Omit<NewAdverseEvent, 'participantId' | 'siteAwarenessAt' | 'seriousAwarenessAt'>>;

export const CASE_DEADLINE_KINDS = ['sponsor_report', 'susar_initial', 'susar_followup'] as const;
/** One clock of an SAE case. */
export type CaseDeadlineKind = (typeof CASE_DEADLINE_KINDS)[number];

export const DEADLINE_STATUSES = ['pending', 'due_soon', 'overdue', 'met', 'met_late'] as const;
/** Where a clock stands. */
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/** One deadline of a case. */
export interface Deadline {
  kind: CaseDeadlineKind;
  label: string;
  /** UTC instant. */
  due: string;
  /** The same instant in Europe/Copenhagen with its offset. */
  dueLocal: string;
  status: DeadlineStatus;
  metAt: string | null;
}

export const SUBMISSION_KINDS = [
  'investigator_initial_report',
  'investigator_follow_up_report',
  'sponsor_acknowledgement',
  'susar_initial_report',
  'susar_follow_up_report',
] as const;
/** What can be recorded on a case. */
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];
/** Submissions the site records. */
export const SITE_SUBMISSION_KINDS = ['investigator_initial_report', 'investigator_follow_up_report'] as const;
/** Submissions the sponsor's safety physician records. */
export const SPONSOR_SUBMISSION_KINDS = [
  'sponsor_acknowledgement',
  'susar_initial_report',
  'susar_follow_up_report',
] as const;

/** A report sent or a receipt acknowledged. */
export interface Submission {
  id: string;
  kind: SubmissionKind;
  occurredAt: string;
  occurredAtLocal: string;
  reference: string | null;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export const CASE_STATUSES = ['open', 'downgraded', 'nullified', 'closed'] as const;
/** Where an SAE case stands. */
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** An SAE case with its clocks. */
export interface SaeCase {
  id: string;
  caseNumber: string;
  status: CaseStatus;
  aeId: string;
  aeNumber: string;
  participantId: string;
  studyId: string;
  siteId: string;
  verbatimTerm: string;
  grade: number;
  seriousness: SeriousnessFlags;
  fatalOrLifeThreatening: boolean;
  investigatorAwarenessAt: string;
  sponsorAwarenessAt: string | null;
  sponsorAssessed: boolean;
  susarCandidate: boolean;
  deadlines: Deadline[];
  submissions: Submission[];
  /** false: the SUSAR classification, its clocks and reports are hidden from this user. */
  susarVisible: boolean;
  susarAssessment: {
    susar: boolean | null;
    rationale: string | null;
    classifiedBy: string | null;
    classifiedAt: string | null;
    susarAwarenessAt: string | null;
  } | null;
  unblinding: { by: string; at: string; reason: string } | null;
  openedAt: string;
  closedAt: string | null;
  updatedAt: string;
}

export const REVIEW_SOURCES = ['epro_diary', 'ecrf_vital_signs', 'ecrf_form', 'manual'] as const;
/** Where a review signal comes from. */
export type ReviewSource = (typeof REVIEW_SOURCES)[number];
export const REVIEW_STATUSES = ['open', 'ae_recorded', 'dismissed'] as const;
/** Where a review task stands. */
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** An AE review task from a diary or form signal. */
export interface ReviewTask {
  id: string;
  taskNumber: string;
  participantId: string;
  studyId: string;
  siteId: string;
  source: ReviewSource;
  sourceRef: string | null;
  summary: string;
  data: Record<string, string | number | boolean | null>;
  status: ReviewStatus;
  aeId: string | null;
  aeNumber: string | null;
  resolutionReason: string | null;
  createdAt: string;
  createdBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/** Participants (and events) in one cell of a safety table. */
export interface TableCell {
  participants: number;
  percent: number | null;
  events: number;
}

/** One preferred term of a system organ class. */
export interface TermRow extends TableCell {
  ptCode: string | null;
  ptName: string;
  seriousParticipants: number;
  relatedParticipants: number;
  participantsByWorstGrade: Record<string, number>;
}

/** One system organ class with its terms. */
export interface SocRow extends TableCell {
  socCode: string | null;
  socName: string;
  seriousParticipants: number;
  relatedParticipants: number;
  terms: TermRow[];
}

/** The incidence tables of one group (pooled, or one arm). */
export interface IncidenceTable {
  participants: number;
  overview: Record<'any' | 'serious' | 'related' | 'seriousRelated' | 'grade3OrHigher' | 'fatal', TableCell>;
  byWorstGrade: { grade: number; participants: number; percent: number | null }[];
  bySocPt: SocRow[];
  exposure: {
    participantYears: number;
    events: number;
    eventsPer100ParticipantYears: number | null;
    seriousEvents: number;
    seriousEventsPer100ParticipantYears: number | null;
  };
}

/** `GET /safety/tables`: arms pooled. */
export interface PooledTables {
  generatedAt: string;
  population: 'treated' | 'enrolled';
  pooled: IncidenceTable;
}

/** `GET /safety/tables/by-arm` (DSMB; statistician after lock). */
export interface ByArmTables {
  generatedAt: string;
  population: 'treated' | 'enrolled';
  byArm: {
    groups: { arm: 'ADMSC' | 'SALINE' | null; label: string; table: IncidenceTable }[];
    comparisons:
      { row: string; socCode: string | null; ptCode: string | null; label: string; p: number | null }[] | null;
  };
}

/** One deadline line of the dashboard. */
export interface DashboardLine extends Deadline {
  caseId: string;
  caseNumber: string;
  studyId: string;
  aeNumber: string;
  verbatimTerm: string;
}

/** `GET /safety/dashboard`. */
export interface SafetyDashboard {
  now: string;
  nowLocal: string;
  counts: {
    openCases: number;
    overdue: number;
    dueSoon: number;
    openReviewTasks: number;
    openQueries: number;
    aesPendingInvestigatorCausality: number;
  };
  deadlines: DashboardLine[];
  metLate: DashboardLine[];
}

/** `GET /safety/me`: what the user may see and do. */
export interface SafetyCapabilities {
  safetyPhysician: boolean;
  seesSusar: boolean;
  byArmTables: boolean;
}

/** An issued version of the reference safety information. */
export interface RsiVersion {
  version: string;
  title: string;
  effectiveFrom: string;
}

const aePath = (id: string, action = ''): string =>
  `/api/v1/safety/adverse-events/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
const casePath = (id: string, action = ''): string =>
  `/api/v1/safety/cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
const taskPath = (id: string, action = ''): string =>
  `/api/v1/safety/review-tasks/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

const query = (params: Record<string, string | boolean | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** What the user may see and do in the safety module. */
export const fetchSafetyCapabilities = (): Promise<SafetyCapabilities> => api.get('/api/v1/safety/me');

/** Due and overdue clocks, open tasks and queries. */
export const fetchSafetyDashboard = (): Promise<SafetyDashboard> => api.get('/api/v1/safety/dashboard');

/** The AE listing. */
export async function listAdverseEvents(
  filter: { participantId?: string; serious?: boolean; status?: 'active' | 'entered_in_error' | 'all' } = {},
): Promise<AeView[]> {
  return (await api.get<{ adverseEvents: AeView[] }>(`/api/v1/safety/adverse-events${query(filter)}`)).adverseEvents;
}

/** Records an AE; a serious one opens its SAE case. */
export const createAdverseEvent = (input: NewAdverseEvent): Promise<AeDetail> =>
  api.post('/api/v1/safety/adverse-events', input);

/** One AE with its versions and queries. */
export const fetchAdverseEvent = (id: string): Promise<AeDetail> => api.get(aePath(id));

/** A follow-up or correction: a new version with a reason. */
export const updateAdverseEvent = (
  id: string,
  changes: AeChanges,
  reason: string,
  seriousAwarenessAt?: string,
): Promise<AeDetail> =>
  api.request('PATCH', aePath(id), { changes, reason, ...(seriousAwarenessAt ? { seriousAwarenessAt } : {}) });

/** The sponsor's causality and expectedness (designated safety physician). */
export const assessAdverseEventAsSponsor = (
  id: string,
  assessment: {
    causality: CausalityAssessment;
    expectedness: Expectedness;
    rsiVersion: string;
    comment?: string | null;
    reason?: string;
  },
): Promise<AeDetail> => api.put(aePath(id, 'sponsor-assessment'), assessment);

/** Marks an AE as entered in error. */
export const markAdverseEventEnteredInError = (id: string, reason: string): Promise<AeDetail> =>
  api.post(aePath(id, 'entered-in-error'), { reason });

/** The investigator confirms a queried combination as correct. */
export const confirmSafetyQuery = (id: string, response: string): Promise<SafetyQuery> =>
  api.post(`/api/v1/safety/queries/${encodeURIComponent(id)}/confirm`, { response });

/** SAE cases. */
export async function listSaeCases(filter: { status?: CaseStatus; participantId?: string } = {}): Promise<SaeCase[]> {
  return (await api.get<{ cases: SaeCase[] }>(`/api/v1/safety/cases${query(filter)}`)).cases;
}

/** One SAE case. */
export const fetchSaeCase = (id: string): Promise<SaeCase> => api.get(casePath(id));

/** Records the investigator's initial or follow-up report to the sponsor. */
export const recordSiteReport = (
  id: string,
  input: {
    kind: (typeof SITE_SUBMISSION_KINDS)[number];
    occurredAt?: string;
    reference?: string | null;
    note?: string | null;
  },
): Promise<SaeCase> => api.post(casePath(id, 'site-reports'), input);

/** Records the sponsor's acknowledgement or a SUSAR report (designated safety physician). */
export const recordSponsorSubmission = (
  id: string,
  input: {
    kind: (typeof SPONSOR_SUBMISSION_KINDS)[number];
    occurredAt?: string;
    reference?: string | null;
    note?: string | null;
  },
): Promise<SaeCase> => api.post(casePath(id, 'sponsor-submissions'), input);

/** SUSAR or not (designated safety physician, after the per-case unblinding). */
export const classifySusar = (
  id: string,
  input: { susar: boolean; rationale: string; susarAwarenessAt?: string },
): Promise<SaeCase> => api.post(casePath(id, 'susar-classification'), input);

/** Closes a case once every deadline is met. */
export const closeSaeCase = (id: string, reason: string): Promise<SaeCase> =>
  api.post(casePath(id, 'close'), { reason });

/** The address of the case's SAE report document (HTML to print to PDF). */
export const saeReportUrl = (id: string): string => casePath(id, 'report');

/** AE review tasks. */
export async function listReviewTasks(
  filter: { status?: ReviewStatus | 'all'; participantId?: string } = {},
): Promise<ReviewTask[]> {
  return (await api.get<{ tasks: ReviewTask[] }>(`/api/v1/safety/review-tasks${query(filter)}`)).tasks;
}

/** One review task. */
export const fetchReviewTask = (id: string): Promise<ReviewTask> => api.get(taskPath(id));

/** Not an AE: dismisses the task with a reason. */
export const dismissReviewTask = (id: string, reason: string): Promise<ReviewTask> =>
  api.post(taskPath(id, 'dismiss'), { reason });

/** Records an AE from the task (for the task's participant) and resolves the task. */
export const recordAeFromReviewTask = (
  id: string,
  input: Omit<NewAdverseEvent, 'participantId'>,
): Promise<{ task: ReviewTask; adverseEvent: AeDetail }> => api.post(taskPath(id, 'adverse-event'), input);

/** Pooled safety tables. */
export const fetchPooledTables = (): Promise<PooledTables> => api.get('/api/v1/safety/tables');

/** Safety tables by arm (unblinded roles only). */
export const fetchByArmTables = (): Promise<ByArmTables> => api.get('/api/v1/safety/tables/by-arm');

/** Issued versions of the reference safety information. */
export async function listRsiVersions(): Promise<RsiVersion[]> {
  return (await api.get<{ versions: RsiVersion[] }>('/api/v1/safety/rsi-versions')).versions;
}

/** The arm revealed to the safety physician for one case's SUSAR assessment (never shown elsewhere). */
export interface CaseArm {
  caseId: string;
  caseNumber: string;
  studyId: string;
  arm: 'ADMSC' | 'SALINE' | null;
  unblindedAt: string;
  unblindedBy: string;
}

/** Unblinds one case for its SUSAR assessment (designated safety physician; reason and e-signature). */
export const unblindCaseForSusar = (id: string, reason: string, password: string): Promise<CaseArm> =>
  api.post(casePath(id, 'unblind'), { reason, signature: { password } });

/** The arm again, for the physician who unblinded the case (each view audited). */
export const fetchCaseArm = (id: string): Promise<CaseArm> => api.get(casePath(id, 'arm'));
