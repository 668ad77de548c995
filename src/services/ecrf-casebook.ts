/**
 * A participant's casebook: the visits × forms matrix of the schedule of assessments with each
 * cell's status, open queries, SDV and lock state and the visit windows; the participant-level
 * logs and event forms; the forms other features keep (injection, adverse events) as links; query
 * counts, deviations, and the casebook's lock and signature.
 */
import type { LocalizedText } from '../core/protocol/localized-text.js';
import type { FormKind } from '../core/protocol/definition-types.js';
import { casebookVisits } from '../core/ecrf/participant-schedule.js';
import type { FormInstanceStatus } from '../storage/schema-ecrf.js';
import { assertSiteAccess } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import {
  currentProtocol,
  EXTERNALLY_MANAGED_FORMS,
  loadCasebookRow,
  loadParticipantFacts,
  toInstanceRecord,
  type ManagedBy,
} from './ecrf-store.js';
import { sdvStatus } from './ecrf-views.js';
import { loadParticipantSchedule, type Day0Source, type VisitView } from './ecrf-visits.js';
import { casebookState, type CasebookState } from './monitoring.js';
import { unresolvedQueryCounts } from './queries.js';

/** Status of one cell of the matrix. */
export type CellStatus = 'not_started' | 'draft' | 'submitted' | 'not_applicable' | 'external';

/** One instance as the casebook lists it. */
export interface CasebookInstance {
  instanceId: string;
  repeatNo: number;
  status: FormInstanceStatus;
  version: number;
  locked: boolean;
  sdv: 'not_verified' | 'verified' | 'changed_since_verification';
  openQueries: number;
  warnings: number;
  updatedAt: string;
}

/** One cell: a form at a visit. */
export interface CasebookCell {
  visitCode: string;
  formId: string;
  status: CellStatus;
  /** Kept by another feature (`screening`: the screening record; `product_chain`: the injection; `safety`: adverse events). */
  managedBy: ManagedBy | null;
  instance: CasebookInstance | null;
}

/** A participant-level form (log or event) with its instances. */
export interface CasebookLog {
  formId: string;
  title: LocalizedText;
  kind: FormKind;
  repeating: boolean;
  managedBy: ManagedBy | null;
  instances: CasebookInstance[];
}

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
  day0Source: Day0Source | null;
  today: string;
  visits: VisitView[];
  /** The rows of the matrix: the scheduled forms in the order they first appear. */
  forms: { formId: string; title: LocalizedText; managedBy: ManagedBy | null }[];
  cells: CasebookCell[];
  logs: CasebookLog[];
  queries: { open: number; answered: number; closed: number };
  deviations: number;
  progress: { expected: number; submitted: number; draft: number };
  casebook: CasebookState;
}

/** The casebook of one participant. */
export async function getCasebook(ctx: ServiceContext, actor: Actor, participantId: string): Promise<CasebookView> {
  const db = ctx.database.db;
  const p = await loadParticipantFacts(db, participantId);
  assertSiteAccess(actor, 'ecrf.read', p.siteId);
  const protocol = currentProtocol();
  const schedule = await loadParticipantSchedule(ctx, db, p);
  const rows = await db
    .selectFrom('form_instances')
    .selectAll()
    .where('participant_id', '=', p.id)
    .orderBy('repeat_no')
    .execute();
  const instances = rows.map(toInstanceRecord);
  const { byInstance } = await unresolvedQueryCounts(db, { participantId: p.id });
  const statusCounts = await db
    .selectFrom('ecrf_queries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('participant_id', '=', p.id)
    .groupBy('status')
    .execute();
  const deviations = await db
    .selectFrom('protocol_deviations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('participant_id', '=', p.id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const injected = schedule.day0Source === 'injection';
  const view = (i: (typeof instances)[number]): CasebookInstance => ({
    instanceId: i.id,
    repeatNo: i.repeatNo,
    status: i.status,
    version: i.version,
    locked: i.locked,
    sdv: sdvStatus(i),
    openQueries: byInstance.get(i.id) ?? 0,
    warnings: i.warnings.length,
    updatedAt: i.updatedAt,
  });
  const forms: CasebookView['forms'] = [];
  const cells: CasebookCell[] = [];
  const progress = { expected: 0, submitted: 0, draft: 0 };
  for (const visit of casebookVisits(protocol)) {
    const visitView = schedule.visits.find((v) => v.visit === visit.code);
    const gone = visitView?.status === 'missed' || visitView?.status === 'not_applicable';
    for (const formId of visit.forms) {
      const form = protocol.forms.find((f) => f.id === formId);
      if (form === undefined || form.kind !== 'scheduled') continue;
      const managedBy = EXTERNALLY_MANAGED_FORMS[formId] ?? null;
      if (!forms.some((f) => f.formId === formId)) forms.push({ formId, title: form.title, managedBy });
      if (managedBy !== null) {
        // The screening record exists for every enrolled participant; the injection once Day 0 is set.
        const done = managedBy === 'screening' || (managedBy === 'product_chain' && injected);
        cells.push({
          visitCode: visit.code,
          formId,
          status: done ? 'external' : 'not_started',
          managedBy,
          instance: null,
        });
        continue;
      }
      const instance = instances.find((i) => i.visitCode === visit.code && i.formId === formId);
      const status: CellStatus = instance !== undefined ? instance.status : gone ? 'not_applicable' : 'not_started';
      if (status !== 'not_applicable') progress.expected += 1;
      if (status === 'submitted') progress.submitted += 1;
      if (status === 'draft') progress.draft += 1;
      cells.push({
        visitCode: visit.code,
        formId,
        status,
        managedBy: null,
        instance: instance === undefined ? null : view(instance),
      });
    }
  }
  const logs: CasebookLog[] = protocol.forms
    .filter((f) => f.kind === 'log' || f.kind === 'event')
    .map((f) => ({
      formId: f.id,
      title: f.title,
      kind: f.kind,
      repeating: f.repeating,
      managedBy: EXTERNALLY_MANAGED_FORMS[f.id] ?? null,
      instances: instances.filter((i) => i.formId === f.id && i.visitCode === null).map(view),
    }));
  const queries = { open: 0, answered: 0, closed: 0 };
  for (const c of statusCounts) queries[c.status] = Number(c.n);
  return {
    participant: {
      id: p.id,
      studyId: p.studyId,
      siteId: p.siteId,
      status: p.status,
      withdrawnOn: p.withdrawnOn,
      withdrawalScope: p.withdrawalScope,
    },
    day0: schedule.day0,
    day0Source: schedule.day0Source,
    today: schedule.today,
    visits: schedule.visits,
    forms,
    cells,
    logs,
    queries,
    deviations: Number(deviations.n),
    progress,
    casebook: casebookState(await loadCasebookRow(db, p.id)),
  };
}
