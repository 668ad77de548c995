import { invalid, notFound } from '../errors.js';
import type { AmendmentDef, ProtocolDefinition } from './definition-types.js';
import { loadProtocol } from './load-protocol.js';
import { compareVersions } from './protocol-version.js';

/**
 * The versions of one protocol. Records are stored with the version they were collected under, so
 * every version stays retrievable after an amendment; `currentProtocol` is the highest version.
 */
export interface ProtocolRegistry<P extends ProtocolDefinition = ProtocolDefinition> {
  /** Versions in ascending order. */
  readonly versions: readonly string[];
  /** The highest version. */
  readonly currentProtocol: P;
  /** The protocol of a version; throws `not_found` for unknown versions. */
  getProtocol(version: string): P;
  /** Whether the registry holds a version. */
  hasVersion(version: string): boolean;
}

/**
 * Builds a registry from protocol versions. Each definition is validated and frozen
 * (`loadProtocol`); versions must be unique, belong to the same study, and each amendment history
 * must extend the previous version's history.
 *
 * @param definitions - every version of the protocol, in any order
 */
export function createProtocolRegistry<P extends ProtocolDefinition>(definitions: readonly P[]): ProtocolRegistry<P> {
  if (definitions.length === 0) throw invalid('A protocol registry needs at least one version');
  const loaded = definitions.map((d) => loadProtocol(d)).sort((a, b) => compareVersions(a.version, b.version));
  const byVersion = new Map<string, P>();
  loaded.forEach((protocol, i) => {
    const path = `versions[${protocol.version}]`;
    if (byVersion.has(protocol.version)) {
      throw invalid(`Duplicate protocol version ${protocol.version}`, [{ path, message: 'duplicate version' }]);
    }
    const previous = loaded[i - 1];
    if (previous !== undefined) {
      if (previous.study.id !== protocol.study.id) {
        throw invalid(`Protocol ${protocol.version} belongs to study ${protocol.study.id}, not ${previous.study.id}`, [
          { path: `${path}.study.id`, message: 'all versions must belong to the same study' },
        ]);
      }
      const prefix = previous.amendments.map((a) => a.version).join(',');
      const history = protocol.amendments.map((a) => a.version).join(',');
      if (!history.startsWith(`${prefix},`)) {
        throw invalid(`Protocol ${protocol.version} does not continue the history of ${previous.version}`, [
          { path: `${path}.amendments`, message: `amendment history must start with ${prefix}` },
        ]);
      }
    }
    byVersion.set(protocol.version, protocol);
  });
  const versions = loaded.map((p) => p.version);
  const current = loaded[loaded.length - 1] as P;
  return Object.freeze({
    versions,
    currentProtocol: current,
    getProtocol(version: string): P {
      const protocol = byVersion.get(version);
      if (protocol === undefined) throw notFound(`Protocol version ${version}`);
      return protocol;
    },
    hasVersion(version: string): boolean {
      return byVersion.has(version);
    },
  });
}

/** What an amendment changes, besides the edit itself. */
export interface AmendmentInput {
  /** New version; must be higher than the base version. */
  readonly version: string;
  /** ISO date (YYYY-MM-DD) the new version takes effect. */
  readonly effectiveDate: string;
  readonly summary: string;
}

/**
 * Produces an amended protocol: applies `edit` to a copy of `base`, sets the new version and
 * appends the amendment to the history. Pure (the base is not touched) and validated, so an
 * amendment that breaks a reference fails here rather than at data entry.
 *
 * @param base - the protocol being amended
 * @param amendment - new version, effective date and summary
 * @param edit - returns the changed definition (receives a mutable deep copy of `base`)
 */
export function amendProtocol(
  base: ProtocolDefinition,
  amendment: AmendmentInput,
  edit: (draft: ProtocolDefinition) => ProtocolDefinition,
): ProtocolDefinition {
  if (compareVersions(amendment.version, base.version) <= 0) {
    throw invalid(`Amendment version ${amendment.version} must be higher than ${base.version}`, [
      { path: 'version', message: `must be higher than ${base.version}` },
    ]);
  }
  const draft = structuredClone(base) as ProtocolDefinition;
  const edited = edit(draft);
  const entry: AmendmentDef = {
    version: amendment.version,
    previousVersion: base.version,
    effectiveDate: amendment.effectiveDate,
    summary: amendment.summary,
  };
  return loadProtocol({ ...edited, version: amendment.version, amendments: [...base.amendments, entry] });
}
