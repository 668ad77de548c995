/**
 * The soak workload, shared by `npm run soak` (minutes) and `test/soak.test.ts` (seconds): a real
 * `stemjoint serve` process on a real database, driven over loopback HTTP by a fixed set of virtual
 * users for a bounded time — site staff entering screenings and changing screening values, monitors
 * and data managers reading lists, summaries and the audit trail, and people signing in and out —
 * while the server's resident memory is sampled. It reports the error count (must be 0), latency
 * percentiles per kind of request and memory over time, and judges memory growth after warm-up.
 *
 * Traffic goes to 127.0.0.1 only; every loop stops at the deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/storage/database.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { initStudy } from '../src/services/study.js';
import { createUser } from '../src/services/users.js';

const ROOT = resolve(import.meta.dirname, '..');
const PASSWORD = 'soak-password-2026';

export interface SoakOptions {
  /** Database URL (sqlite:… or postgres://…); must be empty (it is initialised here). */
  dbUrl: string;
  durationMs: number;
  /** Data-entry users (coordinators), default 3. */
  writers?: number;
  /** Readers (monitor, data manager), default 2. */
  readers?: number;
  /** Users signing in and out in a loop, default 1. */
  loginUsers?: number;
  /** RSS sample interval, default 500 ms. */
  sampleMs?: number;
  /** Share of the run treated as warm-up for the memory judgement, default 0.25. */
  warmupShare?: number;
  log?: (line: string) => void;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface SoakReport {
  engine: string;
  durationSeconds: number;
  requests: number;
  errors: number;
  errorRate: number;
  /** The first few errors, for diagnosis. */
  errorSamples: string[];
  throughputPerSecond: number;
  latencyMs: Record<string, LatencySummary>;
  /** Server RSS in MiB over time (seconds since start). */
  rss: { t: number; mib: number }[];
  memory: {
    warmupSeconds: number;
    firstThirdMedianMiB: number;
    lastThirdMedianMiB: number;
    growthRatio: number;
    peakMiB: number;
  };
  /** Rows written during the run. */
  written: { screenings: number; valueChanges: number; logins: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

function summarize(values: number[]): LatencySummary {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    count: s.length,
    p50: r(percentile(s, 50)),
    p90: r(percentile(s, 90)),
    p99: r(percentile(s, 99)),
    max: r(s.at(-1) ?? 0),
  };
}

/** The resident set size of a process in MiB (Linux /proc), or null when it is gone. */
function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts `stemjoint serve` on a free loopback port; resolves with its URL. */
function startServer(dbUrl: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/stemjoint.mjs'), 'serve', '--db', dbUrl, '--port', '0', '--host', '127.0.0.1'],
      {
        cwd: ROOT,
        env: { ...process.env, STEMJOINT_LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1] });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/** A minimal cookie-session client for the load (one per virtual user). */
class Session {
  cookie = '';
  csrf = '';
  constructor(
    readonly url: string,
    readonly record: (kind: string, ms: number, ok: boolean, detail: string) => void,
  ) {}

  async call<T>(kind: string, method: string, path: string, body?: unknown): Promise<T | null> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    const started = performance.now();
    try {
      const res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      const set = /sj_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
      if (set) this.cookie = set[1] ? `sj_session=${set[1]}` : '';
      const ok = res.status >= 200 && res.status < 300;
      this.record(kind, ms, ok, ok ? '' : `${method} ${path} → ${res.status} ${text.slice(0, 160)}`);
      return ok ? (JSON.parse(text) as T) : null;
    } catch (e) {
      this.record(kind, performance.now() - started, false, `${method} ${path} → ${(e as Error).message}`);
      return null;
    }
  }

  async login(email: string): Promise<boolean> {
    this.cookie = '';
    const r = await this.call<{ csrfToken: string; status: string }>('login', 'POST', '/api/v1/auth/login', {
      email,
      password: PASSWORD,
    });
    if (!r) return false;
    this.csrf = r.csrfToken;
    return true;
  }
}

/** Runs the soak against an empty database; see the module comment. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const writers = options.writers ?? 3;
  const readers = options.readers ?? 2;
  const loginUsers = options.loginUsers ?? 1;
  const sampleMs = options.sampleMs ?? 500;

  // Accounts through the real services (never raw inserts).
  const database = await openDatabase(options.dbUrl);
  try {
    const ctx = createServiceContext(database);
    await initStudy(ctx, { adminEmail: 'admin@soak.test', adminPassword: PASSWORD });
    const add = (
      email: string,
      role: 'coordinator' | 'monitor' | 'data_manager',
      siteId: string | null,
    ): Promise<unknown> =>
      createUser(ctx, systemActor('soak'), {
        email,
        displayName: email,
        password: PASSWORD,
        grants: [{ role, siteId }],
      });
    for (let i = 0; i < writers; i++) await add(`nurse${i}@soak.test`, 'coordinator', 'site-auh');
    for (let i = 0; i < Math.max(readers, 1); i++) {
      await add(`reader${i}@soak.test`, i % 2 === 0 ? 'monitor' : 'data_manager', null);
    }
    for (let i = 0; i < loginUsers; i++) await add(`login${i}@soak.test`, 'coordinator', 'site-auh');
  } finally {
    await database.close();
  }

  const server = await startServer(options.dbUrl, {
    STEMJOINT_IDENTITY_KEY: randomBytes(32).toString('base64'),
    // The login users sign in far more often than people do; the per-address limit would refuse them.
    STEMJOINT_LOGIN_ATTEMPTS_PER_MINUTE: '100000',
  });
  const engine = options.dbUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  log(
    `soak: ${engine}, ${options.durationMs / 1000} s, ${writers} writers, ${readers} readers, ${loginUsers} login users → ${server.url}`,
  );

  const latencies = new Map<string, number[]>();
  let requests = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const record = (kind: string, ms: number, ok: boolean, detail: string): void => {
    requests += 1;
    (latencies.get(kind) ?? latencies.set(kind, []).get(kind)!).push(ms);
    if (!ok) {
      errors += 1;
      if (errorSamples.length < 10) errorSamples.push(detail);
    }
  };
  const written = { screenings: 0, valueChanges: 0, logins: 0 };

  const started = performance.now();
  const deadline = started + options.durationMs;
  const running = (): boolean => performance.now() < deadline;
  const rss: { t: number; mib: number }[] = [];
  const sampler = setInterval(() => {
    const mib = rssMiB(server.child.pid!);
    if (mib !== null) {
      rss.push({ t: Math.round((performance.now() - started) / 100) / 10, mib: Math.round(mib * 10) / 10 });
    }
  }, sampleMs);

  const writer = async (i: number): Promise<void> => {
    const s = new Session(server.url, record);
    if (!(await s.login(`nurse${i}@soak.test`))) return;
    const mine: string[] = [];
    let n = 0;
    while (running()) {
      n += 1;
      // A new person on the log now and then; mostly, values of people already on it change.
      if (mine.length === 0 || n % 8 === 0) {
        const created = await s.call<{ id: string }>('screening.create', 'POST', '/api/v1/screenings', {
          values: { knee_pain_months: 6 + (n % 30), nrs_worst: n % 11 },
        });
        if (created) {
          mine.push(created.id);
          written.screenings += 1;
        }
      } else {
        const id = mine[n % mine.length]!;
        const changed = await s.call('screening.update', 'PATCH', `/api/v1/screenings/${id}/values`, {
          values: { nrs_worst: n % 11, height_cm: 150 + (n % 40) },
        });
        if (changed) written.valueChanges += 1;
        await s.call('screening.get', 'GET', `/api/v1/screenings/${id}`);
      }
      await sleep(15);
    }
  };

  const reader = async (i: number): Promise<void> => {
    const s = new Session(server.url, record);
    if (!(await s.login(`reader${i}@soak.test`))) return;
    let n = 0;
    while (running()) {
      n += 1;
      await s.call('read.summary', 'GET', '/api/v1/screenings/summary');
      await s.call('read.study', 'GET', '/api/v1/study');
      if (n % 3 === 0) await s.call('read.screenings', 'GET', '/api/v1/screenings?status=in_progress');
      if (n % 3 === 1) await s.call('read.participants', 'GET', '/api/v1/participants');
      if (n % 3 === 2) await s.call('read.audit', 'GET', '/api/v1/audit?limit=50');
      await sleep(25);
    }
  };

  const signer = async (i: number): Promise<void> => {
    const s = new Session(server.url, record);
    while (running()) {
      if (await s.login(`login${i}@soak.test`)) {
        written.logins += 1;
        await s.call('auth.me', 'GET', '/api/v1/auth/me');
        await s.call('auth.logout', 'POST', '/api/v1/auth/logout');
      }
      await sleep(250);
    }
  };

  await Promise.all([
    ...Array.from({ length: writers }, (_, i) => writer(i)),
    ...Array.from({ length: readers }, (_, i) => reader(i)),
    ...Array.from({ length: loginUsers }, (_, i) => signer(i)),
  ]);
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;

  const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
  server.child.kill('SIGTERM');
  await exited;

  // Memory: drop the warm-up, then compare the median RSS of the last third with the first third.
  const warmupSeconds = Math.round(elapsed * (options.warmupShare ?? 0.25) * 10) / 10;
  const steady = rss.filter((s) => s.t >= warmupSeconds).map((s) => s.mib);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const firstThird = median(steady.slice(0, third));
  const lastThird = median(steady.slice(-third));
  const all = [...latencies.values()].flat();
  const latencyMs: Record<string, LatencySummary> = { all: summarize(all) };
  for (const [kind, values] of [...latencies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    latencyMs[kind] = summarize(values);
  }
  return {
    engine,
    durationSeconds: Math.round(elapsed * 10) / 10,
    requests,
    errors,
    errorRate: requests === 0 ? 1 : errors / requests,
    errorSamples,
    throughputPerSecond: Math.round((requests / elapsed) * 10) / 10,
    latencyMs,
    rss,
    memory: {
      warmupSeconds,
      firstThirdMedianMiB: firstThird,
      lastThirdMedianMiB: lastThird,
      growthRatio: firstThird === 0 ? 0 : Math.round((lastThird / firstThird) * 1000) / 1000,
      peakMiB: Math.max(0, ...rss.map((s) => s.mib)),
    },
    written,
  };
}

/** A short human-readable table of a report. */
export function formatSoakReport(r: SoakReport): string {
  const lines = [
    `soak on ${r.engine}: ${r.durationSeconds} s, ${r.requests} requests (${r.throughputPerSecond}/s), ${r.errors} errors (rate ${r.errorRate})`,
    `written: ${r.written.screenings} screenings, ${r.written.valueChanges} value changes, ${r.written.logins} sign-ins`,
    `memory (server RSS): after ${r.memory.warmupSeconds} s warm-up, first third median ${r.memory.firstThirdMedianMiB} MiB, last third median ${r.memory.lastThirdMedianMiB} MiB, ratio ${r.memory.growthRatio}, peak ${r.memory.peakMiB} MiB`,
    'latency ms            count     p50     p90     p99     max',
  ];
  for (const [kind, s] of Object.entries(r.latencyMs)) {
    lines.push(
      `  ${kind.padEnd(18)} ${String(s.count).padStart(7)} ${String(s.p50).padStart(7)} ${String(s.p90).padStart(7)} ${String(s.p99).padStart(7)} ${String(s.max).padStart(7)}`,
    );
  }
  return lines.join('\n');
}
