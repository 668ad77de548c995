/**
 * Participant access to ePRO without a staff account. Site staff enrol the participant's e-mail or
 * phone (or hand a code over in person); the participant receives a link (carrying a random login
 * handle) and a one-time code, signs in with it, and may choose a PIN for later sign-ins. Lost
 * access is reset by site staff (a new code; sessions and the PIN are void). Every login, failed
 * login, PIN change and reset is in the audit trail.
 *
 * A participant session (cookie `sj_participant`) names one participant and nothing else; the
 * participant routes resolve it with `resolveParticipantSession`, which also checks the CSRF token
 * on writes and refuses participants who have withdrawn.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { conflict, invalid, notFound, TrialError, type FieldIssue } from '../core/errors.js';
import { participantMessage, type ParticipantLanguage } from '../core/epro/participant-messages.js';
import type { Executor } from '../storage/database.js';
import type { EproAccessTable } from '../storage/schema-epro.js';
import { actorSites, assertSiteAccess } from './access.js';
import { limitAttempts } from './auth.js';
import { runCommand } from './command.js';
import { actorLabel, requireVault, systemActor, type Actor, type ServiceContext } from './context.js';
import { enqueueJob } from './jobs.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { channelsFromEnv } from './notification-channels.js';
import { planParticipantReminders } from './epro-reminders.js';

/** The participant session cookie (separate from the staff `sj_session`). */
export const PARTICIPANT_COOKIE = 'sj_participant';
/** The participant CSRF header (same name as the staff side). */
export const PARTICIPANT_CSRF_HEADER = 'x-csrf-token';

/** How long a one-time code is valid (posted letters and SMS can take a while to be read). */
export const CODE_VALID_DAYS = 14;
/** Wrong codes/PINs before the access locks for `LOCK_MINUTES`. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;
/** A participant session ends after this long without a request, and in any case after the absolute limit. */
export const SESSION_IDLE_HOURS = 24 * 7;
export const SESSION_ABSOLUTE_DAYS = 30;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const participantActor = (studyId: string): Actor => systemActor(`participant:${studyId}`);

/** How the code reaches the participant. */
export const ACCESS_CHANNELS = ['email', 'sms', 'in_person'] as const;
export type AccessChannel = (typeof ACCESS_CHANNELS)[number];

/** What site staff give when enrolling or resetting. */
export interface EnrolAccessInput {
  channel: AccessChannel;
  /** E-mail address (channel email) or phone number (channel sms); none for in_person. */
  contact?: string | null;
  language: ParticipantLanguage;
}

/** What staff see after enrolling: where the participant signs in, and the code when it is theirs to hand over. */
export interface EnrolAccessResult {
  participantId: string;
  channel: AccessChannel;
  /** The contact, masked (`••••5678`, `a•••@example.dk`). */
  contactHint: string | null;
  language: ParticipantLanguage;
  /** The participant's sign-in link (path; prefix it with the site's public address). */
  loginPath: string;
  /** The one-time code: shown for in-person handover and when the delivery channel is the development file channel. */
  code: string | null;
  codeExpiresAt: string;
  /** Whether the code is also being sent (e-mail/SMS job queued). */
  sent: boolean;
}

/** The access state as staff see it (never the contact itself). */
export interface AccessView {
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

function maskContact(channel: AccessChannel, contact: string | null): string | null {
  if (contact === null) return null;
  if (channel === 'email') {
    const [local = '', domain = ''] = contact.split('@');
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  return `••••${contact.replace(/\D/g, '').slice(-4)}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ]{8,20}$/;

function checkContact(input: EnrolAccessInput): string | null {
  const issues: FieldIssue[] = [];
  const contact = input.contact?.trim() || null;
  if (input.channel === 'email' && (contact === null || !EMAIL.test(contact) || contact.length > 254)) {
    issues.push({ path: 'contact', message: 'must be an e-mail address' });
  }
  if (input.channel === 'sms' && (contact === null || !PHONE.test(contact))) {
    issues.push({ path: 'contact', message: 'must be a phone number (digits, optional leading +)' });
  }
  if (input.channel === 'in_person' && contact !== null) {
    issues.push({ path: 'contact', message: 'must be empty for a code handed over in person' });
  }
  if (issues.length > 0) throw invalid('The contact is not valid', issues);
  return contact === null ? null : input.channel === 'sms' ? contact.replace(/ /g, '') : contact;
}

const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The contact of an access record, decrypted (callers audit the use). */
export function decryptContact(
  ctx: ServiceContext,
  row: Pick<EproAccessTable, 'contact_key_id' | 'contact_ciphertext'>,
): string | null {
  if (row.contact_key_id === null || row.contact_ciphertext === null) return null;
  const value = requireVault(ctx).decrypt(row.contact_key_id, row.contact_ciphertext) as { contact?: unknown };
  return typeof value.contact === 'string' ? value.contact : null;
}

/** Whether the delivery channel for a contact kind is the development file channel (then staff see the code too). */
function isDevelopmentChannel(channel: AccessChannel): boolean {
  if (channel === 'in_person') return true;
  return channelsFromEnv()[channel].development;
}

/**
 * Enrols a participant's ePRO access (or replaces it: a reset), with a new login handle and
 * one-time code. Sessions and the PIN of an earlier access are void. The code is sent by a durable
 * job (sealed in its payload) unless it is handed over in person.
 */
export async function enrolParticipantAccess(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  input: EnrolAccessInput,
): Promise<EnrolAccessResult> {
  const contact = checkContact(input);
  const vault = requireVault(ctx);
  const handle = randomBytes(18).toString('base64url');
  const code = newCode();
  const sealedContact = contact === null ? null : vault.encrypt({ contact });
  const sealedCode = vault.encrypt({ code, handle });
  return runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const p = await tx
      .selectFrom('participants')
      .select(['id', 'site_id', 'study_id', 'status', 'withdrawal_scope'])
      .where('id', '=', participantId)
      .executeTakeFirst();
    if (!p) throw notFound('Participant');
    assertSiteAccess(actor, 'epro.manage', p.site_id);
    if (p.status === 'withdrawn') {
      throw conflict(`${p.study_id} has withdrawn (${p.withdrawal_scope ?? 'withdrawn'}); no ePRO access can be given`);
    }
    const existing = await tx
      .selectFrom('epro_access')
      .selectAll()
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    const generation = (existing?.generation ?? 0) + 1;
    const expiresAt = new Date(Date.parse(at) + CODE_VALID_DAYS * 86_400_000).toISOString();
    const row: EproAccessTable = {
      participant_id: p.id,
      site_id: p.site_id,
      handle_hash: sha256(handle),
      channel: input.channel,
      contact_key_id: sealedContact?.keyId ?? null,
      contact_ciphertext: sealedContact?.ciphertext ?? null,
      language: input.language,
      code_hash: sha256(code),
      code_expires_at: expiresAt,
      pin_hash: null,
      failed_attempts: 0,
      locked_until: null,
      status: 'active',
      generation,
      created_at: existing?.created_at ?? at,
      created_by: existing?.created_by ?? actorLabel(actor),
      updated_at: at,
      last_login_at: existing?.last_login_at ?? null,
    };
    if (existing) {
      const { participant_id: _id, ...rest } = row;
      await tx.updateTable('epro_access').set(rest).where('participant_id', '=', p.id).execute();
      await tx
        .updateTable('epro_sessions')
        .set({ revoked_at: at })
        .where('participant_id', '=', p.id)
        .where('revoked_at', 'is', null)
        .execute();
    } else {
      await tx.insertInto('epro_access').values(row).execute();
    }
    const sent = input.channel !== 'in_person';
    if (sent) {
      await enqueueJob(
        { tx, at },
        {
          kind: 'epro.access_code',
          payload: { participantId: p.id, generation, keyId: sealedCode.keyId, sealed: sealedCode.ciphertext },
          runAt: new Date(at),
          dedupeKey: `epro.access_code:${p.id}:${generation}`,
        },
      );
    }
    await planParticipantReminders({ tx, at }, p.id);
    await audit({
      action: existing ? 'epro.access_reset' : 'epro.access_enrolled',
      entityType: 'participant',
      entityId: p.id,
      ...(existing
        ? { before: { channel: existing.channel, generation: existing.generation, hadPin: existing.pin_hash !== null } }
        : {}),
      // Never the contact or the code: only how the code travels.
      after: { channel: input.channel, language: input.language, generation, codeExpiresAt: expiresAt, codeSent: sent },
    });
    return {
      participantId: p.id,
      channel: input.channel,
      contactHint: maskContact(input.channel, contact),
      language: input.language,
      loginPath: `/p/?k=${handle}`,
      code: isDevelopmentChannel(input.channel) ? code : null,
      codeExpiresAt: expiresAt,
      sent,
    };
  });
}

/** Revokes a participant's access (e.g. a lost phone): sessions end, code and PIN are void. */
export async function revokeParticipantAccess(
  ctx: ServiceContext,
  actor: Actor,
  participantId: string,
  reason: string,
): Promise<AccessView> {
  if (!reason.trim()) throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    const row = await tx
      .selectFrom('epro_access')
      .selectAll()
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (!row) throw notFound('ePRO access');
    assertSiteAccess(actor, 'epro.manage', row.site_id);
    await tx
      .updateTable('epro_access')
      .set({ status: 'revoked', code_hash: null, pin_hash: null, updated_at: at })
      .where('participant_id', '=', participantId)
      .execute();
    await tx
      .updateTable('epro_sessions')
      .set({ revoked_at: at })
      .where('participant_id', '=', participantId)
      .where('revoked_at', 'is', null)
      .execute();
    await audit({
      action: 'epro.access_revoked',
      entityType: 'participant',
      entityId: participantId,
      before: { status: row.status },
      after: { status: 'revoked' },
      reason: reason.trim(),
    });
  });
  return getAccessView(ctx, actor, participantId);
}

/** The access state of one participant for staff. */
export async function getAccessView(ctx: ServiceContext, actor: Actor, participantId: string): Promise<AccessView> {
  const db = ctx.database.db;
  const p = await db
    .selectFrom('participants')
    .select(['id', 'site_id'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) throw notFound('Participant');
  assertSiteAccess(actor, 'epro.read', p.site_id);
  const row = await db
    .selectFrom('epro_access')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return accessView(ctx, participantId, row ?? null);
}

function accessView(ctx: ServiceContext, participantId: string, row: EproAccessTable | null): AccessView {
  const now = ctx.now().toISOString();
  if (row === null) {
    return {
      participantId,
      enrolled: false,
      status: null,
      channel: null,
      contactHint: null,
      language: null,
      hasPin: false,
      codePending: false,
      locked: false,
      lastLoginAt: null,
    };
  }
  let hint: string | null;
  try {
    // The hint is derived from the sealed contact without showing it; no audit record is needed for a mask.
    hint = ctx.identityVault ? maskContact(row.channel, decryptContact(ctx, row)) : null;
  } catch {
    hint = null;
  }
  return {
    participantId,
    enrolled: true,
    status: row.status,
    channel: row.channel,
    contactHint: hint,
    language: row.language,
    hasPin: row.pin_hash !== null,
    codePending: row.code_hash !== null && (row.code_expires_at ?? '') > now,
    locked: row.locked_until !== null && row.locked_until > now,
    lastLoginAt: row.last_login_at,
  };
}

/** Access rows of the sites an actor may read (for the compliance dashboard). */
export async function listAccessRows(ctx: ServiceContext, actor: Actor): Promise<Map<string, EproAccessTable>> {
  const sites = actorSites(actor, 'epro.read');
  let q = ctx.database.db.selectFrom('epro_access').selectAll();
  if (sites !== 'all') q = sites.length === 0 ? q.where('participant_id', '=', '') : q.where('site_id', 'in', sites);
  return new Map((await q.execute()).map((r) => [r.participant_id, r]));
}

// ---------------------------------------------------------------------------------------------
// The participant's side

/** A signed-in participant (everything the participant routes may act on). */
export interface ParticipantPrincipal {
  participantId: string;
  studyId: string;
  siteId: string;
  language: ParticipantLanguage;
  hasPin: boolean;
  csrfToken: string;
  sessionHash: string;
}

/** The error a participant sees: a stable code, a message in their language. */
export function participantError(
  code:
    'unauthenticated' | 'forbidden' | 'csrf_failed' | 'not_found' | 'conflict' | 'validation_failed' | 'rate_limited',
  key: Parameters<typeof participantMessage>[0],
  language: ParticipantLanguage,
  details: FieldIssue[] = [],
): TrialError {
  return new TrialError(code, participantMessage(key, language), details);
}

function withdrawnStops(p: { status: string }): boolean {
  // Every withdrawal scope ends questionnaires: no_further_data/no_further_contact by definition, and
  // no_further_visits because the diary and visit questionnaires belong to visits the participant left.
  return p.status === 'withdrawn';
}

/** What a successful login returns (the session secret goes into the cookie only). */
export interface ParticipantLoginResult {
  sessionSecret: string;
  csrfToken: string;
  expiresAt: string;
  language: ParticipantLanguage;
  hasPin: boolean;
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signs a participant in with the handle of their link and either the one-time code (used up on
 * success) or their PIN. Wrong attempts count towards a temporary lock; failures are audited too.
 */
export async function loginParticipant(
  ctx: ServiceContext,
  props: { handle: string; code?: string; pin?: string; clientAddress: string; language: ParticipantLanguage },
): Promise<ParticipantLoginResult> {
  const lang = props.language;
  try {
    await limitAttempts(ctx, `participant-login:${props.clientAddress}`, ctx.security.loginAttemptsPerMinute);
  } catch (e) {
    if (e instanceof TrialError && e.code === 'rate_limited') {
      throw participantError('rate_limited', 'access_locked', lang);
    }
    throw e;
  }
  if ((props.code === undefined) === (props.pin === undefined)) {
    throw participantError('validation_failed', 'wrong_code', lang, [
      { path: 'body', message: participantMessage('wrong_code', lang) },
    ]);
  }
  const db = ctx.database.db;
  const row = await db
    .selectFrom('epro_access')
    .selectAll()
    .where('handle_hash', '=', sha256(props.handle))
    .executeTakeFirst();
  if (!row) throw participantError('unauthenticated', 'wrong_code', lang);
  const language = row.language;
  const p = await db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status'])
    .where('id', '=', row.participant_id)
    .executeTakeFirstOrThrow();
  const nowIso = ctx.now().toISOString();
  if (row.status !== 'active' || withdrawnStops(p)) throw participantError('forbidden', 'access_ended', language);
  if (row.locked_until !== null && row.locked_until > nowIso) {
    throw participantError('forbidden', 'access_locked', language);
  }
  let ok: boolean;
  let method: 'code' | 'pin' = 'code';
  if (props.code !== undefined) {
    ok =
      row.code_hash !== null &&
      (row.code_expires_at ?? '') > nowIso &&
      safeEqualHex(row.code_hash, sha256(props.code.trim()));
  } else {
    method = 'pin';
    ok = row.pin_hash !== null && (await verifyPassword(row.pin_hash, props.pin ?? ''));
  }
  const actor = participantActor(p.study_id);
  if (!ok) {
    const locked = await runCommand(
      ctx,
      actor,
      async ({ tx, at, audit }) => {
        const updated = await tx
          .updateTable('epro_access')
          .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), updated_at: at }))
          .where('participant_id', '=', p.id)
          .returning('failed_attempts')
          .executeTakeFirstOrThrow();
        const lock = updated.failed_attempts >= MAX_FAILED_ATTEMPTS;
        if (lock) {
          await tx
            .updateTable('epro_access')
            .set({ failed_attempts: 0, locked_until: new Date(Date.parse(at) + LOCK_MINUTES * 60_000).toISOString() })
            .where('participant_id', '=', p.id)
            .execute();
        }
        await audit({
          action: 'epro.login_failed',
          entityType: 'participant',
          entityId: p.id,
          after: { method, locked: lock },
        });
        return lock;
      },
      { allowWhenLocked: true },
    );
    throw participantError(locked ? 'forbidden' : 'unauthenticated', locked ? 'access_locked' : 'wrong_code', language);
  }
  const sessionSecret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  return runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      // The code is used up atomically: of two simultaneous logins with it, only one succeeds.
      const used = await tx
        .updateTable('epro_access')
        .set({
          failed_attempts: 0,
          locked_until: null,
          last_login_at: at,
          updated_at: at,
          ...(method === 'code' ? { code_hash: null, code_expires_at: null } : {}),
        })
        .where('participant_id', '=', p.id)
        .where('generation', '=', row.generation)
        .$if(method === 'code', (q) => q.where('code_hash', '=', row.code_hash))
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw participantError('unauthenticated', 'wrong_code', language);
      const expiresAt = new Date(Date.parse(at) + SESSION_ABSOLUTE_DAYS * 86_400_000).toISOString();
      await tx
        .insertInto('epro_sessions')
        .values({
          id_hash: sha256(sessionSecret),
          participant_id: p.id,
          generation: row.generation,
          csrf_token: csrfToken,
          created_at: at,
          last_seen_at: at,
          expires_at: expiresAt,
          revoked_at: null,
        })
        .execute();
      await audit({
        action: 'epro.login',
        entityType: 'participant',
        entityId: p.id,
        after: { method, generation: row.generation },
      });
      return { sessionSecret, csrfToken, expiresAt, language, hasPin: row.pin_hash !== null };
    },
    { allowWhenLocked: true },
  );
}

/**
 * Resolves the participant session of a request: throws 401 (no or expired session) or 403
 * (access ended, wrong CSRF token on a write) with a message in the participant's language.
 */
export async function resolveParticipantSession(
  ctx: ServiceContext,
  props: {
    sessionSecret: string | undefined;
    write: boolean;
    csrfToken: string | undefined;
    fallbackLanguage: ParticipantLanguage;
  },
): Promise<ParticipantPrincipal> {
  const lang = props.fallbackLanguage;
  if (!props.sessionSecret) throw participantError('unauthenticated', 'not_signed_in', lang);
  const db = ctx.database.db;
  const idHash = sha256(props.sessionSecret);
  const s = await db.selectFrom('epro_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  const now = ctx.now();
  const nowIso = now.toISOString();
  if (
    !s ||
    s.revoked_at !== null ||
    s.expires_at <= nowIso ||
    Date.parse(s.last_seen_at) + SESSION_IDLE_HOURS * 3_600_000 <= now.getTime()
  ) {
    throw participantError('unauthenticated', 'not_signed_in', lang);
  }
  const access = await db
    .selectFrom('epro_access')
    .selectAll()
    .where('participant_id', '=', s.participant_id)
    .executeTakeFirst();
  if (!access || access.generation !== s.generation) throw participantError('unauthenticated', 'not_signed_in', lang);
  const language = access.language;
  const p = await db
    .selectFrom('participants')
    .select(['id', 'study_id', 'site_id', 'status'])
    .where('id', '=', s.participant_id)
    .executeTakeFirstOrThrow();
  if (access.status !== 'active' || withdrawnStops(p)) throw participantError('forbidden', 'access_ended', language);
  if (props.write) {
    const given = props.csrfToken ?? '';
    const a = Buffer.from(s.csrf_token);
    const b = Buffer.from(given);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw participantError('csrf_failed', 'security_check', language);
    }
  }
  // Sliding idle expiry, at most once a minute so reads stay cheap. Session bookkeeping, not clinical data.
  if (now.getTime() - Date.parse(s.last_seen_at) > 60_000) {
    await runCommand(
      ctx,
      participantActor(p.study_id),
      ({ tx }) => tx.updateTable('epro_sessions').set({ last_seen_at: nowIso }).where('id_hash', '=', idHash).execute(),
      { allowWhenLocked: true },
    );
  }
  return {
    participantId: p.id,
    studyId: p.study_id,
    siteId: p.site_id,
    language,
    hasPin: access.pin_hash !== null,
    csrfToken: s.csrf_token,
    sessionHash: idHash,
  };
}

/** Ends the participant's session. */
export async function logoutParticipant(ctx: ServiceContext, principal: ParticipantPrincipal): Promise<void> {
  await runCommand(
    ctx,
    participantActor(principal.studyId),
    async ({ tx, at, audit }) => {
      await tx
        .updateTable('epro_sessions')
        .set({ revoked_at: at })
        .where('id_hash', '=', principal.sessionHash)
        .execute();
      await audit({ action: 'epro.logout', entityType: 'participant', entityId: principal.participantId });
    },
    { allowWhenLocked: true },
  );
}

/** Sets (or replaces) the participant's PIN: 4–8 digits. */
export async function setParticipantPin(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  pin: string,
): Promise<void> {
  if (!/^\d{4,8}$/.test(pin)) {
    throw participantError('validation_failed', 'invalid_pin', principal.language, [
      { path: 'body.pin', message: participantMessage('invalid_pin', principal.language) },
    ]);
  }
  const pinHash = await hashPassword(pin);
  await runCommand(
    ctx,
    participantActor(principal.studyId),
    async ({ tx, at, audit }) => {
      await tx
        .updateTable('epro_access')
        .set({ pin_hash: pinHash, updated_at: at })
        .where('participant_id', '=', principal.participantId)
        .execute();
      await audit({ action: 'epro.pin_set', entityType: 'participant', entityId: principal.participantId });
    },
    { allowWhenLocked: true },
  );
}

/** Sets the participant's language (screens, reminders, messages). */
export async function setParticipantLanguage(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  language: ParticipantLanguage,
): Promise<void> {
  await runCommand(
    ctx,
    participantActor(principal.studyId),
    async ({ tx, at, audit }) => {
      await tx
        .updateTable('epro_access')
        .set({ language, updated_at: at })
        .where('participant_id', '=', principal.participantId)
        .execute();
      await audit({
        action: 'epro.language_set',
        entityType: 'participant',
        entityId: principal.participantId,
        before: { language: principal.language },
        after: { language },
      });
    },
    { allowWhenLocked: true },
  );
}

/** The audit actor of a participant. */
export function actorForParticipant(principal: Pick<ParticipantPrincipal, 'studyId'>): Actor {
  return participantActor(principal.studyId);
}

/** Loads an access row (jobs). */
export async function loadAccessRow(db: Executor, participantId: string): Promise<EproAccessTable | null> {
  return (
    (await db.selectFrom('epro_access').selectAll().where('participant_id', '=', participantId).executeTakeFirst()) ??
    null
  );
}
