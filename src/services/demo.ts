/**
 * The demo: a database built entirely through the real services (never raw inserts), showing
 * everything the product can do. Each capability adds its part here.
 */
import { TrialError } from '../core/errors.js';
import { STAFF_ROLES } from '../core/roles.js';
import { systemActor, type ServiceContext } from './context.js';
import { DEFAULT_SITE, initStudy } from './study.js';
import { createUser } from './users.js';

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
  participants: { requested: number; created: number; note?: string };
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

export async function buildDemo(ctx: ServiceContext, opts: DemoOptions): Promise<DemoSummary> {
  const init = await initStudy(ctx, { adminEmail: 'admin@demo.local', adminPassword: opts.password });
  if (!init.created) throw new TrialError('conflict', 'The database is already initialised; the demo needs an empty database (use --fresh for SQLite)');
  const actor = systemActor('demo');
  const accounts: DemoSummary['accounts'] = [{ email: 'admin@demo.local', role: 'admin' }];
  for (const role of STAFF_ROLES) {
    if (role === 'admin') continue;
    const siteId = ['investigator', 'coordinator', 'unblinded_pharmacist'].includes(role) ? DEFAULT_SITE.id : null;
    const email = `${role}@demo.local`;
    await createUser(ctx, actor, { email, displayName: DISPLAY[role] ?? role, password: opts.password, grants: [{ role, siteId }] });
    accounts.push({ email, role });
  }
  // A second investigator: the one who performs the emergency unblinding, so that
  // investigator@demo.local stays blinded.
  await createUser(ctx, actor, { email: 'investigator2@demo.local', displayName: 'Dr. Ib Investigator (2)', password: opts.password, grants: [{ role: 'investigator', siteId: DEFAULT_SITE.id }] });
  accounts.push({ email: 'investigator2@demo.local', role: 'investigator' });
  return {
    study: 'STEMJOINT',
    engine: ctx.database.engine,
    password: opts.password,
    accounts,
    participants: { requested: opts.participants, created: 0, note: 'participant screening and enrolment arrive with the screening module' },
  };
}
