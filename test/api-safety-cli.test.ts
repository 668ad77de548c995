/**
 * `stemjoint safety scan` and `stemjoint safety extract` in real child processes on both engines,
 * over a database prepared through the real services: the scan enqueues each near or overdue
 * deadline once however often it runs, and the extract is blinded CSV.
 */
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAdverseEvent } from '../src/services/adverse-events.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { createIdentityVault, generateKeyring } from '../src/services/identity-vault.js';
import { initStudy } from '../src/services/study.js';
import type { Database } from '../src/storage/database.js';
import { createAccounts, enrolParticipants } from './api-randomization-setup.js';
import { runStemjoint } from './support/cli.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const NOT_SERIOUS = {
  death: false,
  lifeThreatening: false,
  hospitalisation: false,
  disability: false,
  congenitalAnomaly: false,
  importantMedicalEvent: false,
};

describeEachEngine('stemjoint safety scan / extract', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  let ctx: ServiceContext;
  let dir: string;
  const awareness = new Date(Date.now() - 20 * 3_600_000);

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await testDb.open();
    ctx = createServiceContext(database, { identityVault: createIdentityVault(generateKeyring()) });
    await initStudy(ctx, { adminEmail: 'admin@t.local', adminPassword: 'admin-password-123' });
    await createAccounts(ctx);
    const [p] = await enrolParticipants(ctx, 1);
    const nurse = systemActor('test');
    await createAdverseEvent(ctx, nurse, {
      participantId: p!.id,
      verbatimTerm: 'Fall, hip "fracture", =suspected',
      onsetDate: awareness.toISOString().slice(0, 10),
      grade: 3,
      seriousness: { ...NOT_SERIOUS, hospitalisation: true },
      actionTaken: ['hospitalisation'],
      outcome: 'recovering',
      siteAwarenessAt: awareness.toISOString(),
    });
    dir = mkdtempSync(join(tmpdir(), 'sj-safety-cli-'));
  }, 120_000);
  afterAll(async () => {
    await database.close();
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scan enqueues each level of each deadline once, however often it runs', async () => {
    const quiet = await runStemjoint([
      'safety',
      'scan',
      '--db',
      testDb.url,
      '--json',
      '--now',
      new Date(awareness.getTime() + 3_600_000).toISOString(),
    ]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(JSON.parse(quiet.stdout)).toEqual({ scannedCases: 1, notified: [] });
    const near = await runStemjoint(['safety', 'scan', '--db', testDb.url, '--json']);
    expect(near.code, near.stderr).toBe(0);
    expect(JSON.parse(near.stdout).notified).toEqual([
      expect.objectContaining({ caseNumber: 'SAE-0001', deadline: 'sponsor_report', level: 'near' }),
    ]);
    const [a, b] = await Promise.all([
      runStemjoint([
        'safety',
        'scan',
        '--db',
        testDb.url,
        '--json',
        '--now',
        new Date(awareness.getTime() + 25 * 3_600_000).toISOString(),
      ]),
      runStemjoint([
        'safety',
        'scan',
        '--db',
        testDb.url,
        '--json',
        '--now',
        new Date(awareness.getTime() + 25 * 3_600_000).toISOString(),
      ]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const total = JSON.parse(a.stdout).notified.length + JSON.parse(b.stdout).notified.length;
    expect(total).toBe(1);
    const overdue = await database.db
      .selectFrom('outbox')
      .select(['recipient'])
      .where('kind', '=', 'safety.deadline_overdue')
      .execute();
    // The site's investigators and the sponsor side (data managers, as no physician is designated).
    expect(overdue.map((o) => o.recipient).sort()).toEqual(['dm@t.local', 'inv2@t.local', 'inv@t.local']);
    const human = await runStemjoint(['safety', 'scan', '--db', testDb.url]);
    expect(human.stdout).toMatch(/scanned 1 open case\(s\); 0 notification\(s\) enqueued/);
    const bad = await runStemjoint(['safety', 'scan', '--db', testDb.url, '--now', '2026-01-01']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--now/);
  });

  it('extract writes blinded CSV for the reporting period', async () => {
    const out = join(dir, 'asr.csv');
    const r = await runStemjoint(['safety', 'extract', '--db', testDb.url, '--from', '2020-01-01', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 adverse event\(s\) written/);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ae_number: 'AE-0001',
      verbatim_term: 'Fall, hip "fracture", =suspected',
      serious: 'Y',
      aeshosp: 'Y',
      case_number: 'SAE-0001',
    });
    expect(Object.keys(rows[0]!)).not.toContain('arm');
    const none = await runStemjoint(['safety', 'extract', '--db', testDb.url, '--to', '2020-01-01']);
    expect(none.stdout.trim().split('\r\n')).toHaveLength(1);
    expect((await runStemjoint(['safety', 'extract', '--db', testDb.url, '--from', '1.1.2026'])).code).toBe(3);
  });
});
