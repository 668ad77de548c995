/**
 * The blind on the eCRF read path, in one helper: which items of a form the actor may see. Items
 * the protocol flags as potentially unblinding (donor-specific antibody results, de novo DSA) are
 * visible only to the roles it lists (and, after database lock, to the roles unblinded then).
 * Every read of the eCRF services — form values, derived values, item history, changes since
 * verification, queries on items — removes the items this helper says the actor may not see, and
 * blinded writers can neither enter nor erase them.
 */
import type { FormDef, ProtocolDefinition } from '../core/protocol/definition-types.js';
import { isVisibleToRole } from '../core/protocol/protocol-queries.js';
import { hiddenItemIds } from '../core/ecrf/mask-values.js';
import type { Role } from '../core/roles.js';
import type { Executor } from '../storage/database.js';
import type { Actor } from './context.js';

/** What one actor may see of the eCRF. */
export interface ItemVisibility {
  /** Whether the actor may see the item's value. */
  canSee(protocol: ProtocolDefinition, formId: string, itemId: string): boolean;
  /** The item ids of a form hidden from the actor (memoised per form). */
  hiddenItems(protocol: ProtocolDefinition, form: FormDef): ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The item visibility of an actor. System actors see everything; a person sees an item when one of
 * their roles may (`isVisibleToRole`), in the trial phase given by the database lock.
 *
 * @param db - to read whether the database is locked (some roles are unblinded only then)
 * @param actor - the reader
 */
export async function itemVisibilityFor(db: Executor, actor: Actor): Promise<ItemVisibility> {
  if (actor.kind === 'system') return { canSee: () => true, hiddenItems: () => EMPTY };
  const study = await db.selectFrom('study').select('database_locked').executeTakeFirst();
  return itemVisibilityForRoles(actor.roles, study?.database_locked === 1 ? 'locked' : 'blinded');
}

/** The item visibility of a set of roles in a trial phase (no database access). */
export function itemVisibilityForRoles(roles: readonly Role[], phase: 'blinded' | 'locked'): ItemVisibility {
  const cache = new WeakMap<FormDef, ReadonlySet<string>>();
  const canSee = (protocol: ProtocolDefinition, formId: string, itemId: string): boolean =>
    roles.some((role) => isVisibleToRole(protocol, role, formId, itemId, phase));
  return {
    canSee,
    hiddenItems(protocol, form) {
      let hidden = cache.get(form);
      if (hidden === undefined) {
        // Forms without any blinding flag are the norm: skip the per-item walk for them.
        const flagged =
          form.blinding !== undefined || form.itemGroups.some((g) => g.items.some((i) => i.blinding !== undefined));
        hidden = flagged ? hiddenItemIds(form, (itemId) => canSee(protocol, form.id, itemId)) : EMPTY;
        cache.set(form, hidden);
      }
      return hidden;
    },
  };
}
