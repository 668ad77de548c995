/**
 * Many participants randomized at once through TWO `stemjoint serve` processes on one database
 * (PostgreSQL, and the same SQLite file), with duplicate and retried requests mixed in: every slot
 * of each stratum is used exactly once, none is skipped, every participant is randomized once,
 * randomization numbers are gap-free, and the audit chain verifies.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initAllocationList } from '../src/services/randomization.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { createIdentityVault, keyringFromMasterKey } from '../src/services/identity-vault.js';
import { initStudy } from '../src/services/study.js';
import { verifyAuditChain } from '../src/services/audit-trail.js';
import type { ParticipantView } from '../src/services/screening.js';
import type { Database } from '../src/storage/database.js';
import { describeEachEngine, createTestDatabase, type TestDatabase } from './support/engines.js';
import { startServeProcess } from './support/cli.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ApiClient } from './support/server.js';
import { createAccounts, enrolParticipants, loginAs } from './api-randomization-setup.js';

const PARTICIPANTS = 48;

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describeEachEngine('randomization under concurrency, two server processes on one database', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  let people: ParticipantView[];
  const servers: { child: ChildProcess; url: string }[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    const key = randomBytes(32).toString('base64');
    database = await testDb.open();
    const ctx = createServiceContext(database, { identityVault: createIdentityVault(keyringFromMasterKey(key)) });
    await initStudy(ctx, { adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
    await createAccounts(ctx);
    people = await enrolParticipants(ctx, PARTICIPANTS);
    await initAllocationList(ctx, systemActor('test'), { parameters: { per_stratum: 30 } });
    for (let i = 0; i < 2; i++) {
      const s = await startServeProcess(['--db', testDb.url, '--port', '0'], {
        STEMJOINT_IDENTITY_KEY: key,
        STEMJOINT_PG_POOL_SIZE: '8',
      });
      servers.push(s);
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => stop(s.child)));
    await database.close();
    await testDb.drop();
  });

  it('uses every slot exactly once and skips none', async () => {
    const clients: ApiClient[] = await Promise.all([
      loginAs(servers[0]!.url, 'nurse@t.local'),
      loginAs(servers[1]!.url, 'inv@t.local'),
      loginAs(servers[0]!.url, 'inv2@t.local'),
      loginAs(servers[1]!.url, 'nurse@t.local'),
    ]);
    type Result = {
      participant: ParticipantView;
      kind: 'first' | 'retry' | 'duplicate';
      requestId: string | null;
      status: number;
      body: { randomization?: { kit: string; randomizationNumber: string }; replayed?: boolean };
    };
    const requests: Promise<Result>[] = [];
    people.forEach((p, i) => {
      const send = async (client: ApiClient, kind: Result['kind'], requestId: string | null): Promise<Result> => {
        const r = await client.post<Result['body']>(
          `/api/v1/participants/${p.id}/randomize`,
          requestId ? { requestId } : {},
        );
        return { participant: p, kind, requestId, status: r.status, body: r.body };
      };
      const requestId = `concurrency-${p.studyId}`;
      requests.push(send(clients[i % 4]!, 'first', requestId));
      // Every third participant: the same request retried on the other server (idempotent).
      if (i % 3 === 0) requests.push(send(clients[(i + 1) % 4]!, 'retry', requestId));
      // Every fifth: a second, independent request without the request id (refused unless it wins).
      if (i % 5 === 1) requests.push(send(clients[(i + 2) % 4]!, 'duplicate', null));
    });
    const results = await Promise.all(requests);

    for (const p of people) {
      const mine = results.filter((r) => r.participant.id === p.id);
      const detail = `${p.studyId}: ${JSON.stringify(mine.map((r) => [r.kind, r.status, r.body]))}`;
      // Exactly one request randomized; requests carrying its request id get the same answer, every
      // other request for the participant is refused (409), whichever server it reached first.
      const winners = mine.filter((r) => r.status === 200 && r.body.replayed === false);
      expect(winners, detail).toHaveLength(1);
      const winner = winners[0]!;
      for (const r of mine) {
        const sameRequest = r === winner || (r.requestId !== null && r.requestId === winner.requestId);
        expect(r.status, detail).toBe(sameRequest ? 200 : 409);
        if (sameRequest) expect(r.body.randomization, detail).toEqual(winner.body.randomization);
      }
    }

    const db = database.db;
    const rows = await db.selectFrom('randomizations').selectAll().execute();
    expect(rows).toHaveLength(PARTICIPANTS);
    expect(new Set(rows.map((r) => r.participant_id)).size).toBe(PARTICIPANTS);
    expect(rows.map((r) => r.randomization_number).sort()).toEqual(
      Array.from({ length: PARTICIPANTS }, (_, i) => `R-${String(i + 1).padStart(3, '0')}`),
    );
    const strata = await db.selectFrom('randomization_strata').selectAll().orderBy('stratum').execute();
    for (const s of strata) {
      const seqs = rows
        .filter((r) => r.stratum === s.stratum)
        .map((r) => r.seq)
        .sort((a, b) => a - b);
      expect(seqs, s.stratum).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(Number(s.used), s.stratum).toBe(seqs.length);
      const slots = await db
        .selectFrom('allocation_slots')
        .select(['seq', 'kit', 'participant_id'])
        .where('stratum', '=', s.stratum)
        .where('participant_id', 'is not', null)
        .orderBy('seq')
        .execute();
      expect(slots.map((x) => [x.seq, x.kit, x.participant_id])).toEqual(
        rows
          .filter((r) => r.stratum === s.stratum)
          .sort((a, b) => a.seq - b.seq)
          .map((r) => [r.seq, r.kit, r.participant_id]),
      );
    }
    expect(strata.map((s) => Number(s.used)).reduce((a, b) => a + b, 0)).toBe(PARTICIPANTS);
    const statuses = await db.selectFrom('participants').select('status').execute();
    expect(statuses.every((s) => s.status === 'randomized')).toBe(true);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
