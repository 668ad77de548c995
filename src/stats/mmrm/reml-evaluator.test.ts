/**
 * Checks the pattern-based analytic REML algebra against a direct dense implementation of the
 * textbook formulas (N×N matrices V and P) and against finite differences.
 */
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createUniformGenerator } from '../simulate-trial.js';
import { covarianceStructure, sigmaElementCount, sigmaIndex } from './covariance-structures.js';
import { fitReml } from './fit-reml.js';
import { prepareInference } from './inference.js';
import { RemlEvaluator, type RepeatedMeasuresDesign } from './reml-evaluator.js';

const m = 3;
const p = 4;
const k = sigmaElementCount(m);

/** 18 subjects, 3 visits, random missingness, design [1, visit 2, visit 3, covariate]. */
function smallDesign(): RepeatedMeasuresDesign {
  const u = createUniformGenerator(7);
  const subjects = [];
  for (let i = 0; i < 18; i++) {
    const visits = [0, 1, 2].filter(() => u() < 0.75);
    if (visits.length === 0) visits.push(1);
    const z = u() * 4 - 2;
    const x: number[] = [];
    const y: number[] = [];
    let shared = u() * 2 - 1;
    for (const v of visits) {
      x.push(1, v === 1 ? 1 : 0, v === 2 ? 1 : 0, z);
      shared = 0.5 * shared + (u() - 0.5);
      y.push(1 + 0.5 * v + 0.8 * z + 2 * shared + (u() - 0.5));
    }
    subjects.push({ visits, x: Float64Array.from(x), y: Float64Array.from(y) });
  }
  return { nVisits: m, nCoefficients: p, subjects };
}

/** Direct dense evaluation of the REML quantities for Σ(θ) and θ-space derivative matrices. */
function denseReference(design: RepeatedMeasuresDesign, sigma: Float64Array, dV: Matrix[], d2V: Matrix[][]) {
  const rows: { subject: number; visit: number }[] = [];
  const xRows: number[][] = [];
  const yAll: number[] = [];
  design.subjects.forEach((s, i) => {
    for (let r = 0; r < s.y.length; r++) {
      rows.push({ subject: i, visit: s.visits[r] });
      xRows.push(Array.from({ length: p }, (_, j) => s.x[r * p + j]));
      yAll.push(s.y[r]);
    }
  });
  const n = rows.length;
  const x = new Matrix(xRows);
  const y = Matrix.columnVector(yAll);
  const v = new Matrix(n, n);
  for (let r = 0; r < n; r++) {
    for (let s = 0; s < n; s++) {
      if (rows[r].subject === rows[s].subject) v.set(r, s, sigma[rows[r].visit * m + rows[s].visit]);
    }
  }
  const vInv = inverse(v);
  const f = x.transpose().mmul(vInv).mmul(x);
  const phi = inverse(f);
  const beta = phi.mmul(x.transpose()).mmul(vInv).mmul(y);
  const resid = y.clone().sub(x.mmul(beta));
  const logDet = (a: Matrix): number => {
    const symmetric = a.clone().add(a.transpose()).mul(0.5);
    const l = new CholeskyDecomposition(symmetric).lowerTriangularMatrix;
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += 2 * Math.log(l.get(i, i));
    return s;
  };
  const logLik =
    -0.5 *
    (logDet(v) + logDet(f) + resid.transpose().mmul(vInv).mmul(resid).get(0, 0) + (n - p) * Math.log(2 * Math.PI));
  const pMat = vInv.clone().sub(vInv.mmul(x).mmul(phi).mmul(x.transpose()).mmul(vInv));
  const q = dV.length;
  const py = pMat.mmul(y);
  const trace = (a: Matrix): number => a.trace();
  const gradient = dV.map((vh) => -0.5 * trace(pMat.mmul(vh)) + 0.5 * py.transpose().mmul(vh).mmul(py).get(0, 0));
  const expected = new Matrix(q, q);
  const hessian = new Matrix(q, q);
  for (let h = 0; h < q; h++) {
    for (let j = 0; j < q; j++) {
      const tr = trace(pMat.mmul(dV[h]).mmul(pMat).mmul(dV[j]));
      const quad = py.transpose().mmul(dV[h]).mmul(pMat).mmul(dV[j]).mmul(py).get(0, 0);
      const second = py.transpose().mmul(d2V[h][j]).mmul(py).get(0, 0) - trace(pMat.mmul(d2V[h][j]));
      expected.set(h, j, 0.5 * tr);
      hessian.set(h, j, 0.5 * tr - quad + 0.5 * second);
    }
  }
  /** Φ_A = Φ + 2Φ[Σ W_hj (Q_hj − P_hΦP_j − ¼R_hj)]Φ, P_h = −XᵀV⁻¹V_hV⁻¹X. */
  const krCovariance = (w: Matrix): Matrix => {
    const xv = x.transpose().mmul(vInv);
    const pH = dV.map((vh) => xv.mmul(vh).mmul(vInv).mmul(x).mul(-1));
    const adj = new Matrix(p, p);
    for (let h = 0; h < q; h++) {
      for (let j = 0; j < q; j++) {
        const qhj = xv.mmul(dV[h]).mmul(vInv).mmul(dV[j]).mmul(vInv).mmul(x);
        const rhj = xv.mmul(d2V[h][j]).mmul(vInv).mmul(x);
        const term = qhj.sub(pH[h].mmul(phi).mmul(pH[j])).sub(rhj.mul(0.25));
        adj.add(term.mul(w.get(h, j)));
      }
    }
    return phi.clone().add(phi.mmul(adj).mmul(phi).mul(2));
  };
  return { logLik, beta, phi, gradient, expected, hessian, krCovariance, rows };
}

/** ∂V/∂θ_h and ∂²V/∂θ_h∂θ_j as N×N matrices for a structure at θ. */
function derivativeMatrices(
  design: RepeatedMeasuresDesign,
  name: 'unstructured' | 'ar1-heterogeneous',
  theta: Float64Array,
) {
  const structure = covarianceStructure(name, m);
  const q = structure.nParameters;
  const jac = structure.jacobian(theta);
  const second = structure.secondDerivatives(theta);
  const rows: { subject: number; visit: number }[] = [];
  design.subjects.forEach(
    (s, i) => s.visits.length && Array.from(s.visits).forEach((v) => rows.push({ subject: i, visit: v })),
  );
  const n = rows.length;
  const build = (coef: (e: number) => number): Matrix => {
    const out = new Matrix(n, n);
    for (let r = 0; r < n; r++) {
      for (let s = 0; s < n; s++) {
        if (rows[r].subject === rows[s].subject) out.set(r, s, coef(sigmaIndex(rows[r].visit, rows[s].visit)));
      }
    }
    return out;
  };
  const dV = Array.from({ length: q }, (_, h) => build((e) => jac[e * q + h]));
  const d2V = Array.from({ length: q }, (_, h) =>
    Array.from({ length: q }, (_, j) => build((e) => (second ? second[e * q * q + h * q + j] : 0))),
  );
  return { structure, dV, d2V };
}

describe('RemlEvaluator against dense formulas', () => {
  const design = smallDesign();
  const evaluator = new RemlEvaluator(design);
  const theta = Float64Array.from([2.0, 0.7, 2.5, 0.3, 0.9, 3.0]);
  const { structure, dV, d2V } = derivativeMatrices(design, 'unstructured', theta);
  const sigma = structure.sigma(theta);
  const state = evaluator.evaluate(sigma, true);
  const dense = denseReference(design, sigma, dV, d2V);

  it('REML log-likelihood (with the (N − p) log 2π term), β and Φ', () => {
    expect(state).not.toBeNull();
    expect(state!.logLik).toBeCloseTo(dense.logLik, 10);
    for (let j = 0; j < p; j++) {
      expect(state!.beta[j]).toBeCloseTo(dense.beta.get(j, 0), 10);
      for (let t = 0; t < p; t++) expect(state!.phi[j * p + t]).toBeCloseTo(dense.phi.get(j, t), 10);
    }
  });

  it('gradient, observed Hessian and expected information in σ-space', () => {
    const d = state!.derivatives!;
    for (let e = 0; e < k; e++) {
      expect(d.gradient[e]).toBeCloseTo(dense.gradient[e], 9);
      for (let f = 0; f < k; f++) {
        expect(d.hessian[e * k + f]).toBeCloseTo(dense.hessian.get(e, f), 9);
        expect(d.expectedInformation[e * k + f]).toBeCloseTo(dense.expected.get(e, f), 9);
      }
    }
  });

  it('gradient matches central differences of the log-likelihood', () => {
    const d = state!.derivatives!;
    for (let e = 0; e < k; e++) {
      const step = 1e-6;
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[e] += step;
      minus[e] -= step;
      const numeric =
        (evaluator.evaluate(structure.sigma(plus))!.logLik - evaluator.evaluate(structure.sigma(minus))!.logLik) /
        (2 * step);
      expect(d.gradient[e]).toBeCloseTo(numeric, 6);
    }
  });

  it('Kenward–Roger adjusted covariance (unstructured, W = inverse observed information)', () => {
    const w = inverse(dense.hessian.clone().mul(-1));
    const wFlat = Float64Array.from(w.to1DArray());
    const adjusted = evaluator.kenwardRogerCovariance(state!, wFlat, null);
    const expected = dense.krCovariance(w);
    for (let i = 0; i < p * p; i++) expect(adjusted[i]).toBeCloseTo(expected.get(Math.floor(i / p), i % p), 9);
  });
});

describe('fitted models against dense formulas', () => {
  const design = smallDesign();
  const evaluator = new RemlEvaluator(design);

  for (const name of ['unstructured', 'ar1-heterogeneous'] as const) {
    it(`${name}: converges, has zero gradient, and its full Kenward–Roger Φ_A matches`, () => {
      const fit = fitReml(evaluator, { structure: name });
      expect(fit.converged).toBe(true);
      expect(fit.diagnostics.maxAbsGradient).toBeLessThan(1e-8);
      const { dV, d2V } = derivativeMatrices(design, name, fit.theta);
      const dense = denseReference(design, fit.sigma, dV, d2V);
      // Observed information in θ-space, including Σ_e g_e ∂²σ_e (≈ 0 at the optimum).
      const q = fit.structure.nParameters;
      for (let h = 0; h < q; h++) {
        for (let j = 0; j < q; j++) {
          expect(fit.observedInformation[h * q + j]).toBeCloseTo(-dense.hessian.get(h, j), 7);
        }
      }
      const inference = prepareInference(fit, 'kenward-roger');
      const w = new Matrix(q, q);
      for (let h = 0; h < q; h++) for (let j = 0; j < q; j++) w.set(h, j, inference.w[h * q + j]);
      const expected = dense.krCovariance(w);
      for (let i = 0; i < p * p; i++) {
        expect(inference.covariance[i]).toBeCloseTo(expected.get(Math.floor(i / p), i % p), 9);
      }
    });
  }
});
