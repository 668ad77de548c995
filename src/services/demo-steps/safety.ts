/** Demo step: adds realistic adverse events, a few SAEs (one overdue) and diary-triggered reviews. */
import type { DemoEnv } from './demo-env.js';

export async function demoSafety(_env: DemoEnv): Promise<Record<string, unknown>> {
  return {};
}
