/**
 * The CONSORT numbers against the participants' states, read independently from the tables, on
 * the demo database and on edge cases built through the services: nobody randomized yet, and
 * everyone withdrawn. Both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConsortCount, ConsortCounts } from '../src/core/consort/index.js';
import { checkConsortConsistency } from '../src/core/consort/index.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { buildDemo } from '../src/services/demo.js';
import { createIdentityVault, generateKeyring } from '../src/services/identity-vault.js';
import { buildConsortReport } from '../src/services/reports/consort.js';
import {
  createScreening,
  enrolParticipant,
  recordConsent,
  recordScreeningOutcome,
  setIdentity,
  signOffEligibility,
  withdrawParticipant,
} from '../src/services/screening.js';
import { initStudy } from '../src/services/study.js';
import { actorForEmail, createUser } from '../src/services/users.js';
import type { Database } from '../src/storage/database.js';
import { buildSimulatedStudy, type SimulatedStudy } from './analysis-fixtures.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const operator = systemActor('test');

/** Every leaf of the enrolment stage and of each column's follow-up, with the ids behind it. */
function leaves(c: ConsortCounts): { enrolment: string[]; followUp: string[]; allocation: string[] } {
  const ids = (xs: readonly ConsortCount[]) => xs.flatMap((x) => [...x.ids]);
  return {
    enrolment: ids([...(c.excluded.parts ?? []), ...(c.pending.parts ?? []), c.randomized]),
    followUp: c.columns.flatMap((col) => ids([col.lostToFollowUp, col.discontinued, col.completed, col.inFollowUp])),
    allocation: c.columns.flatMap((col) => ids([col.received, col.notReceived, col.awaitingInjection])),
  };
}

/** Compares the diagram with the tables, read here without the report code. */
async function expectMatchesDatabase(ctx: ServiceContext, c: ConsortCounts): Promise<void> {
  const db = ctx.database.db;
  expect(checkConsortConsistency(c)).toEqual([]);
  const screenings = await db
    .selectFrom('screenings')
    .select(['screening_number', 'status', 'participant_id'])
    .execute();
  const people = await db.selectFrom('participants').select(['id', 'study_id', 'status']).execute();
  const randomized = new Set(
    (await db.selectFrom('randomizations').select('participant_id').execute()).map((r) => r.participant_id),
  );
  const administrations = await db.selectFrom('administrations').select(['participant_id', 'status']).execute();
  const byStatus = (s: string) => screenings.filter((x) => x.status === s).length;
  const part = (key: string) => [...(c.excluded.parts ?? []), ...(c.pending.parts ?? [])].find((p) => p.key === key);
  expect(c.assessed.n).toBe(screenings.length);
  expect(part('excluded.criteria')?.n ?? 0).toBe(byStatus('ineligible'));
  expect(part('excluded.declined')?.n ?? 0).toBe(byStatus('declined'));
  expect(part('excluded.not_reached')?.n ?? 0).toBe(byStatus('not_reached'));
  expect(part('pending.screening')?.n ?? 0).toBe(byStatus('in_progress'));
  expect(part('pending.enrolment')?.n ?? 0).toBe(byStatus('eligible'));
  const notRandomized = people.filter((p) => !randomized.has(p.id));
  expect(part('pending.randomization')?.n ?? 0).toBe(notRandomized.filter((p) => p.status !== 'withdrawn').length);
  expect(part('excluded.withdrew')?.n ?? 0).toBe(notRandomized.filter((p) => p.status === 'withdrawn').length);
  expect(c.randomized.n).toBe(randomized.size);
  const col = c.columns[0]!;
  expect(col.received.n).toBe(administrations.filter((a) => a.status === 'administered').length);
  expect(col.notReceived.n).toBe(administrations.filter((a) => a.status === 'not_administered').length);
  const withdrawnRandomized = people.filter((p) => randomized.has(p.id) && p.status === 'withdrawn').length;
  expect(col.lostToFollowUp.n + col.discontinued.n).toBe(withdrawnRandomized);
  // Every screened person exactly once; every randomized participant once per stage.
  const l = leaves(c);
  expect(new Set(l.enrolment).size).toBe(screenings.length);
  expect(l.enrolment).toHaveLength(screenings.length);
  const studyIds = new Set(people.filter((p) => randomized.has(p.id)).map((p) => p.study_id));
  expect(new Set(l.followUp)).toEqual(studyIds);
  expect(new Set(l.allocation)).toEqual(studyIds);
  expect(l.followUp).toHaveLength(studyIds.size);
}

describeEachEngine('CONSORT against the participants’ states', (engine) => {
  let demoDb: TestDatabase;
  let demo: Database;
  let demoCtx: ServiceContext;
  let study: SimulatedStudy;

  beforeAll(async () => {
    demoDb = await createTestDatabase(engine);
    demo = await demoDb.open();
    demoCtx = createServiceContext(demo, { identityVault: createIdentityVault(generateKeyring()) });
    await buildDemo(demoCtx, { participants: 12, seed: 20231001, password: 'demo-password-123' });
    study = await buildSimulatedStudy(engine, { participants: 12, seed: 21 });
  }, 600_000);
  afterAll(async () => {
    await demo.close();
    await demoDb.drop();
    await study.close();
  });

  it('on the demo database the numbers match the participants’ states exactly', async () => {
    const r = await buildConsortReport(demoCtx, operator, { byArm: false });
    await expectMatchesDatabase(demoCtx, r.counts);
    expect(r.counts.assessed.n).toBeGreaterThan(12);
  });

  it('on a simulated trial, pooled and by arm (allocated = sum of arms)', async () => {
    const pooled = await buildConsortReport(study.ctx, operator, { byArm: false });
    await expectMatchesDatabase(study.ctx, pooled.counts);
    expect(pooled.counts.randomized.n).toBe(12);
    const dsmb = await createUser(study.ctx, operator, {
      email: 'dsmb@consort.test',
      displayName: 'dsmb',
      password: 'consort-password-1',
      grants: [{ role: 'dsmb', siteId: null }],
    });
    expect(dsmb.user.email).toBe('dsmb@consort.test');
    const byArm = await buildConsortReport(study.ctx, await actorForEmail(study.ctx.database.db, 'dsmb@consort.test'), {
      byArm: true,
    });
    expect(byArm.consistency).toEqual([]);
    expect(byArm.counts.columns.map((c) => c.arm)).toEqual(['ADMSC', 'SALINE']);
    expect(byArm.counts.columns.reduce((s, c) => s + c.allocated.n, 0)).toBe(byArm.counts.randomized.n);
    expect(byArm.interim).toBe(true);
  });

  it('edge case: everyone withdrawn', async () => {
    const nurse = await actorForEmail(study.ctx.database.db, 'coordinator@sim.local');
    const still = await study.ctx.database.db
      .selectFrom('participants')
      .select('id')
      .where('status', '!=', 'withdrawn')
      .execute();
    for (const p of still) {
      await withdrawParticipant(study.ctx, nurse, p.id, {
        scope: 'no_further_visits',
        reason: 'Moved abroad',
        withdrawnOn: '2027-05-01',
      });
    }
    const r = await buildConsortReport(study.ctx, operator, { byArm: false });
    await expectMatchesDatabase(study.ctx, r.counts);
    const col = r.counts.columns[0]!;
    expect(col.inFollowUp.n).toBe(0);
    expect(col.lostToFollowUp.n + col.discontinued.n).toBe(12);
    expect(col.discontinued.parts!.map((p) => p.label)).toContain('Moved abroad');
  });

  it('edge case: nobody randomized yet', async () => {
    const testDb = await createTestDatabase(engine);
    const database = await testDb.open();
    try {
      const ctx = createServiceContext(database, { identityVault: createIdentityVault(generateKeyring()) });
      await initStudy(ctx, { adminEmail: 'admin@edge.test', adminPassword: 'edge-password-123' });
      await createUser(ctx, operator, {
        email: 'nurse@edge.test',
        displayName: 'n',
        password: 'edge-password-123',
        grants: [{ role: 'coordinator', siteId: 'site-auh' }],
      });
      await createUser(ctx, operator, {
        email: 'inv@edge.test',
        displayName: 'i',
        password: 'edge-password-123',
        grants: [{ role: 'investigator', siteId: 'site-auh' }],
      });
      const nurse = await actorForEmail(database.db, 'nurse@edge.test');
      const inv = await actorForEmail(database.db, 'inv@edge.test');
      const empty = await buildConsortReport(ctx, operator, { byArm: false });
      await expectMatchesDatabase(ctx, empty.counts);
      expect(empty.counts.assessed.n).toBe(0);
      const s1 = await createScreening(ctx, nurse, {});
      await recordScreeningOutcome(ctx, nurse, s1.id, { outcome: 'declined', reason: 'no time' });
      await createScreening(ctx, nurse, { values: { screening_date: '2026-10-01' } });
      const s3 = await createScreening(ctx, nurse, {
        values: { screening_date: '2026-10-01', knee_pain_months: 24, nrs_worst: 7, kl_grade: 4 },
      });
      expect(s3.status).toBe('ineligible');
      const s4 = await createScreening(ctx, nurse, { values: ELIGIBLE });
      await setIdentity(ctx, nurse, s4.id, { cpr: '120364-1006', firstName: 'A', lastName: 'B' });
      await recordConsent(ctx, nurse, s4.id, {
        documentVersion: '1.0',
        consentedAt: '2026-09-28T10:00:00.000Z',
        signatureMode: 'paper',
      });
      await signOffEligibility(ctx, inv, s4.id, { password: 'edge-password-123' });
      await enrolParticipant(ctx, nurse, s4.id);
      const r = await buildConsortReport(ctx, operator, { byArm: false });
      await expectMatchesDatabase(ctx, r.counts);
      expect(r.counts).toMatchObject({
        assessed: { n: 4 },
        excluded: { n: 2 },
        pending: { n: 2 },
        randomized: { n: 0 },
      });
      expect(r.svg).toContain('Randomized (n\u00a0=\u00a00)');
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});

const ELIGIBLE = {
  screening_date: '2026-10-01',
  knee_pain_months: 24,
  nrs_worst: 7,
  kl_grade: 3,
  jsw_mm: 2.1,
  alignment_deg: 3.5,
  oa_compartment: 'medial',
  height_cm: 168,
  weight_kg: 80,
  danish_speaker: true,
  legally_competent: true,
  ia_tumor_infection_fracture: false,
  pregnant_or_breastfeeding: false,
  cognitive_impairment: false,
  cytostatic_treatment: false,
  last_ia_injection_date: null,
  mri_contraindication: false,
  ligament_reconstruction: false,
  meniscal_resection_over_50pct: false,
  meniscal_operations: 0,
  diabetes: false,
  ap_laxity_mm: 1.0,
  knee_instability: false,
  antibiotic_allergy: false,
  severe_systemic_condition: false,
  inflammatory_arthritis: false,
};
