import { invalid } from '../errors.js';
import type { ProtocolDefinition } from './definition-types.js';
import { validateProtocol } from './validate-protocol.js';

/** How many issues the error message spells out before summarising the rest. */
const ISSUES_IN_MESSAGE = 5;

/**
 * Validates a protocol definition and returns it deeply frozen, so no caller can change the
 * protocol a record was collected under. Throws `TrialError('validation_failed')` whose details
 * carry one `{ path, message, code }` per error (e.g. `visits[M3].forms[mri_moaks]`), and whose
 * message names the first problems. Warnings do not prevent loading.
 *
 * @param definition - the protocol definition
 * @returns the same definition, frozen
 */
export function loadProtocol<P extends ProtocolDefinition>(definition: P): P {
  const result = validateProtocol(definition);
  if (!result.ok) {
    const shown = result.errors.slice(0, ISSUES_IN_MESSAGE).map((e) => `${e.path}: ${e.message}`);
    const more = result.errors.length - shown.length;
    const label = typeof definition?.version === 'string' ? `version ${definition.version}` : 'definition';
    throw invalid(
      `Protocol ${label} is invalid (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}): ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
      result.errors.map((e) => ({ path: e.path, message: e.message, code: e.code })),
    );
  }
  return deepFreeze(definition);
}

/** Freezes an object graph in place (the protocol is plain data without cycles). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
