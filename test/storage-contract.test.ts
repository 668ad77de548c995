/**
 * The storage contract: one suite, run unchanged against SQLite and PostgreSQL. It pins down what
 * every engine must do the same way: migrations, transactional writes with their audit records,
 * the append-only audit log enforced by the database, and a gap-free chain under concurrency.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { verifyAuditChain } from '../src/services/audit-trail.js';
import { runCommand } from '../src/services/command.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { initStudy, setDatabaseLock } from '../src/services/study.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const actor = systemActor('test');

describeEachEngine('storage contract', (engine) => {
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

  it('migrations are idempotent', async () => {
    const again = await migrateToLatest(database);
    expect(again.error).toBeUndefined();
    expect(again.applied).toEqual([]);
  });

  it('a command writes its change and audit record together', async () => {
    await runCommand(ctx, actor, async ({ tx, at, audit }) => {
      await tx.insertInto('sites').values({ id: 'site-x', code: 'X', name: 'Site X', created_at: at }).execute();
      await audit({ action: 'site.created', entityType: 'site', entityId: 'site-x', after: { code: 'X' } });
    });
    const site = await database.db.selectFrom('sites').selectAll().where('id', '=', 'site-x').executeTakeFirst();
    expect(site?.name).toBe('Site X');
    const rec = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', 'site-x')
      .executeTakeFirstOrThrow();
    expect(rec.action).toBe('site.created');
    expect(JSON.parse(rec.after_json ?? 'null')).toEqual({ code: 'X' });
  });

  it('a failing command leaves neither the change nor an audit record', async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      runCommand(ctx, actor, async ({ tx, at, audit }) => {
        await tx.insertInto('sites').values({ id: 'site-y', code: 'Y', name: 'Site Y', created_at: at }).execute();
        await audit({ action: 'site.created', entityType: 'site', entityId: 'site-y' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(
      await database.db.selectFrom('sites').select('id').where('id', '=', 'site-y').executeTakeFirst(),
    ).toBeUndefined();
    const after = await verifyAuditChain(database.db);
    expect(after).toEqual(before);
  });

  it('concurrent commands produce a gap-free, verifiable chain', async () => {
    const before = await verifyAuditChain(database.db);
    if (!before.ok) throw new Error('chain broken before the test');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        runCommand(ctx, actor, ({ audit }) =>
          audit({ action: 'test.concurrent', entityType: 'test', entityId: String(i) }),
        ),
      ),
    );
    const after = await verifyAuditChain(database.db);
    expect(after.ok).toBe(true);
    expect(after.count).toBe(before.count + 40);
  });

  it('the database refuses UPDATE and DELETE on audit_log', async () => {
    await expect(sql`UPDATE audit_log SET action = 'forged' WHERE seq = 1`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(database.db)).rejects.toThrow(/append-only/);
    const first = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    expect(first.action).toBe('study.created');
  });

  it('rows read back with the same types on every engine', async () => {
    const rec = await database.db.selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(typeof rec.seq).toBe('number');
    expect(rec.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const study = await database.db.selectFrom('study').selectAll().executeTakeFirstOrThrow();
    expect(study.database_locked).toBe(0);
  });

  it('a locked database refuses clinical writes but allows the unlock', async () => {
    await setDatabaseLock(ctx, actor, true, 'interim analysis');
    await expect(
      runCommand(ctx, actor, ({ audit }) => audit({ action: 'x', entityType: 'x', entityId: 'x' })),
    ).rejects.toMatchObject({ code: 'database_locked' });
    await setDatabaseLock(ctx, actor, false, 'analysis done');
    await runCommand(ctx, actor, ({ audit }) => audit({ action: 'x', entityType: 'x', entityId: 'x' }));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

describeEachEngine('audit tamper detection', (engine) => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await testDb.open();
    const ctx = createServiceContext(database);
    await initStudy(ctx, { adminEmail: 'admin@x.test', adminPassword: 'a-long-password-1' });
    for (let i = 0; i < 5; i++) {
      await runCommand(ctx, actor, ({ audit }) =>
        audit({ action: 'test.n', entityType: 'test', entityId: String(i), after: { i } }),
      );
    }
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  const dropTriggers = async (): Promise<void> => {
    if (engine === 'sqlite') {
      await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
      await sql`DROP TRIGGER audit_log_no_delete`.execute(database.db);
    } else {
      await sql`DROP TRIGGER audit_log_no_update ON audit_log`.execute(database.db);
    }
  };

  it('names the sequence number of a record altered underneath', async () => {
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await dropTriggers();
    await sql`UPDATE audit_log SET after_json = '{"i":99}' WHERE seq = 5`.execute(database.db);
    const r = await verifyAuditChain(database.db);
    expect(r).toMatchObject({ ok: false, seq: 5, count: 4 });
  });

  it('names the sequence number of a deleted record', async () => {
    await sql`UPDATE audit_log SET after_json = '{"i":2}' WHERE seq = 5`.execute(database.db);
    await sql`DELETE FROM audit_log WHERE seq = 3`.execute(database.db);
    const r = await verifyAuditChain(database.db);
    expect(r).toMatchObject({ ok: false, seq: 3 });
  });
});

describe('database URLs', () => {
  it('refuses unknown schemes with a message naming the URL', async () => {
    const { parseDatabaseUrl } = await import('../src/storage/database.js');
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/mysql:\/\/x/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/file path/);
    expect(parseDatabaseUrl('sqlite:./data/a.db')).toEqual({ engine: 'sqlite', target: './data/a.db' });
  });
});
