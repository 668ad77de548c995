/**
 * Visits, eCRF forms, queries, source data verification, locks and the casebook signature
 * (`src/server/routes/ecrf-routes.ts`). The shapes mirror the route's zod response schemas.
 */
import { api } from './client.js';

/** A text in both languages of the study. */
export interface Localized {
  da: string;
  en: string;
}

/** A warning or error about one value; `path` is `values.<item>` or `values.<group>[<row>].<item>`. */
export interface ItemIssue {
  path: string;
  message: string;
  code?: string;
}

export const FORM_STATUSES = ['draft', 'submitted'] as const;
/** Where a stored form instance stands. */
export type FormStatus = (typeof FORM_STATUSES)[number];

export const SDV_STATUSES = ['not_verified', 'verified', 'changed_since_verification'] as const;
/** Source data verification state of a form. */
export type SdvStatus = (typeof SDV_STATUSES)[number];

export const VISIT_STATUSES = [
  'not_yet_due',
  'due',
  'overdue',
  'done_in_window',
  'done_out_of_window',
  'missed',
  'not_applicable',
] as const;
/** Where a scheduled visit stands. */
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const QUERY_STATUSES = ['open', 'answered', 'closed'] as const;
/** Lifecycle state of a query. */
export type QueryStatus = (typeof QUERY_STATUSES)[number];

export const CELL_STATUSES = ['not_started', 'draft', 'submitted', 'not_applicable', 'external'] as const;
/** Status of one cell of the casebook matrix. */
export type CellStatus = (typeof CELL_STATUSES)[number];

/** The stored state of a form instance (without its values). */
export interface InstanceMeta {
  id: string;
  participantId: string;
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  status: FormStatus;
  protocolVersion: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
  submittedBy: string | null;
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
}

/** One code of a code list. */
export interface CodeEntry {
  code: string | number;
  label: Localized;
}

/** One item as the data-entry page renders it. */
export interface ItemView {
  id: string;
  type: string;
  label: Localized;
  help: Localized | null;
  unit: { ucum: string; display: string } | null;
  range: { hardMin: number; hardMax: number; softMin?: number; softMax?: number } | null;
  precision: number | null;
  codeList: { id: string; ordered: boolean; entries: CodeEntry[] } | null;
  multiple: boolean;
  pattern: { regex: string; description: Localized } | null;
  maxLength: number | null;
  multiline: boolean;
  mediaTypes: string[] | null;
  required: boolean;
  /** Condition tree (`src/core/protocol/condition.ts`), null when always shown. */
  showIf: unknown;
  derived: boolean;
  derivationMethod: string | null;
  applicable: boolean;
  potentiallyUnblinding: boolean;
  visible: boolean;
  licensedTextKey: string | null;
  nullMeaning: Localized | null;
}

/** One item group. */
export interface GroupView {
  id: string;
  name: Localized;
  repeating: boolean;
  showIf: unknown;
  respondent: string | null;
  items: ItemView[];
}

/** A form definition for data entry. */
export interface FormDefinition {
  id: string;
  title: Localized;
  kind: string;
  repeating: boolean;
  respondent: string;
  epro: boolean;
  recallPeriod: Localized | null;
  licenceNote: string | null;
  description: Localized | null;
  groups: GroupView[];
}

/** One step of a query's thread. */
export interface QueryEvent {
  seq: number;
  action: string;
  text: string | null;
  at: string;
  by: string;
}

/** A query on an item (or a whole form). */
export interface QueryView {
  id: string;
  instanceId: string;
  participantId: string;
  studyId: string;
  siteId: string;
  formId: string;
  visitCode: string | null;
  itemPath: string | null;
  origin: 'auto' | 'manual';
  checkCode: string | null;
  status: QueryStatus;
  text: string;
  answer: string | null;
  raisedAt: string;
  raisedBy: string;
  answeredAt: string | null;
  answeredBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reopenCount: number;
  ageDays: number;
  events?: QueryEvent[];
}

/** Source data verification of a form. */
export interface SdvView {
  status: SdvStatus;
  verifiedVersion: number | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  currentVersion: number;
  changes: { path: string; verified: unknown; current: unknown }[];
}

/** Derived (server-computed) values by item id. */
export type DerivedValues = Record<string, boolean | number | null>;

/** A form at a visit (or a participant-level form / instance), as the form page reads it. */
export interface FormView {
  participant: { id: string; studyId: string; siteId: string; status: string };
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  definition: FormDefinition;
  instance: InstanceMeta | null;
  values: Record<string, unknown>;
  derived: DerivedValues;
  masked: string[];
  warnings: ItemIssue[];
  itemStates: Record<string, { warnings: ItemIssue[]; openQueries: number }>;
  queries: QueryView[];
  sdv: SdvView | null;
  locks: { form: boolean; casebook: boolean; database: boolean };
}

/** What a save answers. */
export interface SaveResult {
  instance: InstanceMeta;
  values: Record<string, unknown>;
  derived: DerivedValues;
  masked: string[];
  warnings: ItemIssue[];
  changes: { path: string; before: unknown; after: unknown }[];
  autoQueries: { raised: number; closed: number };
}

/** What a save sends. */
export interface SaveInput {
  values: Record<string, unknown>;
  action: 'draft' | 'submit';
  reason?: string | null;
  expectedVersion?: number | null;
}

/** One scheduled visit of a participant. */
export interface VisitView {
  visit: string;
  name: Localized;
  kind: string;
  target: string | null;
  earliest: string | null;
  latest: string | null;
  status: VisitStatus;
  deviation: boolean;
  doneOn: string | null;
  studyDay: number | null;
  daysOverdue: number | null;
  missed: boolean;
  missedReason: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
}

/** A form instance as the casebook lists it. */
export interface CasebookInstance {
  instanceId: string;
  repeatNo: number;
  status: FormStatus;
  version: number;
  locked: boolean;
  sdv: SdvStatus;
  openQueries: number;
  warnings: number;
  updatedAt: string;
}

/** Lock and signature state of a casebook. */
export interface CasebookState {
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  signature: { signedAt: string; signedBy: string; signatureId: string } | null;
}

/** Which other feature keeps a form (the screening log, the injection, adverse events). */
export type ManagedBy = 'screening' | 'product_chain' | 'safety' | null;

/** A participant's casebook. */
export interface CasebookView {
  participant: {
    id: string;
    studyId: string;
    siteId: string;
    status: string;
    withdrawnOn: string | null;
    withdrawalScope: string | null;
  };
  day0: string | null;
  day0Source: 'injection' | 'baseline_visit' | null;
  today: string;
  visits: VisitView[];
  forms: { formId: string; title: Localized; managedBy: ManagedBy }[];
  cells: {
    visitCode: string;
    formId: string;
    status: CellStatus;
    managedBy: ManagedBy;
    instance: CasebookInstance | null;
  }[];
  logs: {
    formId: string;
    title: Localized;
    kind: string;
    repeating: boolean;
    managedBy: ManagedBy;
    instances: CasebookInstance[];
  }[];
  queries: { open: number; answered: number; closed: number };
  deviations: number;
  progress: { expected: number; submitted: number; draft: number };
  casebook: CasebookState;
}

/** One entry of the visit calendar. */
export interface CalendarEntry {
  participantId: string;
  studyId: string;
  siteId: string;
  visit: string;
  name: Localized;
  target: string;
  earliest: string;
  latest: string;
  status: 'not_yet_due' | 'due' | 'overdue';
  daysOverdue: number | null;
}

/** The visit calendar of the user's sites. */
export interface CalendarView {
  today: string;
  from: string;
  to: string;
  counts: { overdue: number; due: number; upcoming: number };
  entries: CalendarEntry[];
}

/** A form waiting for source data verification. */
export interface SdvWorklistEntry {
  instanceId: string;
  participantId: string;
  studyId: string;
  siteId: string;
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  version: number;
  submittedAt: string | null;
  updatedAt: string;
  sdvStatus: 'not_verified' | 'changed_since_verification';
  verifiedVersion: number | null;
}

/** Filters of the query inbox. */
export interface QueryFilter {
  status?: QueryStatus | 'unresolved';
  siteId?: string;
  participantId?: string;
  formId?: string;
  visitCode?: string;
  origin?: 'auto' | 'manual';
  instanceId?: string;
}

/** Query counts for the inbox. */
export interface QuerySummary {
  byStatus: Record<string, number>;
  unresolved: {
    total: number;
    bySite: Record<string, number>;
    byParticipant: Record<string, number>;
    byForm: Record<string, number>;
    byAge: Record<string, number>;
    byOrigin: Record<string, number>;
  };
}

/** A reference to an uploaded file, as stored in a file item. */
export interface AttachmentRef {
  sha256: string;
  name: string;
  mediaType: string;
  size: number;
}

const enc = encodeURIComponent;
const participantPath = (id: string): string => `/api/v1/participants/${enc(id)}`;
const query = (params: Record<string, string | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
};

/** Where a form lives: at a visit, once per participant, or as one instance of a repeating form. */
export type FormLocation =
  | { kind: 'visit'; participantId: string; visitCode: string; formId: string }
  | { kind: 'participant'; participantId: string; formId: string }
  | { kind: 'instance'; instanceId: string };

const formPath = (at: FormLocation): string => {
  switch (at.kind) {
    case 'visit':
      return `${participantPath(at.participantId)}/visits/${enc(at.visitCode)}/forms/${enc(at.formId)}`;
    case 'participant':
      return `${participantPath(at.participantId)}/forms/${enc(at.formId)}`;
    case 'instance':
      return `/api/v1/form-instances/${enc(at.instanceId)}`;
  }
};

/** A form definition for data entry (used for a new instance of a repeating form). */
export const fetchFormDefinition = (formId: string, visitCode?: string): Promise<FormDefinition> =>
  api.get(`/api/v1/ecrf/forms/${enc(formId)}${query({ visitCode })}`);

/** A participant's casebook. */
export const fetchCasebook = (participantId: string): Promise<CasebookView> =>
  api.get(`${participantPath(participantId)}/casebook`);

/** Records the date a visit took place, or that it was missed (a change needs a reason). */
export const recordVisit = (
  participantId: string,
  visitCode: string,
  body: { date: string; reason?: string } | { missed: true; missedReason: string; reason?: string },
): Promise<VisitView> => api.put(`${participantPath(participantId)}/visits/${enc(visitCode)}`, body);

/** A form with its values, metadata, queries, SDV and locks. */
export const fetchForm = (at: FormLocation): Promise<FormView> => api.get(formPath(at));

/** Saves a draft or submits (a correction after submission needs `reason`). */
export const saveForm = (at: FormLocation, input: SaveInput): Promise<SaveResult> => api.put(formPath(at), input);

/** Adds an instance of a repeating form with its values. */
export const createFormInstance = (participantId: string, formId: string, input: SaveInput): Promise<SaveResult> =>
  api.post(`${participantPath(participantId)}/forms/${enc(formId)}/instances`, input);

/** The visit calendar (default: today to 60 days ahead plus everything overdue). */
export const fetchCalendar = (filter: { siteId?: string; from?: string; to?: string } = {}): Promise<CalendarView> =>
  api.get(`/api/v1/ecrf/calendar${query(filter)}`);

/** The query inbox. */
export async function listQueries(filter: QueryFilter = {}): Promise<QueryView[]> {
  return (await api.get<{ queries: QueryView[] }>(`/api/v1/queries${query({ ...filter })}`)).queries;
}

/** Query counts by status, site, participant, form, age and origin. */
export const fetchQuerySummary = (siteId?: string): Promise<QuerySummary> =>
  api.get(`/api/v1/queries/summary${query({ siteId })}`);

/** One query with its thread. */
export const fetchQuery = (id: string): Promise<QueryView> => api.get(`/api/v1/queries/${enc(id)}`);

/** Raises a manual query on an item path (or the whole form with null). */
export const raiseQuery = (instanceId: string, itemPath: string | null, text: string): Promise<QueryView> =>
  api.post(`/api/v1/form-instances/${enc(instanceId)}/queries`, { itemPath, text });

/** The site's answer to an open query. */
export const answerQuery = (id: string, text: string): Promise<QueryView> =>
  api.post(`/api/v1/queries/${enc(id)}/answer`, { text });

/** Closes an open or answered query. */
export const closeQuery = (id: string, text?: string): Promise<QueryView> =>
  api.post(`/api/v1/queries/${enc(id)}/close`, text ? { text } : {});

/** Re-opens an answered or closed query, saying why. */
export const reopenQuery = (id: string, text: string): Promise<QueryView> =>
  api.post(`/api/v1/queries/${enc(id)}/reopen`, { text });

/** Verifies the named version of a submitted form against source documents (monitor). */
export const verifyForm = (instanceId: string, version: number): Promise<{ instance: InstanceMeta; sdv: SdvView }> =>
  api.post(`/api/v1/form-instances/${enc(instanceId)}/sdv`, { version });

/** Submitted forms not yet verified or changed since verification. */
export async function fetchSdvWorklist(
  filter: { siteId?: string; participantId?: string } = {},
): Promise<SdvWorklistEntry[]> {
  return (await api.get<{ forms: SdvWorklistEntry[] }>(`/api/v1/ecrf/sdv-worklist${query(filter)}`)).forms;
}

/** Locks a submitted form without unresolved queries (data manager). */
export const lockForm = (instanceId: string, reason?: string): Promise<InstanceMeta> =>
  api.post(`/api/v1/form-instances/${enc(instanceId)}/lock`, reason ? { reason } : {});

/** Unlocks a form (data manager, with a reason). */
export const unlockForm = (instanceId: string, reason: string): Promise<InstanceMeta> =>
  api.post(`/api/v1/form-instances/${enc(instanceId)}/unlock`, { reason });

/** Locks a casebook: no drafts, no unresolved queries (data manager). */
export const lockCasebook = (participantId: string, reason?: string): Promise<CasebookState> =>
  api.post(`${participantPath(participantId)}/casebook/lock`, reason ? { reason } : {});

/** Unlocks a casebook (data manager, with a reason). */
export const unlockCasebook = (participantId: string, reason: string): Promise<CasebookState> =>
  api.post(`${participantPath(participantId)}/casebook/unlock`, { reason });

/** The investigator's e-signature of a casebook (password re-entered). */
export const signCasebook = (participantId: string, password: string): Promise<CasebookState> =>
  api.post(`${participantPath(participantId)}/casebook/sign`, { signature: { password } });

/** Uploads a file (base64) for a participant; returns the reference to store in a file item. */
export const uploadAttachment = (
  participantId: string,
  file: { name: string; mediaType: string; contentBase64: string },
): Promise<AttachmentRef> => api.post(`${participantPath(participantId)}/attachments`, file);
