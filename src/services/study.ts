/**
 * The study itself: first-start initialisation (study row, first site, admin account), the overview
 * shown on the landing page, and the database lock that freezes every clinical write.
 */
import { invalid, TrialError } from '../core/errors.js';
import type { Executor } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { runCommand } from './command.js';
import { systemActor, type Actor, type ServiceContext } from './context.js';
import { createUser } from './users.js';

export const STUDY = {
  id: 'STEMJOINT01',
  acronym: 'STEMJOINT',
  title:
    'Allogenic Mesenchymal Stem Cell Intraarticular Injection for Knee Osteoarthritis Therapy, an RCT Explorative Mode-of-action Study',
  registryId: 'NCT05933434',
  protocolVersion: '1.0',
  enrolmentTarget: 80,
} as const;

export const DEFAULT_SITE = { id: 'site-auh', code: 'AUH', name: 'Aarhus University Hospital' } as const;

export interface InitResult {
  created: boolean;
  migrationsApplied: string[];
  admin?: { email: string; oneTimePassword: string | null };
}

/**
 * Migrates and, on an empty database, creates the STEMJOINT study, its first site and an admin.
 * Idempotent: on an initialised database it only applies pending migrations.
 */
export async function initStudy(
  ctx: ServiceContext,
  props: { adminEmail?: string; adminPassword?: string } = {},
): Promise<InitResult> {
  const migration = await migrateToLatest(ctx.database);
  if (migration.error) throw new TrialError('internal', `database migration failed: ${migration.error.message}`);
  const existing = await ctx.database.db.selectFrom('study').select('id').executeTakeFirst();
  if (existing) return { created: false, migrationsApplied: migration.applied };
  const actor = systemActor('init');
  await runCommand(ctx, actor, async ({ tx, at, audit }) => {
    await tx
      .insertInto('study')
      .values({
        id: STUDY.id,
        acronym: STUDY.acronym,
        title: STUDY.title,
        registry_id: STUDY.registryId,
        protocol_version: STUDY.protocolVersion,
        database_locked: 0,
        locked_at: null,
        locked_by: null,
        created_at: at,
      })
      .execute();
    await tx
      .insertInto('sites')
      .values({ ...DEFAULT_SITE, created_at: at })
      .execute();
    await audit({ action: 'study.created', entityType: 'study', entityId: STUDY.id, after: { ...STUDY } });
    await audit({ action: 'site.created', entityType: 'site', entityId: DEFAULT_SITE.id, after: { ...DEFAULT_SITE } });
    const consent = {
      version: '1.0',
      title: 'Participant information and informed consent, STEMJOINT',
      issued_at: '2023-09-01',
    };
    await tx
      .insertInto('consent_versions')
      .values({ ...consent, created_at: at })
      .execute();
    await audit({
      action: 'consent_version.issued',
      entityType: 'consent_version',
      entityId: consent.version,
      after: consent,
    });
  });
  const email = props.adminEmail ?? 'admin@stemjoint.local';
  const { oneTimePassword } = await createUser(ctx, actor, {
    email,
    displayName: 'Study administrator',
    ...(props.adminPassword !== undefined ? { password: props.adminPassword } : {}),
    grants: [{ role: 'admin', siteId: null }],
  });
  return { created: true, migrationsApplied: migration.applied, admin: { email, oneTimePassword } };
}

export interface StudyOverview {
  id: string;
  acronym: string;
  title: string;
  registryId: string;
  protocolVersion: string;
  enrolmentTarget: number;
  databaseLocked: boolean;
  lockedAt: string | null;
  sites: { id: string; code: string; name: string }[];
  counts: { users: number; auditRecords: number };
}

export async function getStudyOverview(db: Executor): Promise<StudyOverview> {
  const study = await db.selectFrom('study').selectAll().executeTakeFirst();
  if (!study) throw new TrialError('not_found', 'The study has not been initialised; run `stemjoint init`');
  const sites = await db.selectFrom('sites').select(['id', 'code', 'name']).orderBy('code').execute();
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const head = await db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
  return {
    id: study.id,
    acronym: study.acronym,
    title: study.title,
    registryId: study.registry_id,
    protocolVersion: study.protocol_version,
    enrolmentTarget: STUDY.enrolmentTarget,
    databaseLocked: study.database_locked === 1,
    lockedAt: study.locked_at,
    sites,
    counts: { users: Number(users.n), auditRecords: Number(head.last_seq) },
  };
}

/** Database lock: every clinical write is refused until a data manager unlocks with a reason. */
export async function setDatabaseLock(
  ctx: ServiceContext,
  actor: Actor,
  locked: boolean,
  reason: string,
): Promise<StudyOverview> {
  if (reason.trim() === '') throw invalid('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const study = await tx.selectFrom('study').select(['id', 'database_locked']).executeTakeFirstOrThrow();
      if ((study.database_locked === 1) === locked) {
        throw new TrialError('conflict', locked ? 'The database is already locked' : 'The database is not locked');
      }
      await tx
        .updateTable('study')
        .set({
          database_locked: locked ? 1 : 0,
          locked_at: locked ? at : null,
          locked_by: locked && actor.kind === 'user' ? actor.userId : null,
        })
        .execute();
      await audit({
        action: locked ? 'study.database_locked' : 'study.database_unlocked',
        entityType: 'study',
        entityId: study.id,
        before: { locked: !locked },
        after: { locked },
        reason,
      });
    },
    { allowWhenLocked: true },
  );
  return getStudyOverview(ctx.database.db);
}

/** Adds a site (multi-site deployments); codes are short and unique, e.g. `OUH`. */
export async function createSite(
  ctx: ServiceContext,
  actor: Actor,
  props: { code: string; name: string },
): Promise<{ id: string; code: string; name: string }> {
  const code = props.code.trim().toUpperCase();
  const issues = [];
  if (!/^[A-Z0-9]{2,10}$/.test(code)) issues.push({ path: 'code', message: 'must be 2–10 letters or digits' });
  if (!props.name.trim()) issues.push({ path: 'name', message: 'must not be empty' });
  if (issues.length > 0) throw invalid('The site could not be created', issues);
  const site = { id: `site-${code.toLowerCase()}`, code, name: props.name.trim() };
  await runCommand(
    ctx,
    actor,
    async ({ tx, at, audit }) => {
      const exists = await tx.selectFrom('sites').select('id').where('code', '=', code).executeTakeFirst();
      if (exists) {
        throw new TrialError('conflict', 'A site with this code exists', [{ path: 'code', message: 'already in use' }]);
      }
      await tx
        .insertInto('sites')
        .values({ ...site, created_at: at })
        .execute();
      await audit({ action: 'site.created', entityType: 'site', entityId: site.id, after: site });
    },
    { allowWhenLocked: true },
  );
  return site;
}
