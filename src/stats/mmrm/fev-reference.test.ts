/**
 * Second reference case: the `fev_data` example of the openpharma/mmrm R package (200 subjects,
 * 4 visits, 537 non-missing FEV1 values) against SAS PROC MIXED results published in that
 * package's repository:
 *  - tests/testthat/test-kenwardroger.R ("kr give similar results as SAS for …") and
 *    design/KR/kr_us.txt: FEV1 ~ ARMCD with US, CS, CSH, ARH(1), TOEPH covariance, ddfm=kr and
 *    ddfm=kr(linear) SE and df of the TRT − PBO coefficient;
 *  - design/SAS/sas_log_reml.txt: FEV1 ~ RACE + SEX + ARMCD*AVISIT, TYPE=UN, ddfm=satterthwaite
 *    (printed to 4 decimals; df to integers; −2 Res Log Like from the iteration history).
 * Tolerances (stats-anchors §5.2, vs SAS): KR SE 2e-4 relative, df 1e-3 relative (or ±0.5 when SAS
 * printed integers), −2 REML log-likelihood 1e-4 (the iteration history has 8 decimals), printed
 * 4-decimal values to 2.5e-4 (half a unit in the last digit plus SAS's 1e-8 convergence criterion).
 */
import { describe, expect, it } from 'vitest';
import { readGoldenCsv, relativeError } from '../../../test/fixtures/golden/golden-fixtures.js';
import type { CovarianceStructureName } from './covariance-structures.js';
import { fitReml } from './fit-reml.js';
import { estimateContrast, prepareInference, testContrasts } from './inference.js';
import { buildMmrmDesign, type MmrmObservation } from './mmrm-design.js';
import { RemlEvaluator, type RepeatedMeasuresDesign } from './reml-evaluator.js';

const rows = readGoldenCsv('fev_data.csv');
const VISITS = ['VIS1', 'VIS2', 'VIS3', 'VIS4'];

/** FEV1 ~ ARMCD (intercept + TRT indicator), rows with FEV1 present. */
function armOnlyDesign(): RepeatedMeasuresDesign {
  const bySubject = new Map<string, { visits: number[]; x: number[]; y: number[] }>();
  for (const r of rows) {
    if (r.FEV1 === 'NA') continue;
    const s = bySubject.get(r.USUBJID) ?? { visits: [], x: [], y: [] };
    s.visits.push(VISITS.indexOf(r.AVISIT));
    s.x.push(1, r.ARMCD === 'TRT' ? 1 : 0);
    s.y.push(Number(r.FEV1));
    bySubject.set(r.USUBJID, s);
  }
  // The file is sorted by subject and visit already.
  const subjects = [...bySubject.values()].map((s) => ({
    visits: s.visits,
    x: Float64Array.from(s.x),
    y: Float64Array.from(s.y),
  }));
  return { nVisits: 4, nCoefficients: 2, subjects };
}

describe('FEV1 ~ ARMCD: Kenward–Roger against SAS ddfm=kr / kr(linear)', () => {
  const evaluator = new RemlEvaluator(armOnlyDesign());
  const cases: [CovarianceStructureName, { se: number; df: number; seLinear: number }][] = [
    ['unstructured', { se: 0.66124382270307, df: 160.733266403768, seLinear: 0.66124382270307 }],
    ['compound-symmetry', { se: 0.7964696053595, df: 177.038485931223, seLinear: 0.7964696053595 }],
    ['cs-heterogeneous', { se: 0.67414806011886, df: 190.737701349941, seLinear: 0.67403858183242 }],
    ['ar1-heterogeneous', { se: 0.7590316099633, df: 188.225339095373, seLinear: 0.75924807546934 }],
    ['toeplitz-heterogeneous', { se: 0.72543828853831, df: 180.062730071701, seLinear: 0.72537324518435 }],
  ];
  for (const [structure, sas] of cases) {
    it(structure, () => {
      const fit = fitReml(evaluator, { structure });
      expect(fit.converged).toBe(true);
      const full = estimateContrast(prepareInference(fit, 'kenward-roger'), [0, 1]);
      const linear = estimateContrast(prepareInference(fit, 'kenward-roger', { krLinear: true }), [0, 1]);
      expect(relativeError(full.se, sas.se)).toBeLessThan(2e-4);
      expect(relativeError(linear.se, sas.seLinear)).toBeLessThan(2e-4);
      expect(relativeError(full.df, sas.df)).toBeLessThan(1e-3);
      if (structure === 'unstructured') {
        // SAS: −2 Res Log Like 3667.96276376; estimate 3.8197.
        expect(Math.abs(-2 * fit.logLik - 3667.96276376)).toBeLessThan(1e-4);
        expect(Math.abs(full.estimate - 3.8197)).toBeLessThan(2.5e-4);
      }
    });
  }
});

describe('FEV1 ~ RACE + SEX + ARMCD*AVISIT with unstructured covariance against SAS', () => {
  const observations: MmrmObservation[] = rows.map((r) => ({
    subject: r.USUBJID,
    visit: r.AVISIT,
    arm: r.ARMCD,
    response: r.FEV1 === 'NA' ? null : Number(r.FEV1),
    covariates: { RACE: r.RACE, SEX: r.SEX },
  }));
  const design = buildMmrmDesign({ observations, treatment: 'TRT', control: 'PBO', covariates: ['RACE', 'SEX'] });
  const fit = fitReml(new RemlEvaluator(design.design));
  const sat = prepareInference(fit, 'satterthwaite');
  const kr = prepareInference(fit, 'kenward-roger');
  const col = (name: string): number => {
    const j = design.columnNames.indexOf(name);
    expect(j).toBeGreaterThanOrEqual(0);
    return j;
  };
  const vector = (terms: Record<string, number>): Float64Array => {
    const l = new Float64Array(design.columnNames.length);
    for (const [name, w] of Object.entries(terms)) l[col(name)] += w;
    return l;
  };
  const effect = (visit: string): Record<string, number> => ({ [`TRT:${visit}`]: 1, [`PBO:${visit}`]: -1 });

  it('converges to SAS’s −2 REML log-likelihood (3386.44987722)', () => {
    expect(fit.converged).toBe(true);
    expect(design.visits).toEqual(VISITS);
    expect(fit.nObservations).toBe(537);
    expect(Math.abs(-2 * fit.logLik - 3386.44987722)).toBeLessThan(1e-4);
  });

  it('reproduces SAS’s Solution for Fixed Effects (estimate, SE, Satterthwaite df)', () => {
    // SAS reference levels: PBO, VIS1, Asian, Male. Ours: SEX reference Female, so SEX flips sign.
    const solution: [Record<string, number>, number, number, number][] = [
      [{ 'PBO:VIS1': 1, SEXMale: 1 }, 30.7774, 0.8865, 219],
      [effect('VIS1'), 3.7745, 1.0741, 146],
      [{ 'PBO:VIS2': 1, 'PBO:VIS1': -1 }, 4.8396, 0.8016, 144],
      [{ 'PBO:VIS3': 1, 'PBO:VIS1': -1 }, 10.3422, 0.8227, 156],
      [{ 'PBO:VIS4': 1, 'PBO:VIS1': -1 }, 15.0537, 1.3129, 138],
      [{ ...effect('VIS2'), 'TRT:VIS1': -1, 'PBO:VIS1': 1 }, -0.04231, 1.1292, 139],
      [{ ...effect('VIS3'), 'TRT:VIS1': -1, 'PBO:VIS1': 1 }, -0.6939, 1.1876, 158],
      [{ ...effect('VIS4'), 'TRT:VIS1': -1, 'PBO:VIS1': 1 }, 0.624, 1.851, 130],
      [{ 'RACEBlack or African American': 1 }, 1.5305, 0.6244, 169],
      [{ RACEWhite: 1 }, 5.6436, 0.6656, 157],
      [{ SEXMale: -1 }, 0.3262, 0.5319, 166],
    ];
    for (const [terms, estimate, se, df] of solution) {
      const c = estimateContrast(sat, vector(terms));
      expect(Math.abs(c.estimate - estimate)).toBeLessThan(2.5e-4);
      expect(Math.abs(c.se - se)).toBeLessThan(2.5e-4);
      expect(Math.abs(c.df - df)).toBeLessThan(0.6);
      // Internal consistency: for one-row contrasts the KR df is the Satterthwaite df.
      expect(estimateContrast(kr, vector(terms)).df).toBeCloseTo(c.df, 8);
    }
  });

  it('reproduces SAS’s Type 3 tests (F to 2 decimals, Satterthwaite denominator df ±0.5)', () => {
    const average = (arm: 'TRT' | 'PBO' | null, visit: string | null): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const a of arm ? [arm] : ['TRT', 'PBO']) {
        for (const v of visit ? [visit] : VISITS) {
          out[`${a}:${v}`] = (out[`${a}:${v}`] ?? 0) + 1 / ((arm ? 1 : 2) * (visit ? 1 : 4));
        }
      }
      return out;
    };
    const minus = (a: Record<string, number>, b: Record<string, number>): Float64Array => {
      const l = vector(a);
      const r = vector(b);
      return l.map((v, i) => v - r[i]);
    };
    const tests: [string, Float64Array[], number, number, number][] = [
      ['ARMCD', [minus(average('TRT', null), average('PBO', null))], 31.67, 1, 169],
      ['AVISIT', ['VIS2', 'VIS3', 'VIS4'].map((v) => minus(average(null, v), average(null, 'VIS1'))), 142.11, 3, 148],
      [
        'AVISIT*ARMCD',
        ['VIS2', 'VIS3', 'VIS4'].map((v) => minus({ ...effect(v) }, { ...effect('VIS1') })),
        0.26,
        3,
        148,
      ],
      ['RACE', [vector({ 'RACEBlack or African American': 1 }), vector({ RACEWhite: 1 })], 36.92, 2, 166],
      ['SEX', [vector({ SEXMale: 1 })], 0.38, 1, 166],
    ];
    for (const [label, rowsL, f, numDf, denDf] of tests) {
      const t = testContrasts(sat, rowsL);
      expect(t.numDf, label).toBe(numDf);
      expect(Math.abs(t.f - f), label).toBeLessThan(0.005 + 1e-3 * f);
      expect(Math.abs(t.denDf - denDf), label).toBeLessThan(0.6);
    }
  });

  it('Kenward–Roger F with one row equals the squared t and multi-row F is finite', () => {
    const row = vector(effect('VIS2'));
    const one = testContrasts(kr, [row]);
    const c = estimateContrast(kr, row);
    expect(one.f).toBeCloseTo(c.t * c.t, 10);
    const interaction = testContrasts(
      kr,
      ['VIS2', 'VIS3', 'VIS4'].map((v) => {
        const l = vector(effect(v));
        const base = vector(effect('VIS1'));
        return l.map((x, i) => x - base[i]);
      }),
    );
    expect(interaction.numDf).toBe(3);
    expect(interaction.denDf).toBeGreaterThan(100);
    expect(interaction.p).toBeGreaterThan(0.5);
  });
});
