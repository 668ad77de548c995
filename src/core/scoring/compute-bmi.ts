/** Body-mass index, a derived item used by eligibility (IC6, EC7) and the demographics form. */

/**
 * BMI in kg/m², unrounded: `weightKg / (heightCm / 100)²`. Null when either input is missing or
 * not a positive finite number (a derived value is never invented from bad inputs).
 */
export function computeBmi(heightCm: number | null | undefined, weightKg: number | null | undefined): number | null {
  if (!isPositiveFinite(heightCm) || !isPositiveFinite(weightKg)) return null;
  // kg × 10 000 / cm² instead of kg / (cm / 100)²: one rounding step fewer, so that e.g. 140 kg at
  // 200 cm comes out as exactly 35.
  return (weightKg * 10_000) / (heightCm * heightCm);
}

/** Relative tolerance for comparing a derived BMI with a cut-off. */
const BMI_TOLERANCE = 1e-9;

/**
 * Compares a BMI with a cut-off, treating values within binary floating-point noise as equal:
 * a BMI that is exactly the cut-off in decimal arithmetic (170 cm, 101.15 kg → 35.0) may come out
 * as 35.000000000000007 in doubles, which must not decide "above 35". Returns −1, 0 or 1.
 */
export function compareBmi(bmi: number, cutOff: number): -1 | 0 | 1 {
  if (Math.abs(bmi - cutOff) <= BMI_TOLERANCE * Math.max(1, Math.abs(cutOff))) return 0;
  return bmi < cutOff ? -1 : 1;
}

function isPositiveFinite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
