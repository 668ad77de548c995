/**
 * Test fixture of the analysis and report tests: a small simulated trial loaded through the real
 * services (screening → enrolment → baseline → randomization → injection → follow-up → AEs →
 * withdrawals) into a fresh database of either engine, with a fixed clock and a fixed identity key,
 * so the same seed gives the same trial on SQLite and PostgreSQL.
 */
import type { Engine } from '../src/storage/database.js';
import { createServiceContext, type ServiceContext } from '../src/services/context.js';
import { createIdentityVault, keyringFromMasterKey } from '../src/services/identity-vault.js';
import { loadSimulatedTrial, type LoadTrialSummary } from '../src/services/simulate-trial.js';
import { initStudy } from '../src/services/study.js';
import { createTestDatabase, type TestDatabase } from './support/engines.js';

/** The identity master key of the fixtures (base64 of 32 bytes), also given to CLI processes. */
export const FIXTURE_IDENTITY_KEY = Buffer.alloc(32, 11).toString('base64');
/** The fixtures' clock. */
export const FIXTURE_NOW = new Date('2027-06-01T12:00:00.000Z');
export const FIXTURE_PASSWORD = 'simulation-password-1';
export const FIXTURE_ADMIN = { email: 'admin@fixture.local', password: 'admin-password-1234' };

/** A loaded study. */
export interface SimulatedStudy {
  testDb: TestDatabase;
  ctx: ServiceContext;
  summary: LoadTrialSummary;
  close(): Promise<void>;
}

/** Creates a fresh database of `engine` and loads a simulated trial into it. */
export async function buildSimulatedStudy(
  engine: Engine,
  opts: { participants: number; seed: number; effect?: number } = { participants: 24, seed: 11 },
): Promise<SimulatedStudy> {
  const testDb = await createTestDatabase(engine);
  const database = await testDb.open();
  const ctx = createServiceContext(database, {
    now: () => FIXTURE_NOW,
    identityVault: createIdentityVault(keyringFromMasterKey(FIXTURE_IDENTITY_KEY)),
  });
  await initStudy(ctx, { adminEmail: FIXTURE_ADMIN.email, adminPassword: FIXTURE_ADMIN.password });
  const summary = await loadSimulatedTrial(ctx, {
    participants: opts.participants,
    seed: opts.seed,
    password: FIXTURE_PASSWORD,
    recruitmentStart: '2024-01-01',
    recruitmentEnd: '2026-06-01',
    ...(opts.effect === undefined ? {} : { config: { effect: opts.effect } }),
  });
  return {
    testDb,
    ctx,
    summary,
    close: async () => {
      await database.close();
      await testDb.drop();
    },
  };
}
