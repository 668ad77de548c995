/**
 * Crash safety: the server runs on a real database with concurrent writers and is killed with
 * SIGKILL mid-load. After a restart every acknowledged write is present, nothing is half-written
 * (each row has its audit record and each audit record its row), and the audit chain verifies.
 * A SIGTERM lets in-flight requests finish.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';
import { runStemjoint, startServeProcess } from './support/cli.js';
import { ApiClient } from './support/server.js';

const PASSWORD = 'crash-test-password';

async function writer(url: string, acknowledged: Set<string>, stop: { now: boolean }): Promise<void> {
  const c = new ApiClient(url);
  await c.login('coordinator@crash.local', PASSWORD);
  while (!stop.now) {
    try {
      const r = await c.post<{ id: string }>('/api/v1/screenings', { values: { knee_pain_months: 12, nrs_worst: 6 } });
      if (r.status === 201) acknowledged.add(r.body.id);
    } catch {
      return; // the server is gone
    }
  }
}

describeEachEngine('crash safety', (engine) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    expect((await runStemjoint(['init', '--db', testDb.url, '--admin-password', PASSWORD])).code).toBe(0);
    expect(
      (
        await runStemjoint([
          'user',
          'add',
          '--db',
          testDb.url,
          '--email',
          'coordinator@crash.local',
          '--roles',
          'coordinator',
          '--password',
          PASSWORD,
        ])
      ).code,
    ).toBe(0);
  });
  afterAll(async () => testDb.drop());

  it('loses no acknowledged write under SIGKILL and keeps the audit chain whole', async () => {
    const server = await startServeProcess(['--db', testDb.url, '--port', '0']);
    const acknowledged = new Set<string>();
    const stop = { now: false };
    const writers = Array.from({ length: 8 }, () => writer(server.url, acknowledged, stop));
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGKILL');
    stop.now = true;
    await Promise.all(writers);
    expect(acknowledged.size).toBeGreaterThan(10);

    const database = await openDatabase(testDb.url);
    try {
      const rows = await database.db.selectFrom('screenings').select('id').execute();
      const ids = new Set(rows.map((r) => r.id));
      for (const id of acknowledged) expect(ids.has(id), `acknowledged screening ${id} lost`).toBe(true);
      const audited = await database.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'screening.created')
        .execute();
      expect(new Set(audited.map((a) => a.entity_id))).toEqual(ids);
    } finally {
      await database.close();
    }
    const verify = await runStemjoint(['audit', 'verify', '--db', testDb.url]);
    expect(verify.code, verify.stderr).toBe(0);
    // And the restarted server carries on.
    const again = await startServeProcess(['--db', testDb.url, '--port', '0']);
    try {
      const c = new ApiClient(again.url);
      await c.login('coordinator@crash.local', PASSWORD);
      expect((await c.post('/api/v1/screenings', {})).status).toBe(201);
    } finally {
      again.child.kill('SIGTERM');
    }
  });

  it('finishes in-flight requests on SIGTERM', async () => {
    const server = await startServeProcess(['--db', testDb.url, '--port', '0']);
    const c = new ApiClient(server.url);
    await c.login('coordinator@crash.local', PASSWORD);
    const inFlight = Array.from({ length: 10 }, () => c.post<{ id: string }>('/api/v1/screenings', {}));
    await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    expect(await exited).toBe(0);
    const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 201);
    // Requests the server accepted were answered; none was cut off with a half-written state.
    const database = await openDatabase(testDb.url);
    try {
      for (const r of ok) {
        const id = (r as PromiseFulfilledResult<{ body: { id: string } }>).value.body.id;
        expect(
          await database.db.selectFrom('screenings').select('id').where('id', '=', id).executeTakeFirst(),
        ).toBeDefined();
      }
    } finally {
      await database.close();
    }
    expect((await runStemjoint(['audit', 'verify', '--db', testDb.url])).code).toBe(0);
  });
});
