/**
 * Two-factor sign-in over real HTTP on both engines: roles that require TOTP enrol before anything
 * else, the half-authenticated state grants nothing, codes are single use (no replay), wrong codes
 * count towards the lockout, recovery codes work once, administrators reset a lost device, and
 * tokens and old sessions are no way around it. Also: a new session id at every sign-in (the old
 * one is revoked), privilege changes end sessions, and Secure cookies behind TLS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/services/auth.js';
import { systemActor } from '../src/services/context.js';
import { totpCodeAt } from '../src/services/totp-codes.js';
import { securityDb } from '../src/services/totp-store.js';
import { describeEachEngine } from './support/engines.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  ApiClient,
  startTestServer,
  type ApiResponse,
  type TestServer,
} from './support/server.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}
interface LoginBody {
  status?: string;
  csrfToken?: string;
  challengeExpiresAt?: string;
  mustChangePassword?: boolean;
}

const PW = 'second-factor-pw-42';
const REQUIRED = ['admin', 'unblinded_pharmacist', 'dsmb'] as const;

/** The value of a Set-Cookie for `name`, or null. */
function cookieValue(r: ApiResponse<unknown>, name: string): string | null {
  const all = r.headers.getSetCookie();
  const c = all.find((x) => x.startsWith(`${name}=`));
  return c ? c.split(';')[0]!.slice(name.length + 1) || null : null;
}
const setCookieLine = (r: ApiResponse<unknown>, name: string): string =>
  r.headers.getSetCookie().find((x) => x.startsWith(`${name}=`)) ?? '';

/** Password step; keeps the challenge cookie (like a browser on the /api/v1/auth/login path). */
async function passwordStep(c: ApiClient, email: string, password: string): Promise<ApiResponse<LoginBody>> {
  c.cookie = null;
  c.csrf = null;
  const r = await c.request<LoginBody>('POST', '/api/v1/auth/login', { email, password });
  const challenge = cookieValue(r, 'sj_mfa');
  if (challenge) c.cookie = `sj_mfa=${challenge}`;
  if (r.status === 200 && r.body.csrfToken) c.csrf = r.body.csrfToken;
  return r;
}

/** A second step that completes sign-in: keep the session cookie and CSRF token it returns. */
async function secondStep<T extends object>(
  c: ApiClient,
  path: string,
  body: unknown,
): Promise<ApiResponse<T & { csrfToken?: string }>> {
  const r = await c.request<T & { csrfToken?: string }>('POST', path, body);
  if (r.status === 200 && r.body.csrfToken) c.csrf = r.body.csrfToken;
  return r;
}

describeEachEngine('two-factor sign-in (TOTP)', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let adminSecret = '';
  const now = (): Date => server.ctx.now();
  /** Moves the server clock to the next 30-second step, so a fresh code can be used. */
  const nextStep = (): void => server.advanceClock(30_000);

  beforeAll(async () => {
    server = await startTestServer(engine, {
      totpRequiredRoles: [...REQUIRED],
      lockoutThreshold: 5,
      loginAttemptsPerMinute: 10_000,
    });
    admin = new ApiClient(server.url);
  });
  afterAll(async () => server.close());

  async function createUser(email: string, role: string): Promise<string> {
    const r = await admin.post<{ user: { id: string } }>('/api/v1/users', {
      email,
      displayName: email,
      password: PW,
      grants: [{ role, siteId: null }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.user.id;
  }

  /** Signs a required-role user in for the first time: enrolment during sign-in. Returns the secret. */
  async function enrolAtSignIn(
    c: ApiClient,
    email: string,
    password = PW,
  ): Promise<{ secret: string; recoveryCodes: string[] }> {
    const first = await passwordStep(c, email, password);
    expect(first.body.status).toBe('totp_enrolment_required');
    const start = await c.post<{ secret: string; otpauthUri: string }>('/api/v1/auth/login/totp-enrolment', {});
    expect(start.status).toBe(200);
    const done = await secondStep<{ recoveryCodes: string[] }>(c, '/api/v1/auth/login/totp-enrolment/confirm', {
      code: totpCodeAt(start.body.secret, now()),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    return { secret: start.body.secret, recoveryCodes: done.body.recoveryCodes };
  }

  it('an admin must enrol before anything else, and the half-authenticated state grants nothing', async () => {
    const first = await passwordStep(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'totp_enrolment_required', challengeExpiresAt: expect.any(String) });
    // No session cookie, only the challenge: HttpOnly, SameSite=Strict, scoped to the sign-in path.
    expect(cookieValue(first, 'sj_session')).toBeNull();
    const challengeLine = setCookieLine(first, 'sj_mfa');
    expect(challengeLine).toMatch(/HttpOnly/i);
    expect(challengeLine).toMatch(/SameSite=Strict/i);
    expect(challengeLine).toMatch(/Path=\/api\/v1\/auth\/login/);
    expect(challengeLine).not.toMatch(/;\s*Secure/i);
    const challenge = admin.cookie!.slice('sj_mfa='.length);

    // The challenge opens nothing: not as itself, not posing as a session cookie.
    for (const cookie of [`sj_mfa=${challenge}`, `sj_session=${challenge}`]) {
      const probe = new ApiClient(server.url);
      probe.cookie = cookie;
      expect((await probe.get('/api/v1/study')).status).toBe(401);
      expect((await probe.get('/api/v1/auth/me')).status).toBe(401);
      expect((await probe.get('/api/v1/users')).status).toBe(401);
    }
    // A code step for an enrolment challenge is refused (wrong purpose).
    expect((await admin.post('/api/v1/auth/login/totp', { code: '123456' })).status).toBe(401);

    const start = await admin.post<{ secret: string; otpauthUri: string }>('/api/v1/auth/login/totp-enrolment', {});
    expect(start.status).toBe(200);
    expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(start.body.otpauthUri).toBe(
      `otpauth://totp/STEMJOINT:${encodeURIComponent(ADMIN_EMAIL)}?secret=${start.body.secret}&issuer=STEMJOINT`,
    );
    adminSecret = start.body.secret;

    const wrong = await admin.post<ErrorBody>('/api/v1/auth/login/totp-enrolment/confirm', {
      code: '000000' === totpCodeAt(adminSecret, now()) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0]!.path).toBe('code');
    const malformed = await admin.post<ErrorBody>('/api/v1/auth/login/totp-enrolment/confirm', { code: '12ab56' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0]!.path).toBe('body.code');

    const done = await secondStep<{ recoveryCodes: string[]; mustChangePassword: boolean }>(
      admin,
      '/api/v1/auth/login/totp-enrolment/confirm',
      { code: totpCodeAt(adminSecret, now()) },
    );
    expect(done.status).toBe(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    for (const code of done.body.recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(cookieValue(done, 'sj_session')).not.toBeNull();
    admin.cookie = `sj_session=${cookieValue(done, 'sj_session')}`;
    expect((await admin.get('/api/v1/study')).status).toBe(200);
    // The challenge is spent: completing again is refused.
    const replay = new ApiClient(server.url);
    replay.cookie = `sj_mfa=${challenge}`;
    expect(
      (await replay.post('/api/v1/auth/login/totp-enrolment/confirm', { code: totpCodeAt(adminSecret, now()) })).status,
    ).toBe(401);

    // Stored encrypted; never in clear in the audit trail; every step audited.
    const row = await securityDb(server.ctx.database.db).selectFrom('user_totp').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
    expect(row.secret_ciphertext).not.toContain(adminSecret);
    const audit = await server.ctx.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    for (const a of audit) {
      expect(`${a.before_json ?? ''}${a.after_json ?? ''}`).not.toContain(adminSecret);
      for (const code of done.body.recoveryCodes) expect(`${a.after_json ?? ''}`).not.toContain(code);
    }
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'auth.password_verified',
        'auth.totp_enrolment_started',
        'auth.totp_enrolment_failed',
        'auth.totp_enrolled',
        'auth.login',
      ]),
    );
    const lastLogin = audit.filter((a) => a.action === 'auth.login').at(-1)!;
    expect(JSON.parse(lastLogin.after_json!)).toMatchObject({ secondFactor: 'totp_enrolment' });
  });

  it('the next sign-in needs a code; a code is never accepted twice', async () => {
    nextStep();
    const c = new ApiClient(server.url);
    expect((await passwordStep(c, ADMIN_EMAIL, ADMIN_PASSWORD)).body.status).toBe('totp_required');
    const code = totpCodeAt(adminSecret, now());
    const ok = await secondStep(c, '/api/v1/auth/login/totp', { code });
    expect(ok.status).toBe(200);
    expect((await c.get('/api/v1/users')).status).toBe(200);

    // Someone who saw the code (and knows the password) cannot use it again.
    const eve = new ApiClient(server.url);
    await passwordStep(eve, ADMIN_EMAIL, ADMIN_PASSWORD);
    const replayed = await eve.post<ErrorBody>('/api/v1/auth/login/totp', { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('invalid_credentials');
    nextStep();
    expect((await secondStep(eve, '/api/v1/auth/login/totp', { code: totpCodeAt(adminSecret, now()) })).status).toBe(
      200,
    );
    const failed = await server.ctx.database.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(failed.map((f) => JSON.parse(f.after_json!).reason)).toContain('wrong_totp_code');
  });

  it('two simultaneous completions with one code: exactly one gets a session', async () => {
    nextStep();
    const a = new ApiClient(server.url);
    await passwordStep(a, ADMIN_EMAIL, ADMIN_PASSWORD);
    const b = new ApiClient(server.url);
    b.cookie = a.cookie;
    const code = totpCodeAt(adminSecret, now());
    const results = await Promise.all([
      a.post('/api/v1/auth/login/totp', { code }),
      b.post('/api/v1/auth/login/totp', { code }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('recovery codes work once each', async () => {
    const c = new ApiClient(server.url);
    const dsmbEmail = 'dsmb-recovery@test.local';
    await createUser(dsmbEmail, 'dsmb');
    const { recoveryCodes } = await enrolAtSignIn(c, dsmbEmail);
    const d = new ApiClient(server.url);
    await passwordStep(d, dsmbEmail, PW);
    const used = await secondStep<{ recoveryCodesLeft: number }>(d, '/api/v1/auth/login/totp', {
      recoveryCode: recoveryCodes[3]!.toLowerCase().replaceAll('-', ' '),
    });
    expect(used.status).toBe(200);
    expect(used.body.recoveryCodesLeft).toBe(9);
    const e = new ApiClient(server.url);
    await passwordStep(e, dsmbEmail, PW);
    expect((await e.post('/api/v1/auth/login/totp', { recoveryCode: recoveryCodes[3]! })).status).toBe(401);
    expect((await e.post('/api/v1/auth/login/totp', {})).status).toBe(400);
    expect((await secondStep(e, '/api/v1/auth/login/totp', { recoveryCode: recoveryCodes[4]! })).status).toBe(200);
  });

  it('wrong codes count towards the lockout together with wrong passwords; a challenge allows only a few tries', async () => {
    const email = 'lab-lockout@test.local';
    await createUser(email, 'unblinded_pharmacist');
    const { secret } = await enrolAtSignIn(new ApiClient(server.url), email);
    const c = new ApiClient(server.url);
    expect((await passwordStep(c, email, 'not-the-password-1')).status).toBe(401);
    expect((await passwordStep(c, email, 'not-the-password-2')).status).toBe(401);
    await passwordStep(c, email, PW);
    const good = totpCodeAt(secret, now());
    const bad = good === '999999' ? '999998' : '999999';
    expect((await c.post('/api/v1/auth/login/totp', { code: bad })).status).toBe(401);
    expect((await c.post('/api/v1/auth/login/totp', { code: bad })).status).toBe(401);
    expect((await c.post('/api/v1/auth/login/totp', { code: bad })).status).toBe(401); // 5th failure: locked
    const locked = await passwordStep(c, email, PW);
    expect(locked.status).toBe(403);
    expect((locked.body as unknown as ErrorBody).error.code).toBe('account_locked');

    // A challenge is void after loginChallengeAttempts (5) wrong codes, even below the account threshold.
    const email2 = 'dsmb-attempts@test.local';
    await createUser(email2, 'dsmb');
    const s2 = await enrolAtSignIn(new ApiClient(server.url), email2);
    const d = new ApiClient(server.url);
    await passwordStep(d, email2, PW);
    for (let i = 0; i < 4; i++) expect((await d.post('/api/v1/auth/login/totp', { code: bad })).status).toBe(401);
    // The account locks at 5 here too; either way the challenge is gone.
    const fifth = await d.post<ErrorBody>('/api/v1/auth/login/totp', { code: bad });
    expect(fifth.status).toBe(401);
    expect(
      (await d.post('/api/v1/auth/login/totp', { code: totpCodeAt(s2.secret, now()) })).status,
    ).toBeGreaterThanOrEqual(401);
  });

  it('two-factor is optional for other roles: enrol on the account page, then it is asked for; disabling needs password and code', async () => {
    const email = 'nurse-optional@test.local';
    await createUser(email, 'coordinator');
    const c = new ApiClient(server.url);
    expect((await passwordStep(c, email, PW)).body.status).toBe('signed_in');
    expect((await c.get('/api/v1/auth/totp')).body).toMatchObject({ enrolled: false, required: false, pending: false });
    const start = await c.post<{ secret: string }>('/api/v1/auth/totp/enrolment', {});
    expect(start.status).toBe(200);
    expect((await c.get('/api/v1/auth/totp')).body).toMatchObject({ enrolled: false, pending: true });
    const confirmed = await c.post<{ recoveryCodes: string[] }>('/api/v1/auth/totp/enrolment/confirm', {
      code: totpCodeAt(start.body.secret, now()),
    });
    expect(confirmed.status).toBe(200);
    expect((await c.get('/api/v1/auth/totp')).body).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });
    // A second enrolment is refused while one is active.
    expect((await c.post('/api/v1/auth/totp/enrolment', {})).status).toBe(409);

    nextStep();
    const again = new ApiClient(server.url);
    expect((await passwordStep(again, email, PW)).body.status).toBe('totp_required');
    expect(
      (await secondStep(again, '/api/v1/auth/login/totp', { code: totpCodeAt(start.body.secret, now()) })).status,
    ).toBe(200);

    nextStep();
    const regenerated = await again.post<{ recoveryCodes: string[] }>('/api/v1/auth/totp/recovery-codes', {
      code: totpCodeAt(start.body.secret, now()),
    });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.recoveryCodes).not.toEqual(confirmed.body.recoveryCodes);

    nextStep();
    const refused = await again.post<ErrorBody>('/api/v1/auth/totp/disable', {
      password: 'wrong-password-xyz',
      code: totpCodeAt(start.body.secret, now()),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d) => d.path)).toEqual(['password']);
    expect(
      (await again.post('/api/v1/auth/totp/disable', { password: PW, code: totpCodeAt(start.body.secret, now()) }))
        .status,
    ).toBe(200);
    expect((await passwordStep(new ApiClient(server.url), email, PW)).body.status).toBe('signed_in');

    // Roles that require it cannot turn it off.
    nextStep();
    const own = await admin.post<ErrorBody>('/api/v1/auth/totp/disable', {
      password: ADMIN_PASSWORD,
      code: totpCodeAt(adminSecret, now()),
    });
    expect(own.status).toBe(409);
  });

  it('an administrator resets a lost device: the user’s sessions end and they enrol again', async () => {
    const email = 'dsmb-lost-phone@test.local';
    const id = await createUser(email, 'dsmb');
    const c = new ApiClient(server.url);
    await enrolAtSignIn(c, email);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    expect((await admin.post('/api/v1/users/' + id + '/totp/reset', { reason: '' })).status).toBe(400);
    const reset = await admin.post<{ removed: boolean }>(`/api/v1/users/${id}/totp/reset`, {
      reason: 'phone lost, identity confirmed by phone call',
    });
    expect(reset.status).toBe(200);
    expect(reset.body.removed).toBe(true);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
    expect((await passwordStep(new ApiClient(server.url), email, PW)).body.status).toBe('totp_enrolment_required');
    const audit = await server.ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.totp_reset')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(audit.reason).toBe('phone lost, identity confirmed by phone call');
  });

  it('neither API tokens nor sessions from before the requirement get around it', async () => {
    const email = 'dsmb-token@test.local';
    const id = await createUser(email, 'dsmb');
    const token = await createApiToken(server.ctx, systemActor('test'), { userId: id, name: 'script' });
    const scripted = new ApiClient(server.url);
    scripted.bearer = token.token;
    const denied = await scripted.get<ErrorBody>('/api/v1/study');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/two-factor/i);
    // Once enrolled, the token works.
    await enrolAtSignIn(new ApiClient(server.url), email);
    expect((await scripted.get('/api/v1/study')).status).toBe(200);
  });

  it('gives a new session id at every sign-in and revokes the one the browser still had', async () => {
    const email = 'nurse-rotation@test.local';
    await createUser(email, 'coordinator');
    const c = new ApiClient(server.url);
    await c.login(email, PW);
    const first = c.cookie!;
    await c.login(email, PW); // the browser still sends the first cookie
    const second = c.cookie!;
    expect(second).not.toBe(first);
    const old = new ApiClient(server.url);
    old.cookie = first;
    expect((await old.get('/api/v1/auth/me')).status).toBe(401);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('a change of role grants ends the sessions opened before it', async () => {
    const email = 'nurse-promoted@test.local';
    const id = await createUser(email, 'coordinator');
    const c = new ApiClient(server.url);
    await c.login(email, PW);
    expect((await c.get('/api/v1/screenings')).status).toBe(200);
    server.advanceClock(5);
    const changed = await admin.request('PUT', `/api/v1/users/${id}/grants`, {
      grants: [{ role: 'monitor', siteId: null }],
      reason: 'moved to monitoring',
    });
    expect(changed.status).toBe(200);
    const after = await c.get<ErrorBody>('/api/v1/auth/me');
    expect(after.status).toBe(401);
    // The grant change revoked the session itself, so it is gone rather than expired.
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await c.login(email, PW)).status).toBe(200);
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    // Promotion into a role that requires two-factor: the next sign-in enrols first.
    server.advanceClock(5);
    await admin.request('PUT', `/api/v1/users/${id}/grants`, {
      grants: [{ role: 'admin', siteId: null }],
      reason: 'new administrator',
    });
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
    expect((await passwordStep(new ApiClient(server.url), email, PW)).body.status).toBe('totp_enrolment_required');
  });

  it('a session opened while two-factor was optional ends when it becomes required', async () => {
    const email = 'lab-before@test.local';
    await createUser(email, 'unblinded_pharmacist');
    const security = server.ctx.security as { totpRequiredRoles: readonly string[] };
    const saved = security.totpRequiredRoles;
    security.totpRequiredRoles = [];
    try {
      const c = new ApiClient(server.url);
      expect((await c.login(email, PW)).status).toBe(200);
      expect((await c.get('/api/v1/auth/me')).status).toBe(200);
      security.totpRequiredRoles = saved;
      const r = await c.get<ErrorBody>('/api/v1/auth/me');
      expect(r.status).toBe(401);
      expect(r.body.error.message).toMatch(/two-factor/i);
    } finally {
      security.totpRequiredRoles = saved;
    }
  });
});

describe('cookies behind TLS (STEMJOINT_SECURE_COOKIES)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { totpRequiredRoles: ['admin'] }, { secureCookies: true });
  });
  afterAll(async () => server.close());

  it('marks the session and challenge cookies Secure and sends HSTS', async () => {
    const c = new ApiClient(server.url);
    const r = await passwordStep(c, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(setCookieLine(r, 'sj_mfa')).toMatch(/;\s*Secure/i);
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const start = await c.post<{ secret: string }>('/api/v1/auth/login/totp-enrolment', {});
    const done = await c.post('/api/v1/auth/login/totp-enrolment/confirm', {
      code: totpCodeAt(start.body.secret, server.ctx.now()),
    });
    expect(done.status).toBe(200);
    const session = setCookieLine(done, 'sj_session');
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
  });
});
