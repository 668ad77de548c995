/**
 * The platform CLI as an operator uses it, in real child processes on both engines: init, audit
 * verify (including a tampered log), user administration, API tokens, serve and demo.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { describeEachEngine, createTestDatabase, type TestDatabase } from './support/engines.js';
import { runStemjoint, startServeProcess } from './support/cli.js';
import { ApiClient } from './support/server.js';

describeEachEngine('stemjoint CLI', (engine) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
  });
  afterAll(async () => testDb.drop());

  it('init then audit verify succeed; init again is idempotent', async () => {
    const init = await runStemjoint(['init', '--db', testDb.url]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/one-time admin password: \S{12,}/);
    const again = await runStemjoint(['init', '--db', testDb.url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already initialised/);
    const verify = await runStemjoint(['audit', 'verify', '--db', testDb.url]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/verified: 4 records/);
  });

  it('user add / list / reset-password / disable, and a token that works over HTTP', async () => {
    const add = await runStemjoint([
      'user',
      'add',
      '--db',
      testDb.url,
      '--email',
      'nurse@x.test',
      '--roles',
      'coordinator',
      '--password',
      'nurse-password-1',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const badRole = await runStemjoint(['user', 'add', '--db', testDb.url, '--email', 'a@x.test', '--roles', 'wizard']);
    expect(badRole.code).toBe(3);
    expect(badRole.stderr).toMatch(/--roles.*wizard/);
    const list = await runStemjoint(['user', 'list', '--db', testDb.url, '--json']);
    expect(JSON.parse(list.stdout).map((u: { email: string }) => u.email)).toContain('nurse@x.test');
    const reset = await runStemjoint(['user', 'reset-password', '--db', testDb.url, '--email', 'nurse@x.test']);
    expect(reset.stdout).toMatch(/one-time password: \S+/);
    const token = await runStemjoint(['token', 'create', '--db', testDb.url, '--user', 'nurse@x.test']);
    expect(token.code, token.stderr).toBe(0);
    const server = await startServeProcess(['--db', testDb.url, '--port', '0']);
    try {
      const client = new ApiClient(server.url);
      client.bearer = token.stdout.trim();
      const study = await client.get<{ acronym: string }>('/api/v1/study');
      expect(study.status).toBe(200);
      expect(study.body.acronym).toBe('STEMJOINT');
    } finally {
      server.child.kill('SIGTERM');
    }
    const disable = await runStemjoint([
      'user',
      'disable',
      '--db',
      testDb.url,
      '--email',
      'nurse@x.test',
      '--reason',
      'left',
    ]);
    expect(disable.code).toBe(0);
    const unknown = await runStemjoint([
      'user',
      'disable',
      '--db',
      testDb.url,
      '--email',
      'nobody@x.test',
      '--reason',
      'x',
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nobody@x.test not found/);
  });

  it('audit verify exits 1 naming the sequence number of a record altered underneath', async () => {
    const database = await openDatabase(testDb.url);
    try {
      if (engine === 'sqlite') await sql`DROP TRIGGER audit_log_no_update`.execute(database.db);
      else await sql`DROP TRIGGER audit_log_no_update ON audit_log`.execute(database.db);
      await sql`UPDATE audit_log SET actor_label = 'someone-else' WHERE seq = 4`.execute(database.db);
    } finally {
      await database.close();
    }
    const verify = await runStemjoint(['audit', 'verify', '--db', testDb.url]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/sequence number 4\b/);
  });
});

it('rejects a bad database URL with exit code 3 naming --db', async () => {
  const r = await runStemjoint(['audit', 'verify', '--db', 'mysql://nope']);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/--db/);
});

it('prints help and exits 0', async () => {
  const r = await runStemjoint(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/init/);
  expect(r.stdout).toMatch(/audit/);
});

it('serve on a fresh database initialises it, prints the one-time admin password and honours PORT', async () => {
  const testDb = await createTestDatabase('sqlite');
  const server = await startServeProcess([], { STEMJOINT_DB: testDb.url, PORT: '0' });
  try {
    expect(server.output()).toMatch(/One-time admin password[^:]*: \S{12,}/);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  } finally {
    server.child.kill('SIGTERM');
    await testDb.drop();
  }
});

it('demo builds accounts for every role through the services', async () => {
  const testDb = await createTestDatabase('sqlite');
  try {
    const r = await runStemjoint([
      'demo',
      '--db',
      testDb.url,
      '--participants',
      '12',
      '--seed',
      '7',
      '--password',
      'demo-password-1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      accounts: { email: string }[];
      participants: string[];
      screening: { screened: number; enrolled: number; ineligible: number };
    };
    expect(summary.participants).toHaveLength(12);
    expect(summary.participants[0]).toBe('SJ-001');
    expect(summary.screening.ineligible).toBeGreaterThan(0);
    expect(summary.screening.screened).toBeGreaterThan(12);
    const emails = summary.accounts.map((a) => a.email);
    for (const role of [
      'admin',
      'investigator',
      'coordinator',
      'unblinded_pharmacist',
      'monitor',
      'data_manager',
      'statistician',
      'dsmb',
    ]) {
      expect(emails).toContain(`${role}@demo.local`);
    }
    expect(emails).toContain('investigator2@demo.local');
    const verify = await runStemjoint(['audit', 'verify', '--db', testDb.url]);
    expect(verify.code).toBe(0);
  } finally {
    await testDb.drop();
  }
});
