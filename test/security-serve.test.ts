/**
 * Two-factor configuration of the real `stemjoint serve` process: required for admin and the
 * unblinded roles by default, not for a database built by `stemjoint demo` (unless
 * STEMJOINT_REQUIRE_TOTP=1), switched off with STEMJOINT_REQUIRE_TOTP=0, roles configurable, and a
 * bad role list refused at start-up naming the variable.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { initStudy } from '../src/services/study.js';
import { createUser } from '../src/services/users.js';
import { runStemjoint, startServeProcess } from './support/cli.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';
import { ApiClient } from './support/server.js';

const PW = 'serve-config-pw-2026';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await exited;
}

/** Signs in on a fresh `serve` with `env` and returns the password step's status for each e-mail. */
async function statusesOn(
  url: string,
  env: Record<string, string>,
  emails: string[],
): Promise<{ statuses: string[]; output: string }> {
  const server = await startServeProcess(['--db', url, '--port', '0'], {
    STEMJOINT_IDENTITY_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  try {
    const statuses: string[] = [];
    for (const email of emails) {
      const r = await new ApiClient(server.url).request<{ status: string }>('POST', '/api/v1/auth/login', {
        email,
        password: PW,
      });
      statuses.push(r.body.status);
    }
    return { statuses, output: server.output() };
  } finally {
    await stop(server.child);
  }
}

describeEachEngine('two-factor configuration of serve', (engine) => {
  let production: TestDatabase;
  let demo: TestDatabase;

  beforeAll(async () => {
    production = await createTestDatabase(engine);
    demo = await createTestDatabase(engine);
    for (const [db, label] of [
      [production, 'setup'],
      [demo, 'demo'],
    ] as const) {
      const database = await db.open();
      try {
        const ctx = createServiceContext(database);
        await initStudy(ctx, { adminEmail: 'admin@serve.test', adminPassword: PW });
        // The demo builds its accounts as system:demo; that is how `serve` recognises a demo database.
        await createUser(ctx, systemActor(label), {
          email: 'nurse@serve.test',
          displayName: 'Nurse',
          password: PW,
          grants: [{ role: 'coordinator', siteId: 'site-auh' }],
        });
        await createUser(ctx, systemActor(label), {
          email: 'dsmb@serve.test',
          displayName: 'DSMB',
          password: PW,
          grants: [{ role: 'dsmb', siteId: null }],
        });
      } finally {
        await database.close();
      }
    }
  }, 120_000);
  afterAll(async () => {
    await production.drop();
    await demo.drop();
  });

  const accounts = ['admin@serve.test', 'dsmb@serve.test', 'nurse@serve.test'];

  it('requires two-factor for admin and the unblinded roles by default', async () => {
    const r = await statusesOn(production.url, {}, accounts);
    expect(r.statuses).toEqual(['totp_enrolment_required', 'totp_enrolment_required', 'signed_in']);
    expect(r.output).toMatch(/Two-factor authentication \(TOTP\) is required for: admin, unblinded_pharmacist, dsmb/);
  });

  it('takes the roles from STEMJOINT_TOTP_ROLES and can be switched off', async () => {
    expect((await statusesOn(production.url, { STEMJOINT_TOTP_ROLES: 'coordinator' }, accounts)).statuses).toEqual([
      'signed_in',
      'signed_in',
      'totp_enrolment_required',
    ]);
    expect((await statusesOn(production.url, { STEMJOINT_REQUIRE_TOTP: '0' }, accounts)).statuses).toEqual([
      'signed_in',
      'signed_in',
      'signed_in',
    ]);
  });

  it('does not require it on a demo database, unless told to', async () => {
    const r = await statusesOn(demo.url, {}, accounts);
    expect(r.statuses).toEqual(['signed_in', 'signed_in', 'signed_in']);
    expect(r.output).toMatch(/Demo database: two-factor authentication is not required/);
    expect((await statusesOn(demo.url, { STEMJOINT_REQUIRE_TOTP: '1' }, accounts)).statuses).toEqual([
      'totp_enrolment_required',
      'totp_enrolment_required',
      'signed_in',
    ]);
  });

  it('refuses a bad role list at start-up, naming the variable', async () => {
    const r = await runStemjoint(['serve', '--db', production.url, '--port', '0'], {
      env: { STEMJOINT_TOTP_ROLES: 'admin,wizard' },
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/STEMJOINT_TOTP_ROLES: .*wizard/);
  });
});
