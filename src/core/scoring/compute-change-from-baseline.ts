/** Change from baseline, the analysis variable of the continuous outcomes (spec §8). */

/** `value − baseline`; null when either is missing. Unrounded. */
export function computeChangeFromBaseline(
  value: number | null | undefined,
  baseline: number | null | undefined,
): number | null {
  if (typeof value !== 'number' || typeof baseline !== 'number') return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline)) return null;
  return value - baseline;
}
