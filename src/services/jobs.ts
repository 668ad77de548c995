/**
 * The durable job queue: jobs are rows in the database (`jobs`), so they survive restarts and any
 * app instance may run them. A worker claims due jobs with one atomic `UPDATE … RETURNING` that
 * sets a lease (`locked_by`, `locked_until`); on PostgreSQL the candidate rows are picked with
 * `FOR UPDATE SKIP LOCKED` and the outer statement re-checks the status, on SQLite the statement
 * runs inside a `BEGIN IMMEDIATE` transaction: either way one job goes to exactly one worker. A
 * worker that dies leaves its lease to expire, and the job is claimed again then.
 *
 * Side effects that leave the database (an e-mail, an SMS) happen between the claim and the
 * completion, so a crash in that gap repeats the delivery once the lease expires (at-least-once for
 * the outside world, exactly once while workers stay alive).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { runCommand, type CommandScope } from './command.js';
import { systemActor, type ServiceContext } from './context.js';
import type { Executor } from '../storage/database.js';
import type { JobTable } from '../storage/schema-epro.js';

/** What to enqueue. */
export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  runAt: Date;
  /** A stable key: a second job with the same key is not created. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** A claimed job as handlers see it. */
export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  runAt: string;
  attempts: number;
  maxAttempts: number;
}

/** What a handler reports: done (with a JSON-able result) or skipped (nothing to do any more). */
export type JobOutcome = { status: 'done'; result?: Record<string, unknown> } | { status: 'skipped'; reason: string };

/** Runs one job. Throwing fails the attempt; it is retried with back-off until `maxAttempts`. */
export type JobHandler = (ctx: ServiceContext, job: ClaimedJob) => Promise<JobOutcome>;

/** Enqueues a job inside the caller's transaction; returns whether a new job was created. */
export async function enqueueJob(scope: Pick<CommandScope, 'tx' | 'at'>, job: NewJob): Promise<boolean> {
  const inserted = await scope.tx
    .insertInto('jobs')
    .values({
      id: randomUUID(),
      kind: job.kind,
      payload_json: JSON.stringify(job.payload),
      dedupe_key: job.dedupeKey ?? null,
      run_at: job.runAt.toISOString(),
      status: 'pending',
      attempts: 0,
      max_attempts: job.maxAttempts ?? 5,
      locked_by: null,
      locked_until: null,
      last_error: null,
      result_json: null,
      created_at: scope.at,
      updated_at: scope.at,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

const toClaimed = (row: JobTable): ClaimedJob => ({
  id: row.id,
  kind: row.kind,
  payload: JSON.parse(row.payload_json) as Record<string, unknown>,
  runAt: row.run_at,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
});

/**
 * Claims up to `limit` due jobs for `workerId` with a lease of `leaseMs`: pending jobs whose time
 * has come, and running jobs whose lease has expired (their worker died).
 */
export async function claimJobs(
  ctx: ServiceContext,
  workerId: string,
  options: { limit?: number; leaseMs?: number; kinds?: readonly string[] } = {},
): Promise<ClaimedJob[]> {
  const limit = options.limit ?? 10;
  const leaseMs = options.leaseMs ?? 60_000;
  const engine = ctx.database.engine;
  return runCommand(
    ctx,
    systemActor(`jobs:${workerId}`),
    async ({ tx, at }) => {
      const lockedUntil = new Date(Date.parse(at) + leaseMs).toISOString();
      const due = (db: Executor) =>
        db
          .selectFrom('jobs')
          .select('id')
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', at)]),
              eb.and([eb('status', '=', 'running'), eb('locked_until', '<', at)]),
            ]),
          )
          .$if(options.kinds !== undefined, (q) => q.where('kind', 'in', options.kinds as string[]))
          .orderBy('run_at')
          .orderBy('id')
          .limit(limit);
      const candidates = engine === 'postgres' ? due(tx).forUpdate().skipLocked() : due(tx);
      const rows = await tx
        .updateTable('jobs')
        .set({
          status: 'running',
          locked_by: workerId,
          locked_until: lockedUntil,
          attempts: sql<number>`attempts + 1`,
          updated_at: at,
        })
        .where('id', 'in', candidates)
        // Re-checked on the locked row itself, so a job claimed meanwhile is never claimed twice.
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', at)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', at)]),
          ]),
        )
        .returningAll()
        .execute();
      return rows.map(toClaimed);
    },
    // Bookkeeping only: a locked database stops clinical writes, and the handlers themselves refuse then.
    { allowWhenLocked: true },
  );
}

/** Marks a claimed job finished — only while the lease is still ours (otherwise another worker owns it now). */
export async function finishJob(
  scope: Pick<CommandScope, 'tx' | 'at'>,
  job: ClaimedJob,
  workerId: string,
  outcome: JobOutcome,
): Promise<boolean> {
  const updated = await scope.tx
    .updateTable('jobs')
    .set({
      status: outcome.status,
      result_json: JSON.stringify(outcome.status === 'done' ? (outcome.result ?? {}) : { reason: outcome.reason }),
      locked_by: null,
      locked_until: null,
      updated_at: scope.at,
      finished_at: scope.at,
    })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Back-off after a failed attempt: 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

async function failJob(ctx: ServiceContext, job: ClaimedJob, workerId: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
  await runCommand(
    ctx,
    systemActor(`jobs:${workerId}`),
    async ({ tx, at }) => {
      const final = job.attempts >= job.maxAttempts;
      await tx
        .updateTable('jobs')
        .set({
          status: final ? 'failed' : 'pending',
          run_at: final ? job.runAt : new Date(Date.parse(at) + retryDelayMs(job.attempts)).toISOString(),
          last_error: message,
          locked_by: null,
          locked_until: null,
          updated_at: at,
          finished_at: final ? at : null,
        })
        .where('id', '=', job.id)
        .where('locked_by', '=', workerId)
        .execute();
    },
    { allowWhenLocked: true },
  );
}

/** What one pass of a worker did. */
export interface RunOnceResult {
  claimed: number;
  done: number;
  skipped: number;
  failed: number;
}

/**
 * Claims the due jobs and runs each with its handler (jobs of unknown kinds fail: a newer instance
 * may know them, but silently leaving them would hide a configuration error).
 */
export async function runJobsOnce(
  ctx: ServiceContext,
  handlers: Readonly<Record<string, JobHandler>>,
  options: { workerId?: string; limit?: number; leaseMs?: number } = {},
): Promise<RunOnceResult> {
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const jobs = await claimJobs(ctx, workerId, {
    limit: options.limit ?? 20,
    leaseMs: options.leaseMs ?? 120_000,
    kinds: Object.keys(handlers),
  });
  const result: RunOnceResult = { claimed: jobs.length, done: 0, skipped: 0, failed: 0 };
  for (const job of jobs) {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const outcome = await handler(ctx, job);
      await runCommand(ctx, systemActor(`jobs:${workerId}`), (scope) => finishJob(scope, job, workerId, outcome), {
        allowWhenLocked: true,
      });
      if (outcome.status === 'done') result.done += 1;
      else result.skipped += 1;
    } catch (error) {
      await failJob(ctx, job, workerId, error);
      result.failed += 1;
    }
  }
  return result;
}

/** A running worker loop. */
export interface JobWorker {
  readonly workerId: string;
  /** Stops polling and waits for the pass in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Polls for due jobs every `intervalMs` (and immediately after a full batch) until stopped. Errors
 * of a pass (a lost connection) are reported through `onError` and the loop carries on.
 */
/** Options of a polling loop: how often to look, how much to take per round, where errors go. */
export interface PollingOptions {
  workerId?: string;
  intervalMs?: number;
  batch?: number;
  onError?: (error: unknown) => void;
}

/** A started polling loop; `stop` waits for the round in progress. */
export interface PollingLoop {
  stop(): Promise<void>;
}

/**
 * Runs `round` now and then every `intervalMs`, at once again when a round took a full batch (a
 * backlog drains without waiting), never two rounds at a time. Shared by the job worker and the
 * outbox dispatcher, whose rounds claim work safely across instances.
 */
export function startPollingLoop(
  round: (limit: number) => Promise<{ claimed: number }>,
  options: Pick<PollingOptions, 'intervalMs' | 'batch' | 'onError'>,
): PollingLoop {
  const interval = options.intervalMs ?? 15_000;
  const batch = options.batch ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  const tick = (): void => {
    timer = null;
    if (stopped) return;
    current = (async () => {
      let again = false;
      try {
        again = (await round(batch)).claimed === batch;
      } catch (error) {
        options.onError?.(error);
      }
      if (!stopped) timer = setTimeout(tick, again ? 0 : interval);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

export function startJobWorker(
  ctx: ServiceContext,
  handlers: Readonly<Record<string, JobHandler>>,
  options: PollingOptions = {},
): JobWorker {
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const loop = startPollingLoop((limit) => runJobsOnce(ctx, handlers, { workerId, limit }), options);
  return { workerId, stop: () => loop.stop() };
}

/** Counts of jobs by kind and status (operations view and tests). */
export async function summarizeJobs(db: Executor): Promise<{ kind: string; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['kind', 'status'])
    .orderBy('kind')
    .orderBy('status')
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}
