/**
 * A plain-text explanation of an eligibility assessment for the investigator: the verdict, then
 * every criterion with its id, name, pass/fail/undecided and the inputs that decided it.
 */
import type { CriterionResult, EligibilityResult } from './assess-eligibility.js';
import type { ScreeningValue } from './screening-items.js';

/** Formats an input value the way a person reads it. */
function formatValue(item: string, value: ScreeningValue | null): string {
  if (value === null) return item === 'last_ia_injection_date' ? 'none (never)' : '(no value)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * Rounds a BMI for display, but never so that the shown value contradicts the unrounded one at the
 * cut-off (35.004 is shown in full, not as "35.00").
 */
export function formatBmi(bmi: number, cutOff = 35): string {
  const short = bmi.toFixed(2);
  return Number(short) === cutOff && bmi !== cutOff ? String(bmi) : short;
}

/** The evidence part of one criterion line: derived values first, then the deciding (or known) inputs. */
function describeEvidence(c: CriterionResult): string {
  const values = new Map(c.inputs.map((i) => [i.item as string, i.value]));
  const show = (item: string): string => `${item} = ${formatValue(item, values.get(item) ?? null)}`;
  const sources: { items: readonly string[]; text: string }[] = [];
  if (c.derived.age != null) {
    sources.push({
      items: ['date_of_birth', 'screening_date'],
      text: `age ${c.derived.age} years (${show('date_of_birth')}, ${show('screening_date')})`,
    });
  }
  if (c.derived.bmi != null) {
    sources.push({
      items: ['height_cm', 'weight_kg'],
      text: `BMI ${formatBmi(c.derived.bmi)} kg/m² (${show('height_cm')}, ${show('weight_kg')})`,
    });
  }
  const fromDerived = new Set(sources.flatMap((s) => s.items));
  // Undecided: show what is known so far and what is still needed; decided: only what decided it.
  const relevant = c.status === 'undecided' ? c.inputs.filter((i) => i.value !== null).map((i) => i.item) : c.decidedBy;
  const parts = [
    ...sources.filter((s) => s.items.some((item) => (relevant as string[]).includes(item))).map((s) => s.text),
    ...relevant.filter((item) => !fromDerived.has(item)).map(show),
  ];
  if (c.status === 'undecided') parts.push(`waiting for ${c.awaiting.join(', ')}`);
  return parts.join('; ');
}

const STATUS_LABEL = {
  inclusion: { pass: 'pass', fail: 'FAIL', undecided: 'undecided' },
  exclusion: { pass: 'pass', fail: 'FAIL (excludes)', undecided: 'undecided' },
} as const;

/** One line per criterion: `IC2  FAIL  Chronic knee pain … — knee_pain_months = 3`. */
export function explainCriterion(c: CriterionResult): string {
  const label = STATUS_LABEL[c.kind][c.status].padEnd(17);
  return `  ${c.id.padEnd(5)}${label}${c.name} — ${describeEvidence(c)}`;
}

/** The full explanation as lines of text. */
export function explainEligibility(result: EligibilityResult): string[] {
  const verdict =
    result.eligible === true
      ? 'ELIGIBLE'
      : result.eligible === false
        ? 'NOT ELIGIBLE'
        : 'UNDECIDED (more information needed)';
  const lines = [`Eligibility: ${verdict}`];
  if (result.unmet.length > 0) lines.push(`  Inclusion criteria not met: ${result.unmet.join(', ')}`);
  if (result.excluded.length > 0) lines.push(`  Exclusion criteria present: ${result.excluded.join(', ')}`);
  const { age, bmi } = result.derived;
  lines.push(
    `  Derived: age ${age === null ? 'unknown' : `${age} years`}, BMI ${bmi === null ? 'unknown' : `${formatBmi(bmi)} kg/m²`}`,
  );
  lines.push('', 'Inclusion criteria (all must be met):');
  for (const c of result.criteria.filter((c) => c.kind === 'inclusion')) lines.push(explainCriterion(c));
  lines.push('', 'Exclusion criteria (any one excludes):');
  for (const c of result.criteria.filter((c) => c.kind === 'exclusion')) lines.push(explainCriterion(c));
  lines.push('', result.missing.length > 0 ? `Missing items: ${result.missing.join(', ')}` : 'Missing items: none');
  return lines;
}
