/**
 * The demo: a database built entirely through the real services (never raw inserts), showing
 * everything the product can do. Each capability adds its part here.
 */
import { TrialError } from '../core/errors.js';
import { STAFF_ROLES } from '../core/roles.js';
import { addCalendarDays } from '../core/schedule/plain-date.js';
import { createSeededRandom } from '../core/simulation/seeded-random.js';
import { syntheticPerson } from '../core/simulation/synthetic-screening.js';
import { systemActor, type ServiceContext } from './context.js';
import {
  createScreening,
  enrolParticipant,
  recordConsent,
  recordScreeningOutcome,
  setIdentity,
  signOffEligibility,
  type ParticipantView,
} from './screening.js';
import { DEFAULT_SITE, initStudy } from './study.js';
import { actorForEmail, createUser } from './users.js';
import type { DemoEnv } from './demo-steps/demo-env.js';
import { demoRandomization } from './demo-steps/randomization.js';
import { demoBaseline, demoVisitsAndForms } from './demo-steps/ecrf.js';
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

  const nurse = await actorForEmail(ctx.database.db, 'coordinator@demo.local');
  const investigator = await actorForEmail(ctx.database.db, 'investigator@demo.local');
  const rng = createSeededRandom(opts.seed);
  // Recruitment runs from October 2023 up to a month ago, spread evenly over the people screened.
  const start = '2023-10-02';
  const span = Math.max(30, Math.round((ctx.now().getTime() - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) - 30);
  const expectedScreened = Math.max(1, Math.ceil(opts.participants / 0.6));
  const summary = { screened: 0, enrolled: 0, ineligible: 0, declined: 0, notReached: 0 };
  const participants: ParticipantView[] = [];
  for (let i = 0; summary.enrolled < opts.participants && i < opts.participants * 5 + 10; i++) {
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
      continue;
    }
    if (person.approach === 'declines') {
      const s = await createScreening(ctx, nurse, { values: { screening_date: screeningDate } });
      await recordScreeningOutcome(ctx, nurse, s.id, {
        outcome: 'declined',
        reason: rng.pick(['does not want an injection', 'travel distance', 'no time for five years of visits']),
      });
      summary.declined += 1;
      continue;
    }
    const s = await createScreening(ctx, nurse, { values: person.values });
    if (s.status !== 'eligible') {
      summary.ineligible += 1;
      continue;
    }
    await setIdentity(ctx, nurse, s.id, person.identity);
    const consentedAt = new Date(Date.parse(`${addCalendarDays(screeningDate, -rng.int(1, 7))}T10:00:00Z`));
    await recordConsent(ctx, nurse, s.id, {
      documentVersion: '1.0',
      consentedAt: (consentedAt.getTime() > ctx.now().getTime() ? ctx.now() : consentedAt).toISOString(),
      signatureMode: rng.chance(0.7) ? 'paper' : 'electronic',
    });
    await signOffEligibility(ctx, investigator, s.id, { password: opts.password });
    const p = await enrolParticipant(ctx, nurse, s.id);
    participants.push(p);
    summary.enrolled += 1;
  }
  const env: DemoEnv = {
    ctx,
    rng,
    password: opts.password,
    actor: (email) => actorForEmail(ctx.database.db, email),
    participants,
  };
  // Order matters: randomization needs the baseline assessments; the injection gives Day 0, which
  // the visits, diaries and AEs hang on.
  const steps: DemoSummary['steps'] = {};
  steps.baseline = await demoBaseline(env);
  steps.randomization = await demoRandomization(env);
  steps.visits = await demoVisitsAndForms(env);
  steps.epro = await demoEpro(env);
  steps.safety = await demoSafety(env);
  return {
    study: 'STEMJOINT',
    engine: ctx.database.engine,
    password: opts.password,
    accounts,
    screening: summary,
    participants: participants.map((p) => p.studyId),
    steps,
  };
}
