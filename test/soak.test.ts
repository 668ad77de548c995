/**
 * The soak in its short form (about 20 s per engine; `npm run soak` runs it for minutes): a real
 * server under mixed traffic — data entry, list and summary reads, sign-ins — over loopback. Zero
 * errors, and no sustained memory growth after warm-up. The figures are printed for the record.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatSoakReport, runSoak, type SoakReport } from '../bench/soak-workload.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const SECONDS = Number(process.env.STEMJOINT_SOAK_SECONDS ?? '20');

describeEachEngine('soak (short form)', (engine) => {
  let testDb: TestDatabase;
  let report: SoakReport;

  beforeAll(
    async () => {
      testDb = await createTestDatabase(engine);
      report = await runSoak({ dbUrl: testDb.url, durationMs: SECONDS * 1000, sampleMs: 250, warmupShare: 0.4 });
      process.stdout.write(`\n${formatSoakReport(report)}\n`);
    },
    SECONDS * 1000 + 120_000,
  );
  afterAll(async () => testDb.drop());

  it('answers every request of the mix without an error', () => {
    expect(report.errorSamples).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.requests).toBeGreaterThan(SECONDS * 10);
    // Every kind of traffic actually ran.
    for (const kind of [
      'login',
      'auth.me',
      'screening.create',
      'screening.update',
      'read.summary',
      'read.screenings',
      'read.participants',
      'read.audit',
    ]) {
      expect(report.latencyMs[kind]?.count ?? 0, kind).toBeGreaterThan(0);
    }
    expect(report.written.valueChanges).toBeGreaterThan(0);
  });

  it('does not grow in memory after warm-up', () => {
    expect(report.rss.length).toBeGreaterThan(SECONDS * 2);
    expect(report.memory.growthRatio).toBeGreaterThan(0);
    // Twenty seconds on a shared 2-core machine is short for a growth verdict: the garbage
    // collector alone moves RSS by ~20 % there. This short form catches a gross leak; the long
    // form (`npm run soak`, minutes per engine) holds the strict bound.
    expect(report.memory.growthRatio).toBeLessThanOrEqual(1.5);
  });
});
