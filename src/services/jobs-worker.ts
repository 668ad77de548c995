/**
 * The application's job worker: the durable queue (`jobs.ts`) with every module's handlers (today:
 * ePRO reminders, missed-day alerts, access codes) and the channels from the environment, plus the
 * outbox dispatcher (`outbox-dispatch.ts`) that e-mails site alerts and safety notices. The
 * server starts one per process after it listens and stops it on close; `stemjoint jobs run-once`
 * runs one pass from the command line (cron, or a separate worker process).
 */
import { ensurePlanningJob, eproJobHandlers } from './epro-reminders.js';
import { runJobsOnce, startJobWorker, type JobHandler, type JobWorker, type RunOnceResult } from './jobs.js';
import type { ServiceContext } from './context.js';
import { channelsFromEnv, type NotificationChannels } from './notification-channels.js';
import { dispatchOutboxOnce, startOutboxDispatcher, type OutboxDispatchResult } from './outbox-dispatch.js';

/** Every handler of the application, delivering through `channels`. */
export function applicationJobHandlers(channels: NotificationChannels = channelsFromEnv()): Record<string, JobHandler> {
  return { ...eproJobHandlers(channels) };
}

/** Starts the worker loop of this process (polling every `intervalMs`, default 15 s). */
export async function startApplicationJobWorker(
  ctx: ServiceContext,
  options: {
    channels?: NotificationChannels;
    intervalMs?: number;
    workerId?: string;
    log?: (line: string) => void;
  } = {},
): Promise<JobWorker> {
  await ensurePlanningJob(ctx);
  const channels = options.channels ?? channelsFromEnv();
  const jobs = startJobWorker(ctx, applicationJobHandlers(channels), {
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.workerId !== undefined ? { workerId: options.workerId } : {}),
    onError: (error) => options.log?.(`job worker: ${error instanceof Error ? error.message : 'error'}`),
  });
  // The outbox (site alerts, safety and unblinding notices) is delivered by e-mail next to the jobs.
  const outbox = startOutboxDispatcher(ctx, channels.email, {
    workerId: `${jobs.workerId}-outbox`,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    onError: (error) => options.log?.(`outbox dispatcher: ${error instanceof Error ? error.message : 'error'}`),
  });
  return {
    workerId: jobs.workerId,
    stop: async () => {
      await Promise.all([jobs.stop(), outbox.stop()]);
    },
  };
}

/** One pass over the due jobs (for `stemjoint jobs run-once`). */
export async function runApplicationJobsOnce(
  ctx: ServiceContext,
  options: { channels?: NotificationChannels; limit?: number } = {},
): Promise<RunOnceResult & { outbox: OutboxDispatchResult }> {
  await ensurePlanningJob(ctx);
  const channels = options.channels ?? channelsFromEnv();
  const jobs = await runJobsOnce(ctx, applicationJobHandlers(channels), {
    limit: options.limit ?? 100,
    workerId: `cli-${process.pid}`,
  });
  const outbox = await dispatchOutboxOnce(ctx, channels.email, {
    workerId: `cli-${process.pid}-outbox`,
    limit: options.limit ?? 100,
  });
  return { ...jobs, outbox };
}
