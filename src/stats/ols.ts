/**
 * Ordinary least squares by Householder QR (ml-matrix): β̂ = R⁻¹Qᵀy, Cov(β̂) = σ̂²·(XᵀX)⁻¹ with
 * (XᵀX)⁻¹ = R⁻¹R⁻ᵀ and σ̂² = RSS/(n − p).
 */
import { Matrix, QrDecomposition } from 'ml-matrix';

/** Result of `fitOls`. */
export interface OlsFit {
  readonly n: number;
  readonly p: number;
  readonly coefficients: Float64Array;
  readonly se: Float64Array;
  /** Cov(β̂), p×p row-major. */
  readonly covariance: Float64Array;
  /** Residual degrees of freedom n − p. */
  readonly df: number;
  readonly rss: number;
  readonly sigma2: number;
}

/** Fits y = Xβ + ε; X is row-major n×p. Throws if X is rank deficient or n ≤ p. */
export function fitOls(x: Float64Array, y: Float64Array, n: number, p: number): OlsFit {
  if (n <= p) throw new RangeError(`fitOls: need more observations (${n}) than coefficients (${p})`);
  const xm = new Matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xm.set(i, j, x[i * p + j]);
  const qr = new QrDecomposition(xm);
  const r = qr.upperTriangularMatrix;
  let maxDiag = 0;
  for (let j = 0; j < p; j++) maxDiag = Math.max(maxDiag, Math.abs(r.get(j, j)));
  for (let j = 0; j < p; j++) {
    if (Math.abs(r.get(j, j)) <= 1e-10 * maxDiag) throw new RangeError('fitOls: the design matrix is rank deficient');
  }
  const beta = qr.solve(Matrix.columnVector(Array.from(y))).getColumn(0);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < p; j++) fit += x[i * p + j] * beta[j];
    rss += (y[i] - fit) ** 2;
  }
  const df = n - p;
  const sigma2 = rss / df;
  // R⁻¹ by back substitution, then (XᵀX)⁻¹ = R⁻¹·R⁻ᵀ.
  const rInv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    rInv[j * p + j] = 1 / r.get(j, j);
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r.get(i, k) * rInv[k * p + j];
      rInv[i * p + j] = -s / r.get(i, i);
    }
  }
  const covariance = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < p; k++) s += rInv[i * p + k] * rInv[j * p + k];
      covariance[i * p + j] = sigma2 * s;
      covariance[j * p + i] = sigma2 * s;
    }
  }
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(covariance[j * p + j]));
  return { n, p, coefficients: Float64Array.from(beta), se, covariance, df, rss, sigma2 };
}
