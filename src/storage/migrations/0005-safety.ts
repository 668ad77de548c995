/** Adverse events, SAE cases and their clocks (issue 6). */
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
type AnyDb = Kysely<any>;

export async function up(_db: AnyDb, _engine: Engine): Promise<void> {}
