/**
 * The cell-product chain (spec §6, ATMP traceability, Reg. 1394/2007 Art. 15): donor → lot →
 * vial → thaw and dose preparation → administration, with trace queries both ways. Saline doses go
 * through the same preparation step (a saline batch number instead of a vial) and the same
 * administration step, so blinded staff see one workflow for both arms.
 *
 * Blinding: everything here except the administration record is unblinded data (cell laboratory
 * and DSMB). Links from product records to participants live under fields named `allocation`
 * (and arms under `arm`), which the blinding presenter strips for blinded callers. The audit
 * records of preparations keep their details under `allocation` for the same reason, and each
 * preparation writes the same audit records whatever the arm, so the trail's shape does not leak.
 * Records are never deleted (kept ≥ 30 years, data dictionary §7).
 */
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound, type FieldIssue } from '../core/errors.js';
import type { Arm } from '../core/randomization/index.js';
import { isIsoDate } from '../core/schedule/plain-date.js';
import type { Executor } from '../storage/database.js';
import type { LotStatus, PreparationStatus, VialStatus } from '../storage/schema-randomization.js';
import { actorSites, assertSiteAccess } from './access.js';
import { confirmSignerPassword, recordSignature } from './auth.js';
import { runCommand } from './command.js';
import type { Actor, ServiceContext } from './context.js';
import {
  evaluateDose,
  evaluateLotRelease,
  RELEASE_SPECIFICATION,
  SCREENING_TESTS,
  type LotReleaseResults,
  type ScreeningTest,
  type SpecFailure,
  type TestResult,
} from './product-chain-spec.js';
import {
  armForKit,
  copenhagenDate,
  loadAdministrationView,
  loadRandomizationViewForParticipant,
  userNames,
  type AdministrationView,
  type RandomizationView,
} from './randomization.js';
import { queueUnblindedNotifications } from './unblinding.js';

const userId = (actor: Actor): string => (actor.kind === 'user' ? actor.userId : `system:${actor.label}`);
const HOUR = 3_600_000;

function requireIsoDate(value: string, path: string, issues: FieldIssue[]): void {
  if (!isIsoDate(value)) issues.push({ path, message: 'must be a calendar date YYYY-MM-DD' });
}

function requireInstant(value: string, path: string, issues: FieldIssue[]): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    issues.push({ path, message: 'must be an ISO date-time' });
    return value;
  }
  return new Date(t).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Donors
// ---------------------------------------------------------------------------------------------

export interface DonorView {
  id: string;
  donorCode: string;
  eligibility: 'eligible' | 'not_eligible';
  screeningTests: Record<ScreeningTest, TestResult>;
  procurementDate: string;
  notes: string | null;
  lotCount: number;
  createdAt: string;
  createdBy: string;
}

async function loadDonors(db: Executor, id?: string): Promise<DonorView[]> {
  let q = db.selectFrom('donors').selectAll().orderBy('donor_code');
  if (id) q = q.where('id', '=', id);
  const rows = await q.execute();
  const lots = await db.selectFrom('product_lots').select(['donor_id']).execute();
  const names = await userNames(
    db,
    rows.map((r) => r.created_by),
  );
  return rows.map((r) => ({
    id: r.id,
    donorCode: r.donor_code,
    eligibility: r.eligibility,
    screeningTests: JSON.parse(r.screening_tests_json) as Record<ScreeningTest, TestResult>,
    procurementDate: r.procurement_date,
    notes: r.notes,
    lotCount: lots.filter((l) => l.donor_id === r.id).length,
    createdAt: r.created_at,
    createdBy: names.get(r.created_by) ?? r.created_by,
  }));
}

export const listDonors = (ctx: ServiceContext): Promise<DonorView[]> => loadDonors(ctx.database.db);

async function getDonorView(db: Executor, id: string): Promise<DonorView> {
  const [d] = await loadDonors(db, id);
  if (!d) throw notFound('Donor');
  return d;
}

export interface CreateDonorInput {
  donorCode: string;
  eligibility: 'eligible' | 'not_eligible';
  screeningTests: Record<ScreeningTest, TestResult>;
  procurementDate: string;
  notes?: string;
}

/** Registers a donor under a pseudonymous code with the eligibility decision and infection screening. */
export async function createDonor(ctx: ServiceContext, actor: Actor, input: CreateDonorInput): Promise<DonorView> {
  const issues: FieldIssue[] = [];
  const code = input.donorCode.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,19}$/.test(code)) {
    issues.push({ path: 'donorCode', message: 'must be a pseudonymous code of 2–20 letters, digits, - or _' });
  }
  requireIsoDate(input.procurementDate, 'procurementDate', issues);
  if (input.eligibility === 'eligible') {
    for (const t of SCREENING_TESTS) {
      if (input.screeningTests[t] !== 'negative') {
        issues.push({
          path: `screeningTests.${t}`,
          message: `must be negative for an eligible donor (is ${input.screeningTests[t]})`,
        });
      }
    }
  }
  if (issues.length > 0) throw invalid('The donor could not be registered', issues);
  const id = randomUUID();
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const dup = await tx.selectFrom('donors').select('id').where('donor_code', '=', code).executeTakeFirst();
    if (dup) throw conflict('A donor with this code exists', [{ path: 'donorCode', message: 'already registered' }]);
    const tests = Object.fromEntries(SCREENING_TESTS.map((t) => [t, input.screeningTests[t]]));
    await tx
      .insertInto('donors')
      .values({
        id,
        donor_code: code,
        eligibility: input.eligibility,
        screening_tests_json: JSON.stringify(tests),
        procurement_date: input.procurementDate,
        notes: input.notes?.trim() || null,
        created_at: at,
        created_by: userId(actor),
        updated_at: at,
      })
      .execute();
    await audit({
      action: 'product.donor_registered',
      entityType: 'donor',
      entityId: id,
      after: {
        donorCode: code,
        eligibility: input.eligibility,
        screeningTests: tests,
        procurementDate: input.procurementDate,
      },
    });
  });
  return getDonorView(ctx.database.db, id);
}

// ---------------------------------------------------------------------------------------------
// Lots and release
// ---------------------------------------------------------------------------------------------

export interface LotView {
  id: string;
  lotNumber: string;
  donorId: string;
  donorCode: string;
  passage: number;
  cryopreservedOn: string;
  expiryDate: string;
  status: LotStatus;
  releaseResults: LotReleaseResults | null;
  releaseFailures: SpecFailure[];
  pendingResults: string[];
  releasedAt: string | null;
  releasedBy: string | null;
  releaseSignatureId: string | null;
  notes: string | null;
  vials: Record<VialStatus, number>;
  createdAt: string;
}

async function loadLots(db: Executor, where: { id?: string; donorId?: string } = {}): Promise<LotView[]> {
  let q = db
    .selectFrom('product_lots')
    .innerJoin('donors', 'donors.id', 'product_lots.donor_id')
    .selectAll('product_lots')
    .select('donors.donor_code')
    .orderBy('product_lots.lot_number');
  if (where.id) q = q.where('product_lots.id', '=', where.id);
  if (where.donorId) q = q.where('product_lots.donor_id', '=', where.donorId);
  const rows = await q.execute();
  const vials = rows.length
    ? await db
        .selectFrom('product_vials')
        .select(['lot_id', 'status'])
        .where(
          'lot_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  const names = await userNames(
    db,
    rows.map((r) => r.released_by),
  );
  return rows.map((r) => {
    const counts: Record<VialStatus, number> = { available: 0, reserved: 0, thawed: 0, used: 0, discarded: 0 };
    for (const v of vials) if (v.lot_id === r.id) counts[v.status] += 1;
    const results = r.release_results_json ? (JSON.parse(r.release_results_json) as LotReleaseResults) : null;
    return {
      id: r.id,
      lotNumber: r.lot_number,
      donorId: r.donor_id,
      donorCode: r.donor_code,
      passage: Number(r.passage),
      cryopreservedOn: r.cryopreserved_on,
      expiryDate: r.expiry_date,
      status: r.status,
      releaseResults: results,
      releaseFailures: r.release_failures_json ? (JSON.parse(r.release_failures_json) as SpecFailure[]) : [],
      pendingResults: results ? evaluateLotRelease(results).pending : [],
      releasedAt: r.released_at,
      releasedBy: r.released_by ? (names.get(r.released_by) ?? r.released_by) : null,
      releaseSignatureId: r.release_signature_id,
      notes: r.notes,
      vials: counts,
      createdAt: r.created_at,
    };
  });
}

export const listLots = (ctx: ServiceContext): Promise<LotView[]> => loadLots(ctx.database.db);

async function getLotView(db: Executor, id: string): Promise<LotView> {
  const [l] = await loadLots(db, { id });
  if (!l) throw notFound('Lot');
  return l;
}

export interface CreateLotInput {
  lotNumber: string;
  donorId: string;
  passage: number;
  cryopreservedOn: string;
  expiryDate: string;
  notes?: string;
}

/** Registers a manufactured lot of an eligible donor; it stays in quarantine until released. */
export async function createLot(ctx: ServiceContext, actor: Actor, input: CreateLotInput): Promise<LotView> {
  const issues: FieldIssue[] = [];
  const lotNumber = input.lotNumber.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{1,39}$/.test(lotNumber)) {
    issues.push({ path: 'lotNumber', message: 'must be 2–40 letters, digits, . _ / or -' });
  }
  if (!Number.isInteger(input.passage) || input.passage < 0 || input.passage > 20) {
    issues.push({ path: 'passage', message: 'must be a whole number from 0 to 20' });
  }
  requireIsoDate(input.cryopreservedOn, 'cryopreservedOn', issues);
  requireIsoDate(input.expiryDate, 'expiryDate', issues);
  if (issues.length === 0 && input.expiryDate <= input.cryopreservedOn) {
    issues.push({ path: 'expiryDate', message: 'must be after the cryopreservation date' });
  }
  if (issues.length > 0) throw invalid('The lot could not be registered', issues);
  const id = randomUUID();
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const donor = await tx.selectFrom('donors').selectAll().where('id', '=', input.donorId).executeTakeFirst();
    if (!donor) throw invalid('Unknown donor', [{ path: 'donorId', message: 'no such donor' }]);
    if (donor.eligibility !== 'eligible') {
      throw conflict(`Donor ${donor.donor_code} is not eligible; no lot may be made from this donor`, [
        { path: 'donorId', message: 'donor not eligible' },
      ]);
    }
    if (input.cryopreservedOn < donor.procurement_date) {
      throw invalid('The lot cannot be cryopreserved before the tissue was procured', [
        { path: 'cryopreservedOn', message: `is before ${donor.procurement_date}` },
      ]);
    }
    const dup = await tx.selectFrom('product_lots').select('id').where('lot_number', '=', lotNumber).executeTakeFirst();
    if (dup) throw conflict('A lot with this number exists', [{ path: 'lotNumber', message: 'already registered' }]);
    await tx
      .insertInto('product_lots')
      .values({
        id,
        lot_number: lotNumber,
        donor_id: input.donorId,
        passage: input.passage,
        cryopreserved_on: input.cryopreservedOn,
        expiry_date: input.expiryDate,
        status: 'quarantine',
        release_results_json: null,
        release_failures_json: null,
        released_at: null,
        released_by: null,
        release_signature_id: null,
        notes: input.notes?.trim() || null,
        created_at: at,
        created_by: userId(actor),
        updated_at: at,
      })
      .execute();
    await audit({
      action: 'product.lot_registered',
      entityType: 'product_lot',
      entityId: id,
      after: {
        lotNumber,
        donorCode: donor.donor_code,
        passage: input.passage,
        cryopreservedOn: input.cryopreservedOn,
        expiryDate: input.expiryDate,
      },
    });
  });
  return getLotView(ctx.database.db, id);
}

/**
 * Records the lot's release testing and decides against the release specification, with the
 * pharmacist's e-signature: all pass → released; any failure → rejected (with each reason); results
 * still pending (sterility, mycoplasma) → the lot stays in quarantine and may be tested again.
 */
export async function recordLotRelease(
  ctx: ServiceContext,
  actor: Actor,
  lotId: string,
  props: { results: LotReleaseResults; password: string },
): Promise<LotView> {
  const issues: FieldIssue[] = [];
  requireIsoDate(props.results.testedOn, 'results.testedOn', issues);
  if (issues.length > 0) throw invalid('The release results are not valid', issues);
  await confirmSignerPassword(ctx, actor, props.password, 'signature.password');
  await runCommand(ctx, actor, async (scope) => {
    const { tx, at, audit } = scope;
    const lot = await tx.selectFrom('product_lots').selectAll().where('id', '=', lotId).executeTakeFirst();
    if (!lot) throw notFound('Lot');
    if (lot.status !== 'quarantine') {
      throw conflict(`Lot ${lot.lot_number} is already ${lot.status}; the release decision is final`);
    }
    if (props.results.testedOn < lot.cryopreserved_on) {
      throw invalid('The release tests cannot predate cryopreservation', [
        { path: 'results.testedOn', message: `is before ${lot.cryopreserved_on}` },
      ]);
    }
    if (props.results.testedOn > at.slice(0, 10)) {
      throw invalid('The release tests cannot be in the future', [
        { path: 'results.testedOn', message: 'is in the future' },
      ]);
    }
    const { failures, pending } = evaluateLotRelease(props.results);
    const status: LotStatus = failures.length > 0 ? 'rejected' : pending.length > 0 ? 'quarantine' : 'released';
    const sig = await recordSignature(scope, {
      meaning: 'approval',
      statement:
        status === 'released'
          ? `I release lot ${lot.lot_number}: all release results meet specification ${RELEASE_SPECIFICATION.version}.`
          : status === 'rejected'
            ? `I reject lot ${lot.lot_number}: ${failures.map((f) => f.message).join('; ')}.`
            : `I record the release results of lot ${lot.lot_number}; release awaits ${pending.join(', ')}.`,
      entityType: 'product_lot',
      entityId: lotId,
    });
    await tx
      .updateTable('product_lots')
      .set({
        status,
        release_results_json: JSON.stringify(props.results),
        release_failures_json: JSON.stringify(failures),
        released_at: status === 'quarantine' ? null : at,
        released_by: status === 'quarantine' ? null : userId(actor),
        release_signature_id: sig.id,
        updated_at: at,
      })
      .where('id', '=', lotId)
      .execute();
    await audit({
      action: 'product.lot_release_decided',
      entityType: 'product_lot',
      entityId: lotId,
      before: { status: lot.status },
      after: { status, results: props.results, failures, pending, specification: RELEASE_SPECIFICATION.version },
    });
  });
  return getLotView(ctx.database.db, lotId);
}

// ---------------------------------------------------------------------------------------------
// Vials
// ---------------------------------------------------------------------------------------------

export interface VialView {
  id: string;
  vialCode: string;
  lotId: string;
  lotNumber: string;
  location: string;
  status: VialStatus;
  statusReason: string | null;
  /** The participant's dose this vial was used for (stripped for blinded callers). */
  allocation: { participantId: string; studyId: string; kit: string; preparationId: string } | null;
  createdAt: string;
  updatedAt: string;
}

async function loadVials(
  db: Executor,
  where: { id?: string; lotId?: string; status?: VialStatus } = {},
): Promise<VialView[]> {
  let q = db
    .selectFrom('product_vials')
    .innerJoin('product_lots', 'product_lots.id', 'product_vials.lot_id')
    .leftJoin('dose_preparations', 'dose_preparations.vial_id', 'product_vials.id')
    .leftJoin('participants', 'participants.id', 'dose_preparations.participant_id')
    .selectAll('product_vials')
    .select([
      'product_lots.lot_number',
      'dose_preparations.id as prep_id',
      'dose_preparations.kit',
      'participants.id as participant_id',
      'participants.study_id',
    ])
    .orderBy('product_lots.lot_number')
    .orderBy('product_vials.vial_code');
  if (where.id) q = q.where('product_vials.id', '=', where.id);
  if (where.lotId) q = q.where('product_vials.lot_id', '=', where.lotId);
  if (where.status) q = q.where('product_vials.status', '=', where.status);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    vialCode: r.vial_code,
    lotId: r.lot_id,
    lotNumber: r.lot_number,
    location: r.location,
    status: r.status,
    statusReason: r.status_reason,
    allocation:
      r.prep_id && r.participant_id && r.study_id && r.kit
        ? { participantId: r.participant_id, studyId: r.study_id, kit: r.kit, preparationId: r.prep_id }
        : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export const listVials = (
  ctx: ServiceContext,
  filter: { lotId?: string; status?: VialStatus } = {},
): Promise<VialView[]> => loadVials(ctx.database.db, filter);

/** Adds the vials (or cryobags) of a lot with their storage locations; not to a rejected lot. */
export async function addVials(
  ctx: ServiceContext,
  actor: Actor,
  lotId: string,
  props: { vials: { vialCode: string; location: string }[] },
): Promise<VialView[]> {
  const issues: FieldIssue[] = [];
  if (props.vials.length === 0) issues.push({ path: 'vials', message: 'must list at least one vial' });
  const seen = new Set<string>();
  props.vials.forEach((v, i) => {
    const code = v.vialCode.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{1,39}$/.test(code)) {
      issues.push({ path: `vials.${i}.vialCode`, message: 'must be 2–40 letters, digits, . _ / or -' });
    } else if (seen.has(code)) issues.push({ path: `vials.${i}.vialCode`, message: `duplicate vial code ${code}` });
    seen.add(code);
    if (!v.location.trim()) issues.push({ path: `vials.${i}.location`, message: 'must not be empty' });
  });
  if (issues.length > 0) throw invalid('The vials could not be added', issues);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const lot = await tx
      .selectFrom('product_lots')
      .select(['lot_number', 'status'])
      .where('id', '=', lotId)
      .executeTakeFirst();
    if (!lot) throw notFound('Lot');
    if (lot.status === 'rejected') throw conflict(`Lot ${lot.lot_number} is rejected; no vials can be added`);
    const codes = props.vials.map((v) => v.vialCode.trim());
    const dups = await tx.selectFrom('product_vials').select('vial_code').where('vial_code', 'in', codes).execute();
    if (dups.length > 0) {
      throw conflict(
        'Some vial codes are already registered',
        dups.map((d) => ({ path: `vials.${codes.indexOf(d.vial_code)}.vialCode`, message: `${d.vial_code} exists` })),
      );
    }
    const rows = props.vials.map((v) => ({
      id: randomUUID(),
      vial_code: v.vialCode.trim(),
      lot_id: lotId,
      location: v.location.trim(),
      status: 'available' as const,
      status_reason: null,
      created_at: at,
      updated_at: at,
    }));
    await tx.insertInto('product_vials').values(rows).execute();
    await audit({
      action: 'product.vials_added',
      entityType: 'product_lot',
      entityId: lotId,
      after: { lotNumber: lot.lot_number, vials: rows.map((r) => ({ vialCode: r.vial_code, location: r.location })) },
    });
  });
  return loadVials(ctx.database.db, { lotId });
}

const MANUAL_VIAL_TRANSITIONS: Record<VialStatus, readonly VialStatus[]> = {
  available: ['reserved', 'discarded'],
  reserved: ['available', 'discarded'],
  thawed: ['discarded'],
  used: [],
  discarded: [],
};

/** Reserves, un-reserves or discards a vial, with a reason; thawed/used are set by preparation and administration. */
export async function setVialStatus(
  ctx: ServiceContext,
  actor: Actor,
  vialId: string,
  props: { status: 'available' | 'reserved' | 'discarded'; reason: string; location?: string },
): Promise<VialView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const v = await tx.selectFrom('product_vials').selectAll().where('id', '=', vialId).executeTakeFirst();
    if (!v) throw notFound('Vial');
    if (!MANUAL_VIAL_TRANSITIONS[v.status].includes(props.status)) {
      throw conflict(`Vial ${v.vial_code} is ${v.status} and cannot become ${props.status}`, [
        { path: 'status', message: `not allowed from ${v.status}` },
      ]);
    }
    const location = props.location?.trim() || v.location;
    await tx
      .updateTable('product_vials')
      .set({ status: props.status, status_reason: props.reason.trim(), location, updated_at: at })
      .where('id', '=', vialId)
      .execute();
    await audit({
      action: 'product.vial_status_changed',
      entityType: 'product_vial',
      entityId: vialId,
      before: { status: v.status, location: v.location },
      after: { status: props.status, location },
      reason: props.reason.trim(),
    });
  });
  const [view] = await loadVials(ctx.database.db, { id: vialId });
  return view!;
}

// ---------------------------------------------------------------------------------------------
// Dose preparation
// ---------------------------------------------------------------------------------------------

export interface PreparationView {
  id: string;
  participantId: string;
  studyId: string;
  siteId: string;
  kit: string;
  arm: Arm;
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
  /** Released but past its use-by time and not administered. */
  expired: boolean;
  statusReason: string | null;
  postReleaseSterility: 'pending' | 'no_growth' | 'growth';
  preparedBy: string;
  signatureId: string;
  preparedAt: string;
}

async function loadPreparations(
  db: Executor,
  now: string,
  where: { id?: string; participantId?: string; sites?: 'all' | string[]; lotId?: string; donorId?: string } = {},
): Promise<PreparationView[]> {
  let q = db
    .selectFrom('dose_preparations')
    .innerJoin('participants', 'participants.id', 'dose_preparations.participant_id')
    .leftJoin('product_vials', 'product_vials.id', 'dose_preparations.vial_id')
    .leftJoin('product_lots', 'product_lots.id', 'product_vials.lot_id')
    .leftJoin('donors', 'donors.id', 'product_lots.donor_id')
    .selectAll('dose_preparations')
    .select([
      'participants.study_id',
      'participants.site_id',
      'product_vials.vial_code',
      'product_lots.id as lot_id',
      'product_lots.lot_number',
      'donors.id as donor_id',
      'donors.donor_code',
    ])
    .orderBy('dose_preparations.created_at')
    .orderBy('dose_preparations.id');
  if (where.id) q = q.where('dose_preparations.id', '=', where.id);
  if (where.participantId) q = q.where('dose_preparations.participant_id', '=', where.participantId);
  if (where.lotId) q = q.where('product_lots.id', '=', where.lotId);
  if (where.donorId) q = q.where('donors.id', '=', where.donorId);
  if (where.sites && where.sites !== 'all') {
    q =
      where.sites.length === 0
        ? q.where('participants.id', '=', '')
        : q.where('participants.site_id', 'in', where.sites);
  }
  const rows = await q.execute();
  const names = await userNames(
    db,
    rows.map((r) => r.prepared_by),
  );
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    studyId: r.study_id,
    siteId: r.site_id,
    kit: r.kit,
    // Preparation enforces vial ⇔ ADMSC and saline batch ⇔ SALINE against the sealed list.
    arm: r.vial_id ? 'ADMSC' : 'SALINE',
    vialId: r.vial_id,
    vialCode: r.vial_code,
    lotId: r.lot_id,
    lotNumber: r.lot_number,
    donorId: r.donor_id,
    donorCode: r.donor_code,
    salineBatch: r.saline_batch,
    thawedAt: r.thawed_at,
    viableCellsMillion: r.viable_cells_million === null ? null : Number(r.viable_cells_million),
    viabilityPct: r.viability_pct === null ? null : Number(r.viability_pct),
    volumeMl: Number(r.volume_ml),
    appearance: r.appearance,
    passed: r.passed === 1,
    failures: JSON.parse(r.failures_json) as SpecFailure[],
    useBy: r.use_by,
    status: r.status,
    expired: r.status === 'released' && r.use_by < now,
    statusReason: r.status_reason,
    postReleaseSterility: r.post_release_sterility,
    preparedBy: names.get(r.prepared_by) ?? r.prepared_by,
    signatureId: r.signature_id,
    preparedAt: r.created_at,
  }));
}

/** Dose preparations at the actor's sites, oldest first. */
export async function listPreparations(ctx: ServiceContext, actor: Actor): Promise<PreparationView[]> {
  return loadPreparations(ctx.database.db, ctx.now().toISOString(), { sites: actorSites(actor, 'product.read') });
}

export async function getPreparation(ctx: ServiceContext, actor: Actor, id: string): Promise<PreparationView> {
  const [p] = await loadPreparations(ctx.database.db, ctx.now().toISOString(), { id });
  if (!p) throw notFound('Dose preparation');
  assertSiteAccess(actor, 'product.read', p.siteId);
  return p;
}

export interface PrepareDoseInput {
  kit: string;
  /** A cell vial (ADMSC kits only). */
  vialId?: string | null;
  /** The saline batch number (SALINE kits only). */
  salineBatch?: string | null;
  /** Thaw time (cells) or draw-up time (saline); the use-by clock starts here. */
  thawedAt: string;
  viableCellsMillion?: number | null;
  viabilityPct?: number | null;
  volumeMl: number;
  appearance: 'conforms' | 'does_not_conform';
  password: string;
}

/**
 * Thaws and prepares the dose for a kit (or draws up saline), checks it against the acceptance
 * limits and records the preparer's e-signature. Passing doses are released with a use-by time;
 * failing ones are recorded with the reason for each failure, and their vial is discarded. The
 * vial must be available (or reserved) and from a released, unexpired lot.
 */
export async function prepareDose(
  ctx: ServiceContext,
  actor: Actor,
  input: PrepareDoseInput,
): Promise<PreparationView> {
  const issues: FieldIssue[] = [];
  const thawedAt = requireInstant(input.thawedAt, 'thawedAt', issues);
  if (!(input.volumeMl > 0 && input.volumeMl <= 50)) {
    issues.push({ path: 'volumeMl', message: 'must be more than 0 and at most 50 mL' });
  }
  if (issues.length > 0) throw invalid('The preparation is not valid', issues);
  const r = await ctx.database.db
    .selectFrom('randomizations')
    .select(['id', 'participant_id', 'site_id'])
    .where('kit', '=', input.kit)
    .executeTakeFirst();
  if (!r) throw invalid('Unknown kit', [{ path: 'kit', message: `no randomized participant has kit ${input.kit}` }]);
  assertSiteAccess(actor, 'product.write', r.site_id);
  const arm = await armForKit(ctx, input.kit);
  const cells = arm === 'ADMSC';
  // The kit decides the product: a mismatch is refused before anything is signed.
  if (cells) {
    if (!input.vialId) {
      issues.push({ path: 'vialId', message: `kit ${input.kit} is allocated to ADMSC: a cell vial is required` });
    }
    if (input.salineBatch) {
      issues.push({ path: 'salineBatch', message: `kit ${input.kit} is allocated to ADMSC: no saline batch` });
    }
    if (input.viableCellsMillion == null) {
      issues.push({ path: 'viableCellsMillion', message: 'is required for a cell dose' });
    }
    if (input.viabilityPct == null) issues.push({ path: 'viabilityPct', message: 'is required for a cell dose' });
  } else {
    if (input.vialId) {
      issues.push({ path: 'vialId', message: `kit ${input.kit} is allocated to SALINE: no cell vial may be used` });
    }
    if (!input.salineBatch?.trim()) {
      issues.push({
        path: 'salineBatch',
        message: `kit ${input.kit} is allocated to SALINE: the saline batch number is required`,
      });
    }
    if (input.viableCellsMillion != null) {
      issues.push({ path: 'viableCellsMillion', message: 'applies to cell doses only' });
    }
    if (input.viabilityPct != null) issues.push({ path: 'viabilityPct', message: 'applies to cell doses only' });
  }
  if (input.viabilityPct != null && !(input.viabilityPct >= 0 && input.viabilityPct <= 100)) {
    issues.push({ path: 'viabilityPct', message: 'must be 0–100' });
  }
  if (input.viableCellsMillion != null && !(input.viableCellsMillion >= 0 && input.viableCellsMillion <= 1000)) {
    issues.push({ path: 'viableCellsMillion', message: 'must be 0–1000' });
  }
  if (issues.length > 0) throw invalid('The preparation does not match the kit', issues);
  await confirmSignerPassword(ctx, actor, input.password, 'signature.password');
  const id = randomUUID();
  await runCommand(ctx, actor, async (scope) => {
    const { tx, at, audit } = scope;
    if (thawedAt > at) {
      throw invalid('The thaw time is in the future', [{ path: 'thawedAt', message: 'is in the future' }]);
    }
    const p = await tx
      .selectFrom('participants')
      .select(['status', 'study_id', 'screening_id'])
      .where('id', '=', r.participant_id)
      .executeTakeFirstOrThrow();
    if (p.status === 'withdrawn') throw conflict(`${p.study_id} has withdrawn; no dose is prepared`);
    const consent = await tx
      .selectFrom('consents')
      .select(['consented_at'])
      .where('screening_id', '=', p.screening_id)
      .orderBy('consented_at')
      .executeTakeFirst();
    if (consent && thawedAt < consent.consented_at) {
      throw invalid('The thaw time is before informed consent', [
        { path: 'thawedAt', message: `is before ${consent.consented_at}` },
      ]);
    }
    const given = await tx
      .selectFrom('administrations')
      .select('status')
      .where('participant_id', '=', r.participant_id)
      .executeTakeFirst();
    if (given) {
      throw conflict(
        `${p.study_id} already has an administration record (${given.status}); no further dose is prepared`,
      );
    }
    const open = await tx
      .selectFrom('dose_preparations')
      .select(['id', 'use_by'])
      .where('participant_id', '=', r.participant_id)
      .where('status', '=', 'released')
      .where('use_by', '>=', at)
      .executeTakeFirst();
    if (open) {
      throw conflict(
        `Kit ${input.kit} already has a released dose (use by ${open.use_by}); discard it before preparing another`,
      );
    }
    let vialCode: string | null = null;
    let lotNumber: string | null = null;
    if (cells) {
      const v = await tx
        .selectFrom('product_vials')
        .innerJoin('product_lots', 'product_lots.id', 'product_vials.lot_id')
        .select([
          'product_vials.status',
          'product_vials.vial_code',
          'product_lots.status as lot_status',
          'product_lots.lot_number',
          'product_lots.expiry_date',
          'product_lots.cryopreserved_on',
        ])
        .where('product_vials.id', '=', input.vialId!)
        .executeTakeFirst();
      if (!v) throw invalid('Unknown vial', [{ path: 'vialId', message: 'no such vial' }]);
      if (v.status !== 'available' && v.status !== 'reserved') {
        throw conflict(`Vial ${v.vial_code} is ${v.status}`, [{ path: 'vialId', message: `is ${v.status}` }]);
      }
      if (v.lot_status !== 'released') {
        throw conflict(`Lot ${v.lot_number} is ${v.lot_status}, not released`, [
          { path: 'vialId', message: `lot ${v.lot_number} is not released` },
        ]);
      }
      if (thawedAt.slice(0, 10) > v.expiry_date) {
        throw conflict(`Lot ${v.lot_number} expired on ${v.expiry_date}`, [{ path: 'vialId', message: 'lot expired' }]);
      }
      if (thawedAt.slice(0, 10) < v.cryopreserved_on) {
        throw invalid('The thaw time is before the lot was cryopreserved', [
          { path: 'thawedAt', message: `is before ${v.cryopreserved_on}` },
        ]);
      }
      vialCode = v.vial_code;
      lotNumber = v.lot_number;
    }
    const measurements = {
      viableCellsMillion: input.viableCellsMillion ?? null,
      viabilityPct: input.viabilityPct ?? null,
      volumeMl: input.volumeMl,
      appearance: input.appearance,
    };
    const failures = evaluateDose(cells, measurements);
    const passed = failures.length === 0;
    const useBy = new Date(Date.parse(thawedAt) + RELEASE_SPECIFICATION.dose.useByHours * HOUR).toISOString();
    // The signed statement is the same for both arms.
    const sig = await recordSignature(scope, {
      meaning: 'responsibility',
      statement: `I prepared and checked the dose for kit ${input.kit} and confirm this preparation record.`,
      entityType: 'dose_preparation',
      entityId: id,
    });
    await tx
      .insertInto('dose_preparations')
      .values({
        id,
        participant_id: r.participant_id,
        randomization_id: r.id,
        kit: input.kit,
        vial_id: cells ? input.vialId! : null,
        saline_batch: cells ? null : input.salineBatch!.trim(),
        thawed_at: thawedAt,
        viable_cells_million: measurements.viableCellsMillion,
        viability_pct: measurements.viabilityPct,
        volume_ml: input.volumeMl,
        appearance: input.appearance,
        passed: passed ? 1 : 0,
        failures_json: JSON.stringify(failures),
        use_by: useBy,
        status: passed ? 'released' : 'failed',
        status_reason: passed ? null : failures.map((f) => f.message).join('; '),
        post_release_sterility: 'pending',
        prepared_by: userId(actor),
        signature_id: sig.id,
        created_at: at,
        updated_at: at,
      })
      .execute();
    if (cells) {
      await tx
        .updateTable('product_vials')
        .set({
          status: passed ? 'thawed' : 'discarded',
          status_reason: passed
            ? `thawed for kit ${input.kit}`
            : `dose failed: ${failures.map((f) => f.message).join('; ')}`,
          updated_at: at,
        })
        .where('id', '=', input.vialId!)
        .execute();
    }
    await audit({
      action: 'product.dose_prepared',
      entityType: 'dose_preparation',
      entityId: id,
      after: {
        kit: input.kit,
        useBy,
        allocation: {
          arm,
          vialCode,
          lotNumber,
          salineBatch: cells ? null : input.salineBatch!.trim(),
          thawedAt,
          ...measurements,
          passed,
          failures,
          signatureId: sig.id,
        },
      },
    });
  });
  const [view] = await loadPreparations(ctx.database.db, ctx.now().toISOString(), { id });
  return view!;
}

/** Discards a prepared dose that will not be given (dropped, expired, …); its vial is discarded too. */
export async function discardPreparation(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { reason: string },
): Promise<PreparationView> {
  if (!props.reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await tx
      .selectFrom('dose_preparations')
      .select(['status', 'vial_id', 'participant_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!p) throw notFound('Dose preparation');
    const site = await tx
      .selectFrom('participants')
      .select('site_id')
      .where('id', '=', p.participant_id)
      .executeTakeFirstOrThrow();
    assertSiteAccess(actor, 'product.write', site.site_id);
    if (p.status !== 'released') throw conflict(`Only a released dose can be discarded; this one is ${p.status}`);
    await tx
      .updateTable('dose_preparations')
      .set({ status: 'discarded', status_reason: props.reason.trim(), updated_at: at })
      .where('id', '=', id)
      .execute();
    if (p.vial_id) {
      await tx
        .updateTable('product_vials')
        .set({ status: 'discarded', status_reason: `dose discarded: ${props.reason.trim()}`, updated_at: at })
        .where('id', '=', p.vial_id)
        .execute();
    }
    await audit({
      action: 'product.dose_discarded',
      entityType: 'dose_preparation',
      entityId: id,
      before: { status: 'released' },
      after: { status: 'discarded' },
      reason: props.reason.trim(),
    });
  });
  return getPreparation(ctx, actor, id);
}

/**
 * The 14-day sterility culture of a dose returns after the injection (data dictionary §7): growth
 * raises an alert to the sponsor and the unblinded roles through the outbox.
 */
export async function recordPostReleaseSterility(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  props: { result: 'no_growth' | 'growth' },
): Promise<PreparationView> {
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await tx
      .selectFrom('dose_preparations')
      .innerJoin('participants', 'participants.id', 'dose_preparations.participant_id')
      .select([
        'dose_preparations.post_release_sterility',
        'dose_preparations.kit',
        'participants.study_id',
        'participants.site_id',
      ])
      .where('dose_preparations.id', '=', id)
      .executeTakeFirst();
    if (!p) throw notFound('Dose preparation');
    assertSiteAccess(actor, 'product.write', p.site_id);
    if (p.post_release_sterility !== 'pending') {
      throw conflict(`The post-release sterility result is already recorded (${p.post_release_sterility})`);
    }
    await tx
      .updateTable('dose_preparations')
      .set({ post_release_sterility: props.result, updated_at: at })
      .where('id', '=', id)
      .execute();
    let notified = 0;
    if (props.result === 'growth') {
      notified = await queueUnblindedNotifications(tx, at, 'product_sterility_alert', {
        preparationId: id,
        studyId: p.study_id,
        siteId: p.site_id,
        kit: p.kit,
        result: 'growth',
      });
    }
    await audit({
      action: 'product.post_release_sterility',
      entityType: 'dose_preparation',
      entityId: id,
      before: { postReleaseSterility: 'pending' },
      after: { allocation: { postReleaseSterility: props.result, notified } },
    });
  });
  return getPreparation(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Administration (recorded by the blinded injector's team or the cell laboratory)
// ---------------------------------------------------------------------------------------------

export interface AdministrationInput {
  /** The kit code read from the masked syringe: must be the participant's kit. */
  kit: string;
  administeredAt: string;
  kneeSide: 'left' | 'right';
  ultrasoundGuided: boolean;
  volumeMl: number;
  /** Name of the physician who injected. */
  injector: string;
}

/** Records the injection: Day 0 is its Europe/Copenhagen date. Needs a released, in-date dose for the kit. */
export async function recordAdministration(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  input: AdministrationInput,
): Promise<AdministrationView> {
  const issues: FieldIssue[] = [];
  const administeredAt = requireInstant(input.administeredAt, 'administeredAt', issues);
  if (!(input.volumeMl > 0 && input.volumeMl <= 50)) {
    issues.push({ path: 'volumeMl', message: 'must be more than 0 and at most 50 mL' });
  }
  if (!input.injector.trim()) issues.push({ path: 'injector', message: 'must not be empty' });
  if (issues.length > 0) throw invalid('The administration is not valid', issues);
  const part = await ctx.database.db
    .selectFrom('participants')
    .select(['site_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!part) throw notFound('Participant');
  assertSiteAccess(actor, 'product.administer', part.site_id);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await tx
      .selectFrom('participants')
      .select(['status', 'study_id', 'screening_id'])
      .where('id', '=', participantId)
      .executeTakeFirstOrThrow();
    const r = await tx
      .selectFrom('randomizations')
      .select(['kit'])
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (!r) throw conflict(`${p.study_id} has not been randomized`);
    if (p.status === 'withdrawn') throw conflict(`${p.study_id} has withdrawn`);
    if (input.kit !== r.kit) {
      throw invalid(`Kit ${input.kit} is not the kit allocated to ${p.study_id}`, [
        { path: 'kit', message: `does not match the participant's kit` },
      ]);
    }
    if (administeredAt > at) {
      throw invalid('The injection time is in the future', [{ path: 'administeredAt', message: 'is in the future' }]);
    }
    const consent = await tx
      .selectFrom('consents')
      .select(['consented_at'])
      .where('screening_id', '=', p.screening_id)
      .orderBy('consented_at')
      .executeTakeFirst();
    if (consent && administeredAt < consent.consented_at) {
      throw invalid('The injection is before informed consent', [
        { path: 'administeredAt', message: `is before ${consent.consented_at}` },
      ]);
    }
    const existing = await tx
      .selectFrom('administrations')
      .select('status')
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (existing) throw conflict(`${p.study_id} already has an administration record (${existing.status})`);
    const prep = await tx
      .selectFrom('dose_preparations')
      .select(['id', 'vial_id', 'thawed_at', 'use_by'])
      .where('participant_id', '=', participantId)
      .where('status', '=', 'released')
      .where('thawed_at', '<=', administeredAt)
      .where('use_by', '>=', administeredAt)
      .orderBy('thawed_at', 'desc')
      .executeTakeFirst();
    // Same message whatever the arm: the reason a dose is missing is the cell laboratory's business.
    if (!prep) {
      throw conflict(`No released dose for kit ${r.kit} is within its use-by time at ${administeredAt}`, [
        { path: 'administeredAt', message: 'no released, in-date dose for this kit' },
      ]);
    }
    const day0 = copenhagenDate(administeredAt);
    const id = randomUUID();
    await tx
      .insertInto('administrations')
      .values({
        id,
        participant_id: participantId,
        kit: r.kit,
        status: 'administered',
        preparation_id: prep.id,
        administered_at: administeredAt,
        day0,
        knee_side: input.kneeSide,
        ultrasound_guided: input.ultrasoundGuided ? 1 : 0,
        volume_ml: input.volumeMl,
        injector: input.injector.trim(),
        reason: null,
        recorded_by: userId(actor),
        created_at: at,
      })
      .execute();
    await tx
      .updateTable('dose_preparations')
      .set({ status: 'administered', updated_at: at })
      .where('id', '=', prep.id)
      .execute();
    if (prep.vial_id) {
      await tx
        .updateTable('product_vials')
        .set({ status: 'used', status_reason: `administered to kit ${r.kit}`, updated_at: at })
        .where('id', '=', prep.vial_id)
        .execute();
    }
    await audit({
      action: 'product.administered',
      entityType: 'participant',
      entityId: participantId,
      after: {
        studyId: p.study_id,
        kit: r.kit,
        administeredAt,
        day0,
        kneeSide: input.kneeSide,
        ultrasoundGuided: input.ultrasoundGuided,
        volumeMl: input.volumeMl,
        injector: input.injector.trim(),
        allocation: { preparationId: prep.id },
      },
    });
  });
  return (await loadAdministrationView(ctx.database.db, participantId))!;
}

/** Records that a randomized participant will not receive the dose, and why (CONSORT). */
export async function recordNonAdministration(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { reason: string },
): Promise<AdministrationView> {
  const reason = props.reason.trim();
  if (!reason) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  const part = await ctx.database.db
    .selectFrom('participants')
    .select(['site_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!part) throw notFound('Participant');
  assertSiteAccess(actor, 'product.administer', part.site_id);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await tx
      .selectFrom('participants')
      .select(['study_id'])
      .where('id', '=', participantId)
      .executeTakeFirstOrThrow();
    const r = await tx
      .selectFrom('randomizations')
      .select(['kit'])
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (!r) throw conflict(`${p.study_id} has not been randomized`);
    const existing = await tx
      .selectFrom('administrations')
      .select('status')
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (existing) throw conflict(`${p.study_id} already has an administration record (${existing.status})`);
    await tx
      .insertInto('administrations')
      .values({
        id: randomUUID(),
        participant_id: participantId,
        kit: r.kit,
        status: 'not_administered',
        preparation_id: null,
        administered_at: null,
        day0: null,
        knee_side: null,
        ultrasound_guided: null,
        volume_ml: null,
        injector: null,
        reason,
        recorded_by: userId(actor),
        created_at: at,
      })
      .execute();
    await audit({
      action: 'product.not_administered',
      entityType: 'participant',
      entityId: participantId,
      after: { studyId: p.study_id, kit: r.kit },
      reason,
    });
  });
  return (await loadAdministrationView(ctx.database.db, participantId))!;
}

// ---------------------------------------------------------------------------------------------
// Trace queries
// ---------------------------------------------------------------------------------------------

export interface RecipientView {
  participantId: string;
  studyId: string;
  siteId: string;
  kit: string;
  lotNumber: string | null;
  vialCode: string | null;
  preparationId: string;
  preparationStatus: PreparationStatus;
  thawedAt: string;
  /** True when the dose was injected. */
  received: boolean;
  administeredAt: string | null;
  day0: string | null;
}

async function recipients(
  ctx: ServiceContext,
  actor: Actor,
  where: { lotId?: string; donorId?: string },
): Promise<RecipientView[]> {
  const preps = await loadPreparations(ctx.database.db, ctx.now().toISOString(), {
    ...where,
    sites: actorSites(actor, 'product.read'),
  });
  const admins = preps.length
    ? await ctx.database.db
        .selectFrom('administrations')
        .selectAll()
        .where(
          'preparation_id',
          'in',
          preps.map((p) => p.id),
        )
        .execute()
    : [];
  return preps.map((p) => {
    const a = admins.find((x) => x.preparation_id === p.id);
    return {
      participantId: p.participantId,
      studyId: p.studyId,
      siteId: p.siteId,
      kit: p.kit,
      lotNumber: p.lotNumber,
      vialCode: p.vialCode,
      preparationId: p.id,
      preparationStatus: p.status,
      thawedAt: p.thawedAt,
      received: a?.status === 'administered',
      administeredAt: a?.administered_at ?? null,
      day0: a?.day0 ?? null,
    };
  });
}

/** Donor X: its lots, and every participant whose dose came from them (`allocation.recipients`). */
export async function traceDonor(
  ctx: ServiceContext,
  actor: Actor,
  donorId: string,
): Promise<{ donor: DonorView; lots: LotView[]; allocation: { recipients: RecipientView[] } }> {
  const donor = await getDonorView(ctx.database.db, donorId);
  return {
    donor,
    lots: await loadLots(ctx.database.db, { donorId }),
    allocation: { recipients: await recipients(ctx, actor, { donorId }) },
  };
}

/** Lot Y: its donor, vials, and every participant whose dose came from it (`allocation.recipients`). */
export async function traceLot(
  ctx: ServiceContext,
  actor: Actor,
  lotId: string,
): Promise<{ lot: LotView; donor: DonorView; vials: VialView[]; allocation: { recipients: RecipientView[] } }> {
  const lot = await getLotView(ctx.database.db, lotId);
  return {
    lot,
    donor: await getDonorView(ctx.database.db, lot.donorId),
    vials: await loadVials(ctx.database.db, { lotId }),
    allocation: { recipients: await recipients(ctx, actor, { lotId }) },
  };
}

export interface ChainLink {
  preparation: PreparationView;
  vial: VialView | null;
  lot: LotView | null;
  donor: DonorView | null;
}

export interface ParticipantChainView {
  participantId: string;
  studyId: string;
  siteId: string;
  randomization: RandomizationView | null;
  administration: AdministrationView | null;
  /** Donor → lot → vial → thaw/preparation for every preparation of this participant's kit. */
  allocation: { arm: Arm | null; chain: ChainLink[]; administeredPreparationId: string | null };
}

/** Participant Z: the full chain behind their dose — donor → lot → vial → thaw/preparation → administration. */
export async function traceParticipant(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
): Promise<ParticipantChainView> {
  const db = ctx.database.db;
  const p = await db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) throw notFound('Participant');
  assertSiteAccess(actor, 'product.read', p.site_id);
  const randomization = await loadRandomizationViewForParticipant(ctx, participantId);
  const preps = await loadPreparations(db, ctx.now().toISOString(), { participantId });
  const chain: ChainLink[] = [];
  for (const prep of preps) {
    const [vial] = prep.vialId ? await loadVials(db, { id: prep.vialId }) : [];
    const lot = prep.lotId ? await getLotView(db, prep.lotId) : null;
    const donor = prep.donorId ? await getDonorView(db, prep.donorId) : null;
    chain.push({ preparation: prep, vial: vial ?? null, lot, donor });
  }
  const administration = await loadAdministrationView(db, participantId);
  const admin = await db
    .selectFrom('administrations')
    .select('preparation_id')
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return {
    participantId: p.id,
    studyId: p.study_id,
    siteId: p.site_id,
    randomization,
    administration,
    allocation: { arm: randomization?.arm ?? null, chain, administeredPreparationId: admin?.preparation_id ?? null },
  };
}

/** The release specification in force (for the laboratory pages). */
export function getReleaseSpecification(): typeof RELEASE_SPECIFICATION & { screeningTests: ScreeningTest[] } {
  return { ...RELEASE_SPECIFICATION, screeningTests: [...SCREENING_TESTS] };
}
