/**
 * The blind, enforced in one place. Every JSON response of a staff route (and every export) passes
 * through `presentForActor`, which removes allocation-revealing fields unless the actor may see the
 * allocation: the cell laboratory (unblinded pharmacist) and the DSMB always, the statistician only
 * after database lock (spec §4). Routes that exist to reveal an arm to one person (emergency
 * unblinding) declare it explicitly and are authorised on their own.
 */
import { ALWAYS_UNBLINDED_ROLES } from '../core/roles.js';
import type { Executor } from '../storage/database.js';
import type { Actor } from './context.js';

/**
 * Field names that carry the allocation anywhere in an API response or export. A blinded caller
 * never receives a field with one of these names, whatever route produced it.
 */
export const ARM_REVEALING_FIELDS: ReadonlySet<string> = new Set([
  'arm',
  'armCode',
  'armLabel',
  'allocatedArm',
  'allocation',
  'treatmentArm',
  'kitArm',
  'kitArmMap',
  'byArm',
]);

/** The arm codes; a blinded response must not contain them as values either (checked by the crawl test). */
export const ARM_CODES = ['ADMSC', 'SALINE'] as const;

export async function actorSeesArms(db: Executor, actor: Actor): Promise<boolean> {
  if (actor.kind === 'system') return true;
  if (actor.roles.some((r) => ALWAYS_UNBLINDED_ROLES.includes(r))) return true;
  if (actor.roles.includes('statistician')) {
    const study = await db.selectFrom('study').select('database_locked').executeTakeFirst();
    return study?.database_locked === 1;
  }
  return false;
}

/** Removes every allocation-revealing field, at any depth. Pure; returns a new value. */
export function stripArmFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripArmFields);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!ARM_REVEALING_FIELDS.has(k)) out[k] = stripArmFields(v);
  }
  return out;
}

/** What an actor may receive: the value itself, or the value with the allocation removed. */
export async function presentForActor<T>(db: Executor, actor: Actor, value: T): Promise<T> {
  return (await actorSeesArms(db, actor)) ? value : (stripArmFields(value) as T);
}
