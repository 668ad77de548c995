/**
 * The authorization matrix, route by route: every operation of the OpenAPI document is called
 * anonymously and as every staff role, and the outcome must match `AUTHORIZATION_MATRIX` exactly —
 * denied roles get 403 `forbidden` before anything else happens, allowed roles never do, anonymous
 * callers get 401 on every non-public route.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUTHORIZATION_MATRIX, type Operation as Permission } from '../src/core/authorization.js';
import { STAFF_ROLES } from '../src/core/roles.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { fillPath, listOperations, type Operation } from './support/openapi-crawl.js';

let server: TestServer;
let ops: Operation[];
const clients = new Map<string, ApiClient>();
const PW = 'matrix-password-1';

beforeAll(async () => {
  server = await startTestServer('sqlite');
  const admin = new ApiClient(server.url);
  await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  ops = listOperations((await admin.get('/api/openapi.json')).body);
  for (const role of STAFF_ROLES) {
    const email = `${role}@matrix.test`;
    const r = await admin.post('/api/v1/users', {
      email,
      displayName: role,
      password: PW,
      grants: [{ role, siteId: null }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = new ApiClient(server.url);
    expect((await c.login(email, PW)).status).toBe(200);
    clients.set(role, c);
  }
});
afterAll(async () => server.close());

it('every non-public operation declares the permission it needs, and the matrix knows it', () => {
  const staffOps = ops.filter((o) => !o.isPublic);
  expect(staffOps.length).toBeGreaterThan(20);
  for (const o of staffOps) {
    if (o.requiredOperation) expect(Object.keys(AUTHORIZATION_MATRIX), o.operationId).toContain(o.requiredOperation);
  }
});

it('anonymous callers get 401 on every non-public operation', async () => {
  const anon = new ApiClient(server.url);
  for (const o of ops.filter((x) => !x.isPublic)) {
    const r = await anon.request(o.method, fillPath(o), o.hasBody ? {} : undefined);
    expect(r.status, `${o.method} ${o.path}`).toBe(401);
  }
});

it('each role is allowed or denied exactly as the matrix says', { timeout: 300_000 }, async () => {
  const mismatches: string[] = [];
  for (const o of ops.filter((x) => !x.isPublic && x.requiredOperation)) {
    const allowedRoles: readonly string[] = AUTHORIZATION_MATRIX[o.requiredOperation as Permission];
    for (const role of STAFF_ROLES) {
      // Sign-out would end the session the rest of the crawl needs.
      if (o.operationId === 'logout') continue;
      const client = clients.get(role)!;
      const r = await client.request<{ error?: { code: string; message: string } }>(
        o.method,
        fillPath(o),
        o.hasBody ? {} : undefined,
      );
      const deniedByMatrix =
        r.status === 403 &&
        r.body.error?.code === 'forbidden' &&
        r.body.error.message === 'You do not have permission for this operation';
      const allowed = allowedRoles.includes(role);
      if (allowed && (deniedByMatrix || r.status === 401)) {
        mismatches.push(`${role} should be allowed ${o.method} ${o.path} but got ${r.status}`);
      }
      if (!allowed && !deniedByMatrix) {
        mismatches.push(`${role} should be denied ${o.method} ${o.path} but got ${r.status}`);
      }
      if (r.status >= 500) mismatches.push(`${role} ${o.method} ${o.path} → ${r.status}`);
    }
  }
  expect(mismatches).toEqual([]);
});
