/**
 * REML fitting of a repeated-measures linear model with a chosen covariance structure.
 *
 * Optimisation is Newton–Raphson in the structure's natural (SAS) parameterisation θ, with the
 * analytic observed Hessian H_θ = Jᵀ·H_σ·J + Σ_e g_e·∂²σ_e/∂θ∂θᵀ; where −H_θ is not positive
 * definite the step falls back to Fisher scoring (expected information Jᵀ·I_σ·J). Steps are halved
 * until Σ(θ) stays inside the structure's domain, positive definite, and ℓ does not decrease.
 * Iterations start from the empirical covariance of OLS residuals (mmrm issue #380) and stop when
 * the Newton decrement gᵀ(−H)⁻¹g — a parameterisation-free measure of the remaining gain in ℓ —
 * falls below the tolerance.
 */
import { choleskyInverse, choleskyLower, choleskySolveInPlace } from '../dense-matrix.js';
import {
  covarianceStructure,
  sigmaElementCount,
  type CovarianceStructure,
  type CovarianceStructureName,
} from './covariance-structures.js';
import type { RemlEvaluator, RemlState } from './reml-evaluator.js';

/** Convergence diagnostics of one REML fit. */
export interface RemlDiagnostics {
  /** Newton/Fisher-scoring steps taken. */
  readonly iterations: number;
  /** max_h |∂ℓ/∂θ_h| at the solution (natural parameterisation). */
  readonly maxAbsGradient: number;
  /** gᵀ(−H)⁻¹g at the solution: about twice the log-likelihood still to gain. */
  readonly newtonDecrement: number;
  /** Whether −H (observed information) is positive definite at the solution. */
  readonly hessianPositiveDefinite: boolean;
  readonly message: string;
}

/** Options of `fitReml`. */
export interface RemlFitOptions {
  readonly structure?: CovarianceStructureName;
  /** Maximum Newton iterations (default 100). */
  readonly maxIterations?: number;
  /** Convergence threshold on the Newton decrement (default 1e−8). */
  readonly tolerance?: number;
  /** Starting Σ (m×m row-major); default: empirical covariance of OLS residuals. */
  readonly startSigma?: Float64Array;
}

/** A fitted REML model with the ingredients needed for Satterthwaite/Kenward–Roger inference. */
export interface RemlFit {
  readonly structure: CovarianceStructure;
  readonly converged: boolean;
  readonly diagnostics: RemlDiagnostics;
  /** Covariance parameters in the structure's natural parameterisation. */
  readonly theta: Float64Array;
  /** Σ̂, m×m row-major. */
  readonly sigma: Float64Array;
  readonly beta: Float64Array;
  /** Model-based covariance of β̂, Φ = (Σ X_iᵀΣ̂_i⁻¹X_i)⁻¹, p×p row-major. */
  readonly phi: Float64Array;
  readonly logLik: number;
  readonly nObservations: number;
  readonly nSubjects: number;
  readonly nCoefficients: number;
  /** Observed information −H_θ (q×q) and expected information (q×q). */
  readonly observedInformation: Float64Array;
  readonly expectedInformation: Float64Array;
  /** ∂σ/∂θ (k×q) at θ̂. */
  readonly jacobian: Float64Array;
  readonly secondDerivatives: Float64Array | null;
  /** Internal: the evaluator and the state at θ̂ (for Kenward–Roger). */
  readonly evaluator: RemlEvaluator;
  readonly state: RemlState;
}

/**
 * Fits the model by REML. Never throws for non-convergence: the result says whether it converged
 * (so that a fallback chain can try the next structure). Throws if the design is rank deficient.
 */
export function fitReml(evaluator: RemlEvaluator, options: RemlFitOptions = {}): RemlFit {
  const structure = covarianceStructure(options.structure ?? 'unstructured', evaluator.m);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const q = structure.nParameters;

  let theta = structure.initialValues(options.startSigma ?? evaluator.empiricalCovariance());
  let state = evaluateTheta(evaluator, structure, theta, true);
  if (!state) {
    // The structured start may be outside the domain: fall back to the identity-scaled start.
    theta = structure.initialValues(identityScaled(evaluator));
    state = evaluateTheta(evaluator, structure, theta, true);
  }
  if (!state) {
    throw new Error('The fixed-effect design is rank deficient or the starting covariance is invalid');
  }

  let iterations = 0;
  let stopReason: string;
  let newton = newtonQuantities(structure, theta, state);
  for (;;) {
    if (newton.decrement < tolerance * 1e-6 && newton.observedPd) {
      stopReason = 'Newton decrement below tolerance';
      break;
    }
    if (iterations >= maxIterations) {
      stopReason = `stopped after ${maxIterations} iterations`;
      break;
    }
    const step =
      lineSearch(evaluator, structure, theta, state.logLik, newton.direction) ??
      (newton.usedNewton ? lineSearch(evaluator, structure, theta, state.logLik, newton.scoringDirection()) : null);
    if (!step) {
      stopReason = newton.decrement < tolerance ? 'no further improvement possible' : 'line search failed';
      break;
    }
    iterations++;
    const next = evaluateTheta(evaluator, structure, step, true);
    if (!next) {
      stopReason = 'evaluation failed after step';
      break;
    }
    const improvement = next.logLik - state.logLik;
    theta = step;
    state = next;
    newton = newtonQuantities(structure, theta, state);
    if (Math.abs(improvement) < 1e-13 * Math.max(1, Math.abs(state.logLik)) && newton.decrement < tolerance) {
      stopReason = 'log-likelihood change at rounding level';
      break;
    }
  }

  const converged = newton.observedPd && newton.decrement < tolerance && Number.isFinite(state.logLik);
  const message = converged
    ? `converged: ${stopReason}`
    : `not converged: ${newton.observedPd ? stopReason : 'observed information not positive definite'}`;
  let maxAbsGradient = 0;
  for (let h = 0; h < q; h++) maxAbsGradient = Math.max(maxAbsGradient, Math.abs(newton.gradient[h]));
  return {
    structure,
    converged,
    diagnostics: {
      iterations,
      maxAbsGradient,
      newtonDecrement: newton.decrement,
      hessianPositiveDefinite: newton.observedPd,
      message,
    },
    theta,
    sigma: state.sigma,
    beta: state.beta,
    phi: state.phi,
    logLik: state.logLik,
    nObservations: evaluator.nObservations,
    nSubjects: evaluator.nSubjects,
    nCoefficients: evaluator.p,
    observedInformation: newton.information,
    expectedInformation: newton.expected,
    jacobian: newton.jacobian,
    secondDerivatives: structure.secondDerivatives(theta),
    evaluator,
    state,
  };
}

/** Σ = mean residual variance × I, a always-valid start for any structure. */
function identityScaled(evaluator: RemlEvaluator): Float64Array {
  const m = evaluator.m;
  const emp = evaluator.empiricalCovariance();
  let mean = 0;
  for (let a = 0; a < m; a++) mean += emp[a * m + a] / m;
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) out[a * m + a] = mean > 0 ? mean : 1;
  return out;
}

function evaluateTheta(
  evaluator: RemlEvaluator,
  structure: CovarianceStructure,
  theta: Float64Array,
  withDerivatives: boolean,
): RemlState | null {
  if (!theta.every(Number.isFinite) || !structure.isInDomain(theta)) return null;
  const sigma = structure.sigma(theta);
  if (!choleskyLower(sigma, structure.nVisits, 1e-12)) return null;
  const state = evaluator.evaluate(sigma, withDerivatives);
  return state && Number.isFinite(state.logLik) ? state : null;
}

interface NewtonQuantities {
  gradient: Float64Array;
  /** −H_θ */
  information: Float64Array;
  expected: Float64Array;
  jacobian: Float64Array;
  observedPd: boolean;
  usedNewton: boolean;
  direction: Float64Array;
  decrement: number;
  scoringDirection: () => Float64Array;
}

/** θ-space gradient, observed and expected information, and the Newton (or scoring) direction. */
function newtonQuantities(structure: CovarianceStructure, theta: Float64Array, state: RemlState): NewtonQuantities {
  const d = state.derivatives;
  if (!d) throw new Error('derivatives missing');
  const q = structure.nParameters;
  const k = sigmaElementCount(structure.nVisits);
  const j = structure.jacobian(theta);
  const second = structure.secondDerivatives(theta);
  // g_θ = Jᵀ g_σ ; −H_θ = −(Jᵀ H_σ J + Σ_e g_e ∂²σ_e) ; I_θ = Jᵀ I_σ J
  const gradient = new Float64Array(q);
  for (let e = 0; e < k; e++) for (let h = 0; h < q; h++) gradient[h] += j[e * q + h] * d.gradient[e];
  const information = congruence(j, d.hessian, k, q, -1);
  const expected = congruence(j, d.expectedInformation, k, q, 1);
  if (second) {
    for (let e = 0; e < k; e++) {
      const ge = d.gradient[e];
      if (ge === 0) continue;
      for (let t = 0; t < q * q; t++) information[t] -= ge * second[e * q * q + t];
    }
  }
  const cholObserved = choleskyLower(information, q, 1e-14);
  const scoring = (): Float64Array => solveRidged(expected, q, gradient);
  const direction = cholObserved ? choleskySolveInPlace(cholObserved, q, Float64Array.from(gradient)) : scoring();
  let decrement = 0;
  for (let h = 0; h < q; h++) decrement += gradient[h] * direction[h];
  return {
    gradient,
    information,
    expected,
    jacobian: j,
    observedPd: cholObserved !== null,
    usedNewton: cholObserved !== null,
    direction,
    decrement: Math.abs(decrement),
    scoringDirection: scoring,
  };
}

/** Jᵀ·M·J (times `sign`) for a k×k M and k×q J. */
function congruence(j: Float64Array, mat: Float64Array, k: number, q: number, sign: number): Float64Array {
  const mj = new Float64Array(k * q);
  for (let e = 0; e < k; e++) {
    for (let f = 0; f < k; f++) {
      const v = mat[e * k + f];
      if (v === 0) continue;
      for (let h = 0; h < q; h++) mj[e * q + h] += v * j[f * q + h];
    }
  }
  const out = new Float64Array(q * q);
  for (let e = 0; e < k; e++) {
    for (let h = 0; h < q; h++) {
      const jeh = j[e * q + h];
      if (jeh === 0) continue;
      for (let t = 0; t < q; t++) out[h * q + t] += sign * jeh * mj[e * q + t];
    }
  }
  return out;
}

/** Solves M·x = g, adding a growing ridge to M's diagonal until it is positive definite. */
function solveRidged(mat: Float64Array, q: number, g: Float64Array): Float64Array {
  let maxDiag = 0;
  for (let h = 0; h < q; h++) maxDiag = Math.max(maxDiag, Math.abs(mat[h * q + h]));
  for (let ridge = 0; ridge < 1e6 * (maxDiag || 1); ridge = ridge === 0 ? 1e-10 * (maxDiag || 1) : ridge * 10) {
    const m = Float64Array.from(mat);
    for (let h = 0; h < q; h++) m[h * q + h] += ridge;
    const l = choleskyLower(m, q, 1e-14);
    if (l) return choleskySolveInPlace(l, q, Float64Array.from(g));
  }
  // Steepest ascent as a last resort.
  return Float64Array.from(g, (v) => v / (maxDiag || 1));
}

/** Halves the step until θ + t·d is valid and does not decrease ℓ; `null` if none is found. */
function lineSearch(
  evaluator: RemlEvaluator,
  structure: CovarianceStructure,
  theta: Float64Array,
  logLik: number,
  direction: Float64Array,
): Float64Array | null {
  const slack = 1e-12 * Math.max(1, Math.abs(logLik));
  let t = 1;
  for (let halving = 0; halving < 50; halving++, t /= 2) {
    const candidate = Float64Array.from(theta, (v, h) => v + t * direction[h]);
    const state = evaluateTheta(evaluator, structure, candidate, false);
    if (state && state.logLik >= logLik - slack) return candidate;
  }
  return null;
}

/** W = (−H_θ)⁻¹ (observed) or I_θ⁻¹ (expected): the asymptotic covariance of θ̂. */
export function thetaCovariance(fit: RemlFit, information: 'observed' | 'expected' = 'observed'): Float64Array {
  const q = fit.structure.nParameters;
  const l = choleskyLower(information === 'observed' ? fit.observedInformation : fit.expectedInformation, q, 1e-14);
  if (!l) throw new Error(`The ${information} information matrix of the covariance parameters is singular`);
  return choleskyInverse(l, q);
}
