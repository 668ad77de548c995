/**
 * Power by simulation (issue 11): simulate many STEMJOINT trials with the trial simulator and fit
 * the SAP's primary analysis to each — MMRM of the KOOS Symptoms change from baseline with visit,
 * baseline × visit, arm × visit and the stratum (KL grade), unstructured covariance, REML,
 * Satterthwaite df — and count how often the ADMSC − SALINE contrast at the primary visit is
 * significant. Power is reported with its Wilson interval (the Monte-Carlo uncertainty). Pure: the
 * data never touch a database; the caller may pass a progress callback.
 */
import { describe } from '../../stats/describe.js';
import { fitMmrm } from '../../stats/mmrm/fit-mmrm.js';
import type { MmrmObservation } from '../../stats/mmrm/mmrm-design.js';
import { wilsonInterval } from '../../stats/binomial-intervals.js';
import {
  PRO_FOLLOW_UPS,
  resolveSimulatorConfig,
  simulateTrialParticipants,
  type SimulatedParticipant,
  type TrialSimulatorConfig,
} from './trial-simulator.js';

/** Options of {@link simulatePower}. */
export interface PowerOptions {
  /** True ADMSC − SALINE difference in KOOS Symptoms change, points. */
  readonly effect: number;
  /** SD of the change given baseline. */
  readonly sd: number;
  /** Participants per trial (both arms). */
  readonly n: number;
  /** Simulated trials. */
  readonly reps: number;
  readonly seed: number;
  /** Visit of the primary contrast (default M12). */
  readonly visit?: string;
  /** Two-sided significance level (default 0.05). */
  readonly alpha?: number;
  /** Other simulator settings (dropout, correlation, …). */
  readonly config?: Partial<TrialSimulatorConfig>;
  /** Called after each trial with the number done. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Result of {@link simulatePower}. */
export interface PowerResult {
  readonly n: number;
  readonly reps: number;
  readonly effect: number;
  readonly sd: number;
  readonly visit: string;
  readonly alpha: number;
  readonly seed: number;
  /** Trials whose contrast was significant at `alpha`. */
  readonly significant: number;
  /** Trials whose model could be fitted (the denominator). */
  readonly fitted: number;
  readonly power: number;
  /** Wilson 95% interval of the power (Monte-Carlo error). */
  readonly lower: number;
  readonly upper: number;
  /** Mean and SD of the estimated contrasts (the estimator's bias and spread). */
  readonly estimate: { readonly mean: number; readonly sd: number };
  readonly meanSe: number;
  /** Fits that fell back from unstructured covariance, and fits that failed. */
  readonly fallbacks: number;
  readonly failures: number;
  /** Mean share of participants observed at each follow-up (dropout and missed visits). */
  readonly observedShare: Readonly<Record<string, number>>;
  readonly config: TrialSimulatorConfig;
}

/** Long-format KOOS Symptoms change from baseline of a simulated trial, with the stratum. */
export function primaryObservations(participants: readonly SimulatedParticipant[]): MmrmObservation[] {
  const out: MmrmObservation[] = [];
  for (const p of participants) {
    for (const f of p.followUps) {
      const value = f.values.koos_symptoms;
      out.push({
        subject: `S${p.index + 1}`,
        visit: f.visit,
        arm: p.arm,
        response: f.status === 'done' && value !== undefined ? value - p.baseline.koos_symptoms : null,
        baseline: p.baseline.koos_symptoms,
        covariates: { stratum: `KL${p.klGrade}` },
      });
    }
  }
  return out;
}

/** Derives the seed of trial `rep` from the run's seed. */
export function trialSeed(seed: number, rep: number): number {
  return (Math.imul(seed | 0, 0x2c1b3c6d) + Math.imul(rep + 1, 0x297a2d39)) >>> 0;
}

/** Runs the simulation; see the module comment. */
export function simulatePower(options: PowerOptions): PowerResult {
  const visit = options.visit ?? 'M12';
  const alpha = options.alpha ?? 0.05;
  const base = resolveSimulatorConfig({
    ...options.config,
    effect: options.effect,
    sd: options.sd,
    seed: options.seed,
  });
  const estimates: number[] = [];
  const ses: number[] = [];
  let significant = 0;
  let fallbacks = 0;
  let failures = 0;
  const observed = new Map<string, number>(PRO_FOLLOW_UPS.map((v) => [v, 0]));
  for (let rep = 0; rep < options.reps; rep++) {
    const participants = simulateTrialParticipants({ ...base, seed: trialSeed(options.seed, rep) }, options.n);
    const observations = primaryObservations(participants);
    for (const o of observations) if (o.response !== null) observed.set(o.visit, (observed.get(o.visit) ?? 0) + 1);
    const strata = new Set(participants.map((p) => p.klGrade));
    try {
      const fit = fitMmrm(
        {
          observations,
          treatment: 'ADMSC',
          control: 'SALINE',
          visits: PRO_FOLLOW_UPS,
          baseline: true,
          covariates: strata.size > 1 ? ['stratum'] : [],
        },
        { df: 'satterthwaite' },
      );
      if (fit.covariance !== 'unstructured') fallbacks += 1;
      const c = fit.contrasts.find((x) => x.visit === visit);
      if (c === undefined || !Number.isFinite(c.p)) {
        failures += 1;
      } else {
        estimates.push(c.estimate);
        ses.push(c.se);
        if (c.p < alpha) significant += 1;
      }
    } catch {
      // A trial whose data cannot support the model (e.g. an empty arm at a visit) counts as a failure.
      failures += 1;
    }
    options.onProgress?.(rep + 1, options.reps);
  }
  const fitted = estimates.length;
  const ci =
    fitted > 0 ? wilsonInterval(significant, fitted) : { estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const est = describe(estimates);
  const denominator = Math.max(1, options.reps * options.n);
  return {
    n: options.n,
    reps: options.reps,
    effect: options.effect,
    sd: options.sd,
    visit,
    alpha,
    seed: options.seed,
    significant,
    fitted,
    power: ci.estimate,
    lower: ci.lower,
    upper: ci.upper,
    estimate: { mean: est.mean, sd: est.sd },
    meanSe: describe(ses).mean,
    fallbacks,
    failures,
    observedShare: Object.fromEntries([...observed].map(([v, k]) => [v, k / denominator])),
    config: base,
  };
}
