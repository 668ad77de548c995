import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';

describe('createSeededRandom', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const c = createSeededRandom(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('has the moments it promises', () => {
    const r = createSeededRandom(7);
    const n = 20_000;
    const u = Array.from({ length: n }, () => r.next());
    const mean = u.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    const z = Array.from({ length: n }, () => r.normal(10, 2));
    const zm = z.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(z.reduce((s, x) => s + (x - zm) ** 2, 0) / (n - 1));
    expect(Math.abs(zm - 10)).toBeLessThan(4 * (2 / Math.sqrt(n)));
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(2, 5);
      expect(k).toBeGreaterThanOrEqual(2);
      expect(k).toBeLessThanOrEqual(5);
    }
  });
});
