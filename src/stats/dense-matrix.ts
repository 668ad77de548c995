/**
 * Small dense linear-algebra kernels on row-major `Float64Array`s. The MMRM inner loop calls these
 * thousands of times on tiny matrices (a subject's visits, the fixed-effect block), where plain
 * typed-array loops are several times faster than allocating `ml-matrix` objects.
 */

/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric n×n matrix, written into a new array (lower
 * triangle; the strict upper triangle is zero). Returns `null` when A is not positive definite
 * (a pivot ≤ `tolerance` times the largest diagonal element, or not finite).
 */
export function choleskyLower(a: ArrayLike<number>, n: number, tolerance = 1e-13): Float64Array | null {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  const floor = tolerance * maxDiag;
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
    if (!(d > floor) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** log|A| = 2·Σ log L_jj from a Cholesky factor. */
export function choleskyLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.log(l[j * n + j]);
  return 2 * s;
}

/** Solves A·x = b in place given the Cholesky factor L of A (forward then backward substitution). */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/** Inverse of a lower-triangular n×n matrix (itself lower triangular), by forward substitution. */
export function invertLowerTriangular(l: Float64Array, n: number): Float64Array {
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k] * li[k * n + j];
      li[i * n + j] = s / l[i * n + i];
    }
  }
  return li;
}

/** A⁻¹ from the Cholesky factor L of A: A⁻¹ = L⁻ᵀ·L⁻¹ (symmetric result, both triangles filled). */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const li = invertLowerTriangular(l, n);
  // A⁻¹[i][j] = Σ_k L⁻¹[k][i]·L⁻¹[k][j] over k ≥ max(i, j).
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/** Inverse and log-determinant of a symmetric positive-definite matrix, or `null` if it is not. */
export function invertSymmetricPositiveDefinite(
  a: ArrayLike<number>,
  n: number,
): { inverse: Float64Array; logDet: number } | null {
  const l = choleskyLower(a, n);
  if (!l) return null;
  return { inverse: choleskyInverse(l, n), logDet: choleskyLogDet(l, n) };
}

/** C = A·B for row-major A (r×k) and B (k×c). */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let t = 0; t < k; t++) {
      const ait = a[i * k + t];
      if (ait === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += ait * b[t * c + j];
    }
  }
  return out;
}

/** Quadratic form xᵀ·A·y for an n×n matrix A. */
export function bilinear(x: ArrayLike<number>, a: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    let row = 0;
    for (let j = 0; j < n; j++) row += a[i * n + j] * y[j];
    s += xi * row;
  }
  return s;
}

/** A·x for an r×c matrix A. */
export function multiplyVector(a: ArrayLike<number>, x: ArrayLike<number>, r: number, c: number): Float64Array {
  const out = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += a[i * c + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Converts a row-major n×n array into nested arrays (for JSON output). */
export function toNestedRows(a: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) row.push(a[i * cols + j]);
    out.push(row);
  }
  return out;
}
