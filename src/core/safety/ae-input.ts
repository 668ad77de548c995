/**
 * The shape of an adverse event as it arrives (API body, CLI, other services) and as it is stored,
 * as zod schemas shared by the HTTP routes and the services, so that every caller gets the same
 * field-level errors. Cross-field rules (end before onset, grade 5 without death, …) live in
 * `check-ae-consistency.ts`.
 */
import { z } from 'zod';
import {
  AE_ACTION_CODES,
  AE_OUTCOME_CODES,
  CAUSALITY_CODES,
  EXPECTEDNESS_CODES,
  type AeAction,
  type AeOutcome,
  type CausalityAssessment,
  type CtcaeGrade,
  type Expectedness,
  type SeriousnessFlags,
} from './ae-codes.js';
import { describePartialDateProblem, type PartialDate } from './partial-date.js';
import { describeInstantProblem } from './parse-instant.js';

const oneOf = (codes: readonly string[]): string => `must be one of ${codes.join(', ')}`;

/** A partial date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export const PartialDateSchema = z.string().superRefine((value, ctx) => {
  const problem = describePartialDateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An instant with an explicit offset (the safety clocks never guess a time zone). */
export const InstantSchema = z.string().superRefine((value, ctx) => {
  const problem = describeInstantProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Causality code. */
export const CausalitySchema = z.enum(CAUSALITY_CODES, { message: oneOf(CAUSALITY_CODES) });

/** Causality to the cell product and to the injection procedure. */
export const CausalityAssessmentSchema = z
  .object({ cellProduct: CausalitySchema, procedure: CausalitySchema })
  .strict();

const meddraCode = z.string().regex(/^\d{8}$/, 'must be an 8-digit MedDRA code');
const meddraName = z.string().trim().min(1).max(200);

/** MedDRA coding as entered by the site's coder (the dictionary itself is licensed and never shipped). */
export const MeddraSchema = z
  .object({
    version: z.string().regex(/^\d{1,2}\.\d$/, 'must be a MedDRA version such as 27.1'),
    lltCode: meddraCode.nullable().optional(),
    lltName: meddraName.nullable().optional(),
    ptCode: meddraCode.nullable().optional(),
    ptName: meddraName.nullable().optional(),
    socCode: meddraCode.nullable().optional(),
    socName: meddraName.nullable().optional(),
  })
  .strict()
  .refine((m) => Boolean(m.lltCode || m.ptCode || m.socCode), {
    message: 'give at least one MedDRA code (LLT, PT or SOC)',
    path: ['lltCode'],
  });

/** The six seriousness flags, each required (a missing flag is not "no"). */
export const SeriousnessSchema = z
  .object({
    death: z.boolean(),
    lifeThreatening: z.boolean(),
    hospitalisation: z.boolean(),
    disability: z.boolean(),
    congenitalAnomaly: z.boolean(),
    importantMedicalEvent: z.boolean(),
  })
  .strict();

/** CTCAE grade 1–5. */
export const GradeSchema = z
  .number({ message: 'must be a CTCAE grade 1–5' })
  .int('must be a whole CTCAE grade 1–5')
  .min(1, 'must be a CTCAE grade 1–5')
  .max(5, 'must be a CTCAE grade 1–5');

const ActionSchema = z.enum(AE_ACTION_CODES, { message: oneOf(AE_ACTION_CODES) });
const OutcomeSchema = z.enum(AE_OUTCOME_CODES, { message: oneOf(AE_OUTCOME_CODES) });

/** The clinical content of an AE that the site records; every field of one version. */
export const AeRecordFields = {
  verbatimTerm: z.string().trim().min(1, 'must not be empty').max(200),
  meddra: MeddraSchema.nullable(),
  onsetDate: PartialDateSchema,
  /** null = ongoing. */
  endDate: PartialDateSchema.nullable(),
  grade: GradeSchema,
  seriousness: SeriousnessSchema,
  localToIndexKnee: z.boolean().nullable(),
  investigatorCausality: CausalityAssessmentSchema.nullable(),
  actionTaken: z.array(ActionSchema).min(1, 'name at least one action (or none)').max(AE_ACTION_CODES.length),
  outcome: OutcomeSchema,
  narrative: z.string().max(4000).nullable(),
};

/** A new AE: the record plus the participant and when the site became aware of it. */
export const NewAdverseEventSchema = z
  .object({
    participantId: z.string().min(1).max(100),
    ...AeRecordFields,
    meddra: AeRecordFields.meddra.optional(),
    endDate: AeRecordFields.endDate.optional(),
    localToIndexKnee: AeRecordFields.localToIndexKnee.optional(),
    investigatorCausality: AeRecordFields.investigatorCausality.optional(),
    narrative: AeRecordFields.narrative.optional(),
    siteAwarenessAt: InstantSchema,
    /** When the site learned that the event is serious; defaults to `siteAwarenessAt`. */
    seriousAwarenessAt: InstantSchema.optional(),
  })
  .strict();

/** A follow-up or correction: the fields that change, why, and (when it becomes serious) since when the site knows. */
export const AdverseEventChangeSchema = z
  .object({
    changes: z.object(AeRecordFields).partial().strict(),
    reason: z.string().trim().min(1, 'must not be empty').max(1000),
    seriousAwarenessAt: InstantSchema.optional(),
  })
  .strict();

/** The sponsor's assessment: its own causality, and expectedness against a named RSI version. */
export const SponsorAssessmentSchema = z
  .object({
    causality: CausalityAssessmentSchema,
    expectedness: z.enum(EXPECTEDNESS_CODES, { message: oneOf(EXPECTEDNESS_CODES) }),
    rsiVersion: z.string().trim().min(1, 'must name the reference safety information version').max(40),
    comment: z.string().max(4000).nullable().optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

/** MedDRA coding of one event. */
export interface MeddraCoding {
  version: string;
  lltCode: string | null;
  lltName: string | null;
  ptCode: string | null;
  ptName: string | null;
  socCode: string | null;
  socName: string | null;
}

/** One version of the site's AE record (clinical content). */
export interface AeRecord {
  verbatimTerm: string;
  meddra: MeddraCoding | null;
  onsetDate: PartialDate;
  endDate: PartialDate | null;
  grade: CtcaeGrade;
  seriousness: SeriousnessFlags;
  localToIndexKnee: boolean | null;
  investigatorCausality: CausalityAssessment | null;
  actionTaken: AeAction[];
  outcome: AeOutcome;
  narrative: string | null;
}

/** The sponsor's assessment as stored. */
export interface SponsorAssessment {
  causality: CausalityAssessment;
  expectedness: Expectedness;
  rsiVersion: string;
  comment: string | null;
}

/** Normalises parsed MedDRA input (absent members become null). */
export function normalizeMeddra(m: z.output<typeof MeddraSchema> | null | undefined): MeddraCoding | null {
  if (!m) return null;
  return {
    version: m.version,
    lltCode: m.lltCode ?? null,
    lltName: m.lltName ?? null,
    ptCode: m.ptCode ?? null,
    ptName: m.ptName ?? null,
    socCode: m.socCode ?? null,
    socName: m.socName ?? null,
  };
}

/** Builds the stored record from a parsed new-AE body. */
export function recordFromNewAdverseEvent(input: z.output<typeof NewAdverseEventSchema>): AeRecord {
  return {
    verbatimTerm: input.verbatimTerm,
    meddra: normalizeMeddra(input.meddra),
    onsetDate: input.onsetDate,
    endDate: input.endDate ?? null,
    grade: input.grade as CtcaeGrade,
    seriousness: input.seriousness,
    localToIndexKnee: input.localToIndexKnee ?? null,
    investigatorCausality: input.investigatorCausality ?? null,
    actionTaken: [...new Set(input.actionTaken)],
    outcome: input.outcome,
    narrative: input.narrative?.trim() ? input.narrative.trim() : null,
  };
}

/** Applies parsed changes to a record (a new version; the old one is kept by the caller). */
export function applyAeChanges(
  record: AeRecord,
  changes: z.output<typeof AdverseEventChangeSchema>['changes'],
): AeRecord {
  const next: AeRecord = { ...record };
  if (changes.verbatimTerm !== undefined) next.verbatimTerm = changes.verbatimTerm;
  if (changes.meddra !== undefined) next.meddra = normalizeMeddra(changes.meddra);
  if (changes.onsetDate !== undefined) next.onsetDate = changes.onsetDate;
  if (changes.endDate !== undefined) next.endDate = changes.endDate;
  if (changes.grade !== undefined) next.grade = changes.grade as CtcaeGrade;
  if (changes.seriousness !== undefined) next.seriousness = changes.seriousness;
  if (changes.localToIndexKnee !== undefined) next.localToIndexKnee = changes.localToIndexKnee;
  if (changes.investigatorCausality !== undefined) next.investigatorCausality = changes.investigatorCausality;
  if (changes.actionTaken !== undefined) next.actionTaken = [...new Set(changes.actionTaken)];
  if (changes.outcome !== undefined) next.outcome = changes.outcome;
  if (changes.narrative !== undefined) next.narrative = changes.narrative?.trim() ? changes.narrative.trim() : null;
  return next;
}

/** Turns zod issues into field-level details (`prefix.path`). */
export function zodFieldIssues(error: z.ZodError, prefix = ''): { path: string; message: string; code: string }[] {
  return error.issues.flatMap((i) => {
    const base = [prefix, ...i.path.map(String)].filter(Boolean);
    // An unknown member is named itself, so that a typo points at the offending field.
    const keys = i.code === 'unrecognized_keys' ? i.keys : [null];
    return keys.map((k) => ({
      path: [...base, ...(k === null ? [] : [k])].join('.') || '$',
      message: i.message,
      code: i.code,
    }));
  });
}
