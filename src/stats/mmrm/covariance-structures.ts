/**
 * Within-subject covariance structures for the MMRM, each in the parameterisation SAS PROC MIXED
 * uses (TYPE=UN, TOEPH, ARH(1), CSH, CS). Kenward–Roger's second-order term depends on the
 * parameterisation, so matching SAS `ddfm=kr` requires the same one:
 *  - unstructured: θ = the distinct elements of Σ (linear, so ∂²Σ/∂θ² = 0 and KR = KR-linear);
 *  - heterogeneous families: θ = (σ²_1…σ²_m, correlation parameters), Σ_ab = σ_a·σ_b·c_ab(ρ);
 *  - compound symmetry: θ = (CS covariance τ, residual σ²), Σ = σ²·I + τ·J (linear, as lme4/pbkrtest).
 *
 * Σ's distinct elements are indexed by e(a, b) = a(a+1)/2 + b for a ≥ b ("σ-space"); every
 * structure supplies Σ(θ), the Jacobian ∂σ_e/∂θ_h and, when nonlinear, the second derivatives.
 */
import { choleskyLower } from '../dense-matrix.js';

/** Covariance structures, in the order of the pre-specified fallback chain. */
export const COVARIANCE_STRUCTURES = [
  'unstructured',
  'toeplitz-heterogeneous',
  'ar1-heterogeneous',
  'cs-heterogeneous',
  'compound-symmetry',
] as const;
/** Name of a covariance structure. */
export type CovarianceStructureName = (typeof COVARIANCE_STRUCTURES)[number];

/** The fallback chain used when unstructured covariance fails to converge (SAP pre-specification). */
export const DEFAULT_FALLBACK_CHAIN: readonly CovarianceStructureName[] = [
  'toeplitz-heterogeneous',
  'ar1-heterogeneous',
  'cs-heterogeneous',
];

/** A covariance structure over m visits: Σ(θ) and its derivatives in σ-space. */
export interface CovarianceStructure {
  readonly name: CovarianceStructureName;
  readonly nVisits: number;
  readonly nParameters: number;
  /** SAS-style names: UN(1,1), Var(1), TOEPH(1), ARH(1), CSH, CS, Residual. */
  readonly parameterNames: readonly string[];
  /** True when Σ is linear in θ (second derivatives vanish). */
  readonly linear: boolean;
  /** Σ(θ) as a row-major m×m matrix. */
  sigma(theta: Float64Array): Float64Array;
  /** ∂σ_e/∂θ_h as a row-major (m(m+1)/2)×q matrix. */
  jacobian(theta: Float64Array): Float64Array;
  /** ∂²σ_e/∂θ_h∂θ_j as (m(m+1)/2)×q×q, or `null` when the structure is linear. */
  secondDerivatives(theta: Float64Array): Float64Array | null;
  /** Box constraints beyond positive definiteness (variances > 0, correlations in range). */
  isInDomain(theta: Float64Array): boolean;
  /** Starting values derived from an empirical (positive-definite) covariance matrix. */
  initialValues(empirical: Float64Array): Float64Array;
}

/** Index of Σ_ab (a ≥ b) among the distinct elements. */
export function sigmaIndex(a: number, b: number): number {
  return a >= b ? (a * (a + 1)) / 2 + b : (b * (b + 1)) / 2 + a;
}

/** Number of distinct elements of a symmetric m×m matrix. */
export function sigmaElementCount(m: number): number {
  return (m * (m + 1)) / 2;
}

/** Builds the named covariance structure over `m` visits. */
export function covarianceStructure(name: CovarianceStructureName, m: number): CovarianceStructure {
  switch (name) {
    case 'unstructured':
      return unstructured(m);
    case 'compound-symmetry':
      return compoundSymmetry(m);
    case 'toeplitz-heterogeneous':
      return heterogeneous(name, m, toeplitzCorrelation(m));
    case 'ar1-heterogeneous':
      return heterogeneous(name, m, ar1Correlation());
    case 'cs-heterogeneous':
      return heterogeneous(name, m, csCorrelation(m));
  }
}

function unstructured(m: number): CovarianceStructure {
  const k = sigmaElementCount(m);
  const names: string[] = [];
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) names.push(`UN(${a + 1},${b + 1})`);
  return {
    name: 'unstructured',
    nVisits: m,
    nParameters: k,
    parameterNames: names,
    linear: true,
    sigma(theta) {
      const s = new Float64Array(m * m);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          const v = theta[sigmaIndex(a, b)];
          s[a * m + b] = v;
          s[b * m + a] = v;
        }
      }
      return s;
    },
    jacobian() {
      const j = new Float64Array(k * k);
      for (let e = 0; e < k; e++) j[e * k + e] = 1;
      return j;
    },
    secondDerivatives: () => null,
    isInDomain(theta) {
      for (let a = 0; a < m; a++) if (!(theta[sigmaIndex(a, a)] > 0)) return false;
      return true;
    },
    initialValues(empirical) {
      const theta = new Float64Array(k);
      for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) theta[sigmaIndex(a, b)] = empirical[a * m + b];
      return theta;
    },
  };
}

function compoundSymmetry(m: number): CovarianceStructure {
  const k = sigmaElementCount(m);
  return {
    name: 'compound-symmetry',
    nVisits: m,
    nParameters: 2,
    parameterNames: ['CS', 'Residual'],
    linear: true,
    // Σ = σ²·I + τ·J with θ = (τ, σ²).
    sigma(theta) {
      const s = new Float64Array(m * m).fill(theta[0]);
      for (let a = 0; a < m; a++) s[a * m + a] += theta[1];
      return s;
    },
    jacobian() {
      const j = new Float64Array(k * 2);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          const e = sigmaIndex(a, b);
          j[e * 2] = 1;
          if (a === b) j[e * 2 + 1] = 1;
        }
      }
      return j;
    },
    secondDerivatives: () => null,
    isInDomain: (theta) => theta[1] > 0,
    initialValues(empirical) {
      let diag = 0;
      let off = 0;
      for (let a = 0; a < m; a++) {
        diag += empirical[a * m + a];
        for (let b = 0; b < a; b++) off += empirical[a * m + b];
      }
      diag /= m;
      const tau = m > 1 ? off / ((m * (m - 1)) / 2) : 0;
      const residual = diag - tau > 0.05 * diag ? diag - tau : 0.5 * diag;
      return Float64Array.of(diag - residual, residual);
    },
  };
}

/** Correlation model c_ab(ρ) for a ≠ b of a heterogeneous-variance structure. */
interface CorrelationModel {
  readonly count: number;
  readonly names: readonly string[];
  value(a: number, b: number, rho: Float64Array): number;
  /** ∂c_ab/∂ρ_j. */
  derivative(a: number, b: number, rho: Float64Array, j: number): number;
  /** ∂²c_ab/∂ρ_j∂ρ_l. */
  secondDerivative(a: number, b: number, rho: Float64Array, j: number, l: number): number;
  inDomain(rho: Float64Array): boolean;
  initial(correlation: (a: number, b: number) => number, m: number): Float64Array;
}

/** Mean of the empirical correlations at each lag 1…m−1. */
function meanLagCorrelations(correlation: (a: number, b: number) => number, m: number): Float64Array {
  const out = new Float64Array(Math.max(0, m - 1));
  for (let d = 1; d < m; d++) {
    let s = 0;
    for (let a = d; a < m; a++) s += correlation(a, a - d);
    out[d - 1] = s / (m - d);
  }
  return out;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function toeplitzCorrelation(m: number): CorrelationModel {
  const names = Array.from({ length: Math.max(0, m - 1) }, (_, d) => `TOEPH(${d + 1})`);
  const lag = (a: number, b: number): number => Math.abs(a - b);
  return {
    count: m - 1,
    names,
    // c_ab = ρ_|a−b|
    value: (a, b, rho) => rho[lag(a, b) - 1],
    derivative: (a, b, _rho, j) => (lag(a, b) - 1 === j ? 1 : 0),
    secondDerivative: () => 0,
    inDomain: (rho) => rho.every((r) => Math.abs(r) < 1),
    initial(correlation) {
      const rho = meanLagCorrelations(correlation, m).map((r) => clamp(r, -0.9, 0.9));
      // Shrink towards independence until the implied correlation matrix is positive definite.
      for (let attempt = 0; attempt < 60; attempt++) {
        const r = new Float64Array(m * m);
        for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) r[a * m + b] = a === b ? 1 : rho[lag(a, b) - 1];
        if (choleskyLower(r, m)) break;
        for (let d = 0; d < rho.length; d++) rho[d] *= 0.8;
      }
      return rho;
    },
  };
}

function ar1Correlation(): CorrelationModel {
  return {
    count: 1,
    names: ['ARH(1)'],
    // c_ab = ρ^d with d = |a − b|
    value: (a, b, rho) => rho[0] ** Math.abs(a - b),
    derivative(a, b, rho) {
      const d = Math.abs(a - b);
      return d * rho[0] ** (d - 1);
    },
    secondDerivative(a, b, rho) {
      const d = Math.abs(a - b);
      return d < 2 ? 0 : d * (d - 1) * rho[0] ** (d - 2);
    },
    inDomain: (rho) => Math.abs(rho[0]) < 1,
    initial(correlation, m) {
      const lag1 = m > 1 ? meanLagCorrelations(correlation, m)[0] : 0;
      return Float64Array.of(clamp(lag1, -0.9, 0.9));
    },
  };
}

function csCorrelation(m: number): CorrelationModel {
  const lower = m > 1 ? -1 / (m - 1) : -1;
  return {
    count: 1,
    names: ['CSH'],
    // c_ab = ρ for every a ≠ b; positive definite iff −1/(m−1) < ρ < 1
    value: (_a, _b, rho) => rho[0],
    derivative: () => 1,
    secondDerivative: () => 0,
    inDomain: (rho) => rho[0] > lower && rho[0] < 1,
    initial(correlation) {
      let s = 0;
      let n = 0;
      for (let a = 1; a < m; a++) {
        for (let b = 0; b < a; b++) {
          s += correlation(a, b);
          n++;
        }
      }
      const mean = n > 0 ? s / n : 0;
      return Float64Array.of(clamp(mean, lower + 0.5 * (1 - lower) * 0.05, 0.9));
    },
  };
}

/**
 * Heterogeneous-variance structure Σ_ab = √(v_a·v_b)·c_ab(ρ) with θ = (v_1…v_m, ρ), c_aa = 1.
 * Writing n_k = [a = k] + [b = k], σ_ab ∝ v_k^{n_k/2}, so
 *   ∂σ_ab/∂v_k = (n_k/2)·σ_ab/v_k,
 *   ∂²σ_ab/∂v_k² = (n_k/2)(n_k/2 − 1)·σ_ab/v_k², ∂²σ_ab/∂v_k∂v_l = (n_k/2)(n_l/2)·σ_ab/(v_k·v_l),
 *   ∂σ_ab/∂ρ_j = √(v_a·v_b)·∂c_ab/∂ρ_j, ∂²σ_ab/∂v_k∂ρ_j = (n_k/2)/v_k·∂σ_ab/∂ρ_j.
 */
function heterogeneous(name: CovarianceStructureName, m: number, corr: CorrelationModel): CovarianceStructure {
  const k = sigmaElementCount(m);
  const q = m + corr.count;
  const names = [...Array.from({ length: m }, (_, a) => `Var(${a + 1})`), ...corr.names];
  const rhoOf = (theta: Float64Array): Float64Array => theta.subarray(m);
  return {
    name,
    nVisits: m,
    nParameters: q,
    parameterNames: names,
    linear: false,
    sigma(theta) {
      const rho = rhoOf(theta);
      const s = new Float64Array(m * m);
      for (let a = 0; a < m; a++) {
        s[a * m + a] = theta[a];
        for (let b = 0; b < a; b++) {
          const v = Math.sqrt(theta[a] * theta[b]) * corr.value(a, b, rho);
          s[a * m + b] = v;
          s[b * m + a] = v;
        }
      }
      return s;
    },
    jacobian(theta) {
      const rho = rhoOf(theta);
      const j = new Float64Array(k * q);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          const e = sigmaIndex(a, b);
          if (a === b) {
            j[e * q + a] = 1;
            continue;
          }
          const scale = Math.sqrt(theta[a] * theta[b]);
          const value = scale * corr.value(a, b, rho);
          j[e * q + a] = value / (2 * theta[a]);
          j[e * q + b] = value / (2 * theta[b]);
          for (let r = 0; r < corr.count; r++) j[e * q + m + r] = scale * corr.derivative(a, b, rho, r);
        }
      }
      return j;
    },
    secondDerivatives(theta) {
      const rho = rhoOf(theta);
      const h = new Float64Array(k * q * q);
      for (let a = 1; a < m; a++) {
        for (let b = 0; b < a; b++) {
          // Diagonal elements σ_aa = v_a are linear: nothing to add for them.
          const base = sigmaIndex(a, b) * q * q;
          const scale = Math.sqrt(theta[a] * theta[b]);
          const value = scale * corr.value(a, b, rho);
          const va = theta[a];
          const vb = theta[b];
          h[base + a * q + a] = -value / (4 * va * va);
          h[base + b * q + b] = -value / (4 * vb * vb);
          h[base + a * q + b] = value / (4 * va * vb);
          h[base + b * q + a] = value / (4 * va * vb);
          for (let r = 0; r < corr.count; r++) {
            const dr = scale * corr.derivative(a, b, rho, r);
            const col = m + r;
            h[base + a * q + col] = dr / (2 * va);
            h[base + col * q + a] = dr / (2 * va);
            h[base + b * q + col] = dr / (2 * vb);
            h[base + col * q + b] = dr / (2 * vb);
            for (let t = 0; t < corr.count; t++) {
              h[base + col * q + m + t] = scale * corr.secondDerivative(a, b, rho, r, t);
            }
          }
        }
      }
      return h;
    },
    isInDomain(theta) {
      for (let a = 0; a < m; a++) if (!(theta[a] > 0)) return false;
      return corr.inDomain(rhoOf(theta));
    },
    initialValues(empirical) {
      const theta = new Float64Array(q);
      for (let a = 0; a < m; a++) theta[a] = empirical[a * m + a];
      const correlation = (a: number, b: number): number =>
        empirical[a * m + b] / Math.sqrt(empirical[a * m + a] * empirical[b * m + b]);
      theta.set(corr.initial(correlation, m), m);
      return theta;
    },
  };
}
