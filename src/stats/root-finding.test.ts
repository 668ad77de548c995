import { describe, expect, it } from 'vitest';
import { findRoot, R_UNIROOT_TOLERANCE } from './root-finding.js';

describe('findRoot (R uniroot / zeroin)', () => {
  it('finds √2 to the requested tolerance', () => {
    const r = findRoot((x) => x * x - 2, 0, 2, 1e-12);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.root - Math.SQRT2)).toBeLessThan(1e-12);
  });

  it('stops at R’s default tolerance of ε^¼', () => {
    const r = findRoot((x) => Math.exp(x) - 3, 0, 5);
    expect(Math.abs(r.root - Math.log(3))).toBeLessThan(R_UNIROOT_TOLERANCE);
  });

  it('returns an endpoint that is an exact root and rejects brackets without a sign change', () => {
    expect(findRoot((x) => x - 1, 1, 3).root).toBe(1);
    expect(() => findRoot((x) => x * x + 1, -1, 1)).toThrow();
  });
});
