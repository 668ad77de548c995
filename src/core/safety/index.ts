/** Public surface of the safety clocks (pure; the current time is always an argument). */
export { COPENHAGEN_TZ, endOfCopenhagenDay, formatCopenhagenInstant } from './copenhagen-time.js';
export { describeInstantProblem, parseInstant } from './parse-instant.js';
export {
  computeSafetyDeadlines,
  SAFETY_CLOCK_RULES,
  type SafetyClockInput,
  type SafetyDeadlines,
} from './compute-safety-deadlines.js';
export { deadlineStatus, DEADLINE_STATUSES, DUE_SOON_MS, type DeadlineStatus } from './deadline-status.js';
export { parseSafetyClockInput, SAFETY_CLOCK_INPUT_KEYS } from './parse-safety-clock-input.js';
export * from './ae-codes.js';
export * from './partial-date.js';
export * from './ae-input.js';
export * from './check-ae-consistency.js';
export * from './sae-case-deadlines.js';
export * from './safety-tables.js';
export * from './format-csv.js';
export * from './case-input.js';
