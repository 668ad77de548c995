/**
 * The trial's reports (`src/server/routes/analysis-routes.ts`): the dashboard's data and the
 * CONSORT flow diagram with the participants behind every box. The shapes mirror the services'
 * result types (`TrialDashboard`, `ConsortReport`). The dashboard is blinded for everyone; the
 * CONSORT diagram is pooled unless `byArm` is asked for, which the server refuses (403 with the
 * reason) to anyone the SAP rules do not allow.
 */
import type { ConsortCount, ConsortCounts } from '../../../src/core/consort/consort-model.js';
import type { QueryAgeBucket } from '../../../src/core/ecrf/query-age.js';
import { api } from './client.js';

export type { ConsortCount, ConsortCounts, QueryAgeBucket };
export { QUERY_AGE_BUCKETS } from '../../../src/core/ecrf/query-age.js';

/** One month of the enrolment curve. */
export interface EnrolmentMonth {
  month: string;
  screened: number;
  enrolled: number;
  randomized: number;
  cumulativeEnrolled: number;
  cumulativeTarget: number;
}

/** Visit counts of one site. */
export interface SiteVisits {
  site: string;
  participants: number;
  due: number;
  overdue: number;
  upcoming30Days: number;
  doneInWindow: number;
  doneOutOfWindow: number;
  missed: number;
}

/** The visit statuses of the completion matrix, in the server's order (cells index into it). */
export type CompletionStatus =
  'done_in_window' | 'done_out_of_window' | 'missed' | 'overdue' | 'due' | 'not_yet_due' | 'not_applicable';

/** The dashboard (blinded: no arm anywhere). */
export interface TrialDashboard {
  generatedAt: string;
  today: string;
  enrolment: {
    target: number;
    plannedMonths: number;
    screened: number;
    enrolled: number;
    randomized: number;
    withdrawn: number;
    byMonth: EnrolmentMonth[];
    projectedTargetMonth: string | null;
  };
  visits: {
    bySite: SiteVisits[];
    overdue: { studyId: string; site: string; visit: string; daysOverdue: number }[];
  };
  completion: {
    visits: string[];
    statuses: CompletionStatus[];
    rows: { studyId: string; site: string; cells: number[] }[];
    totals: { visit: string; counts: Partial<Record<CompletionStatus, number>> }[];
  };
  diaries: {
    participants: number;
    expectedEntries: number;
    entries: number;
    compliance: number | null;
    distribution: Record<'below50' | 'from50to79' | 'atLeast80', number>;
  };
  queries: {
    open: number;
    answered: number;
    byAge: Record<QueryAgeBucket, number>;
    oldestDays: number | null;
    bySite: { site: string; unresolved: number }[];
    safetyQueriesOpen: number;
  };
  /** Null for roles that do not read safety data. */
  saeClocks: {
    openCases: number;
    overdue: number;
    dueSoon: number;
    deadlines: { caseNumber: string; studyId: string; kind: string; due: string; status: string }[];
  } | null;
  backlog: {
    visitsWithMissingForms: number;
    missingForms: number;
    draftForms: number;
    byForm: { form: string; missing: number }[];
    byAge: Record<QueryAgeBucket, number>;
    bySite: { site: string; missing: number }[];
  };
}

/** The CONSORT diagram: counts with the ids behind them, the consistency check and the SVG. */
export interface ConsortReport {
  generatedAt: string;
  protocolVersion: string;
  software: string;
  blinded: boolean;
  /** By arm before database lock (DSMB only). */
  interim: boolean;
  counts: ConsortCounts;
  consistency: string[];
  svg: string;
}

/** `GET /api/v1/reports/dashboard`. */
export const fetchDashboard = (): Promise<TrialDashboard> => api.get('/api/v1/reports/dashboard');

/** `GET /api/v1/reports/consort`, pooled or by arm. */
export const fetchConsort = (byArm: boolean): Promise<ConsortReport> =>
  api.get(`/api/v1/reports/consort${byArm ? '?mode=by_arm' : ''}`);

/** Every count of the diagram by its key (boxes, reason lines, per-arm columns and analyses). */
export function consortCountsByKey(counts: ConsortCounts): Map<string, ConsortCount> {
  const out = new Map<string, ConsortCount>();
  const add = (c: ConsortCount): void => {
    out.set(c.key, c);
    for (const p of c.parts ?? []) add(p);
  };
  [counts.assessed, counts.excluded, counts.pending, counts.randomized].forEach(add);
  for (const col of counts.columns) {
    [
      col.allocated,
      col.received,
      col.notReceived,
      col.awaitingInjection,
      col.lostToFollowUp,
      col.discontinued,
      col.completed,
      col.inFollowUp,
    ].forEach(add);
    for (const a of col.analysis) {
      add(a.analysed);
      add(a.excluded);
    }
  }
  return out;
}
