/**
 * Brent's root finder as implemented in R's `uniroot` (src/library/stats/src/zeroin.c,
 * `R_zeroin2`), ported step for step. `fisherExact` uses it with R's default tolerance
 * (ε^¼ ≈ 1.22e−4) so that its conditional MLE and confidence limits reproduce `fisher.test` to
 * rounding, not merely to the tolerance.
 */

const EPSILON = 2.220446049250313e-16;

/** R's default `uniroot` tolerance, .Machine$double.eps^0.25. */
export const R_UNIROOT_TOLERANCE = EPSILON ** 0.25;

/** Result of `findRoot`. */
export interface RootResult {
  readonly root: number;
  readonly iterations: number;
  /** Final bracket width |c − b| (0 when an endpoint is an exact root). */
  readonly estimatedPrecision: number;
  readonly converged: boolean;
}

/**
 * Finds a root of f in [lower, upper], where f(lower) and f(upper) have opposite signs (or one is
 * zero), exactly as R's `uniroot(f, c(lower, upper), tol = tol, maxiter = maxIterations)`.
 */
export function findRoot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  tol = R_UNIROOT_TOLERANCE,
  maxIterations = 1000,
): RootResult {
  let a = lower;
  let b = upper;
  let fa = f(a);
  let fb = f(b);
  if (fa * fb > 0) throw new Error('findRoot: f(lower) and f(upper) have the same sign');
  let c = a;
  let fc = fa;
  if (fa === 0) return { root: a, iterations: 0, estimatedPrecision: 0, converged: true };
  if (fb === 0) return { root: b, iterations: 0, estimatedPrecision: 0, converged: true };
  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // Swap so that b is the best approximation.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) {
      return { root: b, iterations: iteration, estimatedPrecision: Math.abs(c - b), converged: true };
    }
    // Try interpolation if the previous step was large enough and in the right direction.
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        // Two distinct points: linear interpolation (secant).
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        // Inverse quadratic interpolation.
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return { root: b, iterations: maxIterations, estimatedPrecision: -1, converged: false };
}
