/**
 * The screening log and everything up to enrolment: screening entries with their eligibility
 * re-assessed on every change, investigator sign-off by e-signature (voided by any later change),
 * outcomes for the CONSORT diagram, identity in the encrypted vault, informed consent and
 * re-consent, enrolment under a study id (SJ-001 …) and withdrawal with its scope.
 */
import { randomUUID } from 'node:crypto';
import { assessEligibility, type EligibilityResult } from '../core/eligibility/assess-eligibility.js';
import { parseScreeningRecord } from '../core/eligibility/parse-screening-record.js';
import type { ScreeningRecord } from '../core/eligibility/screening-items.js';
import { parseCpr } from '../core/identity/parse-cpr.js';
import { conflict, invalid, notFound, TrialError, type FieldIssue } from '../core/errors.js';
import type { Executor, Tx } from '../storage/database.js';
import type { ScreeningStatus } from '../storage/schema.js';
import { actorSites, assertSiteAccess } from './access.js';
import { confirmSignerPassword, recordSignature } from './auth.js';
import { runCommand } from './command.js';
import { requireVault, type Actor, type ServiceContext } from './context.js';
import { DEFAULT_SITE } from './study.js';

export const MANUAL_OUTCOMES = ['declined', 'not_reached', 'other'] as const;
export type ManualOutcome = (typeof MANUAL_OUTCOMES)[number];
const CLOSED: readonly ScreeningStatus[] = ['declined', 'not_reached', 'other', 'enrolled'];

export const WITHDRAWAL_SCOPES = ['no_further_visits', 'no_further_data', 'no_further_contact'] as const;
export type WithdrawalScope = (typeof WITHDRAWAL_SCOPES)[number];

export interface ScreeningView {
  id: string;
  screeningNumber: string;
  siteId: string;
  status: ScreeningStatus;
  outcomeReason: string | null;
  values: ScreeningRecord;
  assessment: EligibilityResult;
  hasIdentity: boolean;
  signedOff: { by: string; at: string; signatureId: string } | null;
  consent: ConsentView | null;
  participantId: string | null;
  protocolVersion: string;
  createdAt: string;
  updatedAt: string;
}

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

const statusFor = (eligible: boolean | null): ScreeningStatus =>
  eligible === true ? 'eligible' : eligible === false ? 'ineligible' : 'in_progress';

async function nextNumber(tx: Tx, counter: 'screening' | 'participant'): Promise<number> {
  const row = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', counter)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

async function protocolVersion(db: Executor): Promise<string> {
  const s = await db.selectFrom('study').select('protocol_version').executeTakeFirst();
  if (!s) throw new TrialError('not_found', 'The study has not been initialised');
  return s.protocol_version;
}

/** Validates raw screening values; throws a 400 naming every bad item. The CPR never goes here. */
function parseValues(values: unknown): ScreeningRecord {
  if (typeof values === 'object' && values !== null && 'cpr' in values) {
    throw invalid('The CPR number belongs in the identity record, not in the screening data', [
      { path: 'values.cpr', message: 'use PUT …/identity' },
    ]);
  }
  const parsed = parseScreeningRecord(values);
  if (!parsed.ok) {
    throw invalid(
      'Some screening values are not valid',
      parsed.errors.map((e) => ({ ...e, path: `values.${e.path}` })),
    );
  }
  return parsed.record;
}

async function currentConsent(db: Executor, screeningId: string): Promise<ConsentView | null> {
  const row = await db
    .selectFrom('consents')
    .selectAll()
    .where('screening_id', '=', screeningId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    documentVersion: row.document_version,
    consentedAt: row.consented_at,
    takenBy: row.taken_by,
    signatureMode: row.signature_mode,
    status: row.status,
    withdrawnAt: row.withdrawn_at,
    withdrawalScope: row.withdrawal_scope,
  };
}

async function loadScreening(db: Executor, id: string): Promise<ScreeningView> {
  const row = await db.selectFrom('screenings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Screening');
  return {
    id: row.id,
    screeningNumber: row.screening_number,
    siteId: row.site_id,
    status: row.status,
    outcomeReason: row.outcome_reason,
    values: JSON.parse(row.data_json) as ScreeningRecord,
    assessment: JSON.parse(row.assessment_json) as EligibilityResult,
    hasIdentity: row.identity_id !== null,
    signedOff:
      row.signed_off_by && row.signed_off_at && row.signature_id
        ? { by: row.signed_off_by, at: row.signed_off_at, signatureId: row.signature_id }
        : null,
    consent: await currentConsent(db, row.id),
    participantId: row.participant_id,
    protocolVersion: row.protocol_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getScreening(ctx: ServiceContext, actor: Actor, id: string): Promise<ScreeningView> {
  const s = await loadScreening(ctx.database.db, id);
  assertSiteAccess(actor, 'screening.read', s.siteId);
  return s;
}

export async function createScreening(
  ctx: ServiceContext,
  actor: Actor,
  props: { siteId?: string; values?: unknown },
): Promise<ScreeningView> {
  const values = parseValues(props.values ?? {});
  const siteId = props.siteId ?? DEFAULT_SITE.id;
  const site = await ctx.database.db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
  if (!site) throw invalid('Unknown site', [{ path: 'siteId', message: `no site "${siteId}"` }]);
  assertSiteAccess(actor, 'screening.write', siteId);
  const assessment = assessEligibility(values);
  const id = randomUUID();
  const version = await protocolVersion(ctx.database.db);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const n = await nextNumber(tx, 'screening');
    const screeningNumber = `S-${String(n).padStart(4, '0')}`;
    await tx
      .insertInto('screenings')
      .values({
        id,
        screening_number: screeningNumber,
        site_id: siteId,
        status: statusFor(assessment.eligible),
        outcome_reason: null,
        data_json: JSON.stringify(values),
        eligible: assessment.eligible === null ? null : assessment.eligible ? 1 : 0,
        assessment_json: JSON.stringify(assessment),
        identity_id: null,
        signed_off_by: null,
        signed_off_at: null,
        signature_id: null,
        participant_id: null,
        protocol_version: version,
        created_by: actor.kind === 'user' ? actor.userId : 'system',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await audit({
      action: 'screening.created',
      entityType: 'screening',
      entityId: id,
      after: { screeningNumber, siteId, values, eligible: assessment.eligible },
    });
  });
  return loadScreening(ctx.database.db, id);
}

export async function listScreenings(
  ctx: ServiceContext,
  actor: Actor,
  filter: { status?: ScreeningStatus } = {},
): Promise<ScreeningView[]> {
  const sites = actorSites(actor, 'screening.read');
  let q = ctx.database.db.selectFrom('screenings').select('id').orderBy('screening_number');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.execute();
  return Promise.all(rows.map((r) => loadScreening(ctx.database.db, r.id)));
}

/**
 * Merges new values into a screening (null clears an item) and re-assesses eligibility. After an
 * investigator's sign-off, a change needs a reason and voids the sign-off.
 */
export async function updateScreeningValues(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { values: unknown; reason?: string },
): Promise<ScreeningView> {
  const changes = parseValues(props.values);
  if (Object.keys(changes).length === 0) {
    throw invalid('No values to change', [{ path: 'values', message: 'must name at least one item' }]);
  }
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const current = await loadScreening(tx, id);
    assertSiteAccess(actor, 'screening.write', current.siteId);
    if (CLOSED.includes(current.status)) {
      throw conflict(
        `Screening ${current.screeningNumber} is closed (${current.status}); its data can no longer change`,
      );
    }
    if (current.signedOff && !props.reason?.trim()) {
      throw invalid('This screening is signed off: a change needs a reason (and voids the sign-off)', [
        { path: 'reason', message: 'is required after sign-off' },
      ]);
    }
    const values: ScreeningRecord = { ...current.values, ...changes };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(changes)) {
      const old = (current.values as Record<string, unknown>)[k] ?? null;
      if (JSON.stringify(old) !== JSON.stringify(v)) {
        before[k] = old;
        after[k] = v;
      }
    }
    if (Object.keys(after).length === 0) return;
    const assessment = assessEligibility(values);
    await tx
      .updateTable('screenings')
      .set({
        data_json: JSON.stringify(values),
        assessment_json: JSON.stringify(assessment),
        eligible: assessment.eligible === null ? null : assessment.eligible ? 1 : 0,
        status: statusFor(assessment.eligible),
        signed_off_by: null,
        signed_off_at: null,
        signature_id: null,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
    await audit({
      action: 'screening.values_changed',
      entityType: 'screening',
      entityId: id,
      before,
      after: { ...after, eligible: assessment.eligible },
      reason: props.reason?.trim() || null,
    });
    if (current.signedOff) {
      await audit({
        action: 'screening.sign_off_voided',
        entityType: 'screening',
        entityId: id,
        before: current.signedOff,
        reason: props.reason?.trim() ?? null,
      });
    }
  });
  return loadScreening(ctx.database.db, id);
}

export async function signOffEligibility(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { password: string },
): Promise<ScreeningView> {
  const s = await loadScreening(ctx.database.db, id);
  assertSiteAccess(actor, 'screening.sign_off', s.siteId);
  await confirmSignerPassword(ctx, actor, props.password, 'signature.password');
  await runCommand(ctx, actor, async (scope) => {
    const current = await loadScreening(scope.tx, id);
    if (current.status !== 'eligible') {
      throw conflict(`Only an eligible screening can be signed off; ${current.screeningNumber} is ${current.status}`);
    }
    if (current.signedOff) throw conflict('This screening is already signed off');
    if (current.consent?.status !== 'active') {
      throw conflict('Informed consent must be recorded before the eligibility sign-off');
    }
    const sig = await recordSignature(scope, {
      meaning: 'approval',
      statement: `I confirm that participant ${current.screeningNumber} meets all inclusion criteria and none of the exclusion criteria of protocol version ${current.protocolVersion}.`,
      entityType: 'screening',
      entityId: id,
    });
    await scope.tx
      .updateTable('screenings')
      .set({
        signed_off_by: actor.kind === 'user' ? actor.userId : null,
        signed_off_at: scope.at,
        signature_id: sig.id,
        updated_at: scope.at,
      })
      .where('id', '=', id)
      .execute();
    await scope.audit({
      action: 'screening.signed_off',
      entityType: 'screening',
      entityId: id,
      after: { signatureId: sig.id, eligible: true },
    });
  });
  return loadScreening(ctx.database.db, id);
}

/** Closes a screening as declined, not reached or other (with a reason) — for the CONSORT diagram. */
export async function recordScreeningOutcome(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { outcome: ManualOutcome; reason: string },
): Promise<ScreeningView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const current = await loadScreening(tx, id);
    assertSiteAccess(actor, 'screening.write', current.siteId);
    if (CLOSED.includes(current.status)) {
      throw conflict(`Screening ${current.screeningNumber} is already closed (${current.status})`);
    }
    await tx
      .updateTable('screenings')
      .set({ status: props.outcome, outcome_reason: props.reason.trim(), updated_at: at })
      .where('id', '=', id)
      .execute();
    await audit({
      action: 'screening.outcome_recorded',
      entityType: 'screening',
      entityId: id,
      before: { status: current.status },
      after: { status: props.outcome },
      reason: props.reason.trim(),
    });
  });
  return loadScreening(ctx.database.db, id);
}

export interface IdentityInput {
  cpr: string;
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
  address?: string;
}

export interface IdentityView extends IdentityInput {
  dateOfBirth: string;
  sex: 'female' | 'male';
}

/**
 * Stores (or replaces) the person's identity in the vault. The CPR number is validated (a failing
 * modulus-11 check only warns), its keyed hash refuses a person already enrolled, and a missing
 * date of birth or sex in the screening data is filled from it.
 */
export async function setIdentity(
  ctx: ServiceContext,
  actor: Actor,
  screeningId: string,
  input: IdentityInput,
): Promise<{ warnings: FieldIssue[]; dateOfBirth: string; sex: 'female' | 'male'; screenedBefore: string[] }> {
  const vault = requireVault(ctx);
  const cpr = parseCpr(input.cpr);
  const issues: FieldIssue[] = [];
  if (!cpr.ok) issues.push(...cpr.errors.map((e) => ({ path: 'cpr', message: e.message, code: e.code })));
  if (!input.firstName.trim()) issues.push({ path: 'firstName', message: 'must not be empty' });
  if (!input.lastName.trim()) issues.push({ path: 'lastName', message: 'must not be empty' });
  if (issues.length > 0 || !cpr.ok) throw invalid('The identity could not be stored', issues);
  const index = vault.cprIndex(cpr.normalized);
  const payload: IdentityView = {
    ...input,
    cpr: cpr.normalized,
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    dateOfBirth: cpr.dateOfBirth,
    sex: cpr.sex,
  };
  const sealed = vault.encrypt(payload);
  let screenedBefore: string[] = [];
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const s = await loadScreening(tx, screeningId);
    assertSiteAccess(actor, 'identity.write', s.siteId);
    if (CLOSED.includes(s.status)) throw conflict(`Screening ${s.screeningNumber} is closed (${s.status})`);
    const same = await tx
      .selectFrom('identities')
      .innerJoin('screenings', 'screenings.identity_id', 'identities.id')
      .select(['screenings.id as screening_id', 'screenings.screening_number', 'screenings.status'])
      .where('identities.cpr_index', '=', index)
      .where('screenings.id', '!=', screeningId)
      .execute();
    const enrolled = same.find((r) => r.status === 'enrolled');
    if (enrolled) {
      throw conflict('This person is already enrolled in the study', [
        { path: 'cpr', message: `already enrolled (screening ${enrolled.screening_number})` },
      ]);
    }
    screenedBefore = same.map((r) => r.screening_number);
    const dob = s.values.date_of_birth;
    if (dob && dob !== cpr.dateOfBirth) {
      throw invalid('The CPR number does not match the recorded date of birth', [
        { path: 'cpr', message: `encodes ${cpr.dateOfBirth}, but date_of_birth is ${dob}` },
      ]);
    }
    let identityId = (
      await tx.selectFrom('screenings').select('identity_id').where('id', '=', screeningId).executeTakeFirstOrThrow()
    ).identity_id;
    if (identityId) {
      await tx
        .updateTable('identities')
        .set({ cpr_index: index, key_id: sealed.keyId, ciphertext: sealed.ciphertext, updated_at: at })
        .where('id', '=', identityId)
        .execute();
    } else {
      identityId = randomUUID();
      await tx
        .insertInto('identities')
        .values({
          id: identityId,
          cpr_index: index,
          key_id: sealed.keyId,
          ciphertext: sealed.ciphertext,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await tx
        .updateTable('screenings')
        .set({ identity_id: identityId, updated_at: at })
        .where('id', '=', screeningId)
        .execute();
    }
    // Never the CPR or the name in the audit trail: only that the identity was recorded.
    await audit({
      action: 'identity.recorded',
      entityType: 'screening',
      entityId: screeningId,
      after: {
        identityId,
        keyId: sealed.keyId,
        fields: Object.keys(input).filter((k) => (input as unknown as Record<string, unknown>)[k]),
      },
    });
    const fill: ScreeningRecord = {};
    if (!s.values.date_of_birth) fill.date_of_birth = cpr.dateOfBirth;
    if (!s.values.sex) fill.sex = cpr.sex;
    if (Object.keys(fill).length > 0) {
      const values = { ...s.values, ...fill };
      const assessment = assessEligibility(values);
      await tx
        .updateTable('screenings')
        .set({
          data_json: JSON.stringify(values),
          assessment_json: JSON.stringify(assessment),
          eligible: assessment.eligible === null ? null : assessment.eligible ? 1 : 0,
          status: statusFor(assessment.eligible),
          updated_at: at,
        })
        .where('id', '=', screeningId)
        .execute();
      await audit({
        action: 'screening.values_changed',
        entityType: 'screening',
        entityId: screeningId,
        before: {},
        after: { ...fill, derivedFrom: 'cpr', eligible: assessment.eligible },
      });
    }
  });
  return {
    warnings: cpr.warnings.map((w) => ({ path: 'cpr', message: w.message, code: w.code })),
    dateOfBirth: cpr.dateOfBirth,
    sex: cpr.sex,
    screenedBefore,
  };
}

/** Decrypts the identity for site staff; every view is recorded in the audit trail. */
export async function viewIdentity(ctx: ServiceContext, actor: Actor, screeningId: string): Promise<IdentityView> {
  const vault = requireVault(ctx);
  const s = await loadScreening(ctx.database.db, screeningId);
  assertSiteAccess(actor, 'identity.read', s.siteId);
  const row = await ctx.database.db
    .selectFrom('screenings')
    .innerJoin('identities', 'identities.id', 'screenings.identity_id')
    .select(['identities.key_id', 'identities.ciphertext', 'identities.id'])
    .where('screenings.id', '=', screeningId)
    .executeTakeFirst();
  if (!row) throw notFound('Identity record');
  const identity = vault.decrypt(row.key_id, row.ciphertext) as IdentityView;
  await runCommand(
    ctx,
    actor,
    ({ audit }) =>
      audit({
        action: 'identity.viewed',
        entityType: 'screening',
        entityId: screeningId,
        after: { identityId: row.id },
      }),
    { allowWhenLocked: true },
  );
  return identity;
}

export async function listConsentVersions(
  db: Executor,
): Promise<{ version: string; title: string; issuedAt: string }[]> {
  const rows = await db.selectFrom('consent_versions').selectAll().orderBy('issued_at').orderBy('version').execute();
  return rows.map((r) => ({ version: r.version, title: r.title, issuedAt: r.issued_at }));
}

/** The newest consent document version, which every participant must have signed. */
export async function latestConsentVersion(db: Executor): Promise<string | null> {
  const versions = await listConsentVersions(db);
  return versions.at(-1)?.version ?? null;
}

export async function issueConsentVersion(
  ctx: ServiceContext,
  actor: Actor,
  props: { version: string; title: string; issuedAt: string },
): Promise<{ version: string; title: string; issuedAt: string }[]> {
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const exists = await tx
      .selectFrom('consent_versions')
      .select('version')
      .where('version', '=', props.version)
      .executeTakeFirst();
    if (exists) throw conflict('This consent version already exists', [{ path: 'version', message: 'already exists' }]);
    await tx
      .insertInto('consent_versions')
      .values({ version: props.version, title: props.title, issued_at: props.issuedAt, created_at: at })
      .execute();
    await audit({
      action: 'consent_version.issued',
      entityType: 'consent_version',
      entityId: props.version,
      after: props,
    });
  });
  return listConsentVersions(ctx.database.db);
}

/**
 * Records informed consent (or re-consent to a newer document version, which supersedes the
 * previous consent). `consentedAt` is when the participant signed; the person taking it is the actor.
 */
export async function recordConsent(
  ctx: ServiceContext,
  actor: Actor,
  screeningId: string,
  props: { documentVersion: string; consentedAt: string; signatureMode: 'electronic' | 'paper' },
): Promise<ScreeningView> {
  if (actor.kind !== 'user') throw invalid('Consent must be taken by a person');
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const s = await loadScreening(tx, screeningId);
    assertSiteAccess(actor, 'consent.write', s.siteId);
    if (['declined', 'not_reached', 'other'].includes(s.status)) {
      throw conflict(`Screening ${s.screeningNumber} is closed (${s.status})`);
    }
    const version = await tx
      .selectFrom('consent_versions')
      .selectAll()
      .where('version', '=', props.documentVersion)
      .executeTakeFirst();
    if (!version) {
      throw invalid('Unknown consent document version', [
        { path: 'documentVersion', message: `no version "${props.documentVersion}"` },
      ]);
    }
    if (props.consentedAt > at) {
      throw invalid('Consent cannot be dated in the future', [{ path: 'consentedAt', message: 'is in the future' }]);
    }
    if (props.consentedAt.slice(0, 10) < version.issued_at.slice(0, 10)) {
      throw invalid('Consent is dated before this document version was issued', [
        { path: 'consentedAt', message: `is before ${version.issued_at.slice(0, 10)}` },
      ]);
    }
    if (s.consent?.status === 'withdrawn') {
      throw conflict('Consent has been withdrawn; a withdrawn participant cannot be re-consented here');
    }
    if (s.consent?.status === 'active' && s.consent.documentVersion === props.documentVersion) {
      throw conflict(`Consent to version ${props.documentVersion} is already recorded`);
    }
    const pv = await protocolVersion(tx);
    await tx
      .updateTable('consents')
      .set({ status: 'superseded' })
      .where('screening_id', '=', screeningId)
      .where('status', '=', 'active')
      .execute();
    const id = randomUUID();
    await tx
      .insertInto('consents')
      .values({
        id,
        screening_id: screeningId,
        document_version: props.documentVersion,
        consented_at: props.consentedAt,
        taken_by: actor.userId,
        signature_mode: props.signatureMode,
        status: 'active',
        withdrawn_at: null,
        withdrawal_scope: null,
        protocol_version: pv,
        created_at: at,
      })
      .execute();
    await audit({
      action: s.consent ? 'consent.reconsented' : 'consent.recorded',
      entityType: 'screening',
      entityId: screeningId,
      before: s.consent ? { documentVersion: s.consent.documentVersion } : undefined,
      after: {
        consentId: id,
        documentVersion: props.documentVersion,
        consentedAt: props.consentedAt,
        signatureMode: props.signatureMode,
        takenBy: actor.email,
      },
    });
  });
  return loadScreening(ctx.database.db, screeningId);
}

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

async function loadParticipant(db: Executor, id: string): Promise<ParticipantView> {
  const row = await db
    .selectFrom('participants')
    .innerJoin('screenings', 'screenings.id', 'participants.screening_id')
    .selectAll('participants')
    .select('screenings.screening_number')
    .where('participants.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Participant');
  const consent = await currentConsent(db, row.screening_id);
  const latest = await latestConsentVersion(db);
  return {
    id: row.id,
    studyId: row.study_id,
    siteId: row.site_id,
    screeningId: row.screening_id,
    screeningNumber: row.screening_number,
    status: row.status,
    sex: row.sex,
    yearOfBirth: row.year_of_birth,
    klGrade: row.kl_grade,
    enrolledAt: row.enrolled_at,
    withdrawnAt: row.withdrawn_at,
    withdrawalScope: row.withdrawal_scope,
    consentVersion: consent?.documentVersion ?? null,
    reconsentRequired:
      row.status !== 'withdrawn' &&
      consent?.status === 'active' &&
      latest !== null &&
      consent.documentVersion !== latest,
    protocolVersion: row.protocol_version,
  };
}

export async function getParticipant(ctx: ServiceContext, actor: Actor, id: string): Promise<ParticipantView> {
  const p = await loadParticipant(ctx.database.db, id);
  assertSiteAccess(actor, 'participant.read', p.siteId);
  return p;
}

export async function findParticipantByStudyId(
  ctx: ServiceContext,
  actor: Actor,
  studyId: string,
): Promise<ParticipantView> {
  const row = await ctx.database.db
    .selectFrom('participants')
    .select('id')
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!row) throw notFound(`Participant ${studyId}`);
  return getParticipant(ctx, actor, row.id);
}

export async function listParticipants(ctx: ServiceContext, actor: Actor): Promise<ParticipantView[]> {
  const sites = actorSites(actor, 'participant.read');
  let q = ctx.database.db.selectFrom('participants').select('id').orderBy('study_id');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const rows = await q.execute();
  return Promise.all(rows.map((r) => loadParticipant(ctx.database.db, r.id)));
}

/** Enrols a signed-off, consented screening under the next study id (SJ-001, SJ-002, …). */
export async function enrolParticipant(
  ctx: ServiceContext,
  actor: Actor,
  screeningId: string,
): Promise<ParticipantView> {
  const id = randomUUID();
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const s = await loadScreening(tx, screeningId);
    assertSiteAccess(actor, 'participant.enrol', s.siteId);
    if (s.status === 'enrolled') throw conflict(`Screening ${s.screeningNumber} is already enrolled`);
    const problems: FieldIssue[] = [];
    if (s.status !== 'eligible') {
      problems.push({ path: 'eligibility', message: `the screening is ${s.status}, not eligible` });
    }
    if (!s.signedOff) {
      problems.push({ path: 'signOff', message: 'eligibility has not been signed off by an investigator' });
    }
    if (s.consent?.status !== 'active') problems.push({ path: 'consent', message: 'no valid informed consent' });
    if (!s.hasIdentity) problems.push({ path: 'identity', message: 'the identity (CPR, name) has not been recorded' });
    if (problems.length > 0) throw conflict('The participant cannot be enrolled yet', problems);
    const identity = await tx
      .selectFrom('screenings')
      .innerJoin('identities', 'identities.id', 'screenings.identity_id')
      .select(['identities.id', 'identities.cpr_index'])
      .where('screenings.id', '=', screeningId)
      .executeTakeFirstOrThrow();
    const twin = await tx
      .selectFrom('participants')
      .innerJoin('identities', 'identities.id', 'participants.identity_id')
      .select('participants.study_id')
      .where('identities.cpr_index', '=', identity.cpr_index)
      .executeTakeFirst();
    if (twin) {
      throw conflict('This person is already enrolled in the study', [
        { path: 'identity', message: `already enrolled as ${twin.study_id}` },
      ]);
    }
    const n = await nextNumber(tx, 'participant');
    const studyId = `SJ-${String(n).padStart(3, '0')}`;
    const pv = await protocolVersion(tx);
    await tx
      .insertInto('participants')
      .values({
        id,
        study_id: studyId,
        site_id: s.siteId,
        screening_id: screeningId,
        identity_id: identity.id,
        sex: s.values.sex ?? null,
        year_of_birth: s.values.date_of_birth ? Number(s.values.date_of_birth.slice(0, 4)) : null,
        kl_grade: s.values.kl_grade ?? null,
        status: 'enrolled',
        withdrawn_at: null,
        withdrawal_scope: null,
        withdrawal_reason: null,
        protocol_version: pv,
        enrolled_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await tx
      .updateTable('screenings')
      .set({ status: 'enrolled', participant_id: id, updated_at: at })
      .where('id', '=', screeningId)
      .execute();
    await audit({
      action: 'participant.enrolled',
      entityType: 'participant',
      entityId: id,
      after: { studyId, screeningNumber: s.screeningNumber, siteId: s.siteId },
    });
  });
  return loadParticipant(ctx.database.db, id);
}

/**
 * Withdrawal of consent with its scope. Collected data is never erased; the scope tells every part
 * of the product what must stop (visits, further data, contact).
 */
export async function withdrawParticipant(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { scope: WithdrawalScope; reason: string; withdrawnOn: string },
): Promise<ParticipantView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await loadParticipant(tx, participantId);
    assertSiteAccess(actor, 'participant.withdraw', p.siteId);
    if (p.status === 'withdrawn') throw conflict(`${p.studyId} has already withdrawn`);
    if (props.withdrawnOn > at.slice(0, 10)) {
      throw invalid('The withdrawal date is in the future', [{ path: 'withdrawnOn', message: 'is in the future' }]);
    }
    await tx
      .updateTable('participants')
      .set({
        status: 'withdrawn',
        withdrawn_at: props.withdrawnOn,
        withdrawal_scope: props.scope,
        withdrawal_reason: props.reason.trim(),
        updated_at: at,
      })
      .where('id', '=', participantId)
      .execute();
    await tx
      .updateTable('consents')
      .set({ status: 'withdrawn', withdrawn_at: props.withdrawnOn, withdrawal_scope: props.scope })
      .where('screening_id', '=', p.screeningId)
      .where('status', '=', 'active')
      .execute();
    await audit({
      action: 'participant.withdrawn',
      entityType: 'participant',
      entityId: participantId,
      before: { status: p.status },
      after: { status: 'withdrawn', scope: props.scope, withdrawnOn: props.withdrawnOn },
      reason: props.reason.trim(),
    });
  });
  return loadParticipant(ctx.database.db, participantId);
}

export interface ScreeningLogSummary {
  screened: number;
  byStatus: Record<ScreeningStatus, number>;
  /** Screenings that failed each criterion (one screening may count under several). */
  byCriterion: Record<string, number>;
  otherReasons: { status: ScreeningStatus; reason: string; count: number }[];
}

/** Counts for the screening log page and the CONSORT diagram. */
export async function summarizeScreeningLog(db: Executor): Promise<ScreeningLogSummary> {
  const rows = await db.selectFrom('screenings').select(['status', 'assessment_json', 'outcome_reason']).execute();
  const byStatus = {
    in_progress: 0,
    eligible: 0,
    ineligible: 0,
    declined: 0,
    not_reached: 0,
    other: 0,
    enrolled: 0,
  } satisfies Record<ScreeningStatus, number>;
  const byCriterion: Record<string, number> = {};
  const reasons = new Map<string, { status: ScreeningStatus; reason: string; count: number }>();
  for (const r of rows) {
    byStatus[r.status] += 1;
    if (r.status === 'ineligible') {
      const a = JSON.parse(r.assessment_json) as EligibilityResult;
      for (const c of [...a.unmet, ...a.excluded]) byCriterion[c] = (byCriterion[c] ?? 0) + 1;
    }
    if (r.outcome_reason && ['declined', 'not_reached', 'other'].includes(r.status)) {
      const key = `${r.status}|${r.outcome_reason}`;
      const e = reasons.get(key) ?? { status: r.status, reason: r.outcome_reason, count: 0 };
      e.count += 1;
      reasons.set(key, e);
    }
  }
  return { screened: rows.length, byStatus, byCriterion, otherReasons: [...reasons.values()] };
}
