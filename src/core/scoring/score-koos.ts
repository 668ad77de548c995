/**
 * KOOS subscale scores (spec §6): score = 100 − mean(answered items) × 25, scored only when at
 * least half of the subscale's items are answered, else null. Stored unrounded; round for display.
 */
import { KOOS_SUBSCALES, type KoosAnswers, type KoosSubscale, type KoosSubscaleId } from './koos-items.js';

/** The five subscale scores (0 = extreme problems, 100 = none), null when too few items were answered. */
export type KoosScores = Record<KoosSubscaleId, number | null>;

/** Scores one subscale; null when fewer than `minAnswered` items have an answer. */
export function scoreKoosSubscale(subscale: KoosSubscale, answers: KoosAnswers): number | null {
  let sum = 0;
  let answered = 0;
  for (const item of subscale.items) {
    const value = answers[item];
    if (value === null || value === undefined) continue;
    sum += value;
    answered += 1;
  }
  if (answered < subscale.minAnswered) return null;
  // 100 − (sum / n) × 25, written as one division so whole-number means stay exact.
  return 100 - (sum * 25) / answered;
}

/** Scores every subscale of a (validated) set of KOOS answers; see `parseKoosAnswers` for raw input. */
export function scoreKoos(answers: KoosAnswers): KoosScores {
  const scores = {} as KoosScores;
  for (const subscale of KOOS_SUBSCALES) scores[subscale.id] = scoreKoosSubscale(subscale, answers);
  return scores;
}
