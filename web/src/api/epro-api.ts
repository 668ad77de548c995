/**
 * Participant ePRO for site staff (`src/server/routes/epro-routes.ts`): a participant's access
 * (enrol or reset with a new one-time code, revoke), their diary and visit questionnaires with
 * scores, the diary-compliance list and the sites' missed-day alerts. The shapes mirror the routes'
 * zod response schemas. No arm anywhere: the server strips it for blinded callers anyway.
 */
import { api } from './client.js';

/** How the participant receives the link and code. */
export type AccessChannel = 'email' | 'sms' | 'in_person';
export const ACCESS_CHANNELS: readonly AccessChannel[] = ['in_person', 'email', 'sms'];

/** The participant's language for screens and messages. */
export type ParticipantLanguage = 'da' | 'en';
export const PARTICIPANT_LANGUAGES: readonly ParticipantLanguage[] = ['da', 'en'];

/** A participant's ePRO access (the contact masked). */
export interface EproAccess {
  participantId: string;
  enrolled: boolean;
  status: 'active' | 'revoked' | null;
  channel: AccessChannel | null;
  contactHint: string | null;
  language: ParticipantLanguage | null;
  hasPin: boolean;
  codePending: boolean;
  locked: boolean;
  lastLoginAt: string | null;
}

/** The answer of an enrolment or reset: the code is present when staff hand it over (or in development). */
export interface EproEnrolment {
  participantId: string;
  channel: AccessChannel;
  contactHint: string | null;
  language: ParticipantLanguage;
  loginPath: string;
  code: string | null;
  codeExpiresAt: string;
  sent: boolean;
}

/** Diary compliance: days completed of 30, late, due so far, missed. */
export interface DiaryCompliance {
  completed: number;
  late: number;
  due: number;
  missed: number;
  of: number;
}

/** The state of a diary day's window in Copenhagen time. */
export type DiaryDayState = 'not_yet_open' | 'open' | 'late' | 'closed';

/** One diary day as the site sees it. */
export interface DiaryDay {
  day: number;
  visitCode: string;
  entryDate: string;
  state: DiaryDayState;
  status: 'submitted' | 'draft' | 'missing';
  late: boolean;
  nrsWorst: number | null;
  nrsAverage: number | null;
  submittedAt: string | null;
}

/** A KOOS or NRS at a visit, with its scores (KOOS subscales; the NRS value). */
export interface VisitQuestionnaire {
  visitCode: string;
  formId: string;
  status: string;
  submittedBy: 'participant' | 'site';
  scores: Record<string, number | boolean | null>;
}

/** `GET /participants/:id/epro`. */
export interface ParticipantEpro {
  participantId: string;
  studyId: string;
  access: EproAccess;
  day0: string | null;
  compliance: DiaryCompliance;
  diary: DiaryDay[];
  questionnaires: VisitQuestionnaire[];
}

/** One row of `GET /epro/compliance`. */
export interface ComplianceRow {
  participantId: string;
  studyId: string;
  siteId: string;
  participantStatus: string;
  eproEnrolled: boolean;
  accessStatus: 'active' | 'revoked' | null;
  lastLoginAt: string | null;
  day0: string | null;
  compliance: DiaryCompliance;
  percentOfDue: number | null;
}

/** One missed-diary-day alert to a site, with its e-mail delivery state. */
export interface SiteAlert {
  id: string;
  siteId: string;
  participantId: string | null;
  studyId: string | null;
  visitCode: string | null;
  createdAt: string;
  delivery: 'pending' | 'sent' | 'failed';
  sentAt: string | null;
  attempts: number;
}

const eproPath = (participantId: string): string => `/api/v1/participants/${encodeURIComponent(participantId)}/epro`;

export const fetchParticipantEpro = (participantId: string): Promise<ParticipantEpro> =>
  api.get(eproPath(participantId));

/** Enrols the participant's access, or resets it: a new link and one-time code; the old PIN and sessions end. */
export const enrolEproAccess = (
  participantId: string,
  input: { channel: AccessChannel; contact?: string; language: ParticipantLanguage },
): Promise<EproEnrolment> => api.post(`${eproPath(participantId)}/access`, input);

export const revokeEproAccess = (participantId: string, reason: string): Promise<EproAccess> =>
  api.post(`${eproPath(participantId)}/access/revoke`, { reason });

export const listEproCompliance = (): Promise<ComplianceRow[]> => api.get('/api/v1/epro/compliance');

export const listSiteAlerts = (limit = 50): Promise<SiteAlert[]> => api.get(`/api/v1/epro/alerts?limit=${limit}`);
