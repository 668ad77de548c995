/**
 * The trial simulator against its own configuration (issue 11 acceptance): screen-failure causes
 * occur at their configured rates, dropout at each visit happens at the rate the MAR model implies
 * for the participants at risk, the treatment effect estimated by the primary MMRM over many seeds
 * is the configured effect, and the KOOS answers score to the intended subscale scores. Every check
 * is a z-test at 4 standard errors (false alarm about 1 in 16,000 per check), with the seeds fixed.
 */
import { describe, expect, it } from 'vitest';
import { assessEligibility } from '../src/core/eligibility/index.js';
import { createSeededRandom } from '../src/core/simulation/seeded-random.js';
import { DEFAULT_SCREEN_FAILURE_RATES, syntheticPerson } from '../src/core/simulation/synthetic-screening.js';
import {
  DEFAULT_SIMULATOR_CONFIG,
  koosAnswersForScores,
  PRO_FOLLOW_UPS,
  resolveSimulatorConfig,
  simulateParticipant,
  simulateTrialParticipants,
} from '../src/core/simulation/trial-simulator.js';
import { simulatePower } from '../src/core/simulation/trial-simulator-power.js';
import { KOOS_SUBSCALES } from '../src/core/scoring/koos-items.js';
import { scoreKoos } from '../src/core/scoring/score-koos.js';

/** |observed − expected| within `k` standard errors of a proportion. */
function expectProportion(events: number, n: number, p: number, k = 4): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  expect(
    Math.abs(events / n - p),
    `observed ${events}/${n} = ${(events / n).toFixed(4)}, expected ${p.toFixed(4)} ± ${(k * se).toFixed(4)}`,
  ).toBeLessThanOrEqual(k * se + 1e-12);
}

describe('screening: screen-failure causes at their configured rates', () => {
  const n = 20_000;
  const rng = createSeededRandom(4242);
  const people = Array.from({ length: n }, () => syntheticPerson(rng, '2024-03-01'));
  const rates = DEFAULT_SCREEN_FAILURE_RATES;

  it('not reached and declining people', () => {
    expectProportion(people.filter((p) => p.approach === 'not_reached').length, n, rates.notReached);
    // Declining is asked only of those reached.
    const reached = people.filter((p) => p.approach !== 'not_reached');
    expectProportion(reached.filter((p) => p.approach === 'declines').length, reached.length, rates.declines);
  });

  it.each([
    ['EC10', 'diabetes', rates.diabetes],
    ['EC1', 'klGrade4', rates.klGrade4],
    ['IC4', 'malalignment', rates.malalignment],
    ['EC14', 'inflammatoryArthritis', rates.inflammatoryArthritis],
  ] as const)('%s (%s) fails at its rate', (criterion, _cause, rate) => {
    const failed = people.filter((p) => {
      const r = assessEligibility(p.values);
      return (r.unmet as string[]).includes(criterion) || (r.excluded as string[]).includes(criterion);
    }).length;
    expectProportion(failed, n, rate);
  });

  it('the screen-failure rate is what the independent causes imply', () => {
    const ineligible = people.filter((p) => assessEligibility(p.values).eligible === false).length;
    // The configured causes, plus the small fixed rates of the other causes in the generator.
    const independent = [
      rates.ageOutOfRange,
      rates.bmiAtLeast35,
      rates.klGrade4 + (1 - rates.klGrade4) * rates.jswOutOfRange,
      rates.malalignment,
      rates.diabetes,
      rates.recentInjection,
      rates.instability,
      rates.mriContraindication,
      rates.inflammatoryArthritis,
    ];
    const lowerBound = 1 - independent.reduce((q, p) => q * (1 - p), 1);
    expect(ineligible / n).toBeGreaterThan(lowerBound - 0.01);
    expect(ineligible / n).toBeLessThan(lowerBound + 0.12);
  });
});

describe('follow-up: dropout, missed visits and visit windows', () => {
  const config = resolveSimulatorConfig({ seed: 99 });
  const participants = simulateTrialParticipants(config, 8_000);

  it('dropout at each visit matches the MAR model for those at risk', () => {
    for (let j = 1; j < PRO_FOLLOW_UPS.length; j++) {
      let atRisk = 0;
      let dropped = 0;
      let expected = 0;
      let variance = 0;
      for (const p of participants) {
        if (p.followUps[j - 1]!.status === 'dropped') continue;
        // The last observed KOOS Symptoms score before visit j.
        let last = p.baseline.koos_symptoms;
        for (let k = 0; k < j; k++) if (p.followUps[k]!.status === 'done') last = p.followUps[k]!.values.koos_symptoms!;
        const logit =
          Math.log(config.dropoutPerVisit / (1 - config.dropoutPerVisit)) +
          (config.dropoutSlopePer10 * (60 - last)) / 10;
        const q = 1 / (1 + Math.exp(-logit));
        atRisk += 1;
        expected += q;
        variance += q * (1 - q);
        if (p.followUps[j]!.status === 'dropped') dropped += 1;
      }
      expect(
        Math.abs(dropped - expected),
        `visit ${PRO_FOLLOW_UPS[j]}: ${dropped} dropped of ${atRisk}, expected ${expected.toFixed(1)}`,
      ).toBeLessThanOrEqual(4 * Math.sqrt(variance));
    }
    expect(participants.every((p) => p.followUps[0]!.status !== 'dropped')).toBe(true);
  });

  it('missed visits and out-of-window visits at their rates', () => {
    const inStudy = participants.flatMap((p) => p.followUps.filter((f) => f.status !== 'dropped'));
    expectProportion(inStudy.filter((f) => f.status === 'missed').length, inStudy.length, config.missedVisitRate);
    const done = inStudy.filter((f) => f.status === 'done');
    expectProportion(done.filter((f) => f.outOfWindow).length, done.length, config.outOfWindowRate);
  });

  it('de novo DSA only in the cell arm, at its rate', () => {
    expect(participants.filter((p) => p.arm === 'SALINE' && p.deNovoDsa).length).toBe(0);
    const cells = participants.filter((p) => p.arm === 'ADMSC');
    expectProportion(cells.filter((p) => p.deNovoDsa).length, cells.length, config.deNovoDsaRate);
  });

  it('is reproducible, and the arm changes only the treatment effect (common random numbers)', () => {
    expect(simulateParticipant(config, 17, 'ADMSC')).toEqual(simulateParticipant(config, 17, 'ADMSC'));
    const a = simulateParticipant(resolveSimulatorConfig({ seed: 99, effect: 0 }), 17, 'ADMSC');
    const b = simulateParticipant(resolveSimulatorConfig({ seed: 99, effect: 0 }), 17, 'SALINE');
    expect(a.baseline).toEqual(b.baseline);
    expect(a.followUps.map((f) => f.values.koos_symptoms)).toEqual(b.followUps.map((f) => f.values.koos_symptoms));
  });
});

describe('KOOS answers', () => {
  it('score to the wanted subscale scores within the instrument’s step', () => {
    const rng = createSeededRandom(5);
    for (let i = 0; i < 500; i++) {
      const wanted = {
        symptoms: rng.next() * 100,
        pain: rng.next() * 100,
        adl: rng.next() * 100,
        sport: rng.next() * 100,
        qol: rng.next() * 100,
      };
      const scores = scoreKoos(koosAnswersForScores(wanted) as Parameters<typeof scoreKoos>[0]);
      for (const sub of KOOS_SUBSCALES) {
        expect(Math.abs(scores[sub.id]! - wanted[sub.id])).toBeLessThanOrEqual(100 / 4 / sub.items.length / 2 + 1e-9);
      }
    }
  });
});

describe('the treatment effect', () => {
  it('the primary MMRM recovers the configured effect over many seeds, and the test holds its level under the null', () => {
    // Effect 5, SD 10: KOOS scores stay away from 0 and 100, so clipping does not bias the effect.
    const run = simulatePower({ effect: 5, sd: 10, n: 120, reps: 60, seed: 31 });
    expect(run.failures).toBe(0);
    expect(Math.abs(run.estimate.mean - 5), `mean estimate ${run.estimate.mean.toFixed(3)}`).toBeLessThanOrEqual(
      4 * (run.estimate.sd / Math.sqrt(run.fitted)) + 0.3,
    );
    // The model's SE describes the spread of the estimates.
    expect(run.meanSe / run.estimate.sd).toBeGreaterThan(0.7);
    expect(run.meanSe / run.estimate.sd).toBeLessThan(1.4);
    const nullRun = simulatePower({ effect: 0, sd: 10, n: 120, reps: 60, seed: 32 });
    expect(nullRun.significant).toBeLessThanOrEqual(10);
    expect(DEFAULT_SIMULATOR_CONFIG.effect).toBe(8);
  }, 120_000);
});
