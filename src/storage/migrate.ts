/**
 * Versioned migrations, listed in code (not discovered on disk) so that a build cannot silently
 * drop one. Each migration is dialect-agnostic Kysely plus, where unavoidable, a per-engine branch.
 */
import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Database, Engine } from './database.js';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-screening-identity-consent.js';
import * as m0003 from './migrations/0003-ecrf.js';
import * as m0004 from './migrations/0004-randomization.js';
import * as m0005 from './migrations/0005-safety.js';
import * as m0006 from './migrations/0006-epro.js';
import * as m0007 from './migrations/0007-security.js';

interface EngineMigration {
  up(db: Parameters<Migration['up']>[0], engine: Engine): Promise<void>;
}

const MIGRATIONS: Record<string, EngineMigration> = {
  '0001-foundation': m0001,
  '0002-screening-identity-consent': m0002,
  '0003-ecrf': m0003,
  '0004-randomization': m0004,
  '0005-safety': m0005,
  '0006-epro': m0006,
  '0007-security': m0007,
};

class InCodeMigrationProvider implements MigrationProvider {
  readonly #engine: Engine;
  constructor(engine: Engine) {
    this.#engine = engine;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    const engine = this.#engine;
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db) => m.up(db, engine) } satisfies Migration]),
    );
  }
}

export interface MigrationOutcome {
  applied: string[];
  error?: Error;
}

/** Brings the schema to the latest version. Returns what was applied; never half-applies one migration. */
export async function migrateToLatest(database: Database): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db: database.db,
    provider: new InCodeMigrationProvider(database.engine),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  return error ? { applied, error: error instanceof Error ? error : new Error(String(error)) } : { applied };
}
