/**
 * The demo: a database built entirely through the real services (never raw inserts), showing
 * everything the product can do. The accounts of every role, then the trial itself from the
 * simulator (`loadSimulatedTrial`, acting as the demo's staff), then one step per capability for
 * what the simulator does not make. Each new capability adds its part here (or to the simulator,
 * when a realistic trial of any size should have it).
 */
import { TrialError } from '../core/errors.js';
import { STAFF_ROLES } from '../core/roles.js';
import { addCalendarDays } from '../core/schedule/plain-date.js';
import { createSeededRandom } from '../core/simulation/seeded-random.js';
import { systemActor, type ServiceContext } from './context.js';
import { siteToday } from './ecrf-store.js';
import { loadSimulatedTrial } from './simulate-trial.js';
import { DEFAULT_SITE, initStudy } from './study.js';
import { actorForEmail, createUser } from './users.js';
import type { DemoEnv, DemoParticipant } from './demo-steps/demo-env.js';
import { demoRandomization } from './demo-steps/randomization.js';
import { demoForms } from './demo-steps/ecrf.js';
import { demoSafety } from './demo-steps/safety.js';
import { demoEpro } from './demo-steps/epro.js';

export interface DemoOptions {
  participants: number;
  seed: number;
  password: string;
}

export interface DemoSummary {
  study: string;
  engine: string;
  password: string;
  accounts: { email: string; role: string }[];
  screening: { screened: number; enrolled: number; ineligible: number; declined: number; notReached: number };
  participants: string[];
  /** What each later capability's demo step made. */
  steps: Record<string, Record<string, unknown>>;
}

const DISPLAY: Record<string, string> = {
  admin: 'Demo Administrator',
  investigator: 'Dr. Inge Investigator',
  coordinator: 'Nurse Karen Koordinator',
  unblinded_pharmacist: 'Cell-lab Ulla Unblinded',
  monitor: 'Morten Monitor',
  data_manager: 'Dorthe Datamanager',
  statistician: 'Søren Statistiker',
  dsmb: 'DSMB Chair',
};

const SITE_ROLES = ['investigator', 'coordinator', 'unblinded_pharmacist'];

export async function buildDemo(ctx: ServiceContext, opts: DemoOptions): Promise<DemoSummary> {
  const init = await initStudy(ctx, { adminEmail: 'admin@demo.local', adminPassword: opts.password });
  if (!init.created) {
    throw new TrialError(
      'conflict',
      'The database is already initialised; the demo needs an empty database (use --fresh for SQLite)',
    );
  }
  const system = systemActor('demo');
  const accounts: DemoSummary['accounts'] = [{ email: 'admin@demo.local', role: 'admin' }];
  for (const role of STAFF_ROLES) {
    if (role === 'admin') continue;
    const email = `${role}@demo.local`;
    await createUser(ctx, system, {
      email,
      displayName: DISPLAY[role] ?? role,
      password: opts.password,
      grants: [{ role, siteId: SITE_ROLES.includes(role) ? DEFAULT_SITE.id : null }],
    });
    accounts.push({ email, role });
  }
  // A second investigator: the one who performs the emergency unblinding, so that
  // investigator@demo.local stays blinded.
  await createUser(ctx, system, {
    email: 'investigator2@demo.local',
    displayName: 'Dr. Ib Investigator (2)',
    password: opts.password,
    grants: [{ role: 'investigator', siteId: DEFAULT_SITE.id }],
  });
  accounts.push({ email: 'investigator2@demo.local', role: 'investigator' });

  // The trial itself comes from the simulator, acting as the demo's staff: screening (with every
  // kind of screen failure), consent, e-signed sign-off, enrolment, baseline forms, randomization,
  // the product chain and injections, follow-up visits in and out of window or missed, adverse and
  // serious adverse events, withdrawals. Recruitment runs from October 2023 up to a month ago.
  const simulation = await loadSimulatedTrial(ctx, {
    participants: opts.participants,
    seed: opts.seed,
    password: opts.password,
    staff: {
      nurse: 'coordinator@demo.local',
      investigator: 'investigator@demo.local',
      lab: 'unblinded_pharmacist@demo.local',
    },
    // Rare product-chain events a little more often, so that 80 participants show them.
    productChainRates: { notInjected: 0.03, failedThaw: 0.06 },
    recruitmentStart: '2023-10-02',
    recruitmentEnd: addCalendarDays(siteToday(ctx), -30),
  });
  const participants: DemoParticipant[] = (
    await ctx.database.db
      .selectFrom('participants')
      .leftJoin('administrations', 'administrations.participant_id', 'participants.id')
      .select([
        'participants.id',
        'participants.study_id',
        'participants.screening_id',
        'participants.status',
        'participants.enrolled_at',
        'administrations.status as administration',
      ])
      .orderBy('participants.study_id')
      .execute()
  ).map((p) => ({
    id: p.id,
    studyId: p.study_id,
    screeningId: p.screening_id,
    status: p.status,
    enrolledAt: p.enrolled_at,
    injected: p.administration === 'administered',
  }));
  const env: DemoEnv = {
    ctx,
    // Its own stream, so the demo's additions do not shift the simulated trial.
    rng: createSeededRandom((opts.seed ^ 0x5eed5eed) >>> 0),
    password: opts.password,
    actor: (email) => actorForEmail(ctx.database.db, email),
    participants,
  };
  // What the simulator does not make, capability by capability. Order matters: the forms step signs
  // and locks casebooks, which the ePRO step then leaves alone.
  const steps: DemoSummary['steps'] = { simulation: { ...simulation } };
  steps.forms = await demoForms(env);
  steps.randomization = await demoRandomization(env);
  steps.epro = await demoEpro(env);
  steps.safety = await demoSafety(env);
  return {
    study: 'STEMJOINT',
    engine: ctx.database.engine,
    password: opts.password,
    accounts,
    screening: {
      screened: simulation.screened,
      enrolled: simulation.enrolled,
      ineligible: simulation.ineligible,
      declined: simulation.declined,
      notReached: simulation.notReached,
    },
    participants: participants.map((p) => p.studyId),
    steps,
  };
}
