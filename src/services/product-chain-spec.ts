/**
 * The release specification of the cell product and the acceptance limits of a prepared dose, and
 * their evaluation. The limits are the design defaults of the data dictionary §7 (ISCT minimal MSC
 * criteria; viability, endotoxin and mycoplasma limits from published MSC specifications) pending
 * STEMJOINT's own product specification file: they are data with a version, not logic, and every
 * pass/fail decision records the reason for each failure.
 */

export const SCREENING_TESTS = ['hiv_1_2', 'hbv', 'hcv', 'syphilis', 'htlv_1_2'] as const;
export type ScreeningTest = (typeof SCREENING_TESTS)[number];
export const TEST_RESULTS = ['negative', 'positive', 'pending'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];

export const RELEASE_SPECIFICATION = {
  version: 'default-1',
  lot: {
    /** Post-thaw viability of the lot's release sample, %. */
    viabilityPctMin: 70,
    /** CD73, CD90, CD105 positive, % (ISCT ≥ 95 %). */
    positiveMarkerPctMin: 95,
    /** CD45, CD34, HLA-DR positive, % (ISCT ≤ 2 %). */
    negativeMarkerPctMax: 2,
    /** Endotoxin must be below this, EU/mL. */
    endotoxinEuPerMlBelow: 0.5,
  },
  dose: {
    viabilityPctMin: 70,
    /** Target 20 × 10⁶ viable cells ± 20 %. */
    viableCellsMillionMin: 16,
    viableCellsMillionMax: 24,
    /** 10 mL for both arms. */
    volumeMlMin: 9.5,
    volumeMlMax: 10.5,
    /** Use-by time after thaw (cells) or draw-up (saline): the same for both arms. */
    useByHours: 4,
  },
} as const;

export interface LotReleaseResults {
  testedOn: string;
  viabilityPct: number;
  cd73Pct: number;
  cd90Pct: number;
  cd105Pct: number;
  cd45Pct: number;
  cd34Pct: number;
  hlaDrPct: number;
  sterility: TestResult;
  endotoxinEuPerMl: number;
  mycoplasma: TestResult;
}

export interface SpecFailure {
  test: string;
  message: string;
}

/**
 * Evaluates a lot's release results. `pending` results are not failures but block release: the
 * lot stays in quarantine until they are in.
 */
export function evaluateLotRelease(r: LotReleaseResults): { failures: SpecFailure[]; pending: string[] } {
  const s = RELEASE_SPECIFICATION.lot;
  const failures: SpecFailure[] = [];
  const pending: string[] = [];
  if (r.viabilityPct < s.viabilityPctMin) {
    failures.push({ test: 'viabilityPct', message: `viability ${r.viabilityPct} % is below ${s.viabilityPctMin} %` });
  }
  for (const [test, name] of [
    ['cd73Pct', 'CD73'],
    ['cd90Pct', 'CD90'],
    ['cd105Pct', 'CD105'],
  ] as const) {
    if (r[test] < s.positiveMarkerPctMin) {
      failures.push({ test, message: `${name} ${r[test]} % is below ${s.positiveMarkerPctMin} %` });
    }
  }
  for (const [test, name] of [
    ['cd45Pct', 'CD45'],
    ['cd34Pct', 'CD34'],
    ['hlaDrPct', 'HLA-DR'],
  ] as const) {
    if (r[test] > s.negativeMarkerPctMax) {
      failures.push({ test, message: `${name} ${r[test]} % is above ${s.negativeMarkerPctMax} %` });
    }
  }
  if (r.endotoxinEuPerMl >= s.endotoxinEuPerMlBelow) {
    failures.push({
      test: 'endotoxinEuPerMl',
      message: `endotoxin ${r.endotoxinEuPerMl} EU/mL is not below ${s.endotoxinEuPerMlBelow} EU/mL`,
    });
  }
  for (const test of ['sterility', 'mycoplasma'] as const) {
    if (r[test] === 'positive') failures.push({ test, message: `${test} is positive` });
    if (r[test] === 'pending') pending.push(test);
  }
  return { failures, pending };
}

export interface DoseMeasurements {
  viableCellsMillion: number | null;
  viabilityPct: number | null;
  volumeMl: number;
  appearance: 'conforms' | 'does_not_conform';
}

/** Evaluates a prepared dose against the acceptance limits (cell measurements only for cell doses). */
export function evaluateDose(cells: boolean, d: DoseMeasurements): SpecFailure[] {
  const s = RELEASE_SPECIFICATION.dose;
  const failures: SpecFailure[] = [];
  if (cells) {
    const v = d.viabilityPct ?? 0;
    if (v < s.viabilityPctMin) {
      failures.push({ test: 'viabilityPct', message: `viability ${v} % is below ${s.viabilityPctMin} %` });
    }
    const n = d.viableCellsMillion ?? 0;
    if (n < s.viableCellsMillionMin || n > s.viableCellsMillionMax) {
      failures.push({
        test: 'viableCellsMillion',
        message: `${n} × 10⁶ viable cells is outside ${s.viableCellsMillionMin}–${s.viableCellsMillionMax} × 10⁶`,
      });
    }
  }
  if (d.volumeMl < s.volumeMlMin || d.volumeMl > s.volumeMlMax) {
    failures.push({
      test: 'volumeMl',
      message: `volume ${d.volumeMl} mL is outside ${s.volumeMlMin}–${s.volumeMlMax} mL`,
    });
  }
  if (d.appearance !== 'conforms') failures.push({ test: 'appearance', message: 'appearance does not conform' });
  return failures;
}
