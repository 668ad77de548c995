/** Request shapes for SAE cases and AE review tasks, shared by the HTTP routes and the services. */
import { z } from 'zod';
import { InstantSchema } from './ae-input.js';
import { SAE_SUBMISSION_KINDS } from './sae-case-deadlines.js';

/** A report sent or a receipt acknowledged, with when it happened (defaults to now). */
export const SaeSubmissionSchema = z
  .object({
    kind: z.enum(SAE_SUBMISSION_KINDS, { message: `must be one of ${SAE_SUBMISSION_KINDS.join(', ')}` }),
    occurredAt: InstantSchema.optional(),
    reference: z.string().trim().max(200).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();

/** The sponsor safety physician's SUSAR decision. */
export const SusarClassificationSchema = z
  .object({
    susar: z.boolean(),
    rationale: z.string().trim().min(1, 'must not be empty').max(2000),
    /** Day 0 of the SUSAR clock; defaults to the sponsor's acknowledgement of the SAE. */
    susarAwarenessAt: InstantSchema.optional(),
  })
  .strict();

/** Where a review signal comes from. */
export const AE_REVIEW_SOURCES = ['epro_diary', 'ecrf_vital_signs', 'ecrf_form', 'manual'] as const;
/** One review source. */
export type AeReviewSource = (typeof AE_REVIEW_SOURCES)[number];

/** A signal to review for a possible AE. */
export const AeReviewTaskSchema = z
  .object({
    participantId: z.string().min(1).max(100),
    source: z.enum(AE_REVIEW_SOURCES, { message: `must be one of ${AE_REVIEW_SOURCES.join(', ')}` }),
    /** The caller's key for the signal (e.g. a diary entry id); the same key never makes a second task. */
    sourceRef: z.string().trim().min(1).max(200).nullable().optional(),
    detail: z
      .object({
        summary: z.string().trim().min(1, 'must not be empty').max(500),
        /** Structured facts behind the signal, e.g. { diaryDay: 3, nrsWorst: 8, baselineNrs: 5 }. */
        data: z
          .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
          .optional(),
      })
      .strict(),
  })
  .strict();
