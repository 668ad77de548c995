import { createProtocolRegistry, type ProtocolRegistry } from './protocol-registry.js';
import { STEMJOINT_PROTOCOL, type StemjointProtocol } from './stemjoint.js';

/** Every STEMJOINT version; add amended versions here (see `amendProtocol`). */
const STEMJOINT_VERSIONS: readonly StemjointProtocol[] = [STEMJOINT_PROTOCOL];

let registry: ProtocolRegistry<StemjointProtocol> | undefined;

/**
 * The registry of every STEMJOINT protocol version. Built on first use, not at import: building
 * validates and freezes each version (tens of milliseconds), which importers of the definition
 * should not pay. The cache holds immutable data only, so sharing it is safe.
 */
export function stemjointRegistry(): ProtocolRegistry<StemjointProtocol> {
  registry ??= createProtocolRegistry(STEMJOINT_VERSIONS);
  return registry;
}

/** The STEMJOINT protocol of a given version (throws `not_found` for unknown versions). */
export function getStemjointProtocol(version: string): StemjointProtocol {
  return stemjointRegistry().getProtocol(version);
}

/** The current (highest) STEMJOINT protocol version, validated. */
export function currentStemjointProtocol(): StemjointProtocol {
  return stemjointRegistry().currentProtocol;
}
