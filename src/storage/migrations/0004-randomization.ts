/**
 * Allocation list, randomizations, the cell-product chain (donor → lot → vial → preparation →
 * administration) and emergency unblinding (issue 5). Unique constraints are the last line of
 * defence behind the services' atomic slot claim: a slot, a kit and a participant can each be
 * randomized only once, and a participant has at most one administration record.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, engine: Engine): Promise<void> {
  // PostgreSQL `real` is 4-byte; SQLite REAL is 8-byte. Measurements need the 8-byte type on both.
  const float = engine === 'postgres' ? 'double precision' : 'real';
  await db.schema
    .createTable('allocation_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('design', 'text', (c) => c.notNull())
    .addColumn('parameters_json', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('slot_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revealed_at', 'text')
    .execute();

  await db.schema
    .createTable('randomization_strata')
    .addColumn('stratum', 'text', (c) => c.primaryKey())
    .addColumn('slots', 'integer', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('allocation_slots')
    .addColumn('stratum', 'text', (c) => c.notNull().references('randomization_strata.stratum'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kit', 'text', (c) => c.notNull().unique())
    .addColumn('participant_id', 'text', (c) => c.unique().references('participants.id'))
    .addPrimaryKeyConstraint('allocation_slots_pk', ['stratum', 'seq'])
    .execute();

  await db.schema
    .createTable('randomizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().unique().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('stratum', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('randomization_number', 'text', (c) => c.notNull().unique())
    .addColumn('kit', 'text', (c) => c.notNull().unique())
    .addColumn('request_id', 'text')
    .addColumn('randomized_at', 'text', (c) => c.notNull())
    .addColumn('randomized_by', 'text', (c) => c.notNull())
    .addColumn('emergency_unblinded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('emergency_unblinded_at', 'text')
    .addUniqueConstraint('randomizations_stratum_seq', ['stratum', 'seq'])
    .execute();
  await db.schema.createIndex('randomizations_site').on('randomizations').column('site_id').execute();
  // Study-wide randomization numbers, … (per-stratum numbers would tell the stratum).
  await db.insertInto('counters').values({ name: 'randomization', value: 0 }).execute();

  await db.schema
    .createTable('donors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('donor_code', 'text', (c) => c.notNull().unique())
    .addColumn('eligibility', 'text', (c) => c.notNull())
    .addColumn('screening_tests_json', 'text', (c) => c.notNull())
    .addColumn('procurement_date', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('product_lots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lot_number', 'text', (c) => c.notNull().unique())
    .addColumn('donor_id', 'text', (c) => c.notNull().references('donors.id'))
    .addColumn('passage', 'integer', (c) => c.notNull())
    .addColumn('cryopreserved_on', 'text', (c) => c.notNull())
    .addColumn('expiry_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('release_results_json', 'text')
    .addColumn('release_failures_json', 'text')
    .addColumn('released_at', 'text')
    .addColumn('released_by', 'text')
    .addColumn('release_signature_id', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('product_lots_donor').on('product_lots').column('donor_id').execute();

  await db.schema
    .createTable('product_vials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vial_code', 'text', (c) => c.notNull().unique())
    .addColumn('lot_id', 'text', (c) => c.notNull().references('product_lots.id'))
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('product_vials_lot').on('product_vials').columns(['lot_id', 'status']).execute();

  await db.schema
    .createTable('dose_preparations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('randomization_id', 'text', (c) => c.notNull().references('randomizations.id'))
    .addColumn('kit', 'text', (c) => c.notNull())
    .addColumn('vial_id', 'text', (c) => c.unique().references('product_vials.id'))
    .addColumn('saline_batch', 'text')
    .addColumn('thawed_at', 'text', (c) => c.notNull())
    .addColumn('viable_cells_million', float)
    .addColumn('viability_pct', float)
    .addColumn('volume_ml', float, (c) => c.notNull())
    .addColumn('appearance', 'text', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('failures_json', 'text', (c) => c.notNull())
    .addColumn('use_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('post_release_sterility', 'text', (c) => c.notNull())
    .addColumn('prepared_by', 'text', (c) => c.notNull())
    .addColumn('signature_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dose_preparations_participant')
    .on('dose_preparations')
    .column('participant_id')
    .execute();

  await db.schema
    .createTable('administrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().unique().references('participants.id'))
    .addColumn('kit', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('preparation_id', 'text', (c) => c.unique().references('dose_preparations.id'))
    .addColumn('administered_at', 'text')
    .addColumn('day0', 'text')
    .addColumn('knee_side', 'text')
    .addColumn('ultrasound_guided', 'integer')
    .addColumn('volume_ml', float)
    .addColumn('injector', 'text')
    .addColumn('reason', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('emergency_unblindings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('signature_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('emergency_unblindings_participant')
    .on('emergency_unblindings')
    .column('participant_id')
    .execute();
}
