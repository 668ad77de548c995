/**
 * The software that produced a result, for the provenance stamp of analyses and reports: the
 * package name and version from package.json (read once), and the Node.js version. The statistics
 * engine is part of the package, so its version is the package version.
 */
import { readFileSync } from 'node:fs';

/** What produced a result. */
export interface SoftwareVersion {
  readonly name: string;
  readonly version: string;
  readonly node: string;
}

let cached: SoftwareVersion | null = null;

/** The running software's name and version. */
export function softwareVersion(): SoftwareVersion {
  if (cached) return cached;
  let name = 'stemjoint';
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      name?: string;
      version?: string;
    };
    name = pkg.name ?? name;
    version = pkg.version ?? version;
  } catch {
    // A packaged build without package.json beside the sources still stamps something honest.
    version = 'unknown';
  }
  cached = { name, version, node: process.version };
  return cached;
}
