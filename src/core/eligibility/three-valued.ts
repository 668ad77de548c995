/**
 * Kleene three-valued logic (true / false / unknown) that remembers which inputs decided the
 * answer, so the investigator can be told *why* a criterion passed, failed or is still open.
 */
import type { ScreeningItemId } from './screening-items.js';

/** A truth value over partly known inputs, with its provenance. */
export interface Verdict {
  /** true, false, or null when the known inputs do not decide it. */
  value: boolean | null;
  /** Inputs whose values decided a true/false answer (empty when undecided). */
  decidedBy: ScreeningItemId[];
  /** Inputs without a value that keep an undecided answer open (empty when decided). */
  awaiting: ScreeningItemId[];
}

/**
 * A leaf test over some inputs: `test` runs only when every input is known (the caller passes the
 * values it needs); otherwise the verdict is undecided awaiting the unknown inputs.
 */
export function judge(reads: readonly { item: ScreeningItemId; known: boolean }[], test: () => boolean): Verdict {
  const unknown = reads.filter((r) => !r.known).map((r) => r.item);
  if (unknown.length > 0) return { value: null, decidedBy: [], awaiting: unknown };
  return { value: test(), decidedBy: reads.map((r) => r.item), awaiting: [] };
}

/** A verdict that is decided by a single known input (e.g. "no injection date" = never injected). */
export function decided(value: boolean, by: readonly ScreeningItemId[]): Verdict {
  return { value, decidedBy: [...by], awaiting: [] };
}

/** Conjunction: false as soon as one part is false; true when all are true; else undecided. */
export function allOf(...parts: Verdict[]): Verdict {
  const falses = parts.filter((p) => p.value === false);
  if (falses.length > 0) return { value: false, decidedBy: unite(falses.map((p) => p.decidedBy)), awaiting: [] };
  const open = parts.filter((p) => p.value === null);
  if (open.length > 0) return { value: null, decidedBy: [], awaiting: unite(open.map((p) => p.awaiting)) };
  return { value: true, decidedBy: unite(parts.map((p) => p.decidedBy)), awaiting: [] };
}

/** Disjunction: true as soon as one part is true; false when all are false; else undecided. */
export function anyOf(...parts: Verdict[]): Verdict {
  const trues = parts.filter((p) => p.value === true);
  if (trues.length > 0) return { value: true, decidedBy: unite(trues.map((p) => p.decidedBy)), awaiting: [] };
  const open = parts.filter((p) => p.value === null);
  if (open.length > 0) return { value: null, decidedBy: [], awaiting: unite(open.map((p) => p.awaiting)) };
  return { value: false, decidedBy: unite(parts.map((p) => p.decidedBy)), awaiting: [] };
}

function unite(lists: ScreeningItemId[][]): ScreeningItemId[] {
  return [...new Set(lists.flat())];
}
