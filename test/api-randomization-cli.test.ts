/**
 * `stemjoint randomization init | status | reveal` on both engines, as real child processes: the
 * list is created once from the OS CSPRNG with its commitment printed, the seed is sealed (not in
 * the database in clear, unreadable with another key), and after database lock the revealed file
 * passes `randomization verify` (and fails it when tampered with).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AllocationList } from '../src/core/randomization/index.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { setDatabaseLock } from '../src/services/study.js';
import { describeEachEngine, createTestDatabase, type TestDatabase } from './support/engines.js';
import { runStemjoint } from './support/cli.js';

describeEachEngine('stemjoint randomization init / reveal', (engine) => {
  let testDb: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sj-rand-cli-'));
  const env = { STEMJOINT_IDENTITY_KEY: randomBytes(32).toString('base64') };
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runStemjoint(['randomization', ...args, '--db', testDb.url], { env: { ...env, ...extra } });

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('needs an initialised database', async () => {
    const r = await cli(['init']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not initialised/);
  }, 180_000);

  it('creates the list once and prints the commitment', async () => {
    expect(
      (await runStemjoint(['init', '--db', testDb.url, '--admin-password', 'admin-password-123'], { env })).code,
    ).toBe(0);
    const bad = await cli(['init', '--blocks', '4,5']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--blocks: every block size must be even/);
    const r = await cli(['init', '--per-stratum', '12']);
    expect(r.code, r.stderr).toBe(0);
    const commitment = /commitment\s+([0-9a-f]{64})/.exec(r.stdout)?.[1];
    expect(commitment).toBeTruthy();
    expect(r.stdout).not.toMatch(/ADMSC|SALINE|K-/);
    const again = await cli(['init']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/already has an allocation list/);
    const status = await cli(['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ initialised: true, commitment, randomized: 0 });
  }, 180_000);

  it('reveals seed and salt only after database lock; the file verifies, a tampered one does not', async () => {
    const out = join(dir, `list-${engine}.json`);
    const early = await cli(['reveal', '--out', out]);
    expect(early.code).toBe(4);
    expect(early.stderr).toMatch(/only after database lock/);

    const database = await testDb.open();
    try {
      await setDatabaseLock(createServiceContext(database), systemActor('test'), true, 'final analysis');
    } finally {
      await database.close();
    }
    const wrongKey = await cli(['reveal', '--out', out], {
      STEMJOINT_IDENTITY_KEY: randomBytes(32).toString('base64'),
    });
    expect(wrongKey.code).toBe(4);

    const r = await cli(['reveal', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const list = JSON.parse(readFileSync(out, 'utf8')) as AllocationList;
    expect(Object.keys(list)).toEqual(['algorithm', 'version', 'seed', 'parameters', 'strata', 'salt', 'commitment']);
    expect(list.parameters).toMatchObject({
      design: 'blocks',
      per_stratum: 12,
      block_sizes: [4, 6],
      strata: ['KL2', 'KL3'],
    });
    expect(list.salt).toMatch(/^[0-9a-f]{64}$/);

    // The seed, the salt and the arms are nowhere in the database in clear.
    const database2 = await testDb.open();
    try {
      const row = await database2.db.selectFrom('allocation_lists').selectAll().executeTakeFirstOrThrow();
      const slots = JSON.stringify(await database2.db.selectFrom('allocation_slots').selectAll().execute());
      const dump = JSON.stringify([row, slots, await database2.db.selectFrom('audit_log').selectAll().execute()]);
      expect(dump).not.toContain(list.seed);
      expect(dump).not.toContain(list.salt);
      expect(dump).toContain(list.commitment);
      // Only the parameters name the two arm codes (["ADMSC","SALINE"]); no slot carries an arm.
      expect(row.sealed).not.toMatch(/ADMSC|SALINE/);
      expect(slots).not.toMatch(/ADMSC|SALINE|arm/);
      expect(dump.match(/ADMSC/g)).toHaveLength(2);
    } finally {
      await database2.close();
    }

    const verified = await runStemjoint(['randomization', 'verify', '--list', out]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`verified: commitment ${list.commitment}`);
    const first = list.strata.KL2![0]!;
    const tampered = {
      ...list,
      strata: {
        ...list.strata,
        KL2: [{ ...first, arm: first.arm === 'ADMSC' ? 'SALINE' : 'ADMSC' }, ...list.strata.KL2!.slice(1)],
      },
    };
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const failed = await runStemjoint(['randomization', 'verify', '--list', join(dir, 'tampered.json')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/strata\.KL2\[0\]\.arm: expected/);
  }, 180_000);
});
