/**
 * Hostile input, property-based (fast-check), against every operation of the OpenAPI document:
 * malformed, oversized, deeply nested, wrongly typed and unicode-tricky bodies, query strings and
 * headers. Never a 5xx, never a stack trace in a response, and a refused request changes nothing
 * (the audit chain head and every table's row count stay the same).
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUTHORIZATION_MATRIX, type Operation as Permission } from '../src/core/authorization.js';
import { STAFF_ROLES } from '../src/core/roles.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { fillPath, listOperations, type Operation } from './support/openapi-crawl.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- counts rows of every table generically
type AnyDb = Kysely<any>;

let server: TestServer;
let ops: Operation[];
const clients = new Map<string, ApiClient>();
const PW = 'hostile-password-1';

async function fingerprint(): Promise<string> {
  const db = server.ctx.database.db as unknown as AnyDb;
  const tables = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((t) => !['sessions', 'rate_limits', 'api_tokens'].includes(t))
    .sort();
  const counts: string[] = [];
  for (const t of tables) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db);
    counts.push(`${t}:${Number(r.rows[0]?.n)}`);
  }
  const head = await server.ctx.database.db
    .selectFrom('audit_head')
    .select(['last_seq', 'last_hash'])
    .executeTakeFirstOrThrow();
  return `${counts.join(',')}|${head.last_seq}|${head.last_hash}`;
}

beforeAll(async () => {
  server = await startTestServer('sqlite', { loginAttemptsPerMinute: 100_000 });
  const admin = new ApiClient(server.url);
  await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  ops = listOperations((await admin.get('/api/openapi.json')).body);
  for (const role of STAFF_ROLES) {
    const email = `${role}@hostile.test`;
    await admin.post('/api/v1/users', { email, displayName: role, password: PW, grants: [{ role, siteId: null }] });
    const c = new ApiClient(server.url);
    await c.login(email, PW);
    clients.set(role, c);
  }
});
afterAll(async () => server.close());

const tricky = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(
    '\u0000',
    '\uD800',
    '\u202E',
    'null',
    '__proto__',
    'constructor',
    '${7*7}',
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>',
    'A'.repeat(10_000),
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(tricky, fc.constantFrom('email', 'values', 'reason', 'signature', 'password', 'id', 'siteId')),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;
const rawBody = fc.oneof(
  hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '[1,2',
    '{"a":}',
    '\u0000',
    `${'['.repeat(200)}${']'.repeat(200)}`,
    '{"__proto__":{"admin":true}}',
  ),
);

function clientFor(op: Operation): ApiClient {
  const allowed: readonly string[] = op.requiredOperation
    ? AUTHORIZATION_MATRIX[op.requiredOperation as Permission]
    : STAFF_ROLES;
  return clients.get(allowed[0] ?? 'admin')!;
}

it(
  'never answers 5xx, never leaks a stack trace, and refused requests change nothing',
  { timeout: 300_000 },
  async () => {
    const problems: string[] = [];
    let requests = 0;
    for (const op of ops) {
      if (op.operationId === 'logout' || op.operationId === 'login') continue;
      const client = clientFor(op);
      await fc.assert(
        fc.asyncProperty(
          rawBody,
          fc.dictionary(
            fc.constantFrom('limit', 'status', 'entityId', 'beforeSeq', 'x', 'siteId'),
            fc.string({ maxLength: 30 }),
          ),
          fc.boolean(),
          async (body, query, wrongType) => {
            const before = await fingerprint();
            const qs = new URLSearchParams(query).toString();
            const r = await client.request<unknown>(
              op.method,
              `${fillPath(op)}${qs ? `?${qs}` : ''}`,
              op.method === 'GET' ? undefined : body,
              wrongType ? { 'content-type': 'text/plain' } : {},
            );
            requests += 1;
            const text = JSON.stringify(r.body);
            if (r.status >= 500) problems.push(`${op.method} ${op.path} → ${r.status} for ${body.slice(0, 80)}`);
            if (/at .*\.(ts|js):\d+|node_modules|Error: /.test(text)) {
              problems.push(`${op.method} ${op.path} leaked internals: ${text.slice(0, 200)}`);
            }
            if (r.status >= 400 && (await fingerprint()) !== before) {
              problems.push(`${op.method} ${op.path} → ${r.status} but the database changed`);
            }
            return true;
          },
        ),
        { numRuns: op.method === 'GET' ? 8 : 25, seed: 20261124 },
      );
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(requests).toBeGreaterThan(ops.length * 8);
  },
);

it('login resists hostile input too', async () => {
  const anon = new ApiClient(server.url);
  await fc.assert(
    fc.asyncProperty(rawBody, async (body) => {
      const r = await anon.request('POST', '/api/v1/auth/login', body);
      return r.status >= 400 && r.status < 500;
    }),
    { numRuns: 60, seed: 7 },
  );
});

it('oversized and deeply nested bodies are refused with 4xx', async () => {
  const admin = clients.get('admin')!;
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
  expect((await admin.request('POST', '/api/v1/users', deep)).status).toBe(400);
  expect((await admin.request('POST', '/api/v1/users', `"${'x'.repeat(3_000_000)}"`)).status).toBe(413);
  const hugeHeader = await admin.request('GET', '/api/v1/study', undefined, { 'x-filler': 'y'.repeat(8000) });
  expect(hugeHeader.status).toBeLessThan(500);
});
