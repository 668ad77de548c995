/**
 * The STEMJOINT trial simulator (pure, seeded): what happens to one participant after enrolment —
 * KOOS (item answers, so the real scoring runs), NRS pain, the clinical examination of both knees
 * (range of motion, effusion tests, circumferences), anti-HLA antibodies at baseline and M3, visit
 * timing (most in window, some out, some missed), dropout that depends on the last observed KOOS
 * Symptoms score (missing at random), and adverse events — with a configurable treatment effect.
 *
 * Model of each continuous measure m at follow-up j (change from baseline):
 *   change = placebo_m(j) + [ADMSC]·effect·scale_m + slope_m·(baseline − mean_m) + sd·sdScale_m·e_mj,
 *   e_mj = ρ·e_m(j−1) + √(1−ρ²)·z_mj,   z_mj = √c·f_j·sign_m + √(1−c)·u_mj   (f shared by the measures),
 * so values are correlated over time (AR(1), ρ) and across measures (c); `effect` is in KOOS points
 * and every measure's effect is a fixed multiple of it. Every participant draws from its own stream
 * (seed, index), in an order that does not depend on the arm: the same participant in the other arm
 * differs only by the treatment effect (common random numbers), and the loader can ask for a
 * participant's data once randomization has told it the arm.
 */
import { addCalendarDays, type IsoDate } from '../schedule/plain-date.js';
import { STEMJOINT_VISIT_PLAN } from '../schedule/visit-plan.js';
import { KOOS_SUBSCALES, type KoosSubscaleId } from '../scoring/koos-items.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

/** The arms (spec §2). */
export const SIMULATED_ARMS = ['ADMSC', 'SALINE'] as const;
/** An arm code. */
export type SimulatedArm = (typeof SIMULATED_ARMS)[number];

/** Follow-up visits of the PROs (KOOS, NRS). */
export const PRO_FOLLOW_UPS = ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;
/** Follow-up visits of the examination (and MRI). */
export const EXAM_FOLLOW_UPS = ['M3', 'M12', 'M24'] as const;

/** Configuration of the simulated trial. Every field has a documented default. */
export interface TrialSimulatorConfig {
  readonly seed: number;
  /** ADMSC − SALINE difference in mean change of KOOS Symptoms at every follow-up, in points (default 8). */
  readonly effect: number;
  /** SD of the KOOS Symptoms change given baseline (default 14). */
  readonly sd: number;
  /** AR(1) correlation of a measure's errors between consecutive visits (default 0.6). */
  readonly correlation: number;
  /** Share of the error variance common to all measures of a visit (default 0.5). */
  readonly crossCorrelation: number;
  /** Probability of dropping out at each follow-up after M3 for a participant at KOOS Symptoms 60 (default 0.04). */
  readonly dropoutPerVisit: number;
  /** Increase of the dropout log-odds per 10 KOOS points below 60 (MAR; default 0.4). */
  readonly dropoutSlopePer10: number;
  /** Probability that a follow-up visit is missed while the participant stays in the study (default 0.04). */
  readonly missedVisitRate: number;
  /** Probability that a visit done is outside its window (default 0.06). */
  readonly outOfWindowRate: number;
  /** Probability of a baseline effusion (default 0.45). */
  readonly baselineEffusionRate: number;
  /** Probability of de novo donor-specific antibodies at M3 in the cell arm (default 0.12; 0 with saline). */
  readonly deNovoDsaRate: number;
  /** Probability of early injection-site pain by arm (default ADMSC 0.55, SALINE 0.3). */
  readonly injectionPainRate: Readonly<Record<SimulatedArm, number>>;
  /** Probability of early joint swelling by arm (default ADMSC 0.35, SALINE 0.15). */
  readonly jointSwellingRate: Readonly<Record<SimulatedArm, number>>;
  /** Systemic (unrelated) adverse events per participant-year (default 0.3). */
  readonly systemicEventsPerYear: number;
  /** Probability of a serious adverse event during follow-up (default 0.04). */
  readonly seriousEventRate: number;
}

/** The defaults (the STEMJOINT planning assumptions of this simulator). */
export const DEFAULT_SIMULATOR_CONFIG: TrialSimulatorConfig = {
  seed: 20231001,
  effect: 8,
  sd: 14,
  correlation: 0.6,
  crossCorrelation: 0.5,
  dropoutPerVisit: 0.04,
  dropoutSlopePer10: 0.4,
  missedVisitRate: 0.04,
  outOfWindowRate: 0.06,
  baselineEffusionRate: 0.45,
  deNovoDsaRate: 0.12,
  injectionPainRate: { ADMSC: 0.55, SALINE: 0.3 },
  jointSwellingRate: { ADMSC: 0.35, SALINE: 0.15 },
  systemicEventsPerYear: 0.3,
  seriousEventRate: 0.04,
};

/** Fills a partial configuration with the defaults. */
export function resolveSimulatorConfig(partial: Partial<TrialSimulatorConfig> = {}): TrialSimulatorConfig {
  return { ...DEFAULT_SIMULATOR_CONFIG, ...partial };
}

/** How a continuous measure behaves. */
interface MeasureSpec {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Placebo mean change by follow-up index (last value repeats). */
  readonly placebo: readonly number[];
  /** Multiple of the KOOS Symptoms effect. */
  readonly effectScale: number;
  /** Multiple of the KOOS Symptoms change SD. */
  readonly sdScale: number;
  /** Regression on the centred baseline. */
  readonly slope: number;
  /** +1 when higher is better (like KOOS), −1 when higher is worse (pain). */
  readonly sign: 1 | -1;
  readonly decimals: number;
}

/** The simulated continuous measures (index-knee measures for the examination). */
export const SIMULATED_MEASURES = [
  'koos_symptoms',
  'koos_pain',
  'koos_adl',
  'koos_sport',
  'koos_qol',
  'nrs_pain',
  'flexion_deg',
  'extension_deg',
  'knee_circ_cm',
  'thigh_circ_cm',
] as const;
/** A simulated measure. */
export type SimulatedMeasure = (typeof SIMULATED_MEASURES)[number];

const KOOS_PLACEBO = [8, 6, 4, 3, 2, 1];
const MEASURES: Readonly<Record<SimulatedMeasure, MeasureSpec>> = {
  koos_symptoms: {
    mean: 55,
    sd: 14,
    min: 0,
    max: 100,
    placebo: KOOS_PLACEBO,
    effectScale: 1,
    sdScale: 1,
    slope: -0.3,
    sign: 1,
    decimals: 6,
  },
  koos_pain: {
    mean: 52,
    sd: 14,
    min: 0,
    max: 100,
    placebo: KOOS_PLACEBO,
    effectScale: 1,
    sdScale: 1,
    slope: -0.3,
    sign: 1,
    decimals: 6,
  },
  koos_adl: {
    mean: 60,
    sd: 15,
    min: 0,
    max: 100,
    placebo: KOOS_PLACEBO,
    effectScale: 0.8,
    sdScale: 0.9,
    slope: -0.3,
    sign: 1,
    decimals: 6,
  },
  koos_sport: {
    mean: 25,
    sd: 18,
    min: 0,
    max: 100,
    placebo: [6, 5, 3, 2, 1, 0],
    effectScale: 0.8,
    sdScale: 1.3,
    slope: -0.3,
    sign: 1,
    decimals: 6,
  },
  koos_qol: {
    mean: 35,
    sd: 15,
    min: 0,
    max: 100,
    placebo: KOOS_PLACEBO,
    effectScale: 1,
    sdScale: 1.1,
    slope: -0.3,
    sign: 1,
    decimals: 6,
  },
  nrs_pain: {
    mean: 6,
    sd: 1.6,
    min: 0,
    max: 10,
    placebo: [-1, -0.8, -0.5, -0.4, -0.3, -0.2],
    effectScale: -0.1,
    sdScale: 0.14,
    slope: -0.3,
    sign: -1,
    decimals: 0,
  },
  flexion_deg: {
    mean: 118,
    sd: 10,
    min: 60,
    max: 150,
    placebo: [2, 1.5, 1],
    effectScale: 0.25,
    sdScale: 0.45,
    slope: -0.2,
    sign: 1,
    decimals: 0,
  },
  extension_deg: {
    mean: -4,
    sd: 3.5,
    min: -20,
    max: 10,
    placebo: [0.5, 0.4, 0.3],
    effectScale: 0.05,
    sdScale: 0.15,
    slope: -0.2,
    sign: 1,
    decimals: 0,
  },
  knee_circ_cm: {
    mean: 41,
    sd: 3,
    min: 30,
    max: 60,
    placebo: [-0.3, -0.2, -0.1],
    effectScale: -0.02,
    sdScale: 0.06,
    slope: -0.1,
    sign: -1,
    decimals: 1,
  },
  thigh_circ_cm: {
    mean: 50,
    sd: 4,
    min: 32,
    max: 78,
    placebo: [0.2, 0.3, 0.3],
    effectScale: 0.02,
    sdScale: 0.06,
    slope: -0.1,
    sign: 1,
    decimals: 1,
  },
};

/** Values of every measure at one assessment. */
export type MeasureValues = Readonly<Record<SimulatedMeasure, number>>;

/** A knee side. */
export type SimulatedKnee = 'right' | 'left';

/** The clinical examination findings that are not continuous measures. */
export interface EffusionFindings {
  readonly strokeTest: '0' | 'trace' | '1+' | '2+' | '3+';
  readonly patellarTap: boolean;
  /** Derived as the protocol does: stroke test ≥ trace or tap positive. */
  readonly effusion: boolean;
}

/** One scheduled follow-up of a participant. */
export interface SimulatedFollowUp {
  readonly visit: string;
  /** done (on `day`), missed (participant still in the study) or not done because of dropout. */
  readonly status: 'done' | 'missed' | 'dropped';
  /** Study day (relative to Day 0) when done. */
  readonly day: number | null;
  readonly outOfWindow: boolean;
  /** Measures at this visit (examination measures only at examination visits). */
  readonly values: Partial<MeasureValues>;
  readonly effusion: EffusionFindings | null;
  /** KOOS answers (0–4) by item id. */
  readonly koosAnswers: Readonly<Record<string, number>> | null;
}

/** An adverse event to record. */
export interface SimulatedAdverseEvent {
  readonly kind: 'injection_site_pain' | 'joint_swelling' | 'systemic' | 'serious';
  /** Days after Day 0 of the onset. */
  readonly onsetDay: number;
  readonly durationDays: number;
  readonly grade: 1 | 2 | 3;
  readonly serious: boolean;
}

/** Everything that happens to one participant after enrolment. */
export interface SimulatedParticipant {
  readonly index: number;
  readonly arm: SimulatedArm;
  /** Kellgren–Lawrence grade (the randomization stratum) for trials simulated without screening. */
  readonly klGrade: 2 | 3;
  readonly indexKnee: SimulatedKnee;
  readonly baseline: MeasureValues;
  readonly baselineEffusion: EffusionFindings;
  readonly baselineKoosAnswers: Readonly<Record<string, number>>;
  /** PRO follow-ups M3…Y5 in order (examination values at M3, M12, M24). */
  readonly followUps: readonly SimulatedFollowUp[];
  /** The follow-up at which the participant dropped out (first visit not done), or null. */
  readonly droppedAt: string | null;
  /** Study day of the withdrawal, when the participant dropped out. */
  readonly dropoutDay: number | null;
  readonly deNovoDsa: boolean;
  readonly adverseEvents: readonly SimulatedAdverseEvent[];
}

/** A reproducible per-participant stream: independent of how many participants were drawn before. */
export function participantRandom(seed: number, index: number): SeededRandom {
  return createSeededRandom((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const roundTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * KOOS answers whose subscale scores are as close as the instrument allows to the wanted scores:
 * a subscale of k items scores 100 − 25·sum/k, so the wanted sum is k·(100 − score)/25, rounded and
 * spread over the items as evenly as possible (the first items get the extra points).
 */
export function koosAnswersForScores(scores: Readonly<Record<KoosSubscaleId, number>>): Record<string, number> {
  const answers: Record<string, number> = {};
  for (const sub of KOOS_SUBSCALES) {
    const k = sub.items.length;
    const total = clamp(Math.round((k * (100 - scores[sub.id])) / 25), 0, 4 * k);
    const base = Math.floor(total / k);
    const extra = total - base * k;
    sub.items.forEach((item, i) => {
      answers[item] = base + (i < extra ? 1 : 0);
    });
  }
  return answers;
}

/** The KOOS score a subscale's answers give (100 − 25·mean). */
function koosScore(answers: Readonly<Record<string, number>>, sub: (typeof KOOS_SUBSCALES)[number]): number {
  const sum = sub.items.reduce((s, item) => s + (answers[item] ?? 0), 0);
  return 100 - (sum * 25) / sub.items.length;
}

/** Rounds/clamps raw measure values as they are recorded; KOOS values become the scores of the answers. */
function recordValues(raw: Record<SimulatedMeasure, number>): {
  values: MeasureValues;
  answers: Record<string, number>;
} {
  const answers = koosAnswersForScores({
    symptoms: raw.koos_symptoms,
    pain: raw.koos_pain,
    adl: raw.koos_adl,
    sport: raw.koos_sport,
    qol: raw.koos_qol,
  });
  const values = {} as Record<SimulatedMeasure, number>;
  for (const m of SIMULATED_MEASURES) {
    const spec = MEASURES[m];
    values[m] = roundTo(clamp(raw[m], spec.min, spec.max), spec.decimals);
  }
  for (const sub of KOOS_SUBSCALES) values[`koos_${sub.id}`] = koosScore(answers, sub);
  return { values, answers };
}

function effusionFindings(rng: SeededRandom, effusion: boolean): EffusionFindings {
  if (!effusion) return { strokeTest: '0', patellarTap: false, effusion: false };
  const strokeTest = rng.pick(['trace', 'trace', '1+', '1+', '2+', '3+'] as const);
  return {
    strokeTest,
    patellarTap: strokeTest === '2+' || strokeTest === '3+' ? rng.chance(0.7) : rng.chance(0.2),
    effusion: true,
  };
}

/** Draws a random value z with the given share c of a common factor f. */
const mixed = (rng: SeededRandom, f: number, c: number, sign: number): number =>
  Math.sqrt(c) * f * sign + Math.sqrt(1 - c) * rng.normal(0, 1);

/**
 * Simulates one enrolled participant in the given arm. The stream depends only on (seed, index):
 * drawing order is fixed, and the arm changes nothing but the treatment effect and the arm-specific
 * event rates.
 */
export function simulateParticipant(
  config: TrialSimulatorConfig,
  index: number,
  arm: SimulatedArm,
): SimulatedParticipant {
  const rng = participantRandom(config.seed, index);
  const treated = arm === 'ADMSC' ? 1 : 0;
  const indexKnee: SimulatedKnee = rng.chance(0.55) ? 'right' : 'left';

  // Baseline: correlated across measures through one "severity" factor.
  const severity = rng.normal(0, 1);
  const rawBaseline = {} as Record<SimulatedMeasure, number>;
  for (const m of SIMULATED_MEASURES) {
    const spec = MEASURES[m];
    rawBaseline[m] = spec.mean + spec.sd * mixed(rng, severity, 0.5, spec.sign === 1 ? -1 : 1);
  }
  const baselineRecorded = recordValues(rawBaseline);
  const baseline = baselineRecorded.values;
  const baselineEffusionYes = rng.chance(config.baselineEffusionRate);
  const baselineEffusion = effusionFindings(rng, baselineEffusionYes);

  // Errors: AR(1) per measure, correlated across measures through a per-visit factor.
  const errors = Object.fromEntries(SIMULATED_MEASURES.map((m) => [m, 0])) as Record<SimulatedMeasure, number>;
  const rho = config.correlation;
  const followUps: SimulatedFollowUp[] = [];
  let droppedAt: string | null = null;
  let dropoutDay: number | null = null;
  let lastKoos = baseline.koos_symptoms;
  let effusionLatent = baselineEffusionYes ? 1 : 0;
  PRO_FOLLOW_UPS.forEach((visit, j) => {
    const factor = rng.normal(0, 1);
    const raw = {} as Record<SimulatedMeasure, number>;
    for (const m of SIMULATED_MEASURES) {
      const spec = MEASURES[m];
      const z = mixed(rng, factor, config.crossCorrelation, spec.sign);
      errors[m] = j === 0 ? z : rho * errors[m] + Math.sqrt(1 - rho * rho) * z;
      const placebo = spec.placebo[Math.min(j, spec.placebo.length - 1)] ?? 0;
      const change =
        placebo +
        treated * config.effect * spec.effectScale +
        spec.slope * (baseline[m] - spec.mean) +
        config.sd * spec.sdScale * errors[m];
      raw[m] = baseline[m] + change;
    }
    const u = rng.next();
    const missedDraw = rng.next();
    const windowDraw = rng.next();
    const jitter = rng.next();
    const effusionDraw = rng.next();
    const findingsRng = participantRandom(config.seed ^ 0x5bd1e995, index * 16 + j);
    const plan = STEMJOINT_VISIT_PLAN.visits.find((v) => v.code === visit)!;
    // Dropout (MAR): decided before the visit from the last observed KOOS Symptoms score.
    if (droppedAt === null && j > 0) {
      const p = logistic(logit(config.dropoutPerVisit) + (config.dropoutSlopePer10 * (60 - lastKoos)) / 10);
      if (u < p) {
        droppedAt = visit;
        const previous = STEMJOINT_VISIT_PLAN.visits.find((v) => v.code === PRO_FOLLOW_UPS[j - 1])!;
        dropoutDay = Math.round(previous.targetDay + (plan.targetDay - previous.targetDay) * (0.2 + 0.6 * jitter));
      }
    }
    if (droppedAt !== null) {
      followUps.push({
        visit,
        status: 'dropped',
        day: null,
        outOfWindow: false,
        values: {},
        effusion: null,
        koosAnswers: null,
      });
      return;
    }
    if (missedDraw < config.missedVisitRate) {
      followUps.push({
        visit,
        status: 'missed',
        day: null,
        outOfWindow: false,
        values: {},
        effusion: null,
        koosAnswers: null,
      });
      return;
    }
    const halfWindow = (plan.latestDay - plan.earliestDay) / 2;
    const outOfWindow = windowDraw < config.outOfWindowRate;
    const offset = outOfWindow
      ? (jitter < 0.5 ? -1 : 1) * (halfWindow + 1 + (Math.floor(jitter * 40) % 20))
      : Math.round((jitter * 2 - 1) * halfWindow * 0.6);
    const recorded = recordValues(raw);
    const exam = (EXAM_FOLLOW_UPS as readonly string[]).includes(visit);
    const values: Partial<Record<SimulatedMeasure, number>> = {};
    for (const m of SIMULATED_MEASURES) {
      if (exam || m.startsWith('koos_') || m === 'nrs_pain') values[m] = recorded.values[m];
    }
    let effusion: EffusionFindings | null = null;
    if (exam) {
      // Effusion persists (latent state) and resolves more often with cells.
      const p = logistic(-0.8 + 1.6 * effusionLatent - treated * config.effect * 0.06);
      effusionLatent = effusionDraw < p ? 1 : 0;
      effusion = effusionFindings(findingsRng, effusionLatent === 1);
    }
    lastKoos = recorded.values.koos_symptoms;
    followUps.push({
      visit,
      status: 'done',
      day: plan.targetDay + offset,
      outOfWindow,
      values,
      effusion,
      koosAnswers: recorded.answers,
    });
  });

  const deNovoDsa = treated === 1 && rng.chance(config.deNovoDsaRate);
  const adverseEvents: SimulatedAdverseEvent[] = [];
  const lastDay = dropoutDay ?? 1826 + 60;
  if (rng.chance(config.injectionPainRate[arm])) {
    adverseEvents.push({
      kind: 'injection_site_pain',
      onsetDay: rng.int(0, 1),
      durationDays: rng.int(1, 6),
      grade: rng.chance(0.75) ? 1 : 2,
      serious: false,
    });
  }
  if (rng.chance(config.jointSwellingRate[arm])) {
    adverseEvents.push({
      kind: 'joint_swelling',
      onsetDay: rng.int(1, 3),
      durationDays: rng.int(3, 14),
      grade: rng.chance(0.6) ? 1 : rng.chance(0.85) ? 2 : 3,
      serious: false,
    });
  }
  // Systemic events: a Poisson process over the time in the study.
  let day = 5;
  for (;;) {
    day += Math.ceil((-Math.log(1 - rng.next()) * 365.25) / Math.max(config.systemicEventsPerYear, 1e-9));
    if (day > lastDay) break;
    adverseEvents.push({
      kind: 'systemic',
      onsetDay: day,
      durationDays: rng.int(2, 10),
      grade: rng.chance(0.8) ? 1 : 2,
      serious: false,
    });
  }
  if (rng.chance(config.seriousEventRate)) {
    adverseEvents.push({
      kind: 'serious',
      onsetDay: rng.int(10, Math.max(11, Math.min(lastDay, 1800))),
      durationDays: rng.int(5, 20),
      grade: 3,
      serious: true,
    });
  }
  const klGrade = rng.chance(0.5) ? 2 : 3;
  return {
    index,
    arm,
    klGrade,
    indexKnee,
    baseline,
    baselineEffusion,
    baselineKoosAnswers: baselineRecorded.answers,
    followUps,
    droppedAt,
    dropoutDay,
    deNovoDsa,
    adverseEvents,
  };
}

/** Arms for n participants by permuted blocks of 4 (1:1), from their own stream. */
export function permutedBlockArms(n: number, seed: number): SimulatedArm[] {
  const rng = createSeededRandom((seed ^ 0x27d4eb2d) >>> 0);
  const arms: SimulatedArm[] = [];
  while (arms.length < n) {
    const block: SimulatedArm[] = ['ADMSC', 'ADMSC', 'SALINE', 'SALINE'];
    for (let k = block.length - 1; k > 0; k--) {
      const r = rng.int(0, k);
      [block[k], block[r]] = [block[r]!, block[k]!];
    }
    arms.push(...block);
  }
  return arms.slice(0, n);
}

/** A whole randomized trial of n participants (permuted blocks of 4), for power and checks. */
export function simulateTrialParticipants(config: TrialSimulatorConfig, n: number): SimulatedParticipant[] {
  const arms = permutedBlockArms(n, config.seed);
  return arms.map((arm, i) => simulateParticipant(config, i, arm));
}

/** The calendar date of a study day. */
export function studyDate(day0: IsoDate, day: number): IsoDate {
  return addCalendarDays(day0, day);
}
