/**
 * The analysis and report commands in a real child process, on a simulated trial entered through
 * the services: `analyze sap` (pooled; by arm refused before lock, exit 1; by arm after lock),
 * `report consort` (SVG, PDF, JSON), `report study` (HTML + PDF + SVGs + JSON), `report dashboard`,
 * `power` (pure, no database) and, once registered, `simulate`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/services/context.js';
import { setDatabaseLock } from '../src/services/study.js';
import { buildSimulatedStudy, FIXTURE_IDENTITY_KEY, type SimulatedStudy } from './analysis-fixtures.js';
import { runStemjoint } from './support/cli.js';

const env = { STEMJOINT_IDENTITY_KEY: FIXTURE_IDENTITY_KEY };

describe('analysis and report commands', () => {
  let study: SimulatedStudy;
  let dir: string;
  let db: string;

  beforeAll(async () => {
    study = await buildSimulatedStudy('sqlite', { participants: 14, seed: 3 });
    db = study.testDb.url;
    dir = mkdtempSync(join(tmpdir(), 'sj-report-'));
  }, 600_000);
  afterAll(async () => {
    await study.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('analyze sap: pooled while the trial runs; by arm refused before lock', async () => {
    const pooled = await runStemjoint(['analyze', 'sap', '--db', db, '--blinded', '--json'], { env });
    expect(pooled.code, pooled.stderr).toBe(0);
    const body = JSON.parse(pooled.stdout) as {
      stamp: { mode: string; dataSnapshotHash: string; protocolVersion: string };
      populations: { randomized: number };
    };
    expect(body.stamp).toMatchObject({ mode: 'pooled', protocolVersion: '1.0' });
    expect(body.populations.randomized).toBe(14);
    expect(pooled.stdout).not.toMatch(/ADMSC|SALINE/);
    const text = await runStemjoint(['analyze', 'sap', '--db', db, '--blinded'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('POOLED (blinded)');
    expect(text.stdout).toContain(body.stamp.dataSnapshotHash.slice(0, 16));

    const refused = await runStemjoint(['analyze', 'sap', '--db', db], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused: By-arm analyses run on the locked database only/);
    const bad = await runStemjoint(['analyze', 'sap', '--db', db, '--blinded', '--df', 'welch'], { env });
    expect(bad.code).toBe(3);
    const unknown = await runStemjoint(['analyze', 'sap', '--db', db, '--blinded', '--as', 'nobody@x.test'], { env });
    expect(unknown.code).toBe(3);
  });

  it('report consort: blinded SVG now; by arm refused before lock', async () => {
    const out = join(dir, 'consort-blinded.svg');
    const r = await runStemjoint(['report', 'consort', '--db', db, '--out', out, '--blinded'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/arms pooled, blinded/);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/ADMSC|SALINE|AD-MSC/);
    const refused = await runStemjoint(['report', 'consort', '--db', db, '--out', join(dir, 'x.svg')], { env });
    expect(refused.code).toBe(1);
    const wrongExt = await runStemjoint(['report', 'consort', '--db', db, '--out', join(dir, 'x.doc'), '--blinded'], {
      env,
    });
    expect(wrongExt.code).toBe(3);
    const dash = await runStemjoint(['report', 'dashboard', '--db', db], { env });
    expect(dash.code, dash.stderr).toBe(0);
    expect((JSON.parse(dash.stdout) as { enrolment: { enrolled: number } }).enrolment.enrolled).toBe(14);
  });

  it('after database lock: the SAP and the reports by arm', async () => {
    await setDatabaseLock(study.ctx, systemActor('test'), true, 'final analysis');
    const sap = await runStemjoint(['analyze', 'sap', '--db', db, '--json', '--out', join(dir, 'sap.json')], { env });
    expect(sap.code, sap.stderr).toBe(0);
    const body = JSON.parse(sap.stdout) as {
      stamp: { mode: string; databaseLocked: boolean };
      continuous: { variable: string; byArm?: { mmrm: { estimable: boolean } } }[];
    };
    expect(body.stamp).toMatchObject({ mode: 'by_arm', databaseLocked: true });
    expect(body.continuous[0]).toMatchObject({ variable: 'koos_symptoms', byArm: { mmrm: { estimable: true } } });
    expect(JSON.parse(readFileSync(join(dir, 'sap.json'), 'utf8'))).toEqual(body);

    const pdf = join(dir, 'consort.pdf');
    const c = await runStemjoint(['report', 'consort', '--db', db, '--out', pdf], { env });
    expect(c.code, c.stderr).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const json = join(dir, 'consort.json');
    expect((await runStemjoint(['report', 'consort', '--db', db, '--out', json], { env })).code).toBe(0);
    expect(
      (JSON.parse(readFileSync(json, 'utf8')) as { counts: { columns: { arm: string }[] } }).counts.columns.map(
        (x) => x.arm,
      ),
    ).toEqual(['ADMSC', 'SALINE']);

    const reportDir = join(dir, 'study');
    const s = await runStemjoint(['report', 'study', '--db', db, '--out', reportDir], { env, timeoutMs: 120_000 });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/study report \(BY ARM\)/);
    for (const f of [
      'report.html',
      'report.pdf',
      'consort.svg',
      'sap.json',
      'consort.json',
      'plots/mean-change-primary.svg',
      'plots/ae-by-soc.svg',
    ]) {
      expect(existsSync(join(reportDir, f)), f).toBe(true);
    }
    const html = readFileSync(join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('UNBLINDED');
    expect(html).toContain('Baseline characteristics');
    expect(html).toContain('Protocol deviations');
    expect(html).toContain('Source data verification');
    const blinded = await runStemjoint(['report', 'study', '--db', db, '--out', join(dir, 'blinded'), '--blinded'], {
      env,
      timeoutMs: 120_000,
    });
    expect(blinded.code, blinded.stderr).toBe(0);
    expect(readFileSync(join(dir, 'blinded', 'report.html'), 'utf8')).not.toMatch(/ADMSC|SALINE|AD-MSC/);
  }, 180_000);
});

describe('power by simulation', () => {
  it('reports power with a Wilson interval, reproducibly, without a database', async () => {
    const args = ['power', '--effect', '8', '--sd', '14', '--n', '40', '--reps', '12', '--seed', '4', '--json'];
    const a = await runStemjoint(args);
    expect(a.code, a.stderr).toBe(0);
    const r = JSON.parse(a.stdout) as {
      power: number;
      lower: number;
      upper: number;
      fitted: number;
      reps: number;
      significant: number;
    };
    expect(r.reps).toBe(12);
    expect(r.fitted + 0).toBeLessThanOrEqual(12);
    expect(r.power).toBeCloseTo(r.significant / r.fitted, 12);
    expect(r.lower).toBeLessThanOrEqual(r.power);
    expect(r.upper).toBeGreaterThanOrEqual(r.power);
    expect(JSON.parse((await runStemjoint(args)).stdout)).toEqual(r);
    const text = await runStemjoint(['power', '--effect', '8', '--sd', '14', '--n', '40', '--reps', '4']);
    expect(text.stdout).toMatch(/^power \d+\.\d% \(95% CI/);
    for (const bad of [
      ['--sd', '-1'],
      ['--n', '3'],
      ['--reps', 'x'],
      ['--visit', 'M7'],
    ]) {
      const r2 = await runStemjoint(['power', '--effect', '8', '--sd', '14', ...bad]);
      expect(r2.code, bad.join(' ')).toBe(3);
    }
  }, 120_000);
});

describe('simulate', () => {
  it('loads a simulated trial through the services (when the command is registered)', async (ctx) => {
    const help = await runStemjoint(['simulate', '--help']);
    if (help.code !== 0 || !help.stdout.includes('--participants')) {
      ctx.skip();
      return;
    }
    const tmp = mkdtempSync(join(tmpdir(), 'sj-sim-'));
    try {
      const url = `sqlite:${join(tmp, 'sim.db')}`;
      const r = await runStemjoint(
        ['simulate', '--db', url, '--participants', '6', '--seed', '2', '--json', '--lock'],
        { env, timeoutMs: 120_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ enrolled: 6, randomized: 6, locked: true });
      const sap = await runStemjoint(['analyze', 'sap', '--db', url, '--json'], { env });
      expect(sap.code, sap.stderr).toBe(0);
      expect((await runStemjoint(['audit', 'verify', '--db', url])).code).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
