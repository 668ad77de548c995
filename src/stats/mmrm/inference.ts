/**
 * Small-sample inference for linear contrasts of an MMRM's fixed effects.
 *
 * Satterthwaite (one row l): ν = 2(lᵀΦl)² / (gᵀ·W·g), g_h = ∂(lᵀΦl)/∂θ_h = (Φl)ᵀ K_h (Φl), where
 * K_h = XᵀV⁻¹(∂V/∂θ_h)V⁻¹X and W is the asymptotic covariance of θ̂ (inverse observed information,
 * as SAS and the numerical reference mmrm_numref.R). ν does not depend on the parameterisation.
 *
 * Kenward–Roger: Φ_A = Φ + 2Φ[Σ W_hj (Q_hj − P_hΦP_j − ¼R_hj)]Φ (computed in `RemlEvaluator`); for a
 * single row the KR df equals the Satterthwaite df computed from the unadjusted Φ, and only the SE
 * changes. For several rows the F statistic is scaled by λ and referred to F(q, m) with Kenward &
 * Roger's (1997) moment-matching m.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { choleskyInverse, choleskyLower } from '../dense-matrix.js';
import { fUpperTail, tQuantile, tTwoSidedP } from '../distributions.js';
import { sigmaElementCount } from './covariance-structures.js';
import { thetaCovariance, type RemlFit } from './fit-reml.js';

/** Denominator degrees-of-freedom methods. */
export const DF_METHODS = ['satterthwaite', 'kenward-roger'] as const;
/** Name of a denominator degrees-of-freedom method. */
export type DfMethod = (typeof DF_METHODS)[number];

/** Which information matrix W inverts: observed (SAS, default) or expected (pbkrtest). */
export type InformationKind = 'observed' | 'expected';

/** Precomputed inference context for one fit and df method. */
export interface MmrmInference {
  readonly fit: RemlFit;
  readonly method: DfMethod;
  /** W = asymptotic covariance of θ̂ (q×q). */
  readonly w: Float64Array;
  /** K_h in θ-space: Σ_e J_eh·K_e (q matrices p×p). */
  readonly kTheta: readonly Float64Array[];
  /** Covariance of β̂ used for SEs: Φ (Satterthwaite) or Φ_A (Kenward–Roger). */
  readonly covariance: Float64Array;
}

/** A one-row contrast with its t-based inference. */
export interface ContrastEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly t: number;
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
}

/** A multi-row F test. */
export interface FTest {
  readonly numDf: number;
  readonly denDf: number;
  readonly f: number;
  readonly p: number;
}

/** Options of `prepareInference`. */
export interface InferenceOptions {
  /** Information matrix inverted for W (default 'observed'). */
  readonly information?: InformationKind;
  /**
   * Drop Kenward–Roger's second-derivative term R (SAS `ddfm=kr(linear)`, mmrm
   * "Kenward-Roger-Linear"). Irrelevant for linear structures (unstructured, CS).
   */
  readonly krLinear?: boolean;
}

/** Prepares W, the θ-space K matrices and (for Kenward–Roger) the adjusted covariance. */
export function prepareInference(fit: RemlFit, method: DfMethod, options: InferenceOptions = {}): MmrmInference {
  const information = options.information ?? 'observed';
  const q = fit.structure.nParameters;
  const k = sigmaElementCount(fit.structure.nVisits);
  const p = fit.nCoefficients;
  const derivatives = fit.state.derivatives;
  if (!derivatives) throw new Error('The fit has no derivative information');
  // A fit that did not converge may have a singular information matrix: its df (and KR
  // adjustment) are then undefined and reported as NaN rather than thrown.
  let w: Float64Array;
  let singular = false;
  try {
    w = thetaCovariance(fit, information);
  } catch {
    w = new Float64Array(q * q).fill(Number.NaN);
    singular = true;
  }
  const j = fit.jacobian;
  const kTheta = Array.from({ length: q }, (_, h) => {
    const out = new Float64Array(p * p);
    for (let e = 0; e < k; e++) {
      const jeh = j[e * q + h];
      if (jeh === 0) continue;
      const ke = derivatives.k[e];
      for (let t = 0; t < p * p; t++) out[t] += jeh * ke[t];
    }
    return out;
  });
  let covariance = fit.phi;
  if (method === 'kenward-roger' && !singular) {
    // W̃ = J·W·Jᵀ in σ-space; c_e = Σ_hj W_hj ∂²σ_e/∂θ_h∂θ_j for the ¼R term.
    const wSigma = new Float64Array(k * k);
    for (let e = 0; e < k; e++) {
      for (let f = 0; f < k; f++) {
        let s = 0;
        for (let h = 0; h < q; h++) {
          const jeh = j[e * q + h];
          if (jeh === 0) continue;
          for (let t = 0; t < q; t++) s += jeh * w[h * q + t] * j[f * q + t];
        }
        wSigma[e * k + f] = s;
      }
    }
    let secondOrder: Float64Array | null = null;
    if (fit.secondDerivatives && !options.krLinear) {
      secondOrder = new Float64Array(k);
      for (let e = 0; e < k; e++) {
        let s = 0;
        for (let t = 0; t < q * q; t++) s += w[t] * fit.secondDerivatives[e * q * q + t];
        secondOrder[e] = s;
      }
    }
    covariance = fit.evaluator.kenwardRogerCovariance(fit.state, wSigma, secondOrder);
  }
  return { fit, method, w, kTheta, covariance };
}

/** Satterthwaite df of lᵀβ̂ using the unadjusted Φ. */
export function satterthwaiteDf(inference: MmrmInference, l: ArrayLike<number>): number {
  const { fit, w, kTheta } = inference;
  const p = fit.nCoefficients;
  const q = kTheta.length;
  const phiL = matVec(fit.phi, l, p);
  let variance = 0;
  for (let i = 0; i < p; i++) variance += l[i] * phiL[i];
  const g = kTheta.map((kh) => quadratic(phiL, kh, p));
  let gwg = 0;
  for (let h = 0; h < q; h++) for (let t = 0; t < q; t++) gwg += g[h] * w[h * q + t] * g[t];
  return (2 * variance * variance) / gwg;
}

/** Estimate, SE, df, t, two-sided p and CI of lᵀβ. */
export function estimateContrast(
  inference: MmrmInference,
  l: ArrayLike<number>,
  confidenceLevel = 0.95,
): ContrastEstimate {
  const { fit, covariance } = inference;
  const p = fit.nCoefficients;
  let estimate = 0;
  for (let i = 0; i < p; i++) estimate += l[i] * fit.beta[i];
  const se = Math.sqrt(quadratic(l, covariance, p));
  const df = satterthwaiteDf(inference, l);
  const t = estimate / se;
  const half = tQuantile(1 - (1 - confidenceLevel) / 2, df) * se;
  return { estimate, se, df, t, p: tTwoSidedP(t, df), lower: estimate - half, upper: estimate + half };
}

/**
 * F test of H0: L·β = 0 (rows of L linearly independent). Satterthwaite uses the spectral
 * decomposition of LΦLᵀ (Fai & Cornelius, as SAS and mmrm); Kenward–Roger uses the scaled F.
 */
export function testContrasts(inference: MmrmInference, rows: readonly ArrayLike<number>[]): FTest {
  const q = rows.length;
  if (q === 1) {
    const c = estimateContrast(inference, rows[0]);
    return { numDf: 1, denDf: c.df, f: c.t * c.t, p: c.p };
  }
  return inference.method === 'kenward-roger' ? kenwardRogerF(inference, rows) : satterthwaiteF(inference, rows);
}

function satterthwaiteF(inference: MmrmInference, rows: readonly ArrayLike<number>[]): FTest {
  const { fit } = inference;
  const p = fit.nCoefficients;
  const q = rows.length;
  const lPhiL = new Matrix(q, q);
  const phiRows = rows.map((l) => matVec(fit.phi, l, p));
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) lPhiL.set(a, b, dot(rows[a], phiRows[b], p));
  const eig = new EigenvalueDecomposition(lPhiL, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const largest = Math.max(...values);
  if (values.some((v) => !(v > 1e-10 * largest))) throw new Error('The contrast rows are linearly dependent');
  let fSum = 0;
  const dfs: number[] = [];
  for (let i = 0; i < q; i++) {
    const l = new Float64Array(p);
    for (let a = 0; a < q; a++) {
      const v = vectors.get(a, i);
      for (let j = 0; j < p; j++) l[j] += v * rows[a][j];
    }
    const est = dot(l, fit.beta, p);
    fSum += (est * est) / values[i];
    dfs.push(satterthwaiteDf(inference, l));
  }
  const f = fSum / q;
  const denDf = combineDf(dfs);
  return { numDf: q, denDf, f, p: fUpperTail(f, q, denDf) };
}

/** Denominator df from the component t dfs: 2E/(E − q), E = Σ ν_i/(ν_i − 2) (SAS, mmrm). */
function combineDf(dfs: readonly number[]): number {
  const q = dfs.length;
  const spread = Math.max(...dfs) - Math.min(...dfs);
  if (spread < 1.5e-8) return dfs.reduce((s, v) => s + v, 0) / q;
  if (dfs.some((v) => v <= 2)) return 2;
  const e = dfs.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * e) / (e - q);
}

/**
 * Kenward & Roger (1997): Θ = Lᵀ(LΦLᵀ)⁻¹L, A1 = Σ W_hj tr(ΘΦP_hΦ)·tr(ΘΦP_jΦ),
 * A2 = Σ W_hj tr(ΘΦP_hΦΘΦP_jΦ); F* = λ·(Lβ)ᵀ(LΦ_ALᵀ)⁻¹(Lβ)/q ~ F(q, m).
 */
function kenwardRogerF(inference: MmrmInference, rows: readonly ArrayLike<number>[]): FTest {
  const { fit, w, kTheta, covariance } = inference;
  const p = fit.nCoefficients;
  const q = rows.length;
  const nTheta = kTheta.length;
  const theta = thetaMatrix(fit.phi, rows, p);
  // ΘΦP_hΦ with P_h = −K_h (the sign cancels in A1 and A2).
  const products = kTheta.map((kh) => multiply(multiply(multiply(theta, fit.phi, p), kh, p), fit.phi, p));
  const traces = products.map((m) => trace(m, p));
  let a1 = 0;
  let a2 = 0;
  for (let h = 0; h < nTheta; h++) {
    for (let j = 0; j < nTheta; j++) {
      const whj = w[h * nTheta + j];
      a1 += whj * traces[h] * traces[j];
      a2 += whj * traceOfProduct(products[h], products[j], p);
    }
  }
  const b = (a1 + 6 * a2) / (2 * q);
  const g = ((q + 1) * a1 - (q + 4) * a2) / ((q + 2) * a2);
  const denom = 3 * q + 2 * (1 - g);
  const c1 = g / denom;
  const c2 = (q - g) / denom;
  const c3 = (q + 2 - g) / denom;
  const eStar = 1 / (1 - a2 / q);
  const vStar = (2 / q) * ((1 + c1 * b) / ((1 - c2 * b) ** 2 * (1 - c3 * b)));
  const rho = vStar / (2 * eStar * eStar);
  const m = 4 + (q + 2) / (q * rho - 1);
  const lambda = m / (eStar * (m - 2));
  const adjusted = thetaMatrix(covariance, rows, p);
  const f = (lambda * quadratic(fit.beta, adjusted, p)) / q;
  return { numDf: q, denDf: m, f, p: fUpperTail(f, q, m) };
}

/** Lᵀ(L·C·Lᵀ)⁻¹L for the covariance C. */
function thetaMatrix(c: Float64Array, rows: readonly ArrayLike<number>[], p: number): Float64Array {
  const q = rows.length;
  const cRows = rows.map((l) => matVec(c, l, p));
  const lcl = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) lcl[a * q + b] = dot(rows[a], cRows[b], p);
  const chol = choleskyLower(lcl, q);
  if (!chol) throw new Error('The contrast rows are linearly dependent');
  const inv = choleskyInverse(chol, q);
  const out = new Float64Array(p * p);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      const v = inv[a * q + b];
      for (let i = 0; i < p; i++) {
        const lai = rows[a][i];
        if (lai === 0) continue;
        for (let j = 0; j < p; j++) out[i * p + j] += lai * v * rows[b][j];
      }
    }
  }
  return out;
}

function matVec(a: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function quadratic(x: ArrayLike<number>, a: Float64Array, n: number): number {
  return dot(x, matVec(a, x, n), n);
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < n; t++) {
      const ait = a[i * n + t];
      if (ait === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += ait * b[t * n + j];
    }
  }
  return out;
}

function trace(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * n + i];
  return s;
}

/** tr(A·B) = Σ_ij A_ij B_ji. */
function traceOfProduct(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += a[i * n + j] * b[j * n + i];
  return s;
}
