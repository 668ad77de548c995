/**
 * Screening log, encrypted identity store, participants and informed consent (issue 3), plus
 * named counters for gap-free human-readable numbers (screening S-0001, participant SJ-001).
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('counters')
    .values([
      { name: 'screening', value: 0 },
      { name: 'participant', value: 0 },
    ])
    .execute();

  // CPR, name and contact details, AES-256-GCM encrypted with a key that never enters the database;
  // `cpr_index` is a keyed hash (HMAC-SHA-256) so the same person is found without decrypting.
  await db.schema
    .createTable('identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cpr_index', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identities_cpr_index').on('identities').column('cpr_index').execute();

  await db.schema
    .createTable('screenings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('screening_number', 'text', (c) => c.notNull().unique())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome_reason', 'text')
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('eligible', 'integer')
    .addColumn('assessment_json', 'text', (c) => c.notNull())
    .addColumn('identity_id', 'text', (c) => c.references('identities.id'))
    .addColumn('signed_off_by', 'text')
    .addColumn('signed_off_at', 'text')
    .addColumn('signature_id', 'text')
    .addColumn('participant_id', 'text')
    .addColumn('protocol_version', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('screenings_site_status').on('screenings').columns(['site_id', 'status']).execute();

  await db.schema
    .createTable('participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('study_id', 'text', (c) => c.notNull().unique())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('screening_id', 'text', (c) => c.notNull().unique().references('screenings.id'))
    .addColumn('identity_id', 'text', (c) => c.references('identities.id'))
    .addColumn('sex', 'text')
    .addColumn('year_of_birth', 'integer')
    .addColumn('kl_grade', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawal_scope', 'text')
    .addColumn('withdrawal_reason', 'text')
    .addColumn('protocol_version', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('participants_site').on('participants').column('site_id').execute();

  await db.schema
    .createTable('consent_versions')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('screening_id', 'text', (c) => c.notNull().references('screenings.id'))
    .addColumn('document_version', 'text', (c) => c.notNull().references('consent_versions.version'))
    .addColumn('consented_at', 'text', (c) => c.notNull())
    .addColumn('taken_by', 'text', (c) => c.notNull())
    .addColumn('signature_mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawal_scope', 'text')
    .addColumn('protocol_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consents_screening').on('consents').column('screening_id').execute();
}
