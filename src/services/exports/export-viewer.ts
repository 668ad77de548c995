/**
 * Who an export is for, decided once before a byte is written: whether it may carry the arms (a
 * by-arm, unblinded export), which forms and items it may contain and which sites' participants.
 * Every exporter asks the viewer instead of looking at roles itself, so the blind has one source.
 *
 * A blinded export contains no arm, no kit↔arm mapping, no product-chain (unblinded-only) form and
 * no item the protocol flags as potentially unblinding — whoever asks for it. An unblinded export
 * is given only to an actor that sees the allocation (`actorSeesArms`: unblinded pharmacist, DSMB,
 * the statistician after database lock) or, on the command line, to the operator (system actor)
 * who asks for it explicitly or whose database is locked.
 */
import { can } from '../../core/authorization.js';
import { forbidden } from '../../core/errors.js';
import type { FormDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { findForm, findItem, isVisibleToRole, type TrialPhase } from '../../core/protocol/protocol-queries.js';
import type { Role } from '../../core/roles.js';
import type { Executor } from '../../storage/database.js';
import { actorSites } from '../access.js';
import { actorSeesArms } from '../blinding.js';
import type { Actor } from '../context.js';

/** What an export may contain, for one actor. */
export interface ExportViewer {
  readonly actor: Actor;
  /** True for a by-arm (unblinded) export: arms, kits with arms, product chain, flagged items. */
  readonly unblinded: boolean;
  /** Whether the database was locked when the export started. */
  readonly phase: TrialPhase;
  /** Sites whose participants the export covers. */
  readonly sites: 'all' | readonly string[];
  /** Whether a form (and its data) belongs in the export. */
  canSeeForm(protocol: ProtocolDefinition, formId: string): boolean;
  /** Whether an item's values belong in the export. */
  canSeeItem(protocol: ProtocolDefinition, formId: string, itemId: string): boolean;
}

/** Options of {@link resolveExportViewer}. */
export interface ViewerOptions {
  /** Ask for an unblinded (by-arm) export. */
  readonly unblinded?: boolean;
}

async function databaseLocked(db: Executor): Promise<boolean> {
  const study = await db.selectFrom('study').select('database_locked').executeTakeFirst();
  return study?.database_locked === 1;
}

/** The blinded view: open forms and unflagged items only, whatever the roles. */
function blindedVisibility(protocol: ProtocolDefinition, formId: string, itemId?: string): boolean {
  const form = findForm(protocol, formId);
  if (form === undefined || form.blinding !== undefined) return false;
  if (itemId === undefined) return true;
  const item = findItem(form, itemId);
  return item !== undefined && item.blinding === undefined;
}

/**
 * Decides what an export for `actor` may contain. A user needs `export.create`; asking for an
 * unblinded export without seeing the allocation is refused (403) rather than silently blinded, so
 * the caller never mistakes a blinded file for a by-arm one. The system actor (command line without
 * `--as`) is unblinded when it asks (`--unblinded`) or when the database is locked.
 *
 * @param db - to read the database lock and the actor's unblinding
 * @param actor - who asks
 * @param options - whether an unblinded (by-arm) export is asked for
 */
export async function resolveExportViewer(
  db: Executor,
  actor: Actor,
  options: ViewerOptions = {},
): Promise<ExportViewer> {
  const locked = await databaseLocked(db);
  const phase: TrialPhase = locked ? 'locked' : 'blinded';
  if (actor.kind === 'user' && !can(actor.roles, 'export.create')) {
    throw forbidden('Exports are for data managers, statisticians and the DSMB');
  }
  let unblinded: boolean;
  if (actor.kind === 'system') {
    unblinded = options.unblinded === true || locked;
  } else {
    unblinded = options.unblinded === true;
    if (unblinded && !(await actorSeesArms(db, actor))) {
      throw forbidden(
        'A by-arm (unblinded) export needs a role that sees the allocation (DSMB, unblinded pharmacist) or, for the statistician, a locked database',
      );
    }
  }
  const roles: readonly Role[] = actor.kind === 'user' ? actor.roles : [];
  const sites = actor.kind === 'user' ? actorSites(actor, 'export.create') : 'all';
  const roleVisible = (protocol: ProtocolDefinition, formId: string, itemId?: string): boolean =>
    actor.kind === 'system' || roles.some((role) => isVisibleToRole(protocol, role, formId, itemId, phase));
  // Exports ask about every value; the answers depend only on (version, form, item), so they are memoised.
  const memo = new Map<string, boolean>();
  const decide = (protocol: ProtocolDefinition, formId: string, itemId?: string): boolean => {
    const key = `${protocol.version}\u0000${formId}\u0000${itemId ?? ''}`;
    let answer = memo.get(key);
    if (answer === undefined) {
      answer = unblinded ? roleVisible(protocol, formId, itemId) : blindedVisibility(protocol, formId, itemId);
      memo.set(key, answer);
    }
    return answer;
  };
  return {
    actor,
    unblinded,
    phase,
    sites,
    canSeeForm: (protocol, formId) => decide(protocol, formId),
    canSeeItem: (protocol, formId, itemId) => decide(protocol, formId, itemId),
  };
}

/** The forms of a protocol the viewer may see, in definition order. */
export function visibleForms(viewer: ExportViewer, protocol: ProtocolDefinition): FormDef[] {
  return protocol.forms.filter((f) => viewer.canSeeForm(protocol, f.id));
}
