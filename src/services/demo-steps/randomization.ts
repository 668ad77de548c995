/**
 * Demo step of the randomization and product chain, on top of the simulated trial (which already
 * holds the sealed allocation list, the donor, the released lot and its vials, every participant
 * randomized, doses prepared — a failed thaw prepared again, a declined dose discarded — and
 * injected or not injected): the post-release sterility results of doses given more than 14 days
 * ago, and one emergency unblinding by investigator2@demo.local so that investigator@demo.local stays
 * blinded. Only service calls; nothing here names an arm.
 */
import { getAllocationStatus } from '../randomization.js';
import { listPreparations, listVials, recordPostReleaseSterility } from '../product-chain.js';
import { requestEmergencyUnblinding } from '../unblinding.js';
import type { DemoEnv } from './demo-env.js';

const DAY = 86_400_000;

export async function demoRandomization(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx } = env;
  const lab = await env.actor('unblinded_pharmacist@demo.local');
  const investigator2 = await env.actor('investigator2@demo.local');
  const now = ctx.now();

  // Post-release sterility: all cultures of doses given more than 14 days ago grew nothing.
  const preparations = await listPreparations(ctx, lab);
  let sterilityResults = 0;
  for (const prep of preparations) {
    if (prep.status === 'administered' && Date.parse(prep.thawedAt) < now.getTime() - 14 * DAY) {
      await recordPostReleaseSterility(ctx, lab, prep.id, { result: 'no_growth' });
      sterilityResults += 1;
    }
  }

  // One emergency unblinding, by the second investigator (investigator@demo.local stays blinded).
  const injected = env.participants.filter((p) => p.status !== 'withdrawn' && p.injected);
  const target = injected[Math.min(injected.length - 1, 4)];
  if (target) {
    await requestEmergencyUnblinding(ctx, investigator2, target.id, {
      reason:
        'Suspected septic arthritis of the injected knee (SAE, hospitalised); the treating orthopaedic surgeon needs to know whether cells were given.',
      password: env.password,
    });
  }

  const status = await getAllocationStatus(ctx.database.db);
  const count = (s: string) => preparations.filter((p) => p.status === s).length;
  return {
    commitment: status.commitment,
    strata: status.strata.map((s) => s.stratum),
    preparations: preparations.length,
    preparationsByStatus: Object.fromEntries([...new Set(preparations.map((p) => p.status))].map((s) => [s, count(s)])),
    vialsAvailable: (await listVials(ctx, { status: 'available' })).length,
    sterilityResults,
    emergencyUnblindings: target ? 1 : 0,
    emergencyUnblindedParticipant: target?.studyId ?? null,
  };
}
