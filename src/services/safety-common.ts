/** Small helpers shared by the safety services: input parsing, numbering, dates and visibility. */
import type { z } from 'zod';
import { invalid } from '../core/errors.js';
import { formatCopenhagenInstant, zodFieldIssues } from '../core/safety/index.js';
import type { Executor, Tx } from '../storage/database.js';
import { actorSeesArms } from './blinding.js';
import { actorLabel, type Actor } from './context.js';
import { isSafetyPhysician } from './safety-access.js';

/** Parses input with a zod schema; a 400 naming every offending field otherwise. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(message, zodFieldIssues(result.error));
  return result.data;
}

/** The next number of a gap-free counter (atomic UPDATE … RETURNING: safe across app instances). */
export async function nextSafetyNumber(
  tx: Tx,
  counter: 'adverse_event' | 'sae_case' | 'ae_review_task',
): Promise<number> {
  const row = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', counter)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** The Copenhagen calendar date of an instant (the site's "today"). */
export const copenhagenDate = (instant: Date): string => formatCopenhagenInstant(instant).slice(0, 10);

/** How an actor is named in safety records. */
export const byLabel = (actor: Actor): string => actorLabel(actor);

/** Whether the actor may see SUSAR classifications: unblinded roles, and designated safety physicians. */
export async function actorSeesSusar(db: Executor, actor: Actor): Promise<boolean> {
  return (await actorSeesArms(db, actor)) || (await isSafetyPhysician(db, actor));
}

/** The study id of a participant, for views. */
export async function studyIdsOf(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('participants')
    .select(['id', 'study_id'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.study_id]));
}
