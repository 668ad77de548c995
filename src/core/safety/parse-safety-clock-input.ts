/**
 * Validation of the safety-clock request as it arrives over the wire (CLI stdin, HTTP body):
 *
 *   { "investigator_awareness": instant | null, "sponsor_awareness": instant | null,
 *     "susar": boolean, "fatal_or_life_threatening": boolean }
 *
 * Awareness members may be null or omitted (that clock has not started). `susar` defaults to false.
 * `fatal_or_life_threatening` defaults to false only when `susar` is false: for a SUSAR it must be
 * stated, because guessing "no" would silently turn a 7-day deadline into a 15-day one.
 * Instants must carry an offset. Unknown members are refused (a typo must not drop a clock).
 */
import { invalid, type FieldIssue } from '../errors.js';
import type { SafetyClockInput } from './compute-safety-deadlines.js';
import { describeInstantProblem, parseInstant } from './parse-instant.js';

/** The accepted members, in the documented order. */
export const SAFETY_CLOCK_INPUT_KEYS = [
  'investigator_awareness',
  'sponsor_awareness',
  'susar',
  'fatal_or_life_threatening',
] as const;

/** Parses and validates the wire form; throws `TrialError` (validation_failed) naming each bad field. */
export function parseSafetyClockInput(value: unknown): SafetyClockInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('Safety clock input must be a JSON object', [{ path: '$', message: 'must be an object' }]);
  }
  const record = value as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(record)) {
    if (!(SAFETY_CLOCK_INPUT_KEYS as readonly string[]).includes(key)) {
      issues.push({ path: key, message: `unknown member (expected ${SAFETY_CLOCK_INPUT_KEYS.join(', ')})` });
    }
  }

  const instant = (key: 'investigator_awareness' | 'sponsor_awareness'): Date | null => {
    const raw = record[key];
    if (raw === undefined || raw === null) return null;
    if (typeof raw !== 'string') {
      issues.push({ path: key, message: 'must be an ISO 8601 instant string with offset, or null' });
      return null;
    }
    const problem = describeInstantProblem(raw);
    if (problem) {
      issues.push({ path: key, message: problem });
      return null;
    }
    return parseInstant(raw);
  };
  const flag = (key: 'susar' | 'fatal_or_life_threatening'): boolean | undefined => {
    const raw = record[key];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'boolean') {
      issues.push({ path: key, message: 'must be true or false' });
      return undefined;
    }
    return raw;
  };

  const investigatorAwareness = instant('investigator_awareness');
  const sponsorAwareness = instant('sponsor_awareness');
  const susar = flag('susar');
  const fatal = flag('fatal_or_life_threatening');
  if (susar === true && fatal === undefined && record.fatal_or_life_threatening === undefined) {
    issues.push({ path: 'fatal_or_life_threatening', message: 'required when susar is true' });
  }
  if (issues.length > 0) throw invalid('Invalid safety clock input', issues);
  return { investigatorAwareness, sponsorAwareness, susar: susar ?? false, fatalOrLifeThreatening: fatal ?? false };
}
