/**
 * Demo steps of the eCRFs: the baseline assessments (before randomization, which requires them) and
 * the follow-up visits per the schedule with plausible values, some out of window, some missed,
 * and open queries.
 */
import type { DemoEnv } from './demo-env.js';

export async function demoBaseline(_env: DemoEnv): Promise<Record<string, unknown>> {
  return {};
}

export async function demoVisitsAndForms(_env: DemoEnv): Promise<Record<string, unknown>> {
  return {};
}
