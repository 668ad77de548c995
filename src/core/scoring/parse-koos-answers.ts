/**
 * Validation of raw KOOS answers (e.g. JSON from a form or the CLI). Input errors are reported per
 * item and never turned into "unanswered".
 */
import type { FieldIssue } from '../errors.js';
import { KOOS_ITEM_IDS, isKoosItemId, type KoosAnswer, type KoosAnswers } from './koos-items.js';

/** Result of `parseKoosAnswers`: the answers, or one issue per offending item. */
export type KoosAnswersParseResult = { ok: true; answers: KoosAnswers } | { ok: false; errors: FieldIssue[] };

/**
 * Reads an object `{ "S1": 0–4 | null, …, "Q4": … }`. null or a missing key is unanswered;
 * a value that is not an integer 0–4 and any key that is not a KOOS item are errors
 * (`path` = the item id).
 */
export function parseKoosAnswers(input: unknown): KoosAnswersParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '(answers)', message: 'must be a JSON object keyed by KOOS item id' }] };
  }
  const answers: KoosAnswers = {};
  const errors: FieldIssue[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (!isKoosItemId(key)) {
      errors.push({
        path: key,
        message: 'unknown item (KOOS items are S1–S7, P1–P9, A1–A17, SP1–SP5, Q1–Q4)',
        code: 'unknown_item',
      });
    } else if (value === null) {
      answers[key] = null;
    } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4) {
      answers[key] = value as KoosAnswer;
    } else {
      errors.push({
        path: key,
        message: `must be an integer 0–4 or null, got ${JSON.stringify(value)}`,
        code: 'out_of_range',
      });
    }
  }
  if (errors.length > 0) {
    // Report in the official item order (unknown keys last), so messages read like the form.
    const rank = (path: string): number => {
      const i = (KOOS_ITEM_IDS as readonly string[]).indexOf(path);
      return i < 0 ? KOOS_ITEM_IDS.length : i;
    };
    errors.sort((a, b) => rank(a.path) - rank(b.path));
    return { ok: false, errors };
  }
  return { ok: true, answers };
}
