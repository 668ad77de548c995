/**
 * Deterministic simulation of a two-arm repeated-measures trial shaped like STEMJOINT (the design of
 * `stemjoint_golden.R`): permuted blocks of 4, baseline ~ N(55, 14²), change from baseline with
 * heterogeneous AR(1) errors (SDs 12…16, ρ = 0.6), a visit-specific treatment effect, and monotone
 * MAR dropout driven by the last observed value. Used by tests and the benchmark; the generator is
 * seeded (mulberry32 + Box–Muller), so the core stays free of ambient randomness.
 */
import type { MmrmObservation } from './mmrm/mmrm-design.js';

/** Options of `simulateTrial`. */
export interface TrialSimulationOptions {
  readonly subjects: number;
  readonly seed: number;
  /** Visit labels (default the six STEMJOINT follow-ups M3…Y5). */
  readonly visits?: readonly string[];
  /** Apply MAR dropout (default true). */
  readonly dropout?: boolean;
}

const DEFAULT_VISITS = ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;

/** A seeded uniform generator on [0, 1) (mulberry32). */
export function createUniformGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Simulates long-format observations (`response` is the change from baseline, null after dropout). */
export function simulateTrial(options: TrialSimulationOptions): MmrmObservation[] {
  const visits = options.visits ?? DEFAULT_VISITS;
  const m = visits.length;
  const uniform = createUniformGenerator(options.seed);
  const normal = (): number => {
    // Box–Muller; 1 − u avoids log(0).
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const sd = Array.from({ length: m }, (_, j) => 12 + (4 * j) / Math.max(1, m - 1));
  const rho = 0.6;
  const placebo = Array.from({ length: m }, (_, j) => 8 - (7 * j) / Math.max(1, m - 1));
  const effect = Array.from({ length: m }, (_, j) => (j === 0 ? 3 : j < m - 1 ? 6 - j / 2 : 3));

  const out: MmrmObservation[] = [];
  let block: string[] = [];
  for (let i = 0; i < options.subjects; i++) {
    if (block.length === 0) {
      block = ['SAL', 'SAL', 'MSC', 'MSC'];
      for (let k = block.length - 1; k > 0; k--) {
        const r = Math.floor(uniform() * (k + 1));
        [block[k], block[r]] = [block[r], block[k]];
      }
    }
    const arm = block.pop() as string;
    const base = Math.min(100, Math.max(0, Math.round((55 + 14 * normal()) * 10) / 10));
    let error = 0;
    let observed = true;
    for (let j = 0; j < m; j++) {
      // AR(1) innovations on the standardised scale, then scaled by the visit's SD.
      error = j === 0 ? normal() : rho * error + Math.sqrt(1 - rho * rho) * normal();
      const change = placebo[j] + (arm === 'MSC' ? effect[j] : 0) - 0.3 * (base - 55) + sd[j] * error;
      const followUp = Math.min(100, Math.max(0, Math.round((base + change) * 10) / 10));
      if (j > 0 && observed && options.dropout !== false) {
        const last = out[out.length - 1];
        const lastValue = (last.response as number) + base;
        const p = 1 / (1 + Math.exp(-(-3.2 + 0.04 * (60 - lastValue))));
        observed = uniform() > p;
      }
      out.push({
        subject: `S${String(i + 1).padStart(5, '0')}`,
        visit: visits[j],
        arm,
        response: observed ? Math.round((followUp - base) * 10) / 10 : null,
        baseline: base,
      });
    }
  }
  return out;
}
