/**
 * Logistic regression by iteratively reweighted least squares (Fisher scoring, as R's `glm`):
 *   η = Xβ, μ = 1/(1 + e^−η), W = diag(μ(1 − μ)), z = η + (y − μ)/(μ(1 − μ)),
 *   β ← (XᵀWX)⁻¹XᵀWz, until the deviance −2Σ[y log μ + (1−y) log(1−μ)] stops changing.
 * Cov(β̂) = (XᵀWX)⁻¹ at β̂; Wald z tests and CIs; odds ratios are exp(β).
 */
import { choleskyInverse, choleskyLower, choleskySolveInPlace } from './dense-matrix.js';
import { normalQuantile, normalUpperTail } from './distributions.js';
import { buildSubjectDesign, type SubjectModelInput } from './subject-design.js';

/** Result of `fitLogistic`. */
export interface LogisticFit {
  readonly n: number;
  readonly p: number;
  readonly coefficients: Float64Array;
  readonly se: Float64Array;
  readonly covariance: Float64Array;
  readonly deviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Some fitted probability is numerically 0 or 1 (complete or quasi-complete separation). */
  readonly separation: boolean;
}

/** Adjusted odds ratio of treatment vs control. */
export interface LogisticTreatmentEffect {
  readonly n: number;
  readonly logOddsRatio: number;
  readonly se: number;
  readonly oddsRatio: number;
  readonly lower: number;
  readonly upper: number;
  readonly z: number;
  readonly p: number;
  readonly converged: boolean;
  readonly separation: boolean;
}

/** Fits a logistic regression of 0/1 responses y on the row-major n×p design X. */
export function fitLogistic(x: Float64Array, y: Float64Array, n: number, p: number, maxIterations = 100): LogisticFit {
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`fitLogistic: response ${i + 1} is ${y[i]}, not 0 or 1`);
  }
  // glm's start: μ = (y + ½)/2, η = logit μ.
  const eta = Float64Array.from(y, (v) => Math.log((v + 0.5) / (1.5 - v)));
  let beta: Float64Array = new Float64Array(p);
  let deviance = Number.POSITIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Weighted least squares step.
    const information = new Float64Array(p * p);
    const score = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const mu = 1 / (1 + Math.exp(-eta[i]));
      const w = Math.max(mu * (1 - mu), 1e-300);
      const z = eta[i] + (y[i] - mu) / w;
      for (let j = 0; j < p; j++) {
        const xij = x[i * p + j];
        if (xij === 0) continue;
        score[j] += xij * w * z;
        for (let k = 0; k <= j; k++) information[j * p + k] += xij * w * x[i * p + k];
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) information[k * p + j] = information[j * p + k];
    const chol = choleskyLower(information, p, 1e-14);
    if (!chol) throw new RangeError('fitLogistic: the design matrix is rank deficient');
    beta = choleskySolveInPlace(chol, p, score);
    let newDeviance = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < p; j++) e += x[i * p + j] * beta[j];
      eta[i] = e;
      // −2 log-likelihood, written to stay finite for extreme η.
      newDeviance += 2 * (y[i] === 1 ? softplus(-e) : softplus(e));
    }
    const change = Math.abs(newDeviance - deviance) / (Math.abs(newDeviance) + 0.1);
    deviance = newDeviance;
    if (change < 1e-12) {
      converged = true;
      iterations++;
      break;
    }
  }
  // Information at β̂.
  const information = new Float64Array(p * p);
  let separation = false;
  for (let i = 0; i < n; i++) {
    const mu = 1 / (1 + Math.exp(-eta[i]));
    if (mu < 1e-10 || mu > 1 - 1e-10) separation = true;
    const w = mu * (1 - mu);
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) information[j * p + k] += x[i * p + j] * w * x[i * p + k];
  }
  const chol = choleskyLower(information, p, 1e-16);
  const covariance = chol ? choleskyInverse(chol, p) : new Float64Array(p * p).fill(Number.NaN);
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(covariance[j * p + j]));
  return { n, p, coefficients: beta, se, covariance, deviance, iterations, converged, separation };
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Logistic regression of a 0/1 response on arm (+ covariates): treatment-vs-control odds ratio. */
export function logisticTreatmentEffect(input: SubjectModelInput, confidenceLevel = 0.95): LogisticTreatmentEffect {
  const design = buildSubjectDesign(input);
  const fit = fitLogistic(design.x, design.y, design.n, design.p);
  const j = design.treatmentColumn;
  const b = fit.coefficients[j];
  const se = fit.se[j];
  const zCrit = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const z = b / se;
  return {
    n: design.n,
    logOddsRatio: b,
    se,
    oddsRatio: Math.exp(b),
    lower: Math.exp(b - zCrit * se),
    upper: Math.exp(b + zCrit * se),
    z,
    p: 2 * normalUpperTail(Math.abs(z)),
    converged: fit.converged,
    separation: fit.separation,
  };
}
