/**
 * Demo step: the allocation list, a donor with two released lots and their vials, every enrolled
 * participant randomized, doses prepared (one cell dose failing its viability check and prepared
 * again) and injected a few days to weeks after screening, two participants not injected (for the
 * CONSORT "did not receive allocated intervention" box), and one emergency unblinding by
 * investigator2@demo.local so that investigator@demo.local stays blinded. Only service calls.
 */
import { isTrialError } from '../../core/errors.js';
import { addCalendarDays, compareIsoDates } from '../../core/schedule/plain-date.js';
import type { Arm } from '../../core/randomization/index.js';
import type { DemoEnv } from './demo-env.js';
import { getScreening } from '../screening.js';
import { getAllocationList, initAllocationList, randomizeParticipant } from '../randomization.js';
import {
  addVials,
  createDonor,
  createLot,
  discardPreparation,
  listPreparations,
  listVials,
  prepareDose,
  recordAdministration,
  recordLotRelease,
  recordNonAdministration,
  recordPostReleaseSterility,
  type LotView,
} from '../product-chain.js';
import { requestEmergencyUnblinding } from '../unblinding.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** 32 demo bytes as hex. Demo only: a real list takes its seed from the OS CSPRNG (`randomization init`). */
function demoHex(env: DemoEnv, bytes: number): string {
  let hex = '';
  for (let i = 0; i < bytes; i++) hex += env.rng.int(0, 255).toString(16).padStart(2, '0');
  return hex;
}

const releaseResults = (testedOn: string) =>
  ({
    testedOn,
    viabilityPct: 93.4,
    cd73Pct: 99.1,
    cd90Pct: 98.7,
    cd105Pct: 97.2,
    cd45Pct: 0.4,
    cd34Pct: 0.9,
    hlaDrPct: 0.3,
    sterility: 'negative',
    endotoxinEuPerMl: 0.12,
    mycoplasma: 'negative',
  }) as const;

export async function demoRandomization(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx, rng } = env;
  const admin = await env.actor('admin@demo.local');
  const nurse = await env.actor('coordinator@demo.local');
  const lab = await env.actor('unblinded_pharmacist@demo.local');
  const investigator2 = await env.actor('investigator2@demo.local');
  const now = ctx.now();
  const yesterday = new Date(now.getTime() - DAY).toISOString().slice(0, 10);

  const status = await initAllocationList(ctx, admin, { seedHex: demoHex(env, 32), saltHex: demoHex(env, 32) });

  // The cell laboratory: one donor, two lots made from that donor's tissue, both released.
  const donor = await createDonor(ctx, lab, {
    donorCode: 'DON-001',
    eligibility: 'eligible',
    screeningTests: {
      hiv_1_2: 'negative',
      hbv: 'negative',
      hcv: 'negative',
      syphilis: 'negative',
      htlv_1_2: 'negative',
    },
    procurementDate: '2023-08-15',
    notes: 'Lipoaspirate from elective liposuction; donor eligibility per EU tissue directive.',
  });
  const lotSpecs = [
    { lotNumber: 'ADMSC-2023-01', passage: 3, cryopreservedOn: '2023-09-05', expiryDate: '2028-09-05' },
    { lotNumber: 'ADMSC-2024-01', passage: 4, cryopreservedOn: '2024-05-20', expiryDate: '2029-05-20' },
  ];
  const lots: LotView[] = [];
  const perLot = Math.ceil(env.participants.length / 2) + 6;
  for (const spec of lotSpecs) {
    const lot = await createLot(ctx, lab, { ...spec, donorId: donor.id });
    await addVials(ctx, lab, lot.id, {
      vials: Array.from({ length: perLot }, (_, i) => ({
        vialCode: `${spec.lotNumber}-V${String(i + 1).padStart(3, '0')}`,
        location: `LN2 tank 1, rack ${lots.length + 1}, box ${Math.floor(i / 25) + 1}`,
      })),
    });
    lots.push(
      await recordLotRelease(ctx, lab, lot.id, {
        results: releaseResults(addCalendarDays(spec.cryopreservedOn, 16)),
        password: env.password,
      }),
    );
  }

  // Randomize every enrolled participant (baseline readiness comes from the eCRF step before this one).
  const randomized: { participantId: string; studyId: string; kit: string; screeningDate: string }[] = [];
  let notRandomized = 0;
  for (const p of env.participants) {
    try {
      const r = await randomizeParticipant(ctx, nurse, p.id, { requestId: `demo-${p.studyId}` });
      const s = await getScreening(ctx, nurse, p.screeningId);
      randomized.push({
        participantId: p.id,
        studyId: p.studyId,
        kit: r.randomization.kit,
        screeningDate: s.values.screening_date ?? p.enrolledAt.slice(0, 10),
      });
    } catch (e) {
      if (isTrialError(e) && e.code === 'conflict') {
        notRandomized += 1;
        continue;
      }
      throw e;
    }
  }

  const arms = new Map<string, Arm>((await getAllocationList(ctx, lab)).slots.map((s) => [s.kit, s.arm]));
  const usedVials = new Set<string>();
  /** The oldest released lot already made by `date` with a free vial. */
  const nextVial = async (date: string): Promise<string> => {
    for (const lot of lots) {
      if (compareIsoDates(lot.cryopreservedOn, date) > 0) continue;
      const free = (await listVials(ctx, { lotId: lot.id, status: 'available' })).find((v) => !usedVials.has(v.id));
      if (free) {
        usedVials.add(free.id);
        return free.id;
      }
    }
    throw new Error(`demo: no vial available on ${date}`);
  };

  // Two participants are not injected: one declines on the day (dose prepared, then discarded), one
  // has an acute knee effusion at the visit and is not rescheduled.
  const skipped = new Set(
    randomized.length >= 6
      ? [
          randomized[Math.floor(randomized.length / 3)]!.participantId,
          randomized[Math.floor((2 * randomized.length) / 3)]!.participantId,
        ]
      : [],
  );
  const counts = {
    preparations: 0,
    failedPreparations: 0,
    discardedPreparations: 0,
    administered: 0,
    notAdministered: 0,
    sterilityResults: 0,
  };
  let failedOnce = false;
  const injected: { participantId: string; studyId: string }[] = [];
  const injector = 'Dr. Jens Injector (musculoskeletal radiology)';

  for (const r of randomized) {
    const day0 = [addCalendarDays(r.screeningDate, rng.int(7, 35)), yesterday].sort(compareIsoDates)[0]!;
    // 09:00–13:00 UTC is 10:00–15:00 in Copenhagen: the Copenhagen date is Day 0 in any season.
    const administeredAt = new Date(Date.parse(`${day0}T09:00:00Z`) + rng.int(0, 240) * MINUTE);
    const thawedAt = new Date(administeredAt.getTime() - rng.int(40, 110) * MINUTE);
    const cells = arms.get(r.kit) === 'ADMSC';
    const dose = async (at: Date, viability: number) =>
      prepareDose(ctx, lab, {
        kit: r.kit,
        thawedAt: at.toISOString(),
        volumeMl: Math.round(rng.normal(10, 0.12) * 10) / 10,
        appearance: 'conforms',
        password: env.password,
        ...(cells
          ? {
              vialId: await nextVial(day0),
              viableCellsMillion: Math.round(rng.normal(20.2, 1.1) * 10) / 10,
              viabilityPct: viability,
            }
          : { salineBatch: compareIsoDates(day0, '2025-01-01') < 0 ? 'NaCl-B2341' : 'NaCl-C0917' }),
      });
    if (skipped.has(r.participantId) && skipped.size === 2 && counts.notAdministered === 0) {
      const prep = await dose(thawedAt, Math.round(rng.normal(91, 2.5) * 10) / 10);
      counts.preparations += 1;
      await discardPreparation(ctx, lab, prep.id, {
        reason: 'Participant declined the injection on the day; dose not used',
      });
      counts.discardedPreparations += 1;
      await recordNonAdministration(ctx, nurse, r.participantId, {
        reason: 'Declined the injection on the day of the planned injection',
      });
      counts.notAdministered += 1;
      continue;
    }
    if (skipped.has(r.participantId)) {
      await recordNonAdministration(ctx, nurse, r.participantId, {
        reason: 'Acute knee effusion with suspected crystal arthritis at the injection visit; injection not given',
      });
      counts.notAdministered += 1;
      continue;
    }
    if (cells && !failedOnce) {
      // A thaw with poor viability fails its check; the laboratory thaws a second vial.
      const failed = await dose(new Date(thawedAt.getTime() - 50 * MINUTE), 61.5);
      counts.preparations += 1;
      if (!failed.passed) counts.failedPreparations += 1;
      failedOnce = true;
    }
    await dose(thawedAt, Math.round(Math.min(99, rng.normal(91, 2.5)) * 10) / 10);
    counts.preparations += 1;
    await recordAdministration(ctx, nurse, r.participantId, {
      kit: r.kit,
      administeredAt: administeredAt.toISOString(),
      kneeSide: rng.chance(0.55) ? 'right' : 'left',
      ultrasoundGuided: true,
      volumeMl: 10,
      injector,
    });
    counts.administered += 1;
    injected.push({ participantId: r.participantId, studyId: r.studyId });
  }

  // Post-release sterility: all cultures of doses given more than 14 days ago grew nothing.
  for (const prep of await listPreparations(ctx, lab)) {
    if (prep.status === 'administered' && Date.parse(prep.thawedAt) < now.getTime() - 14 * DAY) {
      await recordPostReleaseSterility(ctx, lab, prep.id, { result: 'no_growth' });
      counts.sterilityResults += 1;
    }
  }

  // One emergency unblinding, by the second investigator (investigator@demo.local stays blinded).
  let emergencyUnblindings = 0;
  const target = injected[Math.min(injected.length - 1, 4)];
  if (target) {
    await requestEmergencyUnblinding(ctx, investigator2, target.participantId, {
      reason:
        'Suspected septic arthritis of the injected knee (SAE, hospitalised); the treating orthopaedic surgeon needs to know whether cells were given.',
      password: env.password,
    });
    emergencyUnblindings = 1;
  }

  return {
    commitment: status.commitment,
    strata: status.strata.map((s) => s.stratum),
    randomized: randomized.length,
    notRandomized,
    donors: 1,
    lots: lots.length,
    vials: perLot * lots.length,
    ...counts,
    emergencyUnblindings,
    emergencyUnblindedParticipant: target?.studyId ?? null,
  };
}
