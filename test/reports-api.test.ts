/**
 * The analysis and report API over real HTTP on both engines, on a simulated trial entered
 * through the services: who gets what (pooled for the study team; by arm for the DSMB at any time
 * and for the statistician only after database lock; everyone else 403), that blinded responses
 * contain no arm anywhere (not even the arm codes as values), and that the CONSORT numbers, the
 * dashboard, the plots and the study report are there and consistent.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSimulatedTrial } from '../src/services/simulate-trial.js';
import { systemActor } from '../src/services/context.js';
import { createUser } from '../src/services/users.js';
import type { StaffRole } from '../src/core/roles.js';
import { describeEachEngine } from './support/engines.js';
import { ApiClient, startTestServer, type TestServer } from './support/server.js';

const PASSWORD = 'reports-password-1';
const N = 16;
/** Arm codes, labels and field names that must never reach a blinded caller. */
const ARM_TEXT = /ADMSC|SALINE|AD-MSC|"byArm"|"arm"/;

interface Count {
  key: string;
  n: number;
  ids: string[];
  parts?: Count[];
}

describeEachEngine('analysis and report API', (engine) => {
  let server: TestServer;
  const clients = new Map<string, ApiClient>();
  const as = (role: string): ApiClient => clients.get(role)!;

  beforeAll(async () => {
    server = await startTestServer(engine);
    await loadSimulatedTrial(server.ctx, { participants: N, seed: 5, password: PASSWORD });
    const roles: [string, StaffRole, string | null][] = [
      ['coordinator', 'coordinator', 'site-auh'],
      ['monitor', 'monitor', null],
      ['data_manager', 'data_manager', null],
      ['statistician', 'statistician', null],
      ['dsmb', 'dsmb', null],
      ['pharmacist', 'unblinded_pharmacist', 'site-auh'],
    ];
    for (const [name, role, site] of roles) {
      await createUser(server.ctx, systemActor('test'), {
        email: `${name}@reports.test`,
        displayName: name,
        password: PASSWORD,
        grants: [{ role, siteId: site }],
      });
      const c = new ApiClient(server.url);
      expect((await c.login(`${name}@reports.test`, PASSWORD)).status).toBe(200);
      clients.set(name, c);
    }
  }, 600_000);
  afterAll(async () => server.close());

  it('the SAP pooled for the study team, stamped; by arm refused before lock (403) except to the DSMB', async () => {
    const pooled = await as('statistician').get<{
      stamp: { dataSnapshotHash: string; protocolVersion: string; mode: string; software: { version: string } };
      continuous: { variable: string }[];
    }>('/api/v1/analysis/sap');
    expect(pooled.status, JSON.stringify(pooled.body)).toBe(200);
    expect(pooled.body.stamp).toMatchObject({ protocolVersion: '1.0', mode: 'pooled', software: { version: '0.1.0' } });
    expect(pooled.body.stamp.dataSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(pooled.body)).not.toMatch(ARM_TEXT);
    expect((await as('data_manager').get('/api/v1/analysis/sap')).status).toBe(200);
    expect((await as('monitor').get('/api/v1/analysis/sap')).status).toBe(403);
    expect((await as('statistician').get('/api/v1/analysis/sap?df=bogus')).status).toBe(400);

    const refused = await as('statistician').get<{ error: { code: string; message: string } }>(
      '/api/v1/analysis/sap/by-arm',
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/before database lock \(except to the DSMB\)/);
    expect((await as('data_manager').get('/api/v1/analysis/sap/by-arm')).status).toBe(403);

    const dsmb = await as('dsmb').get<{
      stamp: { interim: boolean; mode: string };
      continuous: { byArm?: { mmrm: { estimable: boolean } } }[];
      adverseEvents: { byArm?: unknown };
    }>('/api/v1/analysis/sap/by-arm');
    expect(dsmb.status, JSON.stringify(dsmb.body).slice(0, 500)).toBe(200);
    expect(dsmb.body.stamp).toMatchObject({ interim: true, mode: 'by_arm' });
    expect(dsmb.body.continuous[0]!.byArm).toBeDefined();
    expect(dsmb.body.adverseEvents.byArm).toBeDefined();
  });

  it('CONSORT for everyone on the team: blinded, consistent, the participants behind each box', async () => {
    const db = server.ctx.database.db;
    const r = await as('coordinator').get<{
      blinded: boolean;
      consistency: string[];
      svg: string;
      counts: {
        assessed: Count;
        excluded: Count;
        pending: Count;
        randomized: Count;
        columns: { arm: string | null; allocated: Count; received: Count; notReceived: Count }[];
      };
    }>('/api/v1/reports/consort');
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.blinded).toBe(true);
    expect(r.body.consistency).toEqual([]);
    expect(JSON.stringify(r.body)).not.toMatch(ARM_TEXT);
    const screenings = await db.selectFrom('screenings').select(['screening_number', 'status']).execute();
    expect(r.body.counts.assessed.n).toBe(screenings.length);
    const randomized = await db.selectFrom('randomizations').select('participant_id').execute();
    expect(r.body.counts.randomized.n).toBe(randomized.length);
    expect(r.body.counts.columns).toHaveLength(1);
    const administered = await db.selectFrom('administrations').select('status').execute();
    expect(r.body.counts.columns[0]!.received.n).toBe(administered.filter((a) => a.status === 'administered').length);
    expect(r.body.counts.columns[0]!.notReceived.n).toBe(
      administered.filter((a) => a.status === 'not_administered').length,
    );
    const declined = r.body.counts.excluded.parts!.find((p) => p.key === 'excluded.declined')!;
    expect(declined.ids.sort()).toEqual(
      screenings
        .filter((s) => s.status === 'declined')
        .map((s) => s.screening_number)
        .sort(),
    );
    expect(r.body.svg).toContain(`Assessed for eligibility (n\u00a0=\u00a0${screenings.length})`);

    expect((await as('coordinator').get('/api/v1/reports/consort?mode=by_arm')).status).toBe(403);
    const byArm = await as('dsmb').get<{
      blinded: boolean;
      interim: boolean;
      counts: { columns: { arm: string; allocated: Count }[] };
    }>('/api/v1/reports/consort?mode=by_arm');
    expect(byArm.status).toBe(200);
    expect(byArm.body).toMatchObject({ blinded: false, interim: true });
    expect(byArm.body.counts.columns.map((c) => c.arm)).toEqual(['ADMSC', 'SALINE']);
    expect(byArm.body.counts.columns.reduce((s, c) => s + c.allocated.n, 0)).toBe(randomized.length);
    // The pharmacist sees arms but is not on the report list.
    expect((await as('pharmacist').get('/api/v1/reports/consort')).status).toBe(403);
  });

  it('dashboard data, blinded, for the site team', async () => {
    const r = await as('coordinator').get<{
      enrolment: { enrolled: number; target: number; byMonth: unknown[] };
      completion: { rows: { cells: number[] }[]; visits: string[] };
      visits: { bySite: { site: string }[] };
      queries: { byAge: Record<string, number> };
      saeClocks: unknown;
      backlog: { missingForms: number };
      diaries: { participants: number };
    }>('/api/v1/reports/dashboard');
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    expect(r.body.enrolment).toMatchObject({ enrolled: N, target: 80 });
    expect(r.body.enrolment.byMonth.length).toBeGreaterThan(12);
    expect(r.body.completion.rows).toHaveLength(N);
    expect(r.body.completion.rows[0]!.cells).toHaveLength(r.body.completion.visits.length);
    expect(r.body.visits.bySite.map((s) => s.site)).toEqual(['AUH']);
    expect(Object.keys(r.body.queries.byAge)).toEqual(['0-7d', '8-14d', '15-30d', '>30d']);
    expect(r.body.saeClocks).not.toBeNull();
    // MRI readings are never entered by the simulator: the backlog shows them.
    expect(r.body.backlog.missingForms).toBeGreaterThan(0);
    expect(JSON.stringify(r.body)).not.toMatch(ARM_TEXT);
  });

  it('plots and the study report: pooled before lock; by arm for the statistician only after lock', async () => {
    const plots = await as('statistician').get<{ plots: { id: string; svg: string }[] }>('/api/v1/reports/plots');
    expect(plots.status).toBe(200);
    expect(plots.body.plots.map((p) => p.id)).toEqual(
      expect.arrayContaining(['mean-change-primary', 'trajectories', 'koos-profile', 'ae-by-soc']),
    );
    for (const p of plots.body.plots) expect(p.svg.startsWith('<svg')).toBe(true);
    expect(JSON.stringify(plots.body)).not.toMatch(ARM_TEXT);
    const report = await as('data_manager').get<{ html: string }>('/api/v1/reports/study');
    expect(report.status).toBe(200);
    expect(report.body.html).toContain('BLINDED');
    expect(report.body.html).toContain('Data snapshot');
    expect(report.body.html).not.toMatch(/ADMSC|SALINE|AD-MSC/);
    expect((await as('statistician').get('/api/v1/reports/study?mode=by_arm')).status).toBe(403);

    const lock = await as('data_manager').post('/api/v1/study/lock', {
      reason: 'database lock for the final analysis',
      signature: { password: PASSWORD },
    });
    expect(lock.status, JSON.stringify(lock.body)).toBe(200);
    const after = await as('statistician').get<{
      stamp: { interim: boolean; databaseLocked: boolean };
      continuous: { byArm?: unknown }[];
    }>('/api/v1/analysis/sap/by-arm');
    expect(after.status).toBe(200);
    expect(after.body.stamp).toMatchObject({ interim: false, databaseLocked: true });
    expect(after.body.continuous[0]!.byArm).toBeDefined();
    const unblindedReport = await as('statistician').get<{ html: string }>('/api/v1/reports/study?mode=by_arm');
    expect(unblindedReport.status).toBe(200);
    expect(unblindedReport.body.html).toContain('UNBLINDED');
    expect(unblindedReport.body.html).toContain('ADMSC');
    // Still 403 for blinded roles after lock.
    expect((await as('data_manager').get('/api/v1/analysis/sap/by-arm')).status).toBe(403);
  });
});
