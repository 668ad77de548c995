/** `stemjoint analyze …` run as a real child process on the golden fixture CSV. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGolden, goldenPath, relativeError } from '../../../test/fixtures/golden/golden-fixtures.js';
import { runStemjoint } from '../../../test/support/cli.js';

const golden = loadGolden();
const CSV = goldenPath('stemjoint_sim.csv');
const COLUMNS = ['--subject', 'id', '--visit', 'visit', '--arm', 'arm', '--treatment', 'MSC', '--control', 'SAL'];
const analyze = (command: string, ...args: string[]): ReturnType<typeof runStemjoint> =>
  runStemjoint(['analyze', command, '--input', CSV, ...COLUMNS, ...args]);

interface MmrmJson {
  n_subjects: number;
  n_obs: number;
  m2_reml_loglik: number;
  converged: boolean;
  sigma: number[][];
  contrasts: { visit: string; estimate: number; se: number; df: number; lower: number; upper: number; p: number }[];
  lsmeans: { arm: string; visit: string; estimate: number; se: number }[];
}

describe('stemjoint analyze mmrm', () => {
  it('prints the unstructured MMRM of the golden data as JSON (Satterthwaite)', async () => {
    const r = await analyze('mmrm', '--response', 'chg', '--baseline', 'base', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as MmrmJson;
    const us = golden.mmrm_us;
    expect(out.n_subjects).toBe(80);
    expect(out.n_obs).toBe(434);
    expect(out.converged).toBe(true);
    expect(Math.abs(out.m2_reml_loglik - us.m2_reml_loglik)).toBeLessThan(1e-4);
    expect(out.sigma).toHaveLength(6);
    expect(Math.abs(out.sigma[2][2] - us.sigma[2][2]) / us.sigma[2][2]).toBeLessThan(1e-4);
    us.contrasts.forEach((g, j) => {
      const c = out.contrasts[j];
      expect(c.visit).toBe(g.visit);
      expect(relativeError(c.estimate, g.estimate)).toBeLessThan(1e-5);
      expect(relativeError(c.se, g.se)).toBeLessThan(1e-5);
      expect(relativeError(c.df, g.df)).toBeLessThan(1e-3);
      expect(c.lower).toBeLessThan(c.estimate);
      expect(c.upper).toBeGreaterThan(c.estimate);
    });
    for (const g of us.lsmeans) {
      const l = out.lsmeans.find((x) => x.arm === g.arm && x.visit === g.visit)!;
      expect(relativeError(l.estimate, g.emmean)).toBeLessThan(1e-5);
      expect(relativeError(l.se, g.SE)).toBeLessThan(1e-5);
    }
  });

  it('with --df kenward-roger reports the adjusted SE and the same df', async () => {
    const r = await analyze('mmrm', '--response', 'chg', '--baseline', 'base', '--df', 'kenward-roger', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as MmrmJson;
    golden.mmrm_us.contrasts.forEach((g, j) => {
      expect(relativeError(out.contrasts[j].se, g.kr_se)).toBeLessThan(2e-4);
      expect(relativeError(out.contrasts[j].df, g.df)).toBeLessThan(1e-3);
    });
  });

  it('honours --visits and prints a readable table without --json', async () => {
    const r = await analyze('mmrm', '--response', 'chg', '--baseline', 'base', '--visits', 'M3,M12');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('MSC − SAL by visit');
    expect(r.stdout).toContain('LS means');
    expect(r.stdout).not.toContain('Y5');
  });
});

describe('stemjoint analyze ancova / logistic / incidence', () => {
  it('ancova at M12 reproduces R lm', async () => {
    const r = await analyze('ancova', '--response', 'chg', '--baseline', 'base', '--at', 'M12', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number>;
    const g = golden.ancova_m12;
    expect(Object.keys(out)).toEqual(['n', 'estimate', 'se', 'df', 't', 'p', 'lower', 'upper']);
    expect(out.n).toBe(76);
    expect(out.df).toBe(73);
    expect(relativeError(out.estimate, g.estimate)).toBeLessThan(1e-9);
    expect(relativeError(out.se, g.se)).toBeLessThan(1e-9);
    expect(relativeError(out.t, g.t)).toBeLessThan(1e-9);
    expect(relativeError(out.p, g.p)).toBeLessThan(1e-9);
    expect(relativeError(out.lower, g.ci[0])).toBeLessThan(1e-9);
    expect(relativeError(out.upper, g.ci[1])).toBeLessThan(1e-9);
  });

  it('logistic regression of effusion at M12 with the Newcombe risk difference', async () => {
    const r = await analyze(
      'logistic',
      '--response',
      'effusion_m12',
      '--covariates',
      'effusion_bl',
      '--at',
      'M12',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      odds_ratio: number;
      lower: number;
      upper: number;
      p: number;
      risk_difference: { estimate: number; lower: number; upper: number };
    };
    const g = golden.effusion_m12;
    expect(relativeError(out.odds_ratio, g.logit_or)).toBeLessThan(1e-7);
    expect(relativeError(out.lower, g.logit_or_ci[0])).toBeLessThan(1e-7);
    expect(relativeError(out.upper, g.logit_or_ci[1])).toBeLessThan(1e-7);
    expect(Math.abs(out.p - g.logit_p)).toBeLessThan(1e-6);
    expect(out.risk_difference.estimate).toBeCloseTo(g.rd, 12);
    expect(relativeError(out.risk_difference.lower, g.rd_newcombe_ci[0])).toBeLessThan(1e-9);
    expect(relativeError(out.risk_difference.upper, g.rd_newcombe_ci[1])).toBeLessThan(1e-9);
  });

  it('incidence of any AE with Fisher’s exact test (one count per subject)', async () => {
    const r = await analyze('incidence', '--response', 'ae_any', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      treatment: { events: number; n: number };
      control: { events: number; n: number };
      p: number;
      odds_ratio: number;
      lower: number;
      upper: number;
    };
    const g = golden.ae.any;
    expect(out.treatment).toEqual({ events: g.events.MSC, n: g.n.MSC });
    expect(out.control).toEqual({ events: g.events.SAL, n: g.n.SAL });
    expect(relativeError(out.p, g.p)).toBeLessThan(1e-9);
    expect(relativeError(out.odds_ratio, g.or)).toBeLessThan(1e-9);
    expect(relativeError(out.lower, g.or_ci[0])).toBeLessThan(1e-9);
    expect(relativeError(out.upper, g.or_ci[1])).toBeLessThan(1e-9);
  });

  it('readable output for ancova, logistic and incidence', async () => {
    const a = await analyze('ancova', '--response', 'chg', '--baseline', 'base', '--at', 'M12');
    expect(a.stdout).toContain('MSC − SAL');
    const l = await analyze('logistic', '--response', 'effusion_m12', '--covariates', 'effusion_bl', '--at', 'M12');
    expect(l.stdout).toContain('odds ratio MSC vs SAL');
    const i = await analyze('incidence', '--response', 'ae_inj');
    expect(i.stdout).toContain("Fisher's exact test");
  });
});

describe('malformed input exits 3 with a message naming the problem', () => {
  const expectExit3 = async (result: ReturnType<typeof runStemjoint>, fragment: string): Promise<void> => {
    const r = await result;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(fragment);
    expect(r.stdout).toBe('');
  };

  it('missing file', async () => {
    await expectExit3(
      runStemjoint(['analyze', 'mmrm', '--input', '/nonexistent/trial.csv', ...COLUMNS, '--response', 'chg', '--json']),
      "input file '/nonexistent/trial.csv' not found",
    );
  });

  it('missing column', async () => {
    await expectExit3(
      analyze('mmrm', '--response', 'koos_pain', '--json'),
      "column 'koos_pain' (--response) not found",
    );
    await expectExit3(
      analyze('ancova', '--response', 'chg', '--covariates', 'site', '--at', 'M12', '--json'),
      "column 'site' (--covariates)",
    );
  });

  it('one arm absent', async () => {
    await expectExit3(
      runStemjoint([
        'analyze',
        'mmrm',
        '--input',
        CSV,
        ...COLUMNS.slice(0, -2),
        '--control',
        'PLACEBO',
        '--response',
        'chg',
        '--json',
      ]),
      "arm 'PLACEBO' (--control) not found",
    );
  });

  it('a visit with no data', async () => {
    await expectExit3(analyze('mmrm', '--response', 'chg', '--visits', 'M3,Y9', '--json'), "visit 'Y9' has no data");
    await expectExit3(analyze('ancova', '--response', 'chg', '--at', 'Y9', '--json'), "visit 'Y9' has no data");
  });

  it('a visit whose responses are all missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stemjoint-analyze-'));
    const file = join(dir, 'trial.csv');
    writeFileSync(file, 'id,visit,arm,chg\nA,V1,T,1\nA,V2,T,NA\nB,V1,C,2\nB,V2,C,\nC,V1,T,1.5\nD,V1,C,0.5\n');
    const r = await runStemjoint([
      'analyze',
      'mmrm',
      '--input',
      file,
      '--subject',
      'id',
      '--visit',
      'visit',
      '--arm',
      'arm',
      '--treatment',
      'T',
      '--control',
      'C',
      '--response',
      'chg',
      '--json',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("visit 'V2' has no data");
  });

  it('non-numeric response', async () => {
    await expectExit3(
      analyze('mmrm', '--response', 'arm', '--json'),
      "column 'arm' (--response) has a non-numeric value 'SAL' on line 2",
    );
    await expectExit3(analyze('logistic', '--response', 'base', '--at', 'M12', '--json'), 'must be 0/1');
  });

  it('logistic without --at when subjects have several rows', async () => {
    await expectExit3(
      analyze('logistic', '--response', 'effusion_m12', '--json'),
      "subject 'S001' has more than one row",
    );
  });

  it('an unknown df method', async () => {
    await expectExit3(analyze('mmrm', '--response', 'chg', '--df', 'residual', '--json'), '--df must be one of');
  });
});
