/** Derived knee effusion yes/no from the clinical examination (spec §6). */

/** Stroke (bulge) test grades, in increasing order. */
export const STROKE_TEST_GRADES = ['0', 'trace', '1+', '2+', '3+'] as const;
/** A stroke test grade. */
export type StrokeTestGrade = (typeof STROKE_TEST_GRADES)[number];

/** Inputs of `deriveEffusion`; null or absent = not examined. */
export interface EffusionFindings {
  strokeTest?: StrokeTestGrade | null;
  patellarTapPositive?: boolean | null;
}

/**
 * Effusion = stroke test ≥ trace or patellar tap positive. Three-valued: true as soon as either
 * test is positive, false only when both were done and negative, null otherwise.
 */
export function deriveEffusion(findings: EffusionFindings): boolean | null {
  const stroke = findings.strokeTest == null ? null : findings.strokeTest !== '0';
  const tap = findings.patellarTapPositive ?? null;
  if (stroke === true || tap === true) return true;
  if (stroke === false && tap === false) return false;
  return null;
}
