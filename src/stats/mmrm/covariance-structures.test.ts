import { describe, expect, it } from 'vitest';
import { choleskyLower } from '../dense-matrix.js';
import { COVARIANCE_STRUCTURES, covarianceStructure, sigmaElementCount, sigmaIndex } from './covariance-structures.js';

const m = 4;
const k = sigmaElementCount(m);

/** A valid θ for each structure (SAS parameterisation). */
const THETA: Record<(typeof COVARIANCE_STRUCTURES)[number], number[]> = {
  unstructured: [4, 1, 5, 0.5, 1.2, 6, 0.2, 0.4, 1.5, 7],
  'toeplitz-heterogeneous': [4, 5, 6, 7, 0.5, 0.3, 0.1],
  'ar1-heterogeneous': [4, 5, 6, 7, 0.6],
  'cs-heterogeneous': [4, 5, 6, 7, 0.4],
  'compound-symmetry': [1.5, 3],
};

describe('covariance structures', () => {
  for (const name of COVARIANCE_STRUCTURES) {
    const structure = covarianceStructure(name, m);
    const theta = Float64Array.from(THETA[name]);
    const q = structure.nParameters;

    it(`${name}: Σ(θ) is symmetric positive definite with ${q} named parameters`, () => {
      expect(structure.parameterNames).toHaveLength(q);
      expect(structure.isInDomain(theta)).toBe(true);
      const sigma = structure.sigma(theta);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) expect(sigma[a * m + b]).toBe(sigma[b * m + a]);
      expect(choleskyLower(sigma, m)).not.toBeNull();
    });

    it(`${name}: analytic Jacobian and second derivatives match central differences`, () => {
      const jac = structure.jacobian(theta);
      const second = structure.secondDerivatives(theta);
      expect(second === null).toBe(structure.linear);
      for (let h = 0; h < q; h++) {
        const step = 1e-5 * Math.max(1, Math.abs(theta[h]));
        const plus = Float64Array.from(theta);
        const minus = Float64Array.from(theta);
        plus[h] += step;
        minus[h] -= step;
        const sp = structure.sigma(plus);
        const sm = structure.sigma(minus);
        const jp = structure.jacobian(plus);
        const jm = structure.jacobian(minus);
        for (let a = 0; a < m; a++) {
          for (let b = 0; b <= a; b++) {
            const e = sigmaIndex(a, b);
            const numeric = (sp[a * m + b] - sm[a * m + b]) / (2 * step);
            expect(jac[e * q + h]).toBeCloseTo(numeric, 7);
            for (let j = 0; j < q; j++) {
              const numericSecond = (jp[e * q + j] - jm[e * q + j]) / (2 * step);
              expect(second ? second[e * q * q + h * q + j] : 0).toBeCloseTo(numericSecond, 6);
            }
          }
        }
      }
    });

    it(`${name}: starting values from an empirical covariance lie in the domain`, () => {
      const empirical = covarianceStructure('unstructured', m).sigma(Float64Array.from(THETA.unstructured));
      const start = structure.initialValues(empirical);
      expect(start).toHaveLength(q);
      expect(structure.isInDomain(start)).toBe(true);
      expect(choleskyLower(structure.sigma(start), m)).not.toBeNull();
    });
  }

  it('indexes the distinct elements of Σ row by row in the lower triangle', () => {
    expect([sigmaIndex(0, 0), sigmaIndex(1, 0), sigmaIndex(1, 1), sigmaIndex(3, 3)]).toEqual([0, 1, 2, k - 1]);
    expect(sigmaIndex(0, 2)).toBe(sigmaIndex(2, 0));
  });

  it('rejects parameters outside the domain', () => {
    expect(covarianceStructure('ar1-heterogeneous', m).isInDomain(Float64Array.from([1, 1, 1, 1, 1]))).toBe(false);
    expect(covarianceStructure('cs-heterogeneous', m).isInDomain(Float64Array.from([1, 1, 1, 1, -0.5]))).toBe(false);
    expect(covarianceStructure('toeplitz-heterogeneous', m).isInDomain(Float64Array.from([1, -1, 1, 1, 0, 0, 0]))).toBe(
      false,
    );
  });
});
