import { describe, expect, it } from 'vitest';
import {
  bilinear,
  choleskyLogDet,
  choleskyLower,
  choleskySolveInPlace,
  invertSymmetricPositiveDefinite,
  multiply,
  toNestedRows,
} from './dense-matrix.js';

const A = Float64Array.from([4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3]);

describe('dense-matrix kernels', () => {
  it('Cholesky reproduces A = L·Lᵀ and its log-determinant', () => {
    const l = choleskyLower(A, 3)!;
    const lt = Float64Array.from({ length: 9 }, (_, t) => l[(t % 3) * 3 + Math.floor(t / 3)]);
    const product = multiply(l, lt, 3, 3, 3);
    for (let t = 0; t < 9; t++) expect(product[t]).toBeCloseTo(A[t], 14);
    // det(A) = 4(15 − 2.25) − 2(6 − 0.9) + 0.6(3 − 3) = 40.8
    expect(choleskyLogDet(l, 3)).toBeCloseTo(Math.log(40.8), 13);
  });

  it('solves, inverts and rejects non-positive-definite matrices', () => {
    const l = choleskyLower(A, 3)!;
    const x = choleskySolveInPlace(l, 3, Float64Array.from([1, 2, 3]));
    const back = multiply(A, x, 3, 3, 1);
    expect(Array.from(back).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
    const inv = invertSymmetricPositiveDefinite(A, 3)!;
    const identity = toNestedRows(multiply(A, inv.inverse, 3, 3, 3), 3, 3);
    identity.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 13)));
    expect(choleskyLower(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
  });

  it('bilinear form', () => {
    expect(bilinear([1, 0, 0], A, [0, 1, 0], 3)).toBe(2);
  });
});
