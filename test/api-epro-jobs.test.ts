/**
 * The durable job queue and the reminder channels, on both engines: two app instances (separate
 * connection pools, two HTTP servers) on one database run every job exactly once; ePRO reminders
 * and missed-day alerts go out once per occasion and skip what was answered; the SMTP channel
 * delivers to a real SMTP server (smtp-server) on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addCalendarDays } from '../src/core/schedule/plain-date.js';
import { buildApp } from '../src/server/app.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { eproJobHandlers } from '../src/services/epro-reminders.js';
import { enqueueJob, runJobsOnce, type JobHandler } from '../src/services/jobs.js';
import { runCommand } from '../src/services/command.js';
import {
  createFileChannel,
  createSmtpChannel,
  type NotificationChannels,
} from '../src/services/notification-channels.js';
import type { Database } from '../src/storage/database.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createTeam, PASSWORDS, type Team } from './api-ecrf-fixtures.js';
import {
  DIARY_OK,
  giveAccess,
  ParticipantClient,
  participantWithDay0,
  setCopenhagenClock,
} from './api-epro-fixtures.js';

/** Runs passes on both instances at the same time until neither finds work. */
async function drain(ctxs: ServiceContext[], handlers: Record<string, JobHandler>): Promise<number> {
  let total = 0;
  for (;;) {
    const results = await Promise.all(
      ctxs.map((c, i) => runJobsOnce(c, handlers, { workerId: `instance-${i}`, limit: 7 })),
    );
    const claimed = results.reduce((n, r) => n + r.claimed, 0);
    total += claimed;
    if (claimed === 0) return total;
  }
}

describeEachEngine('durable jobs and reminders', (engine) => {
  let server: TestServer;
  let team: Team;
  let second: { database: Database; ctx: ServiceContext; app: FastifyInstance };
  /**
   * The contexts the two "instances" claim jobs through. PostgreSQL: two app instances with their
   * own connection pools. SQLite is a single-host database whose driver is synchronous: two
   * connections in ONE process would block each other's event loop, so both workers share the
   * instance's connection there (its transactions are serialised; the claim is still raced).
   */
  const instances = (): ServiceContext[] =>
    engine === 'postgres' ? [server.ctx, second.ctx] : [server.ctx, server.ctx];
  let file: string;
  let channels: NotificationChannels;

  beforeAll(async () => {
    server = await startTestServer(engine);
    // Noon in Copenhagen: the evening reminder of today's diary day is still ahead.
    setCopenhagenClock(server, '12:00');
    team = await createTeam(server);
    const database = await server.testDb.open();
    const ctx = createServiceContext(database, {
      now: () => server.ctx.now(),
      identityVault: server.ctx.identityVault!,
    });
    const app = await buildApp(ctx, { logLevel: 'silent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    second = { database, ctx, app };
    file = join(mkdtempSync(join(tmpdir(), 'sj-notify-')), 'notifications.jsonl');
    channels = { email: createFileChannel(file, 'email-file'), sms: createFileChannel(file, 'sms-file') };
  }, 120_000);
  afterAll(async () => {
    await second?.app.close();
    await second?.database.close();
    await server?.close();
  });

  const lines = (): { reference?: string; kind: string; to: string; text: string }[] =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { reference?: string; kind: string; to: string; text: string })
      : [];

  it('runs 150 jobs exactly once with two instances claiming at the same time', async () => {
    const runs = new Map<string, number>();
    const handlers: Record<string, JobHandler> = {
      'test.count': async (_ctx, job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        return { status: 'done' };
      },
    };
    await runCommand(server.ctx, systemActor('test'), async (scope) => {
      for (let i = 0; i < 150; i++) {
        await enqueueJob(scope, {
          kind: 'test.count',
          payload: { i },
          runAt: new Date(Date.parse(scope.at) - 1000),
          dedupeKey: `test.count:${i}`,
        });
      }
      // The same key again makes no second job.
      expect(
        await enqueueJob(scope, {
          kind: 'test.count',
          payload: {},
          runAt: new Date(scope.at),
          dedupeKey: 'test.count:0',
        }),
      ).toBe(false);
    });
    const claimed = await drain(instances(), handlers);
    expect(claimed).toBe(150);
    expect(runs.size).toBe(150);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const done = await server.ctx.database.db
      .selectFrom('jobs')
      .select(['status', 'locked_by'])
      .where('kind', '=', 'test.count')
      .execute();
    expect(done.every((j) => j.status === 'done' && j.locked_by === null)).toBe(true);
  });

  it('takes over a job whose worker died when its lease expires, and retries a failing job with back-off', async () => {
    let calls = 0;
    const handlers: Record<string, JobHandler> = {
      'test.flaky': async () => {
        calls += 1;
        if (calls === 1) throw new Error('SMTP down');
        return { status: 'done' };
      },
    };
    await runCommand(server.ctx, systemActor('test'), (scope) =>
      enqueueJob(scope, { kind: 'test.flaky', payload: {}, runAt: new Date(scope.at) }),
    );
    expect((await runJobsOnce(server.ctx, handlers, { workerId: 'a' })).failed).toBe(1);
    const row = await server.ctx.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP down' });
    expect((await runJobsOnce(server.ctx, handlers, { workerId: 'a' })).claimed).toBe(0); // backing off
    server.advanceClock(61_000);
    expect((await runJobsOnce(instances()[1]!, handlers, { workerId: 'b' })).done).toBe(1);
    server.advanceClock(-61_000);
  });

  it('sends each participant one access code and one diary reminder, and alerts the site once per missed day', async () => {
    const today = addCalendarDays(
      (await import('../src/core/epro/copenhagen-clock.js')).copenhagenDateOf(server.ctx.now()),
      0,
    );
    const people = [];
    for (let i = 0; i < 4; i++) {
      const p = await participantWithDay0(team, addCalendarDays(today, -2));
      await giveAccess(team, p.id, {
        channel: i % 2 === 0 ? 'email' : 'sms',
        contact: i % 2 === 0 ? `p${i}@example.dk` : `+45 2000 000${i}`,
      });
      people.push(p);
    }
    const handlers = eproJobHandlers(channels);
    await drain(instances(), handlers);
    expect(lines().filter((l) => l.kind === 'epro.access_code')).toHaveLength(4);
    expect(lines().find((l) => l.to === 'p0@example.dk')?.text).toMatch(/\/p\/\?k=.* og skriv koden \d{6}/);
    // Evening: today's (D2) reminders are due. One participant answers first and gets none.
    server.advanceClock(8 * 3_600_000);
    await team.nurse.login('nurse@t.local', PASSWORDS.nurse);
    const a = people[0]!;
    const c = new ParticipantClient(server.url);
    const fresh = await giveAccess(team, a.id, { channel: 'in_person' });
    await c.login(fresh.handle, { code: fresh.code });
    expect(
      (
        await c.request('PUT', '/api/v1/participant/questionnaires/D2/pain_diary', {
          values: DIARY_OK,
          action: 'submit',
        })
      ).status,
    ).toBe(200);
    await drain(instances(), handlers);
    const reminders = lines().filter((l) => l.kind === 'epro.diary_reminder');
    expect(reminders).toHaveLength(3);
    expect(new Set(reminders.map((r) => r.reference)).size).toBe(3);
    expect(reminders[0]?.text).toMatch(/smertedagbog for dag 2/);
    // Next day 13:00: the site hears of the three missing D2 entries, once each.
    server.advanceClock(17 * 3_600_000);
    await drain(instances(), handlers);
    await drain(instances(), handlers);
    const alerts = await server.ctx.database.db
      .selectFrom('outbox')
      .select(['recipient', 'payload_json'])
      .where('kind', '=', 'epro.missed_day')
      .execute();
    expect(alerts.filter((r) => r.payload_json.includes('"D2"'))).toHaveLength(3);
    const deliveries = await server.ctx.database.db.selectFrom('notification_deliveries').select(['job_id']).execute();
    expect(new Set(deliveries.map((d) => d.job_id)).size).toBe(deliveries.length);
    const used = await server.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'identity.used_for_reminder')
      .execute();
    expect(used.length).toBe(deliveries.length);
    // No contact in the audit trail or the job table.
    const audit = await server.ctx.database.db.selectFrom('audit_log').select(['after_json']).execute();
    expect(JSON.stringify(audit)).not.toContain('p0@example.dk');
    const jobs = await server.ctx.database.db.selectFrom('jobs').select(['payload_json', 'result_json']).execute();
    expect(JSON.stringify(jobs)).not.toMatch(/p0@example\.dk|20000001/);
    server.advanceClock(-25 * 3_600_000);
    await team.nurse.login('nurse@t.local', PASSWORDS.nurse);
  });

  describe('SMTP channel', () => {
    let smtp: SMTPServer;
    let port: number;
    const received: { from: string; to: string[]; data: string }[] = [];
    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, session, callback) {
          let data = '';
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => (data += chunk));
          stream.on('end', () => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              data,
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      port = (smtp.server.address() as AddressInfo).port;
    });
    afterAll(async () => new Promise<void>((resolve) => smtp.close(() => resolve())));

    it('delivers the access code e-mail through a real SMTP server on loopback', async () => {
      const smtpChannels: NotificationChannels = {
        email: createSmtpChannel({ url: `smtp://127.0.0.1:${port}`, from: 'STEMJOINT <epro@stemjoint.test>' }),
        sms: channels.sms,
      };
      const today = (await import('../src/core/epro/copenhagen-clock.js')).copenhagenDateOf(server.ctx.now());
      const p = await participantWithDay0(team, addCalendarDays(today, -2));
      const r = await team.nurse.post<{ code: string | null }>(`/api/v1/participants/${p.id}/epro/access`, {
        channel: 'email',
        contact: 'birthe@example.dk',
        language: 'en',
      });
      expect(r.status).toBe(201);
      await runJobsOnce(server.ctx, eproJobHandlers(smtpChannels), { workerId: 'smtp' });
      const mail = received.find((m) => m.to.includes('birthe@example.dk'));
      expect(mail?.from).toBe('epro@stemjoint.test');
      expect(mail?.data).toMatch(/Subject: STEMJOINT: your access to the questionnaires/);
      expect(mail?.data).toContain(`enter the code ${r.body.code}`);
      expect(mail?.data).toMatch(/X-Stemjoint-Kind: epro\.access_code/);
    });
  });
});
