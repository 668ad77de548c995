/**
 * KOOS (Knee injury and Osteoarthritis Outcome Score) item ids and subscales, in the official
 * order (spec §6, data dictionary §1.1). Items are coded 0–4, 0 = no problem.
 */

/** Subscale ids, in reporting order. */
export const KOOS_SUBSCALE_IDS = ['symptoms', 'pain', 'adl', 'sport', 'qol'] as const;
/** A KOOS subscale id. */
export type KoosSubscaleId = (typeof KOOS_SUBSCALE_IDS)[number];

/** All 42 item ids in the official order: S1–S7, P1–P9, A1–A17, SP1–SP5, Q1–Q4. */
// prettier-ignore
export const KOOS_ITEM_IDS = [
  'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7',
  'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9',
  'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10', 'A11', 'A12', 'A13', 'A14', 'A15', 'A16', 'A17',
  'SP1', 'SP2', 'SP3', 'SP4', 'SP5',
  'Q1', 'Q2', 'Q3', 'Q4',
] as const;
/** A KOOS item id. */
export type KoosItemId = (typeof KOOS_ITEM_IDS)[number];

/** One answer: 0 (no problem) … 4 (extreme problem). */
export type KoosAnswer = 0 | 1 | 2 | 3 | 4;

/** Answers by item; null or an absent key means unanswered. */
export type KoosAnswers = Partial<Record<KoosItemId, KoosAnswer | null>>;

/** A subscale: its items and the minimum number answered for a valid score (the 2012 ≥ 50 % rule). */
export interface KoosSubscale {
  readonly id: KoosSubscaleId;
  readonly label: string;
  readonly items: readonly KoosItemId[];
  readonly minAnswered: number;
}

/** Name of the missing-data rule in force, stored beside scores so old and new rules never mix. */
export const KOOS_SCORING_RULE_VERSION = 'koos-2012-half-answered' as const;

/** The five subscales with their thresholds (Symptoms 4/7, Pain 5/9, ADL 9/17, Sport 3/5, QOL 2/4). */
export const KOOS_SUBSCALES: readonly KoosSubscale[] = [
  { id: 'symptoms', label: 'Symptoms', items: KOOS_ITEM_IDS.slice(0, 7), minAnswered: 4 },
  { id: 'pain', label: 'Pain', items: KOOS_ITEM_IDS.slice(7, 16), minAnswered: 5 },
  { id: 'adl', label: 'Function in daily living (ADL)', items: KOOS_ITEM_IDS.slice(16, 33), minAnswered: 9 },
  { id: 'sport', label: 'Function in sport and recreation', items: KOOS_ITEM_IDS.slice(33, 38), minAnswered: 3 },
  { id: 'qol', label: 'Knee-related quality of life', items: KOOS_ITEM_IDS.slice(38, 42), minAnswered: 2 },
];

/** True when `key` is one of the 42 KOOS item ids. */
export function isKoosItemId(key: string): key is KoosItemId {
  return (KOOS_ITEM_IDS as readonly string[]).includes(key);
}
