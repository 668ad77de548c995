/**
 * Concurrent randomization benchmark (issue 11): two `stemjoint serve` processes on one database
 * (a fresh PostgreSQL database, then one SQLite file shared by both processes), N participants
 * enrolled through the real services (screening → identity → consent → e-signed sign-off →
 * enrolment → baseline forms), an allocation list, then 16 clients — 8 sessions on each instance —
 * randomizing everyone as fast as they can, with retried requests (same request id, on the other
 * instance) and independent duplicate requests (no request id, on the other instance) mixed in, as
 * test/randomization-concurrency.test.ts does.
 *
 * It reports randomizations per second and the latency of the randomize requests, next to the same
 * number of requests to a cheap authenticated read (`GET /api/v1/auth/me`) sent by the same clients
 * to the same two servers in the same run; and it counts, from the answers and from the tables,
 * duplicates (a participant randomized twice, a slot, kit or randomization number used twice),
 * gaps (an unused slot below the last used slot of a stratum, a missing randomization number) and
 * errors (an answer other than the one expected, a participant left unrandomized, an audit chain
 * that does not verify). All three must be 0; the process exits 1 otherwise (after printing).
 *
 *   node --import tsx bench/randomization.bench.ts [--quick]      (80 participants; 400 without)
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { verifyAuditChain } from '../src/services/audit-trail.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { createIdentityVault, keyringFromMasterKey } from '../src/services/identity-vault.js';
import { initAllocationList } from '../src/services/randomization.js';
import type { ParticipantView } from '../src/services/screening.js';
import { initStudy } from '../src/services/study.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { createAccounts, enrolParticipants, loginAs } from '../test/api-randomization-setup.js';
import { startServeProcess } from '../test/support/cli.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type ApiClient } from '../test/support/server.js';
import { BENCH_PG_BASE, freshBenchDatabase } from './bench-database.js';

const QUICK = process.argv.includes('--quick');
const PARTICIPANTS = QUICK ? 80 : 400;
const INSTANCES = 2;
const CLIENTS_PER_INSTANCE = 8;
/** Staff who may randomize at the participants' site (accounts made by createAccounts). */
const RANDOMIZERS = ['nurse@t.local', 'inv@t.local', 'inv2@t.local'] as const;
const BASELINE_PATH = '/api/v1/auth/me';

type Engine = 'sqlite' | 'postgres';

/** One planned request: which participant, which instance, and what kind of request it is. */
interface Planned {
  participant: ParticipantView;
  kind: 'first' | 'retry' | 'duplicate';
  requestId: string | null;
}

interface RandomizeBody {
  randomization?: { kit: string; randomizationNumber: string };
  replayed?: boolean;
}

interface Answered {
  planned: Planned;
  /** HTTP status, or 0 when the request failed without an answer. */
  status: number;
  body: RandomizeBody;
  ms: number;
}

interface Timed {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

interface Counted {
  duplicates: number;
  gaps: number;
  errors: number;
  /** What was counted, for the note and the JSON (empty when all is well). */
  findings: string[];
  auditChainOk: boolean;
}

interface EngineResult {
  participants: number;
  randomizations: number;
  randomizationsPerSecond: number;
  randomize: Timed;
  baseline: Timed;
  ratio: number;
  counts: Counted;
  /** Set-up outside the measurement: enrolment through the services, then servers up and signed in. */
  setup: { enrolSeconds: number; totalSeconds: number };
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const group = groups.get(k);
    if (group) group.push(x);
    else groups.set(k, [x]);
  }
  return groups;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const freshDatabase = (engine: Engine) => freshBenchDatabase(engine, 'rand');

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * One queue per instance. Each participant's first request goes to one instance; its retry (same
 * request id) and its duplicate (no request id) go to the other, at about the same position in
 * that queue, so that they race the first request across the two processes.
 */
function planRequests(people: readonly ParticipantView[]): Planned[][] {
  const queues: Planned[][] = Array.from({ length: INSTANCES }, () => []);
  people.forEach((participant, i) => {
    const home = i % INSTANCES;
    const other = (home + 1) % INSTANCES;
    const requestId = `bench-${participant.studyId}`;
    queues[home]!.push({ participant, kind: 'first', requestId });
    if (i % 3 === 0) queues[other]!.push({ participant, kind: 'retry', requestId });
    if (i % 5 === 1) queues[other]!.push({ participant, kind: 'duplicate', requestId: null });
  });
  return queues;
}

/**
 * Sends every planned request, each instance's queue drained by that instance's clients (one
 * request in flight per client), and times each request and the whole run.
 */
async function drive(
  queues: readonly Planned[][],
  clients: readonly ApiClient[][],
  send: (client: ApiClient, planned: Planned) => Promise<{ status: number; body: unknown }>,
): Promise<{ answered: Answered[]; timed: Timed }> {
  const answered: Answered[] = [];
  const started = performance.now();
  await Promise.all(
    queues.flatMap((queue, instance) => {
      let next = 0;
      return clients[instance]!.map(async (client) => {
        while (next < queue.length) {
          const planned = queue[next++]!;
          const t0 = performance.now();
          let status = 0;
          let body: unknown = {};
          try {
            ({ status, body } = await send(client, planned));
          } catch {
            // A request without an answer (connection reset, refused) is counted as an error.
          }
          answered.push({ planned, status, body: (body ?? {}) as RandomizeBody, ms: performance.now() - t0 });
        }
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const latencies = answered.map((a) => a.ms).sort((a, b) => a - b);
  return {
    answered,
    timed: {
      requests: answered.length,
      seconds: round(seconds, 2),
      perSecond: round(answered.length / seconds),
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
    },
  };
}

/**
 * Judges every participant's answers as the concurrency test does: exactly one request
 * randomized; requests carrying the winner's request id get the same randomization (200, replayed);
 * every other request is refused with 409.
 */
function countAnswerErrors(people: readonly ParticipantView[], answered: readonly Answered[], findings: string[]) {
  const byParticipant = groupBy(answered, (a) => a.planned.participant.id);
  let errors = 0;
  for (const p of people) {
    const mine = byParticipant.get(p.id) ?? [];
    const winners = mine.filter((a) => a.status === 200 && a.body.replayed === false);
    if (winners.length !== 1) {
      errors += 1;
      findings.push(`${p.studyId}: ${winners.length} requests answered as the randomizing one`);
      continue;
    }
    const winner = winners[0]!;
    for (const a of mine) {
      const sameRequest =
        a === winner || (a.planned.requestId !== null && a.planned.requestId === winner.planned.requestId);
      const expected = sameRequest ? 200 : 409;
      const same =
        !sameRequest ||
        (a.body.randomization?.randomizationNumber === winner.body.randomization?.randomizationNumber &&
          a.body.randomization?.kit === winner.body.randomization?.kit);
      if (a.status !== expected || !same) {
        errors += 1;
        findings.push(`${p.studyId} ${a.planned.kind}: answered ${a.status}, expected ${expected}`);
      }
    }
  }
  return errors;
}

/** Counts duplicates and gaps in the tables themselves, whatever the answers said. */
async function countTableFindings(database: Database, findings: string[]) {
  const db = database.db;
  const rows = await db.selectFrom('randomizations').selectAll().execute();
  let duplicates = 0;
  let gaps = 0;
  const extra = (key: (r: (typeof rows)[number]) => string, what: string): void => {
    for (const [k, group] of groupBy(rows, key)) {
      if (group.length > 1) {
        duplicates += group.length - 1;
        findings.push(`${what} ${k} used ${group.length} times`);
      }
    }
  };
  extra((r) => r.participant_id, 'participant');
  extra((r) => `${r.stratum}#${r.seq}`, 'slot');
  extra((r) => r.kit, 'kit');
  extra((r) => r.randomization_number, 'randomization number');

  const numbers = new Set(rows.map((r) => Number(r.randomization_number.replace(/\D/g, ''))));
  const highest = Math.max(0, ...numbers);
  for (let n = 1; n <= highest; n++) {
    if (!numbers.has(n)) {
      gaps += 1;
      findings.push(`randomization number ${n} missing`);
    }
  }

  const strata = await db.selectFrom('randomization_strata').selectAll().execute();
  const slots = await db.selectFrom('allocation_slots').select(['stratum', 'seq', 'kit', 'participant_id']).execute();
  for (const s of strata) {
    const mine = slots.filter((x) => x.stratum === s.stratum);
    const used = mine.filter((x) => x.participant_id !== null);
    const lastUsed = Math.max(0, ...used.map((x) => x.seq));
    const skipped = mine.filter((x) => x.participant_id === null && x.seq < lastUsed);
    gaps += skipped.length;
    for (const x of skipped) findings.push(`slot ${s.stratum}#${x.seq} skipped`);
    if (Number(s.used) !== used.length) {
      gaps += Math.abs(Number(s.used) - used.length);
      findings.push(`stratum ${s.stratum}: counter ${s.used}, slots used ${used.length}`);
    }
  }
  // Every randomization must sit in its own slot with its own kit (otherwise a slot served two).
  const slotAt = new Map(slots.map((x) => [`${x.stratum}#${x.seq}`, x]));
  for (const r of rows) {
    const slot = slotAt.get(`${r.stratum}#${r.seq}`);
    if (slot?.participant_id !== r.participant_id || slot.kit !== r.kit) {
      duplicates += 1;
      findings.push(`slot ${r.stratum}#${r.seq} does not hold randomization ${r.randomization_number}`);
    }
  }

  const unrandomized = await db
    .selectFrom('participants')
    .select('study_id')
    .where('status', '!=', 'randomized')
    .execute();
  for (const p of unrandomized) findings.push(`${p.study_id} not randomized`);
  return { duplicates, gaps, missing: unrandomized.length, rows: rows.length };
}

async function benchEngine(engine: Engine): Promise<EngineResult | { skipped: string }> {
  const fresh = await freshDatabase(engine);
  if (fresh === null) return { skipped: `PostgreSQL at ${BENCH_PG_BASE} is not reachable` };
  const setupStarted = performance.now();
  const key = randomBytes(32).toString('base64');
  const database = await openDatabase(fresh.url);
  const servers: { child: ChildProcess; url: string }[] = [];
  let started: Promise<unknown> = Promise.resolve();
  try {
    const ctx = createServiceContext(database, { identityVault: createIdentityVault(keyringFromMasterKey(key)) });
    await initStudy(ctx, { adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
    await createAccounts(ctx);
    // The servers start (tsx, migrations already applied) while the participants are enrolled.
    const starting = Array.from({ length: INSTANCES }, () =>
      startServeProcess(['--db', fresh.url, '--port', '0'], { STEMJOINT_IDENTITY_KEY: key }).then((s) => {
        servers.push(s);
        return s;
      }),
    );
    // Settled before the servers are stopped (so none is left running) and handled at once (so a
    // failed start during enrolment is reported through Promise.all below, not as unhandled).
    started = Promise.allSettled(starting);
    const people = await enrolParticipants(ctx, PARTICIPANTS);
    const enrolSeconds = round((performance.now() - setupStarted) / 1000);
    // Room in every stratum, so that a skipped slot would show below the last used one.
    await initAllocationList(ctx, systemActor('bench'), { parameters: { per_stratum: PARTICIPANTS } });
    const instances = await Promise.all(starting);
    const clients = await Promise.all(
      instances.map((s, i) =>
        Promise.all(
          Array.from({ length: CLIENTS_PER_INSTANCE }, (_, k) =>
            loginAs(s.url, RANDOMIZERS[(i * CLIENTS_PER_INSTANCE + k) % RANDOMIZERS.length]!),
          ),
        ),
      ),
    );
    const setup = { enrolSeconds, totalSeconds: round((performance.now() - setupStarted) / 1000) };

    const queues = planRequests(people);
    const read = (client: ApiClient) => client.get(BASELINE_PATH);
    // Warm-up: one read per client opens the connections and warms both servers' route code.
    await drive(
      queues.map((q) => q.slice(0, CLIENTS_PER_INSTANCE)),
      clients,
      read,
    );
    const baseline = await drive(queues, clients, read);
    const randomize = await drive(queues, clients, (client, planned) =>
      client.post<RandomizeBody>(
        `/api/v1/participants/${planned.participant.id}/randomize`,
        planned.requestId ? { requestId: planned.requestId } : {},
      ),
    );

    const findings: string[] = [];
    const baselineFailures = baseline.answered.filter((a) => a.status !== 200).length;
    if (baselineFailures > 0) findings.push(`${baselineFailures} baseline reads failed`);
    const answerErrors = countAnswerErrors(people, randomize.answered, findings);
    const tables = await countTableFindings(database, findings);
    const chain = await verifyAuditChain(database.db);
    if (!chain.ok) findings.push('the audit chain does not verify');
    const counts: Counted = {
      duplicates: tables.duplicates,
      gaps: tables.gaps,
      errors: answerErrors + baselineFailures + tables.missing + (chain.ok ? 0 : 1),
      findings: findings.slice(0, 20),
      auditChainOk: chain.ok,
    };
    return {
      participants: PARTICIPANTS,
      randomizations: tables.rows,
      randomizationsPerSecond: round(tables.rows / randomize.timed.seconds),
      randomize: randomize.timed,
      baseline: baseline.timed,
      ratio: round(randomize.timed.perSecond / baseline.timed.perSecond, 3),
      counts,
      setup,
    };
  } finally {
    await started;
    await Promise.all(servers.map((s) => stop(s.child)));
    await database.close();
    await fresh.drop();
  }
}

function rowsFor(engine: Engine, r: EngineResult | { skipped: string }) {
  const name = `randomization: two instances (${engine})`;
  if ('skipped' in r) return [{ name, value: 0, unit: 'rand/s', note: r.skipped }];
  const c = r.counts;
  const verdict = c.duplicates + c.gaps + c.errors === 0 && c.auditChainOk ? 'all 0' : 'MUST BE 0';
  return [
    {
      name,
      value: r.randomizationsPerSecond,
      unit: 'rand/s',
      baseline: {
        name: `GET ${BASELINE_PATH}, same clients and servers (${engine}), req/s`,
        value: r.baseline.perSecond,
      },
      ratio: r.ratio,
      note:
        `${r.participants} participants, ${r.randomize.requests} randomize requests (retries and duplicates mixed in) ` +
        `at ${r.randomize.perSecond} req/s, ${INSTANCES * CLIENTS_PER_INSTANCE} clients; ratio = request rates; ` +
        `p50 ${r.randomize.p50} ms, p99 ${r.randomize.p99} ms (read p50 ${r.baseline.p50}, p99 ${r.baseline.p99}); ` +
        `duplicates ${c.duplicates}, gaps ${c.gaps}, errors ${c.errors} (${verdict}); ` +
        `audit chain ${c.auditChainOk ? 'verifies' : 'BROKEN'}`,
    },
    {
      name: `randomization p99 latency (${engine})`,
      value: r.randomize.p99,
      unit: 'ms',
      note: `p50 ${r.randomize.p50} ms`,
    },
    { name: `randomization duplicates (${engine})`, value: c.duplicates, unit: 'count', note: 'must be 0' },
    { name: `randomization gaps (${engine})`, value: c.gaps, unit: 'count', note: 'must be 0' },
    { name: `randomization errors (${engine})`, value: c.errors, unit: 'count', note: 'must be 0' },
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  const engines: Partial<Record<Engine, EngineResult | { skipped: string }>> = {};
  for (const engine of ['postgres', 'sqlite'] as const) engines[engine] = await benchEngine(engine);
  const rows = (['postgres', 'sqlite'] as const).flatMap((engine) => rowsFor(engine, engines[engine]!));
  const report = {
    benchmark: 'randomization',
    quick: QUICK,
    participants: PARTICIPANTS,
    instances: INSTANCES,
    clients: INSTANCES * CLIENTS_PER_INSTANCE,
    cpus: cpus().length,
    loadAverage: { atStart: round(loadAtStart, 2), atEnd: round(loadavg()[0]!, 2) },
    seconds: round((performance.now() - started) / 1000),
    engines,
    rows,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const failed = Object.values(engines).some(
    (r) =>
      r && !('skipped' in r) && (r.counts.duplicates + r.counts.gaps + r.counts.errors > 0 || !r.counts.auditChainOk),
  );
  if (failed) {
    process.stderr.write('randomization bench: duplicates, gaps or errors were counted (they must all be 0)\n');
    process.exitCode = 1;
  }
}

await main();
