/**
 * SAE cases: one per adverse event that is (or was) serious. A case opens in the same transaction
 * in which its AE becomes serious, with the investigator → sponsor clock (24 h from the site's
 * awareness of the seriousness) and a notification to the site's investigators and the sponsor's
 * safety physicians. Every report sent and receipt acknowledged is recorded with its time
 * (`sae_submissions`); the deadlines are always derived from those records by the pure clocks.
 *
 * SUSAR classification needs the arm (a reaction to saline is not a reaction to the cells), so a
 * designated sponsor safety physician may unblind ONE participant for ONE case, with a reason and an
 * e-signature, audited; nobody else is unblinded: the arm is returned only by the unblinding
 * route itself, and the SUSAR classification, its clocks and its reports are shown only to
 * designated physicians and to roles that see arms anyway (DSMB; statistician after lock).
 */
import { randomUUID } from 'node:crypto';
import { conflict, forbidden, invalid, notFound } from '../core/errors.js';
import {
  CASE_DEADLINE_LABELS,
  formatCopenhagenInstant,
  isFatalOrLifeThreatening,
  isSerious,
  parseInstant,
  reportableCausality,
  SaeSubmissionSchema,
  SusarClassificationSchema,
  SUSAR_SUBMISSION_KINDS,
  type AeRecord,
  type CaseDeadlineKind,
  type CaseDeadlineStatus,
  type SaeSubmissionKind,
  type SeriousnessFlags,
  type SponsorAssessment,
} from '../core/safety/index.js';
import type { Executor } from '../storage/database.js';
import type { SaeCaseTable } from '../storage/schema-safety.js';
import { actorSites, assertSiteAccess } from './access.js';
import { confirmSignerPassword, recordSignature } from './auth.js';
import { runCommand, type CommandScope } from './command.js';
import type { Actor, ServiceContext } from './context.js';
import { armOfParticipant, assertSafetyPhysician, safetyRecipients, type ArmCode } from './safety-access.js';
import { deadlinesOf, dueColumns } from './safety-case-clocks.js';
import { actorSeesSusar, byLabel, nextSafetyNumber, parseInput } from './safety-common.js';
import { claimNotification, enqueueSafetyMessages } from './safety-notifications.js';

/** What a case needs to know about its AE to open, update, downgrade or nullify itself. */
export interface CaseSyncInput {
  aeId: string;
  aeNumber: string;
  participantId: string;
  siteId: string;
  seriousness: SeriousnessFlags;
  active: boolean;
  /** When the site learned the event was serious. */
  seriousAwarenessAt: string | null;
}

/**
 * Keeps the AE's case in step with the AE, inside the AE's transaction: opens it when the event
 * becomes serious (and announces it), reopens a downgraded case, follows a change between
 * fatal/life-threatening and not, and downgrades or nullifies it when the event is no longer
 * serious or was entered in error. Returns the case id, if any.
 */
export async function syncSaeCase(scope: CommandScope, ae: CaseSyncInput): Promise<string | null> {
  const { tx, at, audit } = scope;
  const serious = ae.active && isSerious(ae.seriousness);
  const fatal = isFatalOrLifeThreatening(ae.seriousness) ? 1 : 0;
  const existing = await tx.selectFrom('sae_cases').selectAll().where('ae_id', '=', ae.aeId).executeTakeFirst();
  if (!existing) {
    if (!serious) return null;
    if (!ae.seriousAwarenessAt) {
      throw invalid('A serious event needs the time the site became aware of its seriousness', [
        { path: 'seriousAwarenessAt', message: 'is required' },
      ]);
    }
    const id = randomUUID();
    const caseNumber = `SAE-${String(await nextSafetyNumber(tx, 'sae_case')).padStart(4, '0')}`;
    const clock = {
      investigator_awareness_at: ae.seriousAwarenessAt,
      susar_awareness_at: null,
      susar: null,
      fatal_or_life_threatening: fatal,
    };
    const due = dueColumns(clock);
    await tx
      .insertInto('sae_cases')
      .values({
        id,
        case_number: caseNumber,
        ae_id: ae.aeId,
        participant_id: ae.participantId,
        site_id: ae.siteId,
        status: 'open',
        ...clock,
        sponsor_awareness_at: null,
        susar_rationale: null,
        susar_classified_by: null,
        susar_classified_at: null,
        unblinded_by: null,
        unblinded_at: null,
        unblinding_reason: null,
        ...due,
        opened_at: at,
        closed_at: null,
        updated_at: at,
      })
      .execute();
    await audit({
      action: 'sae_case.opened',
      entityType: 'sae_case',
      entityId: id,
      after: {
        caseNumber,
        aeNumber: ae.aeNumber,
        investigatorAwarenessAt: ae.seriousAwarenessAt,
        sponsorReportDue: due.sponsor_report_due,
        fatalOrLifeThreatening: fatal === 1,
      },
    });
    if (
      await claimNotification(tx, at, {
        caseId: id,
        topic: 'case_opened',
        dueAt: due.sponsor_report_due,
        level: 'opened',
      })
    ) {
      const study = await tx
        .selectFrom('participants')
        .select('study_id')
        .where('id', '=', ae.participantId)
        .executeTakeFirstOrThrow();
      const recipients = await safetyRecipients(tx, ae.siteId, 'site_and_sponsor');
      await enqueueSafetyMessages(tx, at, 'safety.sae_case_opened', recipients, {
        caseId: id,
        caseNumber,
        aeNumber: ae.aeNumber,
        studyId: study.study_id,
        deadline: 'sponsor_report',
        label: CASE_DEADLINE_LABELS.sponsor_report,
        due: due.sponsor_report_due,
        dueLocal: formatCopenhagenInstant(new Date(due.sponsor_report_due)),
      });
    }
    return id;
  }
  if (existing.status === 'nullified' || existing.status === 'closed') return existing.id;
  if (!ae.active) {
    await tx
      .updateTable('sae_cases')
      .set({ status: 'nullified', updated_at: at })
      .where('id', '=', existing.id)
      .execute();
    await audit({
      action: 'sae_case.nullified',
      entityType: 'sae_case',
      entityId: existing.id,
      before: { status: existing.status },
      after: { status: 'nullified' },
    });
    return existing.id;
  }
  if (!serious) {
    if (existing.status === 'open') {
      await tx
        .updateTable('sae_cases')
        .set({ status: 'downgraded', updated_at: at })
        .where('id', '=', existing.id)
        .execute();
      await audit({
        action: 'sae_case.downgraded',
        entityType: 'sae_case',
        entityId: existing.id,
        before: { status: 'open' },
        after: { status: 'downgraded' },
      });
    }
    return existing.id;
  }
  const changes: Partial<SaeCaseTable> = {};
  if (existing.status === 'downgraded') changes.status = 'open';
  if (existing.fatal_or_life_threatening !== fatal) {
    changes.fatal_or_life_threatening = fatal;
    Object.assign(changes, dueColumns({ ...existing, fatal_or_life_threatening: fatal }));
  }
  if (Object.keys(changes).length > 0) {
    await tx
      .updateTable('sae_cases')
      .set({ ...changes, updated_at: at })
      .where('id', '=', existing.id)
      .execute();
    await audit({
      action: existing.status === 'downgraded' ? 'sae_case.reopened' : 'sae_case.updated',
      entityType: 'sae_case',
      entityId: existing.id,
      before: { status: existing.status, fatalOrLifeThreatening: existing.fatal_or_life_threatening === 1 },
      after: { status: changes.status ?? existing.status, fatalOrLifeThreatening: fatal === 1 },
    });
  }
  return existing.id;
}

/** One deadline of a case, as shown. */
export interface CaseDeadlineView {
  kind: CaseDeadlineKind;
  label: string;
  /** UTC instant. */
  due: string;
  /** The same instant in Copenhagen time with its offset. */
  dueLocal: string;
  status: CaseDeadlineStatus;
  metAt: string | null;
}

/** One submission, as shown. */
export interface SubmissionView {
  id: string;
  kind: SaeSubmissionKind;
  occurredAt: string;
  occurredAtLocal: string;
  reference: string | null;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** A case as shown to one actor (SUSAR matters only to those who may see them). */
export interface SaeCaseView {
  id: string;
  caseNumber: string;
  status: SaeCaseTable['status'];
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
  /** Whether a SUSAR is possible on the sponsor's assessment: unexpected and related (by either assessor). */
  susarCandidate: boolean;
  deadlines: CaseDeadlineView[];
  submissions: SubmissionView[];
  /** False: the SUSAR classification, its clocks and its reports are hidden from this actor. */
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

async function caseRow(db: Executor, id: string): Promise<SaeCaseTable> {
  const row = await db.selectFrom('sae_cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('SAE case');
  return row;
}

/** Builds the view of a case row for an actor; `seesSusar` decides what SUSAR information is included. */
export async function presentCase(
  db: Executor,
  row: SaeCaseTable,
  seesSusar: boolean,
  now: Date,
): Promise<SaeCaseView> {
  const ae = await db
    .selectFrom('adverse_events')
    .select(['ae_number', 'record_json', 'sponsor_json'])
    .where('id', '=', row.ae_id)
    .executeTakeFirstOrThrow();
  const record = JSON.parse(ae.record_json) as AeRecord;
  const sponsor = ae.sponsor_json ? (JSON.parse(ae.sponsor_json) as SponsorAssessment) : null;
  const participant = await db
    .selectFrom('participants')
    .select('study_id')
    .where('id', '=', row.participant_id)
    .executeTakeFirstOrThrow();
  const submissions = await db
    .selectFrom('sae_submissions')
    .selectAll()
    .where('case_id', '=', row.id)
    .orderBy('occurred_at')
    .orderBy('recorded_at')
    .execute();
  const deadlines = deadlinesOf(row, submissions, now)
    .filter((d) => seesSusar || d.kind === 'sponsor_report')
    .map((d) => ({
      kind: d.kind,
      label: CASE_DEADLINE_LABELS[d.kind],
      due: d.due.toISOString(),
      dueLocal: formatCopenhagenInstant(d.due),
      status: d.status,
      metAt: d.metAt?.toISOString() ?? null,
    }));
  return {
    id: row.id,
    caseNumber: row.case_number,
    status: row.status,
    aeId: row.ae_id,
    aeNumber: ae.ae_number,
    participantId: row.participant_id,
    studyId: participant.study_id,
    siteId: row.site_id,
    verbatimTerm: record.verbatimTerm,
    grade: record.grade,
    seriousness: record.seriousness,
    fatalOrLifeThreatening: row.fatal_or_life_threatening === 1,
    investigatorAwarenessAt: row.investigator_awareness_at,
    sponsorAwarenessAt: row.sponsor_awareness_at,
    sponsorAssessed: sponsor !== null,
    susarCandidate:
      sponsor !== null &&
      sponsor.expectedness === 'unexpected' &&
      reportableCausality(record.investigatorCausality, sponsor.causality) === 'related',
    deadlines,
    submissions: submissions
      .filter((s) => seesSusar || !SUSAR_SUBMISSION_KINDS.includes(s.kind as SaeSubmissionKind))
      .map((s) => ({
        id: s.id,
        kind: s.kind as SaeSubmissionKind,
        occurredAt: s.occurred_at,
        occurredAtLocal: formatCopenhagenInstant(new Date(s.occurred_at)),
        reference: s.reference,
        note: s.note,
        recordedBy: s.recorded_by,
        recordedAt: s.recorded_at,
      })),
    susarVisible: seesSusar,
    susarAssessment: seesSusar
      ? {
          susar: row.susar === null ? null : row.susar === 1,
          rationale: row.susar_rationale,
          classifiedBy: row.susar_classified_by,
          classifiedAt: row.susar_classified_at,
          susarAwarenessAt: row.susar_awareness_at,
        }
      : null,
    unblinding:
      seesSusar && row.unblinded_by && row.unblinded_at
        ? { by: row.unblinded_by, at: row.unblinded_at, reason: row.unblinding_reason ?? '' }
        : null,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    updatedAt: row.updated_at,
  };
}

/** One case, site-scoped. */
export async function getSaeCase(ctx: ServiceContext, actor: Actor, id: string): Promise<SaeCaseView> {
  const row = await caseRow(ctx.database.db, id);
  assertSiteAccess(actor, 'safety.read', row.site_id);
  return presentCase(ctx.database.db, row, await actorSeesSusar(ctx.database.db, actor), ctx.now());
}

/** The cases the actor may see, newest first; optionally by status or participant. */
export async function listSaeCases(
  ctx: ServiceContext,
  actor: Actor,
  filter: { status?: SaeCaseTable['status']; participantId?: string } = {},
): Promise<SaeCaseView[]> {
  const sites = actorSites(actor, 'safety.read');
  let q = ctx.database.db.selectFrom('sae_cases').selectAll().orderBy('case_number', 'desc');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.participantId) q = q.where('participant_id', '=', filter.participantId);
  const rows = await q.execute();
  const sees = await actorSeesSusar(ctx.database.db, actor);
  const now = ctx.now();
  const out: SaeCaseView[] = [];
  for (const r of rows) out.push(await presentCase(ctx.database.db, r, sees, now));
  return out;
}

const SITE_KINDS: readonly SaeSubmissionKind[] = ['investigator_initial_report', 'investigator_follow_up_report'];

/**
 * Records a report sent or a receipt acknowledged. The site records its own reports to the sponsor;
 * designated safety physicians record acknowledgements and SUSAR reports. The time may be given
 * (a report faxed at 02:10 and entered in the morning) but never in the future or before the site knew.
 */
export async function recordSaeSubmission(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: unknown,
): Promise<SaeCaseView> {
  const body = parseInput(SaeSubmissionSchema, input, 'The submission is not valid');
  const now = ctx.now();
  const occurred = body.occurredAt ? parseInstant(body.occurredAt)! : now;
  if (occurred.getTime() > now.getTime()) {
    throw invalid('The submission cannot be in the future', [{ path: 'occurredAt', message: 'is in the future' }]);
  }
  const siteKind = SITE_KINDS.includes(body.kind);
  if (!siteKind) await assertSafetyPhysician(ctx.database.db, actor);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    // Lock the case row first (PostgreSQL row lock) so that concurrent submissions serialise.
    const row = await tx
      .updateTable('sae_cases')
      .set({ updated_at: at })
      .where('id', '=', caseId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('SAE case');
    if (siteKind) assertSiteAccess(actor, 'safety.case.report', row.site_id);
    if (row.status !== 'open') {
      throw conflict(`Case ${row.case_number} is ${row.status}; nothing more can be submitted on it`);
    }
    if (occurred.getTime() < Date.parse(row.investigator_awareness_at)) {
      throw invalid('The submission is dated before the site became aware of the serious event', [
        { path: 'occurredAt', message: `is before ${row.investigator_awareness_at}` },
      ]);
    }
    const previous = await tx.selectFrom('sae_submissions').select(['kind']).where('case_id', '=', caseId).execute();
    const has = (k: SaeSubmissionKind): boolean => previous.some((p) => p.kind === k);
    if (body.kind === 'investigator_initial_report' && has('investigator_initial_report')) {
      throw conflict('The initial report is already recorded; record a follow-up report instead', [
        { path: 'kind', message: 'already recorded' },
      ]);
    }
    if (body.kind === 'susar_initial_report') {
      if (row.susar !== 1) {
        throw conflict('Only a case classified as a SUSAR is reported to EudraVigilance', [
          { path: 'kind', message: 'the case is not a SUSAR' },
        ]);
      }
      if (has('susar_initial_report')) {
        throw conflict('The initial SUSAR report is already recorded', [{ path: 'kind', message: 'already recorded' }]);
      }
    }
    if (body.kind === 'susar_follow_up_report' && !has('susar_initial_report')) {
      throw conflict('Record the initial SUSAR report first', [
        { path: 'kind', message: 'no initial SUSAR report yet' },
      ]);
    }
    const occurredAt = occurred.toISOString();
    const id = randomUUID();
    await tx
      .insertInto('sae_submissions')
      .values({
        id,
        case_id: caseId,
        kind: body.kind,
        occurred_at: occurredAt,
        reference: body.reference?.trim() || null,
        note: body.note?.trim() || null,
        recorded_by: byLabel(actor),
        recorded_at: at,
      })
      .execute();
    if (
      body.kind === 'sponsor_acknowledgement' &&
      (row.sponsor_awareness_at === null || occurredAt < row.sponsor_awareness_at)
    ) {
      await tx.updateTable('sae_cases').set({ sponsor_awareness_at: occurredAt }).where('id', '=', caseId).execute();
    }
    await audit({
      action: 'sae_case.submission_recorded',
      entityType: 'sae_case',
      entityId: caseId,
      after: { submissionId: id, kind: body.kind, occurredAt, reference: body.reference ?? null },
    });
  });
  return getSaeCase(ctx, actor, caseId);
}

async function susarCandidate(db: Executor, aeId: string): Promise<boolean> {
  const ae = await db
    .selectFrom('adverse_events')
    .select(['record_json', 'sponsor_json'])
    .where('id', '=', aeId)
    .executeTakeFirstOrThrow();
  if (!ae.sponsor_json) return false;
  const record = JSON.parse(ae.record_json) as AeRecord;
  const sponsor = JSON.parse(ae.sponsor_json) as SponsorAssessment;
  return (
    sponsor.expectedness === 'unexpected' &&
    reportableCausality(record.investigatorCausality, sponsor.causality) === 'related'
  );
}

/** What the unblinding route returns: the arm, to this physician only. */
export interface CaseArmView {
  caseId: string;
  caseNumber: string;
  studyId: string;
  /** null: the allocation is not available (no randomization record). */
  arm: ArmCode | null;
  unblindedAt: string;
  unblindedBy: string;
}

/**
 * Reveals one participant's arm to a designated sponsor safety physician for one SAE case that may
 * be a SUSAR (serious, unexpected and related on the sponsor's assessment), with a reason and an
 * e-signature; audited (the audit record names the access, never the arm). The site, the participant
 * and everyone else stay blinded; the participant is not flagged as unblinded for the analysis.
 */
export async function unblindCaseForSusar(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  props: { reason: string; password: string },
): Promise<CaseArmView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await assertSafetyPhysician(ctx.database.db, actor);
  await confirmSignerPassword(ctx, actor, props.password, 'signature.password');
  const row = await caseRow(ctx.database.db, caseId);
  if (row.status !== 'open') throw conflict(`Case ${row.case_number} is ${row.status}`);
  if (!(await susarCandidate(ctx.database.db, row.ae_id))) {
    throw conflict(
      'Unblinding is only for a possible SUSAR: record the sponsor assessment first; the event must be unexpected and related',
      [{ path: 'sponsorAssessment', message: 'not unexpected and related' }],
    );
  }
  const arm = await armOfParticipant(ctx, row.participant_id);
  const participant = await ctx.database.db
    .selectFrom('participants')
    .select('study_id')
    .where('id', '=', row.participant_id)
    .executeTakeFirstOrThrow();
  let unblindedAt = '';
  await runCommand(ctx, actor, async (scope) => {
    unblindedAt = scope.at;
    await recordSignature(scope, {
      meaning: 'responsibility',
      statement: `I unblind the treatment of participant ${participant.study_id} for the SUSAR assessment of case ${row.case_number} only. Reason: ${props.reason.trim()}`,
      entityType: 'sae_case',
      entityId: caseId,
    });
    await scope.tx
      .updateTable('sae_cases')
      .set({
        unblinded_by: byLabel(actor),
        unblinded_at: scope.at,
        unblinding_reason: props.reason.trim(),
        updated_at: scope.at,
      })
      .where('id', '=', caseId)
      .execute();
    await scope.audit({
      action: 'sae_case.unblinded_for_susar',
      entityType: 'sae_case',
      entityId: caseId,
      after: { participant: participant.study_id, allocationAvailable: arm !== null },
      reason: props.reason.trim(),
    });
  });
  return {
    caseId,
    caseNumber: row.case_number,
    studyId: participant.study_id,
    arm,
    unblindedAt,
    unblindedBy: byLabel(actor),
  };
}

/** The arm again, for the physician who unblinded this case (each view is audited). */
export async function viewCaseArm(ctx: ServiceContext, actor: Actor, caseId: string): Promise<CaseArmView> {
  await assertSafetyPhysician(ctx.database.db, actor);
  const row = await caseRow(ctx.database.db, caseId);
  if (row.unblinded_by !== byLabel(actor) || !row.unblinded_at) {
    throw forbidden('Only the physician who unblinded this case for its SUSAR assessment may see the arm');
  }
  const arm = await armOfParticipant(ctx, row.participant_id);
  const participant = await ctx.database.db
    .selectFrom('participants')
    .select('study_id')
    .where('id', '=', row.participant_id)
    .executeTakeFirstOrThrow();
  await runCommand(
    ctx,
    actor,
    ({ audit }) =>
      audit({
        action: 'sae_case.arm_viewed',
        entityType: 'sae_case',
        entityId: caseId,
        after: { participant: participant.study_id },
      }),
    { allowWhenLocked: true },
  );
  return {
    caseId,
    caseNumber: row.case_number,
    studyId: participant.study_id,
    arm,
    unblindedAt: row.unblinded_at,
    unblindedBy: row.unblinded_by,
  };
}

/**
 * The physician's SUSAR decision. "Not a SUSAR" may be decided at any time with a rationale;
 * "SUSAR" needs a possible SUSAR (unexpected and related), this physician's unblinding of the case
 * and a known arm, and starts the 7- or 15-day clock on the sponsor's awareness (day 0).
 */
export async function classifySusar(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  input: unknown,
): Promise<SaeCaseView> {
  const body = parseInput(SusarClassificationSchema, input, 'The SUSAR classification is not valid');
  await assertSafetyPhysician(ctx.database.db, actor);
  const now = ctx.now();
  const given = body.susarAwarenessAt ? parseInstant(body.susarAwarenessAt)! : null;
  if (given && given.getTime() > now.getTime()) {
    throw invalid('The sponsor awareness cannot be in the future', [
      { path: 'susarAwarenessAt', message: 'is in the future' },
    ]);
  }
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const row = await tx
      .updateTable('sae_cases')
      .set({ updated_at: at })
      .where('id', '=', caseId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('SAE case');
    if (row.status !== 'open') throw conflict(`Case ${row.case_number} is ${row.status}`);
    let susarAwareness: string | null = null;
    if (body.susar) {
      const problems = [];
      if (!(await susarCandidate(tx, row.ae_id))) {
        problems.push({
          path: 'susar',
          message: 'the sponsor assessment must find the event unexpected, and it must be related (by either assessor)',
        });
      }
      if (row.unblinded_by !== byLabel(actor)) {
        problems.push({
          path: 'unblinding',
          message: 'unblind the case for the SUSAR assessment first (POST …/unblind)',
        });
      } else if ((await armOfParticipant(ctx, row.participant_id, tx)) === null) {
        problems.push({ path: 'unblinding', message: "the participant's allocation is not available" });
      }
      susarAwareness = given?.toISOString() ?? row.sponsor_awareness_at;
      if (!susarAwareness) {
        problems.push({
          path: 'susarAwarenessAt',
          message: "give the sponsor's awareness, or record the sponsor's acknowledgement first",
        });
      } else if (susarAwareness < row.investigator_awareness_at) {
        problems.push({ path: 'susarAwarenessAt', message: 'is before the site became aware of the event' });
      }
      if (problems.length > 0) throw conflict('The case cannot be classified as a SUSAR yet', problems);
    }
    const clock = { ...row, susar: body.susar ? 1 : 0, susar_awareness_at: susarAwareness };
    await tx
      .updateTable('sae_cases')
      .set({
        susar: clock.susar,
        susar_awareness_at: susarAwareness,
        susar_rationale: body.rationale,
        susar_classified_by: byLabel(actor),
        susar_classified_at: at,
        ...dueColumns(clock),
      })
      .where('id', '=', caseId)
      .execute();
    await audit({
      action: 'sae_case.susar_classified',
      entityType: 'sae_case',
      entityId: caseId,
      before: { susar: row.susar === null ? null : row.susar === 1 },
      after: { susar: body.susar, susarAwarenessAt: susarAwareness },
      reason: body.rationale,
    });
  });
  return getSaeCase(ctx, actor, caseId);
}

/** Closes a case once every deadline that applies is met and the SUSAR question is decided (physician). */
export async function closeSaeCase(
  ctx: ServiceContext,
  actor: Actor,
  caseId: string,
  props: { reason: string },
): Promise<SaeCaseView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await assertSafetyPhysician(ctx.database.db, actor);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const row = await tx
      .updateTable('sae_cases')
      .set({ updated_at: at })
      .where('id', '=', caseId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('SAE case');
    if (row.status !== 'open') throw conflict(`Case ${row.case_number} is ${row.status}`);
    const submissions = await tx
      .selectFrom('sae_submissions')
      .select(['kind', 'occurred_at'])
      .where('case_id', '=', caseId)
      .execute();
    const open = deadlinesOf(row, submissions, new Date(at)).filter(
      (d) => d.status !== 'met' && d.status !== 'met_late',
    );
    const problems = open.map((d) => ({
      path: `deadlines.${d.kind}`,
      message: `${CASE_DEADLINE_LABELS[d.kind]} has not been submitted`,
    }));
    if (row.susar === null) problems.push({ path: 'susar', message: 'the SUSAR classification has not been made' });
    if (problems.length > 0) throw conflict('The case cannot be closed yet', problems);
    await tx.updateTable('sae_cases').set({ status: 'closed', closed_at: at }).where('id', '=', caseId).execute();
    await audit({
      action: 'sae_case.closed',
      entityType: 'sae_case',
      entityId: caseId,
      before: { status: 'open' },
      after: { status: 'closed' },
      reason: props.reason.trim(),
    });
  });
  return getSaeCase(ctx, actor, caseId);
}

/** One line of the dashboard: an open deadline of a case. */
export interface DashboardDeadline extends CaseDeadlineView {
  caseId: string;
  caseNumber: string;
  studyId: string;
  aeNumber: string;
  verbatimTerm: string;
}

/** The safety dashboard: what is due and overdue, and what waits for review. */
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
  /** Open deadlines, most urgent first. */
  deadlines: DashboardDeadline[];
  /** Deadlines met late, for the record. */
  metLate: DashboardDeadline[];
}

/** What is due and overdue for the actor's sites (SUSAR clocks only for those who may see them). */
export async function getSafetyDashboard(ctx: ServiceContext, actor: Actor): Promise<SafetyDashboard> {
  const db = ctx.database.db;
  const now = ctx.now();
  const cases = await listSaeCases(ctx, actor, { status: 'open' });
  const deadlines: DashboardDeadline[] = [];
  const metLate: DashboardDeadline[] = [];
  for (const c of cases) {
    for (const d of c.deadlines) {
      const line = {
        ...d,
        caseId: c.id,
        caseNumber: c.caseNumber,
        studyId: c.studyId,
        aeNumber: c.aeNumber,
        verbatimTerm: c.verbatimTerm,
      };
      if (d.status === 'met_late') metLate.push(line);
      else if (d.status !== 'met') deadlines.push(line);
    }
  }
  deadlines.sort((a, b) => a.due.localeCompare(b.due));
  const sites = actorSites(actor, 'safety.read');
  let tasks = db
    .selectFrom('ae_review_tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'open');
  let queries = db
    .selectFrom('safety_queries')
    .innerJoin('adverse_events', 'adverse_events.id', 'safety_queries.ae_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('safety_queries.status', '=', 'open');
  let pending = db.selectFrom('adverse_events').select(['record_json']).where('status', '=', 'active');
  if (sites !== 'all') {
    const list = sites.length === 0 ? ['-'] : sites;
    tasks = tasks.where('site_id', 'in', list);
    queries = queries.where('adverse_events.site_id', 'in', list);
    pending = pending.where('site_id', 'in', list);
  }
  const pendingRows = await pending.execute();
  return {
    now: now.toISOString(),
    nowLocal: formatCopenhagenInstant(now),
    counts: {
      openCases: cases.length,
      overdue: deadlines.filter((d) => d.status === 'overdue').length,
      dueSoon: deadlines.filter((d) => d.status === 'due_soon').length,
      openReviewTasks: Number((await tasks.executeTakeFirstOrThrow()).n),
      openQueries: Number((await queries.executeTakeFirstOrThrow()).n),
      aesPendingInvestigatorCausality: pendingRows.filter(
        (r) => (JSON.parse(r.record_json) as AeRecord).investigatorCausality === null,
      ).length,
    },
    deadlines,
    metLate,
  };
}
