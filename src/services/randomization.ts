/**
 * Randomization (spec §4): the study's one allocation list, created from a CSPRNG seed and sealed
 * in the identity vault; randomizing a participant into the next free slot of their stratum in
 * one atomic step; the blinded views (randomization number, kit code, time); the unblinded
 * allocation list; and revealing seed and salt after database lock so that anyone can re-run
 * `stemjoint randomization verify`.
 *
 * Every view carries the arm in a field named `arm`; the blinding presenter at the HTTP boundary
 * removes it for blinded callers (src/services/blinding.ts), so there is no per-route blinding code.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import { conflict, forbidden, notFound, TrialError, type FieldIssue } from '../core/errors.js';
import {
  generateAllocationList,
  type AllocationEntry,
  type AllocationList,
  type AllocationParameters,
  type AllocationParametersInput,
  type Arm,
} from '../core/randomization/index.js';
import { formatCopenhagenInstant } from '../core/safety/copenhagen-time.js';
import type { Executor, Tx } from '../storage/database.js';
import { actorSites, assertSiteAccess } from './access.js';
import { checkBaselineReadiness } from './baseline-readiness.js';
import { actorSeesArms } from './blinding.js';
import { runCommand } from './command.js';
import { requireVault, type Actor, type ServiceContext } from './context.js';
import { latestConsentVersion } from './screening.js';

/** The allocation list is a singleton row. */
const LIST_ID = 'current';

/** Default list length per stratum: the whole enrolment target plus 25 % could fall in one stratum. */
export const DEFAULT_PER_STRATUM = 100;

/** Arm labels for unblinded views (the codes are fixed by spec §2). */
export const ARM_LABELS: Record<Arm, string> = {
  ADMSC: 'AD-MSC (allogeneic adipose-derived mesenchymal stem cells)',
  SALINE: 'Saline (placebo)',
};

/** Stratum of a participant from the Kellgren–Lawrence grade recorded at screening (spec §4 default). */
export function stratumForKlGrade(klGrade: number | null): string | null {
  return klGrade === 2 || klGrade === 3 ? `KL${klGrade}` : null;
}

const userId = (actor: Actor): string => (actor.kind === 'user' ? actor.userId : `system:${actor.label}`);

/** Display names for stored user ids (system actors are stored as `system:<label>`). */
export async function userNames(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && !id.startsWith('system:')))];
  const map = new Map<string, string>();
  for (const id of ids) if (id?.startsWith('system:')) map.set(id, id);
  if (wanted.length === 0) return map;
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  for (const r of rows) map.set(r.id, r.display_name);
  return map;
}

// ---------------------------------------------------------------------------------------------
// The allocation list
// ---------------------------------------------------------------------------------------------

/** What is sealed (encrypted) in the database: everything secret about the list. */
interface SealedList {
  seed: string;
  salt: string;
  strata: Record<string, AllocationEntry[]>;
}

export interface AllocationStatus {
  initialised: boolean;
  algorithm: string | null;
  version: string | null;
  /** The salted SHA-256 commitment to publish at study start. */
  commitment: string | null;
  createdAt: string | null;
  createdBy: string | null;
  revealedAt: string | null;
  strata: { stratum: string; slots: number; used: number; remaining: number }[];
  randomized: number;
}

/** The list's public face: commitment and how far each stratum is used. No design details, no arms. */
export async function getAllocationStatus(db: Executor): Promise<AllocationStatus> {
  const list = await db.selectFrom('allocation_lists').selectAll().where('id', '=', LIST_ID).executeTakeFirst();
  const strata = await db.selectFrom('randomization_strata').selectAll().orderBy('stratum').execute();
  const randomized = await db
    .selectFrom('randomizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const names = await userNames(db, [list?.created_by ?? null]);
  return {
    initialised: !!list,
    algorithm: list?.algorithm ?? null,
    version: list?.version ?? null,
    commitment: list?.commitment ?? null,
    createdAt: list?.created_at ?? null,
    createdBy: list ? (names.get(list.created_by) ?? list.created_by) : null,
    revealedAt: list?.revealed_at ?? null,
    strata: strata.map((s) => ({
      stratum: s.stratum,
      slots: Number(s.slots),
      used: Number(s.used),
      remaining: Number(s.slots) - Number(s.used),
    })),
    randomized: Number(randomized.n),
  };
}

export interface InitAllocationListInput {
  parameters?: Partial<AllocationParametersInput>;
  /** Only for reproducible demos and tests; production lists take 32 bytes from the OS CSPRNG. */
  seedHex?: string;
  saltHex?: string;
}

/**
 * Creates the study's allocation list: a 256-bit seed and a 256-bit salt from `crypto.randomBytes`
 * (unless given), the list generated by the pure core, the seed, salt and arms sealed with the
 * identity vault, the kit codes in clear slots. Refuses a second list.
 */
export async function initAllocationList(
  ctx: ServiceContext,
  actor: Actor,
  input: InitAllocationListInput = {},
): Promise<AllocationStatus> {
  const vault = requireVault(ctx);
  const list = generateAllocationList({
    seedHex: input.seedHex ?? randomBytes(32).toString('hex'),
    saltHex: input.saltHex ?? randomBytes(32).toString('hex'),
    parameters: { ...input.parameters, per_stratum: input.parameters?.per_stratum ?? DEFAULT_PER_STRATUM },
  });
  const sealed = vault.encrypt({ seed: list.seed, salt: list.salt, strata: list.strata } satisfies SealedList);
  const slotCount = Object.values(list.strata).reduce((n, s) => n + s.length, 0);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const existing = await tx
      .selectFrom('allocation_lists')
      .select('commitment')
      .where('id', '=', LIST_ID)
      .executeTakeFirst();
    if (existing) {
      throw conflict(
        `The study already has an allocation list (commitment ${existing.commitment}); a second list is refused`,
      );
    }
    await tx
      .insertInto('allocation_lists')
      .values({
        id: LIST_ID,
        algorithm: list.algorithm,
        version: list.version,
        design: list.parameters.design,
        parameters_json: canonicalJson(list.parameters),
        commitment: list.commitment,
        key_id: sealed.keyId,
        sealed: sealed.ciphertext,
        slot_count: slotCount,
        created_at: at,
        created_by: userId(actor),
        revealed_at: null,
      })
      .execute();
    for (const stratum of list.parameters.strata) {
      const entries = list.strata[stratum]!;
      await tx.insertInto('randomization_strata').values({ stratum, slots: entries.length, used: 0 }).execute();
      // Chunked inserts keep far below both engines' bound-parameter limits.
      for (let i = 0; i < entries.length; i += 200) {
        await tx
          .insertInto('allocation_slots')
          .values(entries.slice(i, i + 200).map((e) => ({ stratum, seq: e.seq, kit: e.kit, participant_id: null })))
          .execute();
      }
    }
    await audit({
      action: 'randomization.list_created',
      entityType: 'allocation_list',
      entityId: LIST_ID,
      after: {
        algorithm: list.algorithm,
        version: list.version,
        commitment: list.commitment,
        slots: Object.fromEntries(Object.entries(list.strata).map(([s, e]) => [s, e.length])),
        // The design (block sizes) helps a guesser; blinded readers of the audit trail do not get it.
        allocation: { parameters: list.parameters },
      },
    });
  });
  return getAllocationStatus(ctx.database.db);
}

async function loadListRow(db: Executor) {
  const row = await db.selectFrom('allocation_lists').selectAll().where('id', '=', LIST_ID).executeTakeFirst();
  if (!row) throw conflict('No allocation list has been created yet (stemjoint randomization init)');
  return row;
}

/** Decrypts the sealed list. Only for unblinded views, preparation checks and emergency unblinding. */
async function unsealList(
  ctx: ServiceContext,
  db: Executor = ctx.database.db,
): Promise<{ sealed: SealedList; parameters: AllocationParameters; row: Awaited<ReturnType<typeof loadListRow>> }> {
  const row = await loadListRow(db);
  return {
    sealed: decryptedList(ctx, row.key_id, row.sealed).list,
    parameters: JSON.parse(row.parameters_json) as AllocationParameters,
    row,
  };
}

/**
 * The last list each vault decrypted, by its ciphertext. Every randomization and dose preparation
 * needs the kit → arm map, and decrypting a long list each time made a large trial's enrolment
 * slow down as it grew. The plaintext stays in this process only, like the key that opens it; a
 * re-sealed list (a new ciphertext or key) is decrypted afresh. Frozen so no caller can alter it.
 */
const unsealed = new WeakMap<
  object,
  { keyId: string; ciphertext: string; list: SealedList; kitArms: ReadonlyMap<string, Arm> }
>();

function decryptedList(ctx: ServiceContext, keyId: string, ciphertext: string) {
  const vault = requireVault(ctx);
  const cached = unsealed.get(vault);
  if (cached && cached.keyId === keyId && cached.ciphertext === ciphertext) return cached;
  const list = deepFreeze(vault.decrypt(keyId, ciphertext) as SealedList);
  const kitArms = new Map(Object.values(list.strata).flatMap((entries) => entries.map((e) => [e.kit, e.arm] as const)));
  const entry = { keyId, ciphertext, list, kitArms };
  unsealed.set(vault, entry);
  return entry;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Kit code → arm for the whole list (empty before the list exists). */
export async function loadKitArms(
  ctx: ServiceContext,
  db: Executor = ctx.database.db,
): Promise<ReadonlyMap<string, Arm>> {
  const row = await db
    .selectFrom('allocation_lists')
    .select(['key_id', 'sealed'])
    .where('id', '=', LIST_ID)
    .executeTakeFirst();
  if (!row) return new Map();
  return decryptedList(ctx, row.key_id, row.sealed).kitArms;
}

/** The arm behind one kit code; throws when the kit is not in the list. */
export async function armForKit(ctx: ServiceContext, kit: string, db: Executor = ctx.database.db): Promise<Arm> {
  const arm = (await loadKitArms(ctx, db)).get(kit);
  if (!arm) throw notFound(`Kit ${kit}`);
  return arm;
}

export interface AllocationSlotView {
  stratum: string;
  seq: number;
  block: number | null;
  arm: Arm;
  kit: string;
  participantId: string | null;
  studyId: string | null;
  randomizationNumber: string | null;
  randomizedAt: string | null;
}

export interface AllocationListView {
  algorithm: string;
  version: string;
  commitment: string;
  parameters: AllocationParameters;
  createdAt: string;
  strata: AllocationStatus['strata'];
  slots: AllocationSlotView[];
}

/** The allocation list with the kit ↔ arm map (cell laboratory, DSMB, statistician after lock). Not the seed. */
export async function getAllocationList(ctx: ServiceContext, actor: Actor): Promise<AllocationListView> {
  if (!(await actorSeesArms(ctx.database.db, actor))) {
    throw forbidden('The allocation list is visible to unblinded roles only (the statistician after database lock)');
  }
  const { sealed, parameters, row } = await unsealList(ctx);
  const used = await ctx.database.db
    .selectFrom('randomizations')
    .innerJoin('participants', 'participants.id', 'randomizations.participant_id')
    .select([
      'randomizations.kit',
      'randomizations.participant_id',
      'participants.study_id',
      'randomizations.randomization_number',
      'randomizations.randomized_at',
    ])
    .execute();
  const byKit = new Map(used.map((u) => [u.kit, u]));
  const status = await getAllocationStatus(ctx.database.db);
  const slots: AllocationSlotView[] = [];
  for (const stratum of parameters.strata) {
    for (const e of sealed.strata[stratum] ?? []) {
      const u = byKit.get(e.kit);
      slots.push({
        stratum,
        seq: e.seq,
        block: e.block,
        arm: e.arm,
        kit: e.kit,
        participantId: u?.participant_id ?? null,
        studyId: u?.study_id ?? null,
        randomizationNumber: u?.randomization_number ?? null,
        randomizedAt: u?.randomized_at ?? null,
      });
    }
  }
  return {
    algorithm: row.algorithm,
    version: row.version,
    commitment: row.commitment,
    parameters,
    createdAt: row.created_at,
    strata: status.strata,
    slots,
  };
}

/**
 * Reveals the complete list — seed, salt and all — in the exact format of
 * `stemjoint randomization generate --json`, so that anyone can run `randomization verify` on it.
 * Only after database lock, only to roles that then see arms; every reveal is audited.
 */
export async function revealAllocationList(ctx: ServiceContext, actor: Actor): Promise<AllocationList> {
  const study = await ctx.database.db.selectFrom('study').select('database_locked').executeTakeFirst();
  if (study?.database_locked !== 1) throw conflict('The seed and salt are revealed only after database lock');
  if (!(await actorSeesArms(ctx.database.db, actor))) {
    throw forbidden('Revealing the allocation list needs an unblinded role');
  }
  const { sealed, parameters, row } = await unsealList(ctx);
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      await tx
        .updateTable('allocation_lists')
        .set({ revealed_at: row.revealed_at ?? at })
        .where('id', '=', LIST_ID)
        .execute();
      await audit({
        action: 'randomization.list_revealed',
        entityType: 'allocation_list',
        entityId: LIST_ID,
        after: { commitment: row.commitment },
      });
    },
    { allowWhenLocked: true },
  );
  return {
    algorithm: row.algorithm as AllocationList['algorithm'],
    version: row.version as AllocationList['version'],
    seed: sealed.seed,
    parameters,
    strata: sealed.strata,
    salt: sealed.salt,
    commitment: row.commitment,
  };
}

// ---------------------------------------------------------------------------------------------
// Randomizing a participant
// ---------------------------------------------------------------------------------------------

export type DoseStatus = 'awaiting_preparation' | 'ready' | 'expired' | 'administered' | 'not_administered';

/**
 * What blinded site staff see of the product workflow. Identical for both arms by construction:
 * a failed cell preparation shows as "awaiting preparation", never as a failure.
 */
export interface DoseView {
  status: DoseStatus;
  useBy: string | null;
  administeredAt: string | null;
  day0: string | null;
}

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
  /** Removed by the blinding presenter for blinded callers. */
  arm: Arm | null;
}

async function doseViews(db: Executor, participantIds: readonly string[], now: string): Promise<Map<string, DoseView>> {
  const out = new Map<string, DoseView>();
  if (participantIds.length === 0) return out;
  const admins = await db
    .selectFrom('administrations')
    .selectAll()
    .where('participant_id', 'in', participantIds)
    .execute();
  const preps = await db
    .selectFrom('dose_preparations')
    .select(['participant_id', 'status', 'use_by'])
    .where('participant_id', 'in', participantIds)
    .where('status', '=', 'released')
    .orderBy('use_by', 'desc')
    .execute();
  for (const id of participantIds) {
    const a = admins.find((x) => x.participant_id === id);
    if (a) {
      out.set(id, { status: a.status, useBy: null, administeredAt: a.administered_at, day0: a.day0 });
      continue;
    }
    const p = preps.find((x) => x.participant_id === id);
    const status: DoseStatus = !p ? 'awaiting_preparation' : p.use_by >= now ? 'ready' : 'expired';
    out.set(id, { status, useBy: p?.use_by ?? null, administeredAt: null, day0: null });
  }
  return out;
}

async function loadRandomizationViews(
  ctx: ServiceContext,
  db: Executor,
  where: { participantId?: string; sites?: 'all' | string[] },
): Promise<RandomizationView[]> {
  let q = db
    .selectFrom('randomizations')
    .innerJoin('participants', 'participants.id', 'randomizations.participant_id')
    .selectAll('randomizations')
    .select('participants.study_id')
    .orderBy('randomizations.randomized_at')
    .orderBy('randomizations.randomization_number');
  if (where.participantId) q = q.where('randomizations.participant_id', '=', where.participantId);
  if (where.sites && where.sites !== 'all') {
    q =
      where.sites.length === 0
        ? q.where('randomizations.id', '=', '')
        : q.where('randomizations.site_id', 'in', where.sites);
  }
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const arms = await loadKitArms(ctx, db);
  const names = await userNames(
    db,
    rows.map((r) => r.randomized_by),
  );
  const doses = await doseViews(
    db,
    rows.map((r) => r.participant_id),
    ctx.now().toISOString(),
  );
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    studyId: r.study_id,
    siteId: r.site_id,
    stratum: r.stratum,
    randomizationNumber: r.randomization_number,
    kit: r.kit,
    randomizedAt: r.randomized_at,
    randomizedBy: names.get(r.randomized_by) ?? r.randomized_by,
    emergencyUnblinded: r.emergency_unblinded === 1,
    emergencyUnblindedAt: r.emergency_unblinded_at,
    dose: doses.get(r.participant_id)!,
    arm: arms.get(r.kit) ?? null,
  }));
}

/** One participant's randomization (no site check: callers check access to the participant). */
export async function loadRandomizationViewForParticipant(
  ctx: ServiceContext,
  participantId: string,
): Promise<RandomizationView | null> {
  const [view] = await loadRandomizationViews(ctx, ctx.database.db, { participantId });
  return view ?? null;
}

/** Randomizations at the actor's sites, in randomization-number order. */
export async function listRandomizations(ctx: ServiceContext, actor: Actor): Promise<RandomizationView[]> {
  return loadRandomizationViews(ctx, ctx.database.db, { sites: actorSites(actor, 'randomization.read') });
}

export interface RandomizationReadiness {
  ready: boolean;
  stratum: string | null;
  /** Each unmet requirement, by field: status, eligibility, signOff, consent, baseline, stratum, allocationList. */
  problems: FieldIssue[];
}

interface ParticipantFacts {
  id: string;
  study_id: string;
  site_id: string;
  status: string;
  kl_grade: number | null;
  screening_id: string;
}

async function loadParticipantFacts(db: Executor, participantId: string): Promise<ParticipantFacts> {
  const p = await db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status', 'kl_grade', 'screening_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) throw notFound('Participant');
  return p;
}

/** Everything spec §4 requires before randomization, each unmet requirement named. */
async function assessReadiness(db: Executor, p: ParticipantFacts): Promise<RandomizationReadiness> {
  const problems: FieldIssue[] = [];
  if (p.status === 'withdrawn') {
    problems.push({ path: 'status', message: `${p.study_id} has withdrawn from the study` });
  } else if (p.status === 'randomized') {
    problems.push({ path: 'status', message: `${p.study_id} is already randomized` });
  } else if (p.status !== 'enrolled') {
    problems.push({ path: 'status', message: `${p.study_id} is ${p.status}, not enrolled` });
  }
  const s = await db
    .selectFrom('screenings')
    .select(['eligible', 'signed_off_at', 'signature_id'])
    .where('id', '=', p.screening_id)
    .executeTakeFirstOrThrow();
  if (s.eligible !== 1) {
    problems.push({ path: 'eligibility', message: 'the screening does not show the participant as eligible' });
  }
  if (!s.signed_off_at || !s.signature_id) {
    problems.push({ path: 'signOff', message: 'eligibility has not been signed off by an investigator' });
  }
  const consent = await db
    .selectFrom('consents')
    .select(['status', 'document_version'])
    .where('screening_id', '=', p.screening_id)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  const latest = await latestConsentVersion(db);
  if (consent?.status !== 'active') problems.push({ path: 'consent', message: 'no valid (active) informed consent' });
  else if (latest !== null && consent.document_version !== latest) {
    problems.push({
      path: 'consent',
      message: `consent is to version ${consent.document_version}; re-consent to version ${latest} is required`,
    });
  }
  const baseline = await checkBaselineReadiness(db, p.id);
  if (!baseline.complete) {
    problems.push({
      path: 'baseline',
      message: `baseline assessments are incomplete (missing: ${baseline.missing.join(', ') || 'unspecified'})`,
    });
  }
  const stratum = stratumForKlGrade(p.kl_grade);
  if (!stratum) {
    problems.push({ path: 'stratum', message: `no stratum for Kellgren–Lawrence grade ${p.kl_grade ?? 'missing'}` });
  }
  const list = await db.selectFrom('allocation_lists').select('id').where('id', '=', LIST_ID).executeTakeFirst();
  if (!list) problems.push({ path: 'allocationList', message: 'no allocation list has been created yet' });
  else if (stratum) {
    const st = await db
      .selectFrom('randomization_strata')
      .select(['slots', 'used'])
      .where('stratum', '=', stratum)
      .executeTakeFirst();
    if (!st) problems.push({ path: 'stratum', message: `the allocation list has no stratum ${stratum}` });
    else if (Number(st.used) >= Number(st.slots)) {
      problems.push({ path: 'stratum', message: `the allocation list of stratum ${stratum} is exhausted` });
    }
  }
  return { ready: problems.length === 0, stratum, problems };
}

export interface ParticipantRandomizationView {
  participantId: string;
  studyId: string;
  siteId: string;
  participantStatus: string;
  readiness: RandomizationReadiness;
  randomization: RandomizationView | null;
  administration: AdministrationView | null;
  emergencyUnblindings: { id: string; requestedBy: string; requestedAt: string; reason: string }[];
}

/** What an administration looks like to everyone: no lot, vial or product detail. */
export interface AdministrationView {
  id: string;
  participantId: string;
  kit: string;
  status: 'administered' | 'not_administered';
  administeredAt: string | null;
  day0: string | null;
  kneeSide: 'left' | 'right' | null;
  ultrasoundGuided: boolean | null;
  volumeMl: number | null;
  injector: string | null;
  reason: string | null;
  recordedBy: string;
  recordedAt: string;
}

export async function loadAdministrationView(db: Executor, participantId: string): Promise<AdministrationView | null> {
  const a = await db
    .selectFrom('administrations')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  if (!a) return null;
  const names = await userNames(db, [a.recorded_by]);
  return {
    id: a.id,
    participantId: a.participant_id,
    kit: a.kit,
    status: a.status,
    administeredAt: a.administered_at,
    day0: a.day0,
    kneeSide: a.knee_side,
    ultrasoundGuided: a.ultrasound_guided === null ? null : a.ultrasound_guided === 1,
    volumeMl: a.volume_ml === null ? null : Number(a.volume_ml),
    injector: a.injector,
    reason: a.reason,
    recordedBy: names.get(a.recorded_by) ?? a.recorded_by,
    recordedAt: a.created_at,
  };
}

/** One participant's randomization page: readiness, randomization, administration, unblinding log. */
export async function getParticipantRandomization(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
): Promise<ParticipantRandomizationView> {
  const db = ctx.database.db;
  const p = await loadParticipantFacts(db, participantId);
  assertSiteAccess(actor, 'randomization.read', p.site_id);
  const [randomization] = await loadRandomizationViews(ctx, db, { participantId });
  const unblindings = await db
    .selectFrom('emergency_unblindings')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('requested_at')
    .execute();
  const names = await userNames(
    db,
    unblindings.map((u) => u.requested_by),
  );
  return {
    participantId: p.id,
    studyId: p.study_id,
    siteId: p.site_id,
    participantStatus: p.status,
    readiness: randomization
      ? {
          ready: false,
          stratum: randomization.stratum,
          problems: [{ path: 'status', message: `${p.study_id} is already randomized` }],
        }
      : await assessReadiness(db, p),
    randomization: randomization ?? null,
    administration: await loadAdministrationView(db, participantId),
    emergencyUnblindings: unblindings.map((u) => ({
      id: u.id,
      requestedBy: names.get(u.requested_by) ?? u.requested_by,
      requestedAt: u.requested_at,
      reason: u.reason,
    })),
  };
}

export interface RandomizationCandidate {
  participantId: string;
  studyId: string;
  siteId: string;
  klGrade: number | null;
  enrolledAt: string;
  readiness: RandomizationReadiness;
}

/** Enrolled, not yet randomized participants at the actor's sites, with what each still needs. */
export async function listRandomizationCandidates(
  ctx: ServiceContext,
  actor: Actor,
): Promise<RandomizationCandidate[]> {
  const db = ctx.database.db;
  const sites = actorSites(actor, 'randomization.read');
  let q = db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status', 'kl_grade', 'screening_id', 'enrolled_at'])
    .where('status', '=', 'enrolled')
    .orderBy('study_id');
  if (sites !== 'all') q = sites.length === 0 ? q.where('id', '=', '') : q.where('site_id', 'in', sites);
  const rows = await q.execute();
  const out: RandomizationCandidate[] = [];
  for (const r of rows) {
    out.push({
      participantId: r.id,
      studyId: r.study_id,
      siteId: r.site_id,
      klGrade: r.kl_grade,
      enrolledAt: r.enrolled_at,
      readiness: await assessReadiness(db, r),
    });
  }
  return out;
}

export interface RandomizeResult {
  randomization: RandomizationView;
  /** True when this answered a retry of an earlier request (same `requestId`): nothing new happened. */
  replayed: boolean;
}

async function nextRandomizationNumber(tx: Tx): Promise<string> {
  const row = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'randomization')
    .returning('value')
    .executeTakeFirstOrThrow();
  return `R-${String(Number(row.value)).padStart(3, '0')}`;
}

/**
 * Randomizes one participant: checks every requirement of spec §4, then claims the next free slot
 * of the participant's stratum in the same transaction. The claim is `UPDATE randomization_strata
 * SET used = used + 1 WHERE stratum = ? AND used < slots RETURNING used`: on PostgreSQL the row lock
 * queues concurrent claims across app instances (each sees the previous commit), on SQLite the
 * transaction holds the write lock from its start; a failure later in the transaction rolls the
 * counter back, so no slot is used twice and none is skipped. Unique constraints on (stratum, seq),
 * kit and participant back this up.
 *
 * A retry with the same `requestId` returns the original result (idempotent); any other request
 * for an already randomized participant is refused with a clear error and changes nothing.
 */
export async function randomizeParticipant(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  props: { requestId?: string } = {},
): Promise<RandomizeResult> {
  const before = await loadParticipantFacts(ctx.database.db, participantId);
  assertSiteAccess(actor, 'randomization.randomize', before.site_id);
  const outcome = await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    // Lock the participant row first: two requests for the same participant queue here.
    await tx
      .updateTable('participants')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', participantId)
      .execute();
    const p = await loadParticipantFacts(tx, participantId);
    const existing = await tx
      .selectFrom('randomizations')
      .selectAll()
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (existing) {
      if (props.requestId && existing.request_id === props.requestId) return { id: existing.id, replayed: true };
      throw conflict(
        `${p.study_id} is already randomized (${existing.randomization_number}, kit ${existing.kit}, ${existing.randomized_at}); a participant is randomized only once`,
        [{ path: 'status', message: 'already randomized' }],
      );
    }
    const readiness = await assessReadiness(tx, p);
    if (!readiness.ready) throw conflict(`${p.study_id} cannot be randomized yet`, readiness.problems);
    const stratum = readiness.stratum!;
    const claimed = await tx
      .updateTable('randomization_strata')
      .set((eb) => ({ used: eb('used', '+', 1) }))
      .where('stratum', '=', stratum)
      .whereRef('used', '<', 'slots')
      .returning('used')
      .executeTakeFirst();
    if (!claimed) {
      throw conflict(`The allocation list of stratum ${stratum} is exhausted`, [
        { path: 'stratum', message: 'no free slot' },
      ]);
    }
    const seq = Number(claimed.used);
    const slot = await tx
      .updateTable('allocation_slots')
      .set({ participant_id: participantId })
      .where('stratum', '=', stratum)
      .where('seq', '=', seq)
      .where('participant_id', 'is', null)
      .returning('kit')
      .executeTakeFirst();
    if (!slot) throw new TrialError('internal', `allocation slot ${stratum}#${seq} is missing or already used`);
    const number = await nextRandomizationNumber(tx);
    const id = randomUUID();
    await tx
      .insertInto('randomizations')
      .values({
        id,
        participant_id: participantId,
        site_id: p.site_id,
        stratum,
        seq,
        randomization_number: number,
        kit: slot.kit,
        request_id: props.requestId ?? null,
        randomized_at: at,
        randomized_by: userId(actor),
        emergency_unblinded: 0,
        emergency_unblinded_at: null,
      })
      .execute();
    await tx
      .updateTable('participants')
      .set({ status: 'randomized', updated_at: at })
      .where('id', '=', participantId)
      .execute();
    // The arm is never written to the audit trail: it follows from the sealed list and (stratum, seq).
    await audit({
      action: 'randomization.randomized',
      entityType: 'participant',
      entityId: participantId,
      before: { status: p.status },
      after: { studyId: p.study_id, status: 'randomized', randomizationNumber: number, kit: slot.kit, stratum, seq },
    });
    return { id, replayed: false };
  });
  const [view] = await loadRandomizationViews(ctx, ctx.database.db, { participantId });
  return { randomization: view!, replayed: outcome.replayed };
}

/**
 * Day 0 of the schedule: the Europe/Copenhagen calendar date of the injection, or null while the
 * participant has not been injected (or will not be).
 */
export async function getDay0(db: Executor, participantId: string): Promise<string | null> {
  const a = await db
    .selectFrom('administrations')
    .select(['day0', 'status'])
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return a?.status === 'administered' ? a.day0 : null;
}

/** The Copenhagen calendar date of an instant (Day 0 of an injection at that instant). */
export function copenhagenDate(instant: string): string {
  return formatCopenhagenInstant(new Date(instant)).slice(0, 10);
}

/**
 * Participant id → arm for every randomized participant: for by-arm analyses and reports, which
 * must themselves be shown only to roles that see arms (the blinding presenter, `actorSeesArms`).
 */
export async function loadParticipantArms(ctx: ServiceContext): Promise<Map<string, Arm>> {
  const arms = await loadKitArms(ctx);
  const rows = await ctx.database.db.selectFrom('randomizations').select(['participant_id', 'kit']).execute();
  return new Map(rows.flatMap((r) => (arms.has(r.kit) ? [[r.participant_id, arms.get(r.kit)!] as const] : [])));
}

/** Participants whose arm has been revealed by emergency unblinding (flag for the analysis, spec §4). */
export async function listEmergencyUnblindedParticipants(
  db: Executor,
): Promise<{ participantId: string; unblindedAt: string }[]> {
  const rows = await db
    .selectFrom('randomizations')
    .select(['participant_id', 'emergency_unblinded_at'])
    .where('emergency_unblinded', '=', 1)
    .execute();
  return rows.map((r) => ({ participantId: r.participant_id, unblindedAt: r.emergency_unblinded_at ?? '' }));
}
