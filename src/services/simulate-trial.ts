/**
 * Loads a simulated STEMJOINT trial through the real services (issue 11): the same command layer,
 * validation, derivations, audit records and blinding as data entered by people. The people and
 * what happens to them come from the pure simulator (`src/core/simulation/trial-simulator.ts`) and
 * the synthetic screening records of the demo; this module only turns them into service calls:
 *
 * screening (some not reached, some declining, ineligible people failing the criteria they fail) →
 * identity, consent, investigator sign-off (e-signed), enrolment → baseline forms (KOOS items, NRS,
 * both knees' examination, anti-HLA antibodies, demographics with the index knee) → randomization
 * → dose preparation (e-signed) and injection (Day 0; a few participants are not injected) → every
 * follow-up visit that has come due (done in or out of window, or missed) with its forms → adverse
 * events → withdrawals (lost to follow-up, consent withdrawn) with the end-of-study form.
 *
 * Deterministic for a seed and a clock: participants are loaded one after the other in batches, so
 * study ids, kit codes and values are the same on SQLite and PostgreSQL. Only the arms are read
 * from the sealed allocation list (as the system), to give each participant the simulated effect of
 * the arm it was allocated; nothing this module records names an arm.
 */
import { addCalendarDays, compareIsoDates, type IsoDate } from '../core/schedule/plain-date.js';
import { createSeededRandom, type SeededRandom } from '../core/simulation/seeded-random.js';
import { syntheticItemValues } from '../core/simulation/synthetic-form-values.js';
import { syntheticCpr, syntheticPerson } from '../core/simulation/synthetic-screening.js';
import { isTrialError } from '../core/errors.js';
import {
  resolveSimulatorConfig,
  simulateParticipant,
  type SimulatedArm,
  type SimulatedParticipant,
  type TrialSimulatorConfig,
} from '../core/simulation/trial-simulator.js';
import { NOT_SERIOUS } from '../core/safety/index.js';
import type { StaffRole } from '../core/roles.js';
import { createAdverseEvent } from './adverse-events.js';
import { runBatch, runCommand } from './command.js';
import { hashPassword, hasStandardHashCost } from './passwords.js';
import { systemActor, type Actor, type ServiceContext } from './context.js';
import { saveFormAtVisit } from './ecrf.js';
import { recordVisit } from './ecrf-visits.js';
import { currentProtocol, requireForm, siteToday } from './ecrf-store.js';
import {
  addVials,
  createDonor,
  createLot,
  discardPreparation,
  prepareDose,
  recordAdministration,
  recordLotRelease,
  recordNonAdministration,
} from './product-chain.js';
import { initAllocationList, loadKitArms, randomizeParticipant } from './randomization.js';
import {
  createScreening,
  enrolParticipant,
  recordConsent,
  recordScreeningOutcome,
  setIdentity,
  signOffEligibility,
  withdrawParticipant,
} from './screening.js';
import { recordSaeSubmission } from './safety-cases.js';
import { actorForEmail, createUser } from './users.js';

/** Options of {@link loadSimulatedTrial}. */
export interface LoadTrialOptions {
  /** Participants to enrol (people are screened until this many are enrolled). */
  readonly participants: number;
  readonly seed: number;
  /** Simulator settings (treatment effect, SD, dropout, …). */
  readonly config?: Partial<Omit<TrialSimulatorConfig, 'seed'>>;
  /** Password of the simulation's staff accounts (used for e-signatures). */
  readonly password: string;
  /** First screening date (default three years before today). */
  readonly recruitmentStart?: IsoDate;
  /** Last screening date (default 60 days before today). */
  readonly recruitmentEnd?: IsoDate;
  /** Existing accounts to act as (default: the simulation's own `@sim.local` accounts, created if missing). */
  readonly staff?: SimulationStaff;
  /**
   * How often a randomized participant is not injected (declining on the day or an acute effusion;
   * default 0.02) and a thawed cell vial fails its viability check (default 0.02).
   */
  readonly productChainRates?: { readonly notInjected: number; readonly failedThaw: number };
  /** Participants per transaction (`runBatch`), and between progress reports (default 25). */
  readonly batchSize?: number;
  /** Called after every batch. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What was loaded. */
export interface LoadTrialSummary {
  screened: number;
  notReached: number;
  declined: number;
  ineligible: number;
  enrolled: number;
  randomized: number;
  injected: number;
  notInjected: number;
  /** Cell doses whose thaw failed the viability check (another vial was thawed). */
  preparationsFailed: number;
  /** Doses prepared for participants who then declined the injection. */
  preparationsDiscarded: number;
  visitsDone: number;
  visitsOutOfWindow: number;
  visitsMissed: number;
  withdrawn: number;
  forms: number;
  /** Automatic queries raised by soft edit checks on the forms saved. */
  autoQueries: number;
  adverseEvents: number;
  /** Serious adverse events reported by the site (investigator's initial report). */
  seriousReports: number;
}

/** The simulation's staff accounts. */
const ACCOUNTS: readonly { email: string; role: StaffRole; site: string | null; name: string }[] = [
  { email: 'coordinator@sim.local', role: 'coordinator', site: 'site-auh', name: 'Simulated study nurse' },
  { email: 'investigator@sim.local', role: 'investigator', site: 'site-auh', name: 'Simulated investigator' },
  { email: 'cell-lab@sim.local', role: 'unblinded_pharmacist', site: 'site-auh', name: 'Simulated cell laboratory' },
];

const DAY_MS = 86_400_000;

/** Examination values of both knees: the simulated index knee, and a steadier other knee. */
function examValues(
  p: SimulatedParticipant,
  values: Partial<Record<string, number>>,
  effusion: { strokeTest: string; patellarTap: boolean },
  rng: SeededRandom,
): Record<string, unknown> {
  const index = p.indexKnee;
  const other = index === 'right' ? 'left' : 'right';
  const v = (k: string, fallback: number): number => values[k] ?? fallback;
  return {
    assessor: 'SIM-ASSESSOR',
    rom_mode: 'active',
    knee_circ_landmark: 'mid_patella',
    thigh_method: 'tape',
    [`${index}_flexion_deg`]: v('flexion_deg', 118),
    [`${index}_extension_deg`]: v('extension_deg', -4),
    [`${index}_stroke_test`]: effusion.strokeTest,
    [`${index}_patellar_tap`]: effusion.patellarTap,
    [`${index}_knee_circ_cm`]: v('knee_circ_cm', 41),
    [`${index}_thigh_circ_cm`]: v('thigh_circ_cm', 50),
    [`${index}_thigh_distance_cm`]: 15,
    // Now and then a hypermobile other knee: flexion beyond the soft limit raises an automatic query.
    [`${other}_flexion_deg`]: rng.chance(0.03) ? 152 : 130,
    [`${other}_extension_deg`]: 0,
    [`${other}_stroke_test`]: '0',
    [`${other}_patellar_tap`]: false,
    [`${other}_knee_circ_cm`]: 39.5,
    [`${other}_thigh_circ_cm`]: 51.5,
    [`${other}_thigh_distance_cm`]: 15,
  };
}

function hlaAntibodyValues(date: IsoDate, positive: boolean): Record<string, unknown> {
  return {
    sample_date: date,
    assay: 'LABScreen Single Antigen',
    assay_lot: 'SIM-LOT-1',
    lab_cutoff_mfi: 1000,
    class_i_positive: positive,
    class_ii_positive: false,
    beads: [
      {
        bead_class: 'I',
        bead_specificity: 'A*02:01',
        bead_mfi: positive ? 4200 : 150,
        bead_positive: positive,
        bead_donor_specific: true,
      },
      { bead_class: 'I', bead_specificity: 'B*07:02', bead_mfi: 120, bead_positive: false, bead_donor_specific: false },
    ],
  };
}

const AE_TERMS = {
  injection_site_pain: {
    verbatim: 'Pain at the injection site',
    soc: ['90000001', 'General disorders and administration site conditions'],
    pt: ['90000101', 'Injection site pain'],
    local: true,
  },
  joint_swelling: {
    verbatim: 'Swelling of the treated knee',
    soc: ['90000002', 'Musculoskeletal and connective tissue disorders'],
    pt: ['90000201', 'Joint swelling'],
    local: true,
  },
  systemic: {
    verbatim: 'Common cold',
    soc: ['90000004', 'Infections and infestations'],
    pt: ['90000401', 'Nasopharyngitis'],
    local: false,
  },
  serious: {
    verbatim: 'Fall with hip fracture, hospitalised',
    soc: ['90000008', 'Injury, poisoning and procedural complications'],
    pt: ['90000801', 'Fall'],
    local: false,
  },
} as const;

/** 32 bytes of hex derived from the seed (simulations only; real lists take OS randomness). */
function seededHex(seed: number, salt: number): string {
  const rng = createSeededRandom((seed ^ salt) >>> 0);
  let hex = '';
  for (let i = 0; i < 32; i++) hex += rng.int(0, 255).toString(16).padStart(2, '0');
  return hex;
}

/**
 * Creates the simulation's own staff accounts (when the caller does not name existing ones), with
 * the cheap password hash of a bulk load: every simulated participant costs two e-signatures.
 * {@link hardenSimulationAccounts} gives them the standard hash when the load ends.
 */
async function ensureSimulationAccounts(ctx: ServiceContext, password: string): Promise<SimulationStaff> {
  for (const a of ACCOUNTS) {
    const exists = await ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', a.email)
      .executeTakeFirst();
    if (!exists) {
      await createUser(ctx, systemActor('simulator'), {
        email: a.email,
        displayName: a.name,
        password,
        grants: [{ role: a.role, siteId: a.site }],
        passwordHashCost: 'simulator-load',
      });
    }
  }
  return SIM_STAFF;
}

/** Re-hashes the simulation's own accounts whose hash is not the standard one (audited, no secret in the record). */
async function hardenSimulationAccounts(ctx: ServiceContext, password: string): Promise<void> {
  const emails = ACCOUNTS.map((a) => a.email);
  const weak = (
    await ctx.database.db.selectFrom('users').select(['id', 'password_hash']).where('email', 'in', emails).execute()
  ).filter((u) => !hasStandardHashCost(u.password_hash));
  for (const user of weak) {
    const passwordHash = await hashPassword(password);
    await runCommand(
      ctx,
      systemActor('simulator'),
      async ({ tx, at, audit }) => {
        await tx
          .updateTable('users')
          .set({ password_hash: passwordHash, updated_at: at })
          .where('id', '=', user.id)
          .execute();
        await audit({
          action: 'user.password_rehashed',
          entityType: 'user',
          entityId: user.id,
          after: { cost: 'standard' },
        });
      },
      { allowWhenLocked: true },
    );
  }
}

/** Emails of the existing accounts the simulation acts as (the demo passes its own). */
export interface SimulationStaff {
  readonly nurse: string;
  readonly investigator: string;
  readonly lab: string;
}

const SIM_STAFF: SimulationStaff = {
  nurse: 'coordinator@sim.local',
  investigator: 'investigator@sim.local',
  lab: 'cell-lab@sim.local',
};

/**
 * Screens people until `participants` are enrolled and loads everything that has happened to them
 * by today (the context's clock). The database must be initialised and have no allocation list.
 *
 * Every write is a service command with its audit records; the commands of `batchSize` participants
 * share one transaction (`runBatch`: one savepoint per command, one durable commit per batch), so a
 * failure loses at most the batch in progress and the load is as fast as the commands themselves.
 */
export async function loadSimulatedTrial(ctx: ServiceContext, options: LoadTrialOptions): Promise<LoadTrialSummary> {
  const config = resolveSimulatorConfig({ ...options.config, seed: options.seed });
  const today = siteToday(ctx);
  const yesterday = addCalendarDays(today, -1);
  const start = options.recruitmentStart ?? addCalendarDays(today, -3 * 365);
  const end = options.recruitmentEnd ?? addCalendarDays(today, -60);
  const span = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / DAY_MS));
  const rng = createSeededRandom(options.seed);
  const rates = options.productChainRates ?? { notInjected: 0.02, failedThaw: 0.02 };
  const system = systemActor('simulator');
  const protocol = currentProtocol();
  // The site learns of an event the morning after its onset, and never in the future.
  const nowMs = ctx.now().getTime();
  const awarenessOf = (onset: IsoDate): string => {
    const morning = Date.parse(`${addCalendarDays(onset, 1)}T08:00:00.000Z`);
    return new Date(Math.min(morning, nowMs - 3_600_000)).toISOString();
  };
  const summary: LoadTrialSummary = {
    screened: 0,
    notReached: 0,
    declined: 0,
    ineligible: 0,
    enrolled: 0,
    randomized: 0,
    injected: 0,
    notInjected: 0,
    preparationsFailed: 0,
    preparationsDiscarded: 0,
    visitsDone: 0,
    visitsOutOfWindow: 0,
    visitsMissed: 0,
    withdrawn: 0,
    forms: 0,
    autoQueries: 0,
    adverseEvents: 0,
    seriousReports: 0,
  };
  const { nurse, investigator, lab, kitArms, vials } = await runBatch(ctx, (batch) =>
    prepareTrial(batch, options, start, today),
  );
  let nextVial = 0;

  const loadPerson = async (ctx: ServiceContext, i: number, expectedScreened: number): Promise<void> => {
    const screeningDate = addCalendarDays(start, Math.min(span, Math.round((i / expectedScreened) * span)));
    const person = syntheticPerson(rng, screeningDate);
    summary.screened += 1;
    if (person.approach === 'not_reached') {
      const s = await createScreening(ctx, nurse, {});
      await recordScreeningOutcome(ctx, nurse, s.id, {
        outcome: 'not_reached',
        reason: 'no answer after three phone calls',
      });
      summary.notReached += 1;
      return;
    }
    if (person.approach === 'declines') {
      const s = await createScreening(ctx, nurse, { values: { screening_date: screeningDate } });
      await recordScreeningOutcome(ctx, nurse, s.id, {
        outcome: 'declined',
        reason: rng.pick(['does not want an injection', 'travel distance', 'no time for five years of visits']),
      });
      summary.declined += 1;
      return;
    }
    const s = await createScreening(ctx, nurse, { values: person.values });
    if (s.status !== 'eligible') {
      summary.ineligible += 1;
      return;
    }
    // Synthetic CPR numbers can repeat among thousands of people born on the same day: a real
    // site would notice the person is someone else; the simulator draws another number.
    for (let attempt = 0; ; attempt++) {
      try {
        await setIdentity(
          ctx,
          nurse,
          s.id,
          attempt === 0
            ? person.identity
            : {
                ...person.identity,
                cpr: syntheticCpr(person.values.date_of_birth!, person.values.sex as 'female' | 'male', rng),
              },
        );
        break;
      } catch (e) {
        if (!(isTrialError(e) && e.code === 'conflict' && e.details.some((d) => d.path === 'cpr')) || attempt >= 50) {
          throw e;
        }
      }
    }
    await recordConsent(ctx, nurse, s.id, {
      documentVersion: '1.0',
      consentedAt: `${addCalendarDays(screeningDate, -rng.int(1, 7))}T10:00:00.000Z`,
      signatureMode: rng.chance(0.3) ? 'electronic' : 'paper',
    });
    await signOffEligibility(ctx, investigator, s.id, { password: options.password });
    const enrolled = await enrolParticipant(ctx, nurse, s.id);
    const index = summary.enrolled;
    summary.enrolled += 1;
    const day0 = [addCalendarDays(screeningDate, 7 + (index % 21)), yesterday].sort(compareIsoDates)[0]!;
    const save = async (actor: Actor, visit: string | null, formId: string, values: Record<string, unknown>) => {
      const saved = await saveFormAtVisit(ctx, actor, enrolled.id, visit, formId, { values, action: 'submit' });
      summary.forms += 1;
      summary.autoQueries += saved.autoQueries.raised;
    };

    // The arm decides the simulated effect, so the participant's data are drawn once it is known.
    // Baseline first: randomization requires the baseline assessments.
    const provisional = simulateParticipant(config, index, 'SALINE');
    await save(nurse, 'SCR', 'demographics', {
      ...syntheticItemValues(protocol, requireForm(protocol, 'demographics'), rng, screeningDate),
      index_knee: provisional.indexKnee,
    });
    await save(nurse, 'BL', 'koos', provisional.baselineKoosAnswers);
    await save(nurse, 'BL', 'nrs', {
      nrs_pain: provisional.baseline.nrs_pain,
      nrs_recall: 'last_7d',
      nrs_aspect: 'average',
    });
    await save(
      nurse,
      'BL',
      'clinical_exam',
      examValues(provisional, provisional.baseline, provisional.baselineEffusion, rng),
    );
    await save(system, 'BL', 'hla_antibody', hlaAntibodyValues(day0, false));
    const randomized = await randomizeParticipant(ctx, nurse, enrolled.id, {
      requestId: `sim-${options.seed}-${index}`,
    });
    summary.randomized += 1;
    const kit = randomized.randomization.kit;
    const arm = (kitArms.get(kit) ?? 'SALINE') as SimulatedArm;
    const sim = simulateParticipant(config, index, arm);
    await recordVisit(ctx, nurse, enrolled.id, 'BL', { date: day0 });

    const thawedAt = `${day0}T08:40:00.000Z`;
    const prepare = (viabilityPct: number, at = thawedAt) =>
      prepareDose(ctx, lab, {
        kit,
        thawedAt: at,
        volumeMl: 10,
        appearance: 'conforms',
        password: options.password,
        ...(arm === 'ADMSC'
          ? { vialId: vials[nextVial++]!, viableCellsMillion: 20.1, viabilityPct }
          : { salineBatch: 'NaCl-SIM-1' }),
      });
    // A few are not injected: some decline on the day (the prepared dose is discarded), some
    // have an acute effusion at the visit; they stay in follow-up (intention to treat).
    const notInjected = rng.chance(rates.notInjected);
    if (notInjected) {
      const declined = rng.chance(0.5);
      if (declined) {
        const prep = await prepare(92.5);
        await discardPreparation(ctx, lab, prep.id, { reason: 'Participant declined the injection on the day' });
        summary.preparationsDiscarded += 1;
      }
      await recordNonAdministration(ctx, nurse, enrolled.id, {
        reason: declined
          ? 'Declined the injection on the day'
          : 'Acute knee effusion at the injection visit; injection not given',
      });
      summary.notInjected += 1;
    } else {
      // Now and then a thawed vial fails its viability check and the laboratory thaws another.
      if (arm === 'ADMSC' && rng.chance(rates.failedThaw)) {
        const failed = await prepare(61.5, `${day0}T07:50:00.000Z`);
        if (!failed.passed) summary.preparationsFailed += 1;
      }
      await prepare(92.5);
      await recordAdministration(ctx, nurse, enrolled.id, {
        kit,
        administeredAt: `${day0}T09:30:00.000Z`,
        kneeSide: sim.indexKnee,
        ultrasoundGuided: true,
        volumeMl: 10,
        injector: 'Simulated injector',
      });
      summary.injected += 1;
    }

    // Follow-up visits that have come due.
    const withdrawal = sim.dropoutDay === null ? null : addCalendarDays(day0, sim.dropoutDay);
    for (const f of sim.followUps) {
      if (f.status === 'dropped') break;
      if (f.status === 'missed') {
        const due = addCalendarDays(day0, STEMJOINT_WINDOW_END[f.visit] ?? 0);
        if (compareIsoDates(due, today) >= 0) break;
        await recordVisit(ctx, nurse, enrolled.id, f.visit, {
          missed: true,
          missedReason: 'participant did not attend',
        });
        summary.visitsMissed += 1;
        continue;
      }
      const date = addCalendarDays(day0, f.day ?? 0);
      if (compareIsoDates(date, today) > 0) break;
      await recordVisit(ctx, nurse, enrolled.id, f.visit, { date });
      summary.visitsDone += 1;
      if (f.outOfWindow) summary.visitsOutOfWindow += 1;
      if (f.koosAnswers) await save(nurse, f.visit, 'koos', f.koosAnswers);
      await save(nurse, f.visit, 'nrs', { nrs_pain: f.values.nrs_pain, nrs_recall: 'last_7d', nrs_aspect: 'average' });
      if (f.effusion) await save(nurse, f.visit, 'clinical_exam', examValues(sim, f.values, f.effusion, rng));
      if (f.visit === 'M3') await save(system, 'M3', 'hla_antibody', hlaAntibodyValues(date, sim.deNovoDsa));
    }

    // Adverse events with an onset by yesterday (and before any withdrawal).
    for (const ae of sim.adverseEvents) {
      const onset = addCalendarDays(day0, ae.onsetDay);
      if (compareIsoDates(onset, yesterday) > 0 || (withdrawal !== null && compareIsoDates(onset, withdrawal) > 0)) {
        continue;
      }
      if (notInjected && ae.kind !== 'systemic') continue;
      const term = AE_TERMS[ae.kind];
      const endDate = addCalendarDays(onset, ae.durationDays);
      const ended = compareIsoDates(endDate, yesterday) <= 0;
      const awareness = awarenessOf(onset);
      const recorded = await createAdverseEvent(ctx, investigator, {
        participantId: enrolled.id,
        verbatimTerm: term.verbatim,
        meddra: { version: '27.1', socCode: term.soc[0], socName: term.soc[1], ptCode: term.pt[0], ptName: term.pt[1] },
        onsetDate: onset,
        endDate: ended ? endDate : null,
        grade: ae.grade,
        seriousness: ae.serious ? { ...NOT_SERIOUS, hospitalisation: true } : NOT_SERIOUS,
        localToIndexKnee: term.local,
        investigatorCausality: term.local
          ? { cellProduct: 'related', procedure: 'related' }
          : { cellProduct: 'not_related', procedure: 'not_related' },
        actionTaken: ae.serious ? ['hospitalisation'] : ['none'],
        outcome: ended ? 'recovered' : 'recovering',
        siteAwarenessAt: awareness,
      });
      summary.adverseEvents += 1;
      if (recorded.caseId) {
        // The site reports a serious event to the sponsor within hours of learning of it.
        await recordSaeSubmission(ctx, nurse, recorded.caseId, {
          kind: 'investigator_initial_report',
          occurredAt: new Date(Math.min(Date.parse(awareness) + 5 * 3_600_000, nowMs - 60_000)).toISOString(),
          reference: `SIM-SAE-${summary.seriousReports + 1}`,
        });
        summary.seriousReports += 1;
      }
    }

    // Dropout: withdrawal with the end-of-study form.
    if (withdrawal !== null && compareIsoDates(withdrawal, yesterday) <= 0) {
      const lost = rng.chance(0.6);
      await withdrawParticipant(ctx, nurse, enrolled.id, {
        scope: 'no_further_visits',
        reason: lost ? 'Lost to follow-up' : 'Consent withdrawn: no longer wishes to attend visits',
        withdrawnOn: withdrawal,
      });
      await save(nurse, null, 'end_of_study', {
        eos_status: 'early_termination',
        eos_date: withdrawal,
        eos_reason: lost ? 'lost_to_follow_up' : 'consent_withdrawn',
        last_contact_date: withdrawal,
        ...(lost ? {} : { follow_up_data_allowed: true }),
      });
      summary.withdrawn += 1;
    }
  };

  const expectedScreened = Math.max(1, Math.ceil(options.participants / 0.6));
  const maxScreened = options.participants * 5 + 20;
  const batchSize = Math.max(1, options.batchSize ?? 25);
  let i = 0;
  while (summary.enrolled < options.participants && i < maxScreened) {
    const target = Math.min(options.participants, summary.enrolled + batchSize);
    await runBatch(ctx, async (batch) => {
      for (; summary.enrolled < target && i < maxScreened; i++) await loadPerson(batch, i, expectedScreened);
    });
    options.onProgress?.(summary.enrolled, options.participants);
  }
  if (options.staff === undefined) await hardenSimulationAccounts(ctx, options.password);
  return summary;
}

/**
 * What the participants need before the first is screened: the staff accounts, the sealed
 * allocation list (and its kit → arm map, read as the system), and the cell laboratory's donor and
 * released lot with a vial for every cell dose.
 */
async function prepareTrial(ctx: ServiceContext, options: LoadTrialOptions, start: IsoDate, today: IsoDate) {
  const system = systemActor('simulator');
  const staff = options.staff ?? (await ensureSimulationAccounts(ctx, options.password));
  const db = ctx.database.db;
  const nurse = await actorForEmail(db, staff.nurse);
  const investigator = await actorForEmail(db, staff.investigator);
  const lab = await actorForEmail(db, staff.lab);
  await initAllocationList(ctx, system, {
    seedHex: seededHex(options.seed, 0x1234567),
    saltHex: seededHex(options.seed, 0x7654321),
    // Enough slots for the larger KL stratum (about half the participants; 6 SD of margin): every
    // randomization and dose preparation decrypts the whole list, so a list twice as long as
    // needed doubles the part of the load that grows with its size.
    parameters: {
      per_stratum: Math.max(100, Math.ceil(options.participants / 2 + 3 * Math.sqrt(options.participants))),
    },
  });
  const kitArms = await loadKitArms(ctx);
  const donor = await createDonor(ctx, lab, {
    donorCode: 'SIM-DONOR-1',
    eligibility: 'eligible',
    screeningTests: {
      hiv_1_2: 'negative',
      hbv: 'negative',
      hcv: 'negative',
      syphilis: 'negative',
      htlv_1_2: 'negative',
    },
    procurementDate: addCalendarDays(start, -60),
    notes: 'Simulated donor',
  });
  const lotStart = addCalendarDays(start, -30);
  const lot = await createLot(ctx, lab, {
    lotNumber: 'SIM-LOT-001',
    donorId: donor.id,
    passage: 3,
    cryopreservedOn: lotStart,
    expiryDate: addCalendarDays(today, 3650),
  });
  // A vial for every cell dose, failed thaws and discarded doses included.
  const vialCount = Math.ceil(options.participants * 0.6) + 10;
  for (let i = 0; i < vialCount; i += 200) {
    await addVials(ctx, lab, lot.id, {
      vials: Array.from({ length: Math.min(200, vialCount - i) }, (_, k) => ({
        vialCode: `SIM-V${String(i + k + 1).padStart(6, '0')}`,
        location: `LN2 tank 1, box ${Math.floor((i + k) / 100) + 1}`,
      })),
    });
  }
  await recordLotRelease(ctx, lab, lot.id, {
    results: {
      testedOn: addCalendarDays(lotStart, 14),
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
    },
    password: options.password,
  });
  const vials = (
    await db
      .selectFrom('product_vials')
      .select(['id', 'vial_code'])
      .where('lot_id', '=', lot.id)
      .orderBy('vial_code')
      .execute()
  ).map((v) => v.id);
  return { nurse, investigator, lab, kitArms, vials };
}

/** The last day of each follow-up window (a missed visit is recorded once its window has closed). */
const STEMJOINT_WINDOW_END: Readonly<Record<string, number>> = {
  M3: 105,
  M12: 395,
  M24: 760,
  Y3: 1155,
  Y4: 1521,
  Y5: 1886,
};
