/**
 * Queries compiled once and re-run with new values (src/storage/reusable-query.ts), on both
 * engines: each call gets its own values, constants of the builder survive, it works inside a
 * transaction as well as on the database, and a parameter that is not used as a value is refused
 * at the first call rather than silently ignored.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { reusableQuery } from '../src/storage/reusable-query.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const siteByCode = reusableQuery((db, code: string) =>
  db.selectFrom('sites').select(['id', 'name']).where('code', '=', code),
);
const insertSite = reusableQuery((db, id: string, code: string, name: string) =>
  db.insertInto('sites').values({ id, code, name, created_at: '2026-11-25T00:00:00.000Z' }),
);
const renameWithSuffix = reusableQuery((db, id: string, name: string) =>
  db
    .updateTable('sites')
    .set({ name })
    .where('id', '=', id)
    .where('created_at', '<', '2027-01-01')
    .returning(['id', 'name']),
);

describeEachEngine('reusable queries', (engine) => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await testDb.open();
    await migrateToLatest(database);
    await insertSite(database.db, 's-1', 'ONE', 'First site');
    await insertSite(database.db, 's-2', 'TWO', 'Second site');
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  it('runs with the values of each call', async () => {
    expect(await siteByCode(database.db, 'ONE')).toEqual([{ id: 's-1', name: 'First site' }]);
    expect(await siteByCode(database.db, 'TWO')).toEqual([{ id: 's-2', name: 'Second site' }]);
    expect(await siteByCode(database.db, 'NONE')).toEqual([]);
  });

  it('keeps the builder’s own constants and works inside a transaction', async () => {
    const rows = await database.db
      .transaction()
      .execute(async (tx) => renameWithSuffix(tx, 's-2', 'Second site, renamed'));
    expect(rows).toEqual([{ id: 's-2', name: 'Second site, renamed' }]);
    expect(await siteByCode(database.db, 'TWO')).toEqual([{ id: 's-2', name: 'Second site, renamed' }]);
  });

  it('refuses a parameter that the query does not use as a value', async () => {
    const unused = reusableQuery((db, _code: string) => db.selectFrom('sites').select('id'));
    await expect(unused(database.db, 'ONE')).rejects.toThrow(/1 parameter\(s\) are not used/);
  });
});
