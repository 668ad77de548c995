/**
 * Batches (`runBatch`, used by the simulator's bulk load) on both engines: every command inside a
 * batch keeps its own audit records in the one chain; a command that fails inside the batch rolls
 * back alone (its savepoint) — its change and its audit record vanish, the commands before and after
 * it stay — and the chain verifies afterwards; a batch that fails commits nothing; the database lock
 * is still enforced per command; and runCommand outside a batch is unchanged.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/services/audit-trail.js';
import { runBatch, runCommand } from '../src/services/command.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { initStudy, setDatabaseLock } from '../src/services/study.js';
import type { Database } from '../src/storage/database.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const actor = systemActor('test');

describeEachEngine('command batches', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  let ctx: ServiceContext;

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await testDb.open();
    ctx = createServiceContext(database);
    await initStudy(ctx, { adminEmail: 'admin@x.test', adminPassword: 'a-long-password-1' });
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  const addSite = (c: ServiceContext, id: string, fail = false) =>
    runCommand(c, actor, async ({ tx, at, audit }) => {
      await tx
        .insertInto('sites')
        .values({ id, code: id, name: `Site ${id}`, created_at: at })
        .execute();
      await audit({ action: 'site.created', entityType: 'site', entityId: id, after: { code: id } });
      if (fail) throw new Error(`refused ${id}`);
      return id;
    });
  const siteIds = async (prefix: string) =>
    (await database.db.selectFrom('sites').select('id').where('id', 'like', `${prefix}%`).orderBy('id').execute()).map(
      (s) => s.id,
    );
  const auditedIds = async (prefix: string) =>
    (
      await database.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('entity_id', 'like', `${prefix}%`)
        .orderBy('seq')
        .execute()
    ).map((r) => r.entity_id);

  it('a failing command inside a batch rolls back alone; the others commit with their audit records', async () => {
    const before = await verifyAuditChain(database.db);
    expect(before.ok).toBe(true);
    const outcome = await runBatch(ctx, async (batch) => {
      await addSite(batch, 'b1-a');
      const refused = await addSite(batch, 'b1-b', true).catch((e: Error) => e.message);
      // Reads inside the batch see the batch's own writes (and not the rolled-back one).
      const seen = (await batch.database.db.selectFrom('sites').select('id').where('id', 'like', 'b1-%').execute()).map(
        (s) => s.id,
      );
      await addSite(batch, 'b1-c');
      return { refused, seen };
    });
    expect(outcome).toEqual({ refused: 'refused b1-b', seen: ['b1-a'] });
    expect(await siteIds('b1-')).toEqual(['b1-a', 'b1-c']);
    expect(await auditedIds('b1-')).toEqual(['b1-a', 'b1-c']);
    const after = await verifyAuditChain(database.db);
    expect(after.ok).toBe(true);
    if (before.ok && after.ok) expect(after.count).toBe(before.count + 2);
  });

  it('a batch that throws commits nothing, and the chain still verifies', async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      runBatch(ctx, async (batch) => {
        await addSite(batch, 'b2-a');
        await addSite(batch, 'b2-b');
        throw new Error('batch abandoned');
      }),
    ).rejects.toThrow('batch abandoned');
    expect(await siteIds('b2-')).toEqual([]);
    expect(await verifyAuditChain(database.db)).toEqual(before);
    // Outside a batch, commands run as before: one transaction each.
    await addSite(ctx, 'b2-c');
    await expect(addSite(ctx, 'b2-d', true)).rejects.toThrow('refused b2-d');
    expect(await siteIds('b2-')).toEqual(['b2-c']);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('the database lock is checked for every command of a batch', async () => {
    await setDatabaseLock(ctx, actor, true, 'batch test');
    try {
      const refused = await runBatch(ctx, (batch) => addSite(batch, 'b3-a').catch((e: { code?: string }) => e.code));
      expect(refused).toBe('database_locked');
      expect(await siteIds('b3-')).toEqual([]);
    } finally {
      await setDatabaseLock(ctx, actor, false, 'batch test done');
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
