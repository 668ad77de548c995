/**
 * Pearson's χ² test of independence for a 2×2 table (R `chisq.test` / `prop.test`):
 * X² = Σ (|O − E| − c)²/E over the four cells, E = row total × column total / n, with Yates'
 * continuity correction c = min(½, |O − E|) only when asked (R's default for 2×2 tables; the SAP's
 * descriptive test uses c = 0); p = P(χ²₁ > X²) computed directly as an upper tail.
 */
import { chiSquareUpperTail } from './distributions.js';
import type { TwoByTwoTable } from './fisher-exact.js';

/** Result of a χ² test. */
export interface ChiSquareTest {
  readonly statistic: number;
  readonly df: number;
  readonly p: number;
}

/** Pearson χ² test for a 2×2 table, optionally with Yates' continuity correction (as R). */
export function chiSquareTest2x2(table: TwoByTwoTable, continuityCorrection = false): ChiSquareTest {
  const { a, b, c, d } = table;
  const n = a + b + c + d;
  const rows = [a + b, c + d];
  const cols = [a + c, b + d];
  if (rows.includes(0) || cols.includes(0)) return { statistic: Number.NaN, df: 1, p: Number.NaN };
  const observed = [
    [a, b],
    [c, d],
  ];
  // R: YATES <- min(0.5, abs(x - E)); the deviation |O − E| is the same in all four cells.
  const deviation = Math.abs(a - (rows[0] * cols[0]) / n);
  const yates = continuityCorrection ? Math.min(0.5, deviation) : 0;
  let statistic = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const expected = (rows[i] * cols[j]) / n;
      statistic += (Math.abs(observed[i][j] - expected) - yates) ** 2 / expected;
    }
  }
  return { statistic, df: 1, p: chiSquareUpperTail(statistic, 1) };
}
