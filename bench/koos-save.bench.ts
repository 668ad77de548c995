/**
 * KOOS save benchmark (issue 4): submitting a full 42-item KOOS through the real API — session
 * authentication, CSRF, authorization, site access, validation against the protocol, KOOS scoring,
 * the form-instance row and its hash-chained audit record in one transaction — against a minimal
 * route of the same server that only validates the same body (zod) and writes the same two rows
 * (form row + audit record) in one transaction with the same durability. 16 concurrent clients
 * (autocannon), SQLite with `synchronous=FULL` and PostgreSQL (when reachable), measured in the
 * same run. Prints JSON (`rows` for `bench/run.ts`, details per engine).
 *
 *   node --import tsx bench/koos-save.bench.ts [--quick]
 *
 * The server runs in a child process (this file with `--serve`), so that the load generator and
 * the server do not share one event loop. The minimal route is registered only here, through
 * `buildApp(ctx, { extraRoutes })`. Every request writes a new form instance (its own participant
 * and visit), so no request is a no-op; participants are bench fixtures inserted directly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { z } from 'zod';
import { KOOS_ITEM_IDS } from '../src/core/scoring/koos-items.js';
import { buildApp } from '../src/server/app.js';
import { defineRoute } from '../src/server/route.js';
import { runCommand } from '../src/services/command.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { initStudy } from '../src/services/study.js';
import { createUser } from '../src/services/users.js';
import { openDatabase } from '../src/storage/database.js';
import { BENCH_PG_BASE, freshBenchDatabase } from './bench-database.js';

const QUICK = process.argv.includes('--quick');
/** The target concurrency (issue 4): the ratio and the p99 target are judged here. */
const CONNECTIONS = 16;
/** Further concurrency levels (issue 11): one client (latency floor) and 64 (overload). */
const OTHER_LEVELS = [1, 64] as const;
const AMOUNT = QUICK ? 1500 : 5000;
const LEVEL_AMOUNT = QUICK ? 400 : 1500;
const WARMUP = QUICK ? 300 : 600;
const ROUNDS = QUICK ? 1 : 2;
const VISITS = ['BL', 'M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;
const EMAIL = 'nurse@bench.local';
const PASSWORD = 'bench-password-1234';
const SLOTS = 2 * WARMUP + 2 * ROUNDS * AMOUNT + 2 * OTHER_LEVELS.length * LEVEL_AMOUNT + 200;

/** A full KOOS, as a site would submit it. */
const KOOS = Object.fromEntries(KOOS_ITEM_IDS.map((id, i) => [id, (i * 7) % 5]));
const BODY = JSON.stringify({ values: KOOS, action: 'submit' });

// ------------------------------------------------------------------------------------------------
// Server side (child process)

/** The bare route: the same request through the same server, answered without validation or storage. */
function bareRoute() {
  return defineRoute({
    method: 'PUT',
    url: '/bench/bare/participants/:id/visits/:visitCode/forms/:formId',
    operationId: 'benchBare',
    summary: 'Benchmark baseline: the HTTP stack alone',
    tags: ['bench'],
    access: { kind: 'public' },
    params: z.object({ id: z.string(), visitCode: z.string(), formId: z.string() }),
    body: z.object({}).passthrough(),
    response: z.object({ id: z.string() }),
    handler: async () => ({ id: 'bare' }),
  });
}

/** The minimal route: validate the same body, write the form row and the audit record, nothing else. */
function minimalRoute() {
  return defineRoute({
    method: 'PUT',
    url: '/bench/minimal/participants/:id/visits/:visitCode/forms/:formId',
    operationId: 'benchMinimalFormSave',
    summary: 'Benchmark baseline: validate and write a form row and its audit record',
    tags: ['bench'],
    access: { kind: 'public' },
    params: z.object({ id: z.string().max(100), visitCode: z.string().max(20), formId: z.string().max(40) }).strict(),
    body: z
      .object({
        values: z.record(z.string().max(64), z.number().int().min(0).max(4)),
        action: z.enum(['draft', 'submit']),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    handler: async ({ params, body, ctx }) => {
      const id = randomUUID();
      await runCommand(ctx, systemActor('bench'), async ({ tx, at, audit }) => {
        await tx
          .insertInto('form_instances')
          .values({
            id,
            participant_id: params.id,
            site_id: 'site-auh',
            visit_code: params.visitCode,
            form_id: params.formId,
            repeat_no: 1,
            status: 'submitted',
            protocol_version: '1.0',
            values_json: JSON.stringify(body.values),
            derived_json: '{}',
            warnings_json: '[]',
            version: 1,
            created_at: at,
            created_by: 'bench',
            updated_at: at,
            updated_by: 'bench',
            submitted_at: at,
            submitted_by: 'bench',
            locked: 0,
            locked_at: null,
            locked_by: null,
            sdv_version: null,
            sdv_at: null,
            sdv_by: null,
            sdv_values_json: null,
          })
          .execute();
        await audit({
          action: 'form.submitted',
          entityType: 'form_instance',
          entityId: id,
          after: { formId: params.formId, visitCode: params.visitCode, values: body.values },
        });
      });
      return { id };
    },
  });
}

async function serve(url: string, participants: number): Promise<void> {
  const database = await openDatabase(url, { poolSize: 20 });
  const ctx = createServiceContext(database);
  await initStudy(ctx, { adminEmail: 'admin@bench.local', adminPassword: PASSWORD });
  await createUser(ctx, systemActor('bench'), {
    email: EMAIL,
    displayName: 'Bench nurse',
    password: PASSWORD,
    grants: [{ role: 'coordinator', siteId: 'site-auh' }],
  });
  // Fixture participants, inserted directly: enrolling thousands through the services would take
  // minutes of argon2 e-signatures and measures nothing of interest here.
  const ids: string[] = [];
  const at = new Date().toISOString();
  for (let start = 0; start < participants; start += 250) {
    const chunk = Array.from({ length: Math.min(250, participants - start) }, (_, k) => start + k);
    const rows = chunk.map((n) => ({ n, pid: randomUUID(), sid: randomUUID() }));
    await database.db
      .insertInto('screenings')
      .values(
        rows.map((r) => ({
          id: r.sid,
          screening_number: `B-${r.n}`,
          site_id: 'site-auh',
          status: 'enrolled' as const,
          outcome_reason: null,
          data_json: '{}',
          eligible: 1,
          assessment_json: '{}',
          identity_id: null,
          signed_off_by: null,
          signed_off_at: null,
          signature_id: null,
          participant_id: r.pid,
          protocol_version: '1.0',
          created_by: 'bench',
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    await database.db
      .insertInto('participants')
      .values(
        rows.map((r) => ({
          id: r.pid,
          study_id: `B-${String(r.n).padStart(5, '0')}`,
          site_id: 'site-auh',
          screening_id: r.sid,
          identity_id: null,
          sex: 'female',
          year_of_birth: 1960,
          kl_grade: 3,
          status: 'enrolled' as const,
          withdrawn_at: null,
          withdrawal_scope: null,
          withdrawal_reason: null,
          protocol_version: '1.0',
          enrolled_at: at,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    ids.push(...rows.map((r) => r.pid));
  }
  const app = await buildApp(ctx, { logLevel: 'silent', extraRoutes: [minimalRoute(), bareRoute()] });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0));
  });
  process.send?.({ address, participants: ids });
}

// ------------------------------------------------------------------------------------------------
// Load side (parent process)

interface Measured {
  throughput: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

interface EngineResult {
  full: Measured;
  minimal: Measured;
  ratio: number;
  p99Ok: boolean;
  /** The three routes at each further concurrency level, one run each. */
  levels: { connections: number; bare: Measured; minimal: Measured; full: Measured }[];
}

const freshDatabase = (engine: 'sqlite' | 'postgres') => freshBenchDatabase(engine, 'koos');

function startServer(
  url: string,
  participants: number,
): Promise<{ child: ChildProcess; address: string; participants: string[] }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', url, String(participants)], {
    // KOOS_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the server (for finding the hot path).
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.KOOS_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KOOS_BENCH_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, ...(m as { address: string; participants: string[] }) }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function login(address: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const cookie = /sj_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  const body = (await res.json()) as { csrfToken: string };
  if (!res.ok || cookie === undefined) throw new Error(`bench login failed: ${res.status}`);
  return { cookie, csrf: body.csrfToken };
}

/** How much load: a number of requests, or (for the bare route, too fast to count) seconds. */
type LoadSize = number | { seconds: number };

async function load(
  address: string,
  size: LoadSize,
  nextPath: () => string,
  headers: Record<string, string>,
  connections: number = CONNECTIONS,
): Promise<Measured> {
  // autocannon closes a run on its one-second sampling tick, so its own duration overstates a
  // count-limited run by up to a second: the rate is taken from the first request to the last answer.
  const started = performance.now();
  let lastAnswer = started;
  const result: AutocannonResult = await autocannon({
    url: address,
    connections,
    ...(typeof size === 'number' ? { amount: size } : { duration: size.seconds }),
    timeout: 30,
    requests: [
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: BODY,
        setupRequest: (request) => ({ ...request, path: nextPath() }),
        onResponse: () => {
          lastAnswer = performance.now();
        },
      },
    ],
  });
  return {
    throughput:
      Math.round(
        (result.requests.total /
          (typeof size === 'number'
            ? (lastAnswer - started) / 1000
            : (result.finish.getTime() - result.start.getTime()) / 1000)) *
          10,
      ) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const mean = (xs: readonly Measured[]): Measured => ({
  throughput: Math.round((xs.reduce((s, x) => s + x.throughput, 0) / xs.length) * 10) / 10,
  p50: Math.max(...xs.map((x) => x.p50)),
  p99: Math.max(...xs.map((x) => x.p99)),
  requests: xs.reduce((s, x) => s + x.requests, 0),
  non2xx: xs.reduce((s, x) => s + x.non2xx, 0),
  errors: xs.reduce((s, x) => s + x.errors, 0),
});

async function benchEngine(engine: 'sqlite' | 'postgres'): Promise<EngineResult | { skipped: string }> {
  const db = await freshDatabase(engine);
  if (db === null) return { skipped: `PostgreSQL at ${BENCH_PG_BASE} is not reachable` };
  const server = await startServer(db.url, Math.ceil(SLOTS / VISITS.length));
  try {
    const auth = await login(server.address);
    let slot = 0;
    const nextSlot = (): [string, string] => {
      const n = slot++;
      const participant = server.participants[Math.floor(n / VISITS.length)];
      if (participant === undefined) throw new Error('bench: ran out of fixture slots');
      return [participant, VISITS[n % VISITS.length]!];
    };
    const fullPath = () => {
      const [p, v] = nextSlot();
      return `/api/v1/participants/${p}/visits/${v}/forms/koos`;
    };
    const minimalPath = () => {
      const [p, v] = nextSlot();
      return `/bench/minimal/participants/${p}/visits/${v}/forms/koos`;
    };
    const authHeaders = { cookie: auth.cookie, 'x-csrf-token': auth.csrf };
    await load(server.address, WARMUP, fullPath, authHeaders);
    await load(server.address, WARMUP, minimalPath, {});
    const full: Measured[] = [];
    const minimal: Measured[] = [];
    // Alternate the two routes so that a growing database or a noisy neighbour hits both alike.
    for (let r = 0; r < ROUNDS; r++) {
      minimal.push(await load(server.address, AMOUNT, minimalPath, {}));
      full.push(await load(server.address, AMOUNT, fullPath, authHeaders));
    }
    const f = mean(full);
    const m = mean(minimal);
    const barePath = () => `/bench/bare/participants/x/visits/BL/forms/koos`;
    const levels: EngineResult['levels'] = [];
    for (const connections of [...OTHER_LEVELS.slice(0, 1), CONNECTIONS, ...OTHER_LEVELS.slice(1)]) {
      // At the target level the rounds above are the minimal and full figures; only the bare route is new.
      // The bare route answers too fast for a request count to make a stable run: it runs for seconds.
      const bare = await load(server.address, { seconds: QUICK ? 2 : 5 }, barePath, {}, connections);
      if (connections === CONNECTIONS) {
        levels.push({ connections, bare, minimal: m, full: f });
        continue;
      }
      const minimalAt = await load(server.address, LEVEL_AMOUNT, minimalPath, {}, connections);
      const fullAt = await load(server.address, LEVEL_AMOUNT, fullPath, authHeaders, connections);
      levels.push({ connections, bare, minimal: minimalAt, full: fullAt });
    }
    return {
      full: f,
      minimal: m,
      ratio: Math.round((f.throughput / m.throughput) * 1000) / 1000,
      p99Ok: f.p99 < 50,
      levels,
    };
  } finally {
    server.child.send('stop');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await db.drop();
  }
}

async function main(): Promise<void> {
  const engines: Record<string, EngineResult | { skipped: string }> = {};
  // KOOS_BENCH_ENGINES=sqlite runs one engine only (profiling); the default runs both.
  const only = process.env.KOOS_BENCH_ENGINES?.split(',');
  for (const engine of ['sqlite', 'postgres'] as const) {
    if (!only || only.includes(engine)) engines[engine] = await benchEngine(engine);
  }
  const rows = Object.entries(engines).flatMap(([engine, r]) =>
    'skipped' in r
      ? [{ name: `koos save (${engine})`, value: 0, unit: 'req/s', note: r.skipped }]
      : [
          {
            name: `koos save via API (${engine})`,
            value: r.full.throughput,
            unit: 'req/s',
            baseline: { name: `minimal validate+write route (${engine})`, value: r.minimal.throughput },
            ratio: r.ratio,
            note: `p50 ${r.full.p50} ms, p99 ${r.full.p99} ms (minimal p50 ${r.minimal.p50} ms, p99 ${r.minimal.p99} ms); target ratio ≥ 0.5, p99 < 50 ms`,
          },
          ...r.levels.map((l) => ({
            name: `koos save via API at ${l.connections} client${l.connections === 1 ? '' : 's'} (${engine})`,
            value: l.full.throughput,
            unit: 'req/s',
            baseline: { name: `minimal route at ${l.connections} (${engine})`, value: l.minimal.throughput },
            ratio: Math.round((l.full.throughput / l.minimal.throughput) * 1000) / 1000,
            note: `p50/p99 ms: full ${l.full.p50}/${l.full.p99}, minimal ${l.minimal.p50}/${l.minimal.p99}, bare route ${l.bare.throughput} req/s at ${l.bare.p50}/${l.bare.p99}`,
          })),
        ],
  );
  const report = {
    benchmark: 'koos-save',
    quick: QUICK,
    connections: CONNECTIONS,
    requestsPerRun: AMOUNT,
    rounds: ROUNDS,
    cpus: cpus().length,
    sqliteSynchronous: 'FULL',
    targets: { ratio: 0.5, p99Ms: 50 },
    engines,
    rows,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serve(process.argv[serveAt + 1]!, Number(process.argv[serveAt + 2]));
else await main();
