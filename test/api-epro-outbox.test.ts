/**
 * Delivery of the notification outbox on both engines, through a real SMTP server (smtp-server) on
 * 127.0.0.1: a missed diary day becomes one e-mail to the site's active investigators and
 * coordinators (no one else), marked sent and audited without an address, and listed on the
 * site's alerts; two dispatchers on one database (two connection pools on PostgreSQL) send each
 * message exactly once; a refused delivery is retried with back-off and given up after the limit;
 * safety notices to an address are delivered, the unblinding alert's `sponsor` label and unknown
 * kinds stay pending.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../src/core/schedule/plain-date.js';
import { copenhagenDateOf } from '../src/core/epro/copenhagen-clock.js';
import { runCommand } from '../src/services/command.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import { eproJobHandlers } from '../src/services/epro-reminders.js';
import { enqueueJob, runJobsOnce } from '../src/services/jobs.js';
import {
  createFileChannel,
  createSmtpChannel,
  type NotificationChannel,
} from '../src/services/notification-channels.js';
import {
  appendOutboxMessage,
  claimOutbox,
  dispatchOutboxOnce,
  MAX_OUTBOX_ATTEMPTS,
  type NewOutboxMessage,
  type SiteAlertView,
} from '../src/services/outbox-dispatch.js';
import type { Database } from '../src/storage/database.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createTeam, PASSWORDS, type ErrorBody, type Team } from './api-ecrf-fixtures.js';
import { participantWithDay0, setCopenhagenClock } from './api-epro-fixtures.js';

interface Mail {
  to: string[];
  data: string;
}

/** The value of a header in a raw message. */
const header = (mail: Mail, name: string): string | undefined =>
  new RegExp(`^${name}: (.*)$`, 'im').exec(mail.data)?.[1]?.trim();

describeEachEngine('outbox delivery', (engine) => {
  let server: TestServer;
  let team: Team;
  let second: { database: Database; ctx: ServiceContext };
  let smtp: SMTPServer;
  let email: NotificationChannel;
  const received: Mail[] = [];
  /** While set, the SMTP server refuses every recipient (a mail server that is down for us). */
  let refuse = false;
  let participant: { id: string; studyId: string };

  /** The dispatchers' contexts: two pools on PostgreSQL; one shared synchronous connection on SQLite (see api-epro-jobs). */
  const instances = (): ServiceContext[] =>
    engine === 'postgres' ? [server.ctx, second.ctx] : [server.ctx, server.ctx];

  const outboxRow = (id: string) =>
    server.ctx.database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Appends outbox rows as a module would, in one command; returns their ids. */
  const appendOutbox = (rows: NewOutboxMessage[]): Promise<string[]> =>
    runCommand(server.ctx, systemActor('test'), async ({ tx, at }) => {
      const ids: string[] = [];
      for (const r of rows) ids.push(await appendOutboxMessage(tx, at, r));
      return ids;
    });

  beforeAll(async () => {
    server = await startTestServer(engine);
    setCopenhagenClock(server, '13:00');
    team = await createTeam(server);
    const database = await server.testDb.open();
    second = {
      database,
      ctx: createServiceContext(database, { now: () => server.ctx.now(), identityVault: server.ctx.identityVault! }),
    };
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        callback(
          refuse
            ? Object.assign(new Error(`550 <${address.address}>: mailbox unavailable`), { responseCode: 550 })
            : undefined,
        );
      },
      onData(stream, session, callback) {
        let data = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (data += chunk));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).sort(), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    email = createSmtpChannel({ url: `smtp://127.0.0.1:${port}`, from: 'STEMJOINT <alerts@stemjoint.test>' });
    const today = copenhagenDateOf(server.ctx.now());
    participant = await participantWithDay0(team, addCalendarDays(today, -3));
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await second?.database.close();
    await server?.close();
  });

  it("e-mails a missed diary day once to the site's investigators and coordinators, audited without an address", async () => {
    // The missed-day job (the real handler) writes the outbox row; the dispatcher delivers it.
    const channels = { email: createFileChannel('/dev/null'), sms: createFileChannel('/dev/null') };
    await runCommand(server.ctx, systemActor('test'), (scope) =>
      enqueueJob(scope, {
        kind: 'epro.missed_day_alert',
        payload: { participantId: participant.id, visitCode: 'D1' },
        runAt: new Date(scope.at),
      }),
    );
    // The alert needs an active access (no reminders for participants without one).
    const access = await team.nurse.post(`/api/v1/participants/${participant.id}/epro/access`, {
      channel: 'in_person',
      language: 'da',
    });
    expect(access.status).toBe(201);
    expect((await runJobsOnce(server.ctx, eproJobHandlers(channels), { workerId: 'jobs' })).done).toBeGreaterThan(0);
    const [row] = await server.ctx.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'epro.missed_day')
      .execute();
    expect(row).toMatchObject({ recipient: 'site:site-auh', sent_at: null });

    const pending = await team.nurse.get<SiteAlertView[]>('/api/v1/epro/alerts');
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject([{ studyId: participant.studyId, visitCode: 'D1', delivery: 'pending' }]);

    expect(await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' })).toEqual({ claimed: 1, sent: 1, failed: 0 });
    expect(await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' })).toEqual({ claimed: 0, sent: 0, failed: 0 });
    const mails = received.filter((m) => header(m, 'X-Stemjoint-Reference') === row!.id);
    expect(mails).toHaveLength(1);
    // The site-AUH coordinator and investigator; not the other site's nurse, the monitor or the data manager.
    expect(mails[0]!.to).toEqual(['inv@t.local', 'nurse@t.local']);
    expect(mails[0]!.data).toContain(`${participant.studyId} has not entered the pain diary for D1.`);
    expect(mails[0]!.data).toContain(`/participants/${participant.id}/epro`);
    expect(mails[0]!.data).not.toMatch(/ADMSC|SALINE|Test Person/);
    expect((await outboxRow(row!.id)).sent_at).not.toBeNull();

    const audit = await server.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'after_json', 'entity_id'])
      .where('action', '=', 'outbox.delivered')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({
      kind: 'epro.missed_day',
      recipient: 'site:site-auh',
      addresses: 2,
      channel: 'email',
    });
    expect(audit[0]!.after_json).not.toMatch(/inv@t\.local|nurse@t\.local/);

    const sent = await team.nurse.get<SiteAlertView[]>('/api/v1/epro/alerts');
    expect(sent.body[0]).toMatchObject({ delivery: 'sent', attempts: 1 });
    expect(sent.body[0]!.sentAt).not.toBeNull();
    // Authorized like the compliance route: the other site sees none, a statistician is refused.
    expect((await team.otherSiteNurse.get<SiteAlertView[]>('/api/v1/epro/alerts')).body).toEqual([]);
    expect((await team.monitor.get<SiteAlertView[]>('/api/v1/epro/alerts?siteId=site-auh')).body).toHaveLength(1);
    expect((await team.statistician.get('/api/v1/epro/alerts')).status).toBe(403);
    const bad = await team.nurse.get<ErrorBody>('/api/v1/epro/alerts?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]?.path).toMatch(/limit/);
  });

  it('sends each of 60 messages exactly once with two dispatchers claiming at the same time', async () => {
    const ids = await appendOutbox(
      Array.from({ length: 60 }, (_, i) => ({
        kind: 'epro.missed_day',
        recipient: 'site:site-auh',
        payload: { participantId: participant.id, studyId: participant.studyId, visitCode: `D${(i % 30) + 1}` },
      })),
    );
    let claimed = 0;
    for (;;) {
      const results = await Promise.all(
        instances().map((ctx, i) => dispatchOutboxOnce(ctx, email, { workerId: `instance-${i}`, limit: 7 })),
      );
      expect(results.every((r) => r.failed === 0)).toBe(true);
      const n = results.reduce((s, r) => s + r.claimed, 0);
      claimed += n;
      if (n === 0) break;
    }
    expect(claimed).toBe(60);
    const refs = received
      .map((m) => header(m, 'X-Stemjoint-Reference'))
      .filter((r) => r !== undefined && ids.includes(r));
    expect(refs).toHaveLength(60);
    expect(new Set(refs).size).toBe(60);
    const rows = await server.ctx.database.db
      .selectFrom('outbox')
      .select(['sent_at', 'locked_by'])
      .where('id', 'in', ids)
      .execute();
    expect(rows.every((r) => r.sent_at !== null && r.locked_by === null)).toBe(true);
    const audited = await server.ctx.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'outbox.delivered')
      .where('entity_id', 'in', ids)
      .execute();
    expect(audited).toHaveLength(60);
  });

  it('takes over a message whose dispatcher died when its lease expires', async () => {
    const [id] = await appendOutbox([
      { kind: 'epro.missed_day', recipient: 'site:site-auh', payload: { studyId: 'SJ-999', visitCode: 'D9' } },
    ]);
    expect(await claimOutbox(server.ctx, 'dead', { leaseMs: 5_000 })).toHaveLength(1);
    expect((await dispatchOutboxOnce(instances()[1]!, email, { workerId: 'b' })).claimed).toBe(0);
    server.advanceClock(6_000);
    expect(await dispatchOutboxOnce(instances()[1]!, email, { workerId: 'b' })).toMatchObject({ claimed: 1, sent: 1 });
    expect(await outboxRow(id!)).toMatchObject({ attempts: 2, locked_by: null });
  });

  it('retries a refused delivery with back-off, masks the address in the error, and gives up after the limit', async () => {
    const [id] = await appendOutbox([
      { kind: 'epro.missed_day', recipient: 'site:site-auh', payload: { studyId: 'SJ-998', visitCode: 'D3' } },
    ]);
    refuse = true;
    try {
      expect(await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' })).toEqual({
        claimed: 1,
        sent: 0,
        failed: 1,
      });
      const failed = await outboxRow(id!);
      expect(failed).toMatchObject({ attempts: 1, sent_at: null, locked_by: null });
      expect(failed.last_error).toMatch(/550/);
      expect(failed.last_error).not.toContain('@');
      const backOff = Date.parse(failed.available_at) - server.ctx.now().getTime();
      expect(backOff).toBeGreaterThan(55_000);
      expect(backOff).toBeLessThanOrEqual(60_000);
      // Backing off: nothing to claim for a minute.
      expect((await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' })).claimed).toBe(0);
      for (let attempt = 2; attempt <= MAX_OUTBOX_ATTEMPTS; attempt++) {
        server.advanceClock(61 * 60_000);
        expect((await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' })).failed).toBe(1);
      }
      server.advanceClock(61 * 60_000);
      expect((await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' })).claimed).toBe(0);
      expect(await outboxRow(id!)).toMatchObject({ attempts: MAX_OUTBOX_ATTEMPTS, sent_at: null });
      const gaveUp = await server.ctx.database.db
        .selectFrom('audit_log')
        .select('after_json')
        .where('action', '=', 'outbox.delivery_failed')
        .where('entity_id', '=', id!)
        .execute();
      expect(gaveUp).toHaveLength(1);
      expect(gaveUp[0]!.after_json).not.toContain('@');
      await team.nurse.login('nurse@t.local', PASSWORDS.nurse);
      const alerts = await team.nurse.get<SiteAlertView[]>('/api/v1/epro/alerts?limit=200');
      expect(alerts.body.find((a) => a.id === id)).toMatchObject({ delivery: 'failed', attempts: MAX_OUTBOX_ATTEMPTS });
    } finally {
      refuse = false;
    }
  });

  it('delivers safety notices to their addresses and leaves the sponsor label, unknown kinds and empty sites pending', async () => {
    const [safety, sponsor, unknown, emptySite] = await appendOutbox([
      {
        kind: 'safety.deadline_near',
        recipient: 'inv@t.local',
        payload: {
          caseId: 'c1',
          caseNumber: 'SAE-001',
          aeNumber: 'AE-001',
          studyId: 'SJ-001',
          label: 'Report to the sponsor',
          dueLocal: '2026-11-26 10:00',
          arm: 'ADMSC',
        },
      },
      { kind: 'emergency_unblinding', recipient: 'sponsor', payload: { studyId: 'SJ-001' } },
      { kind: 'some.future_kind', recipient: 'inv@t.local', payload: {} },
      { kind: 'epro.missed_day', recipient: 'site:site-nowhere', payload: { studyId: 'SJ-997', visitCode: 'D4' } },
    ]);
    const r = await dispatchOutboxOnce(server.ctx, email, { workerId: 'a' });
    expect(r).toEqual({ claimed: 2, sent: 1, failed: 1 });
    const mail = received.find((m) => header(m, 'X-Stemjoint-Reference') === safety);
    expect(mail?.to).toEqual(['inv@t.local']);
    expect(mail?.data).toContain('SAE report due soon.');
    expect(mail?.data).toContain('SAE case SAE-001, adverse event AE-001, participant SJ-001.');
    // Only named payload fields reach the message.
    expect(mail?.data).not.toContain('ADMSC');
    expect((await outboxRow(sponsor!)).attempts).toBe(0);
    expect((await outboxRow(unknown!)).attempts).toBe(0);
    expect(await outboxRow(emptySite!)).toMatchObject({
      attempts: 1,
      sent_at: null,
      last_error: 'no active recipient for site:site-nowhere',
    });
  });
});

describe('outbox formatter coverage', () => {
  it('names every deliverable kind', async () => {
    const { DELIVERABLE_OUTBOX_KINDS } = await import('../src/services/outbox-dispatch.js');
    const { SAFETY_OUTBOX_KINDS } = await import('../src/services/safety-notifications.js');
    expect(DELIVERABLE_OUTBOX_KINDS).toEqual(expect.arrayContaining(['epro.missed_day', ...SAFETY_OUTBOX_KINDS]));
  });
});
