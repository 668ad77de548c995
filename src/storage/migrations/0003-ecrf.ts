/**
 * Visits, form instances, the protocol deviation register, queries and their threads, attachments
 * (content-addressed by SHA-256), source data verification and casebook locks (issue 4). Unique
 * constraints back the services: one record per participant and visit, one instance per
 * participant, visit, form and repeat number.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('ecrf_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('visit_code', 'text', (c) => c.notNull())
    .addColumn('visit_date', 'text')
    .addColumn('missed', 'integer', (c) => c.notNull())
    .addColumn('missed_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('ecrf_visits_participant_visit', ['participant_id', 'visit_code'])
    .execute();
  await db.schema.createIndex('ecrf_visits_site').on('ecrf_visits').column('site_id').execute();

  await db.schema
    .createTable('form_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('visit_code', 'text', (c) => c.notNull())
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('repeat_no', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('protocol_version', 'text', (c) => c.notNull())
    .addColumn('values_json', 'text', (c) => c.notNull())
    .addColumn('derived_json', 'text', (c) => c.notNull())
    .addColumn('warnings_json', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('locked', 'integer', (c) => c.notNull())
    .addColumn('locked_at', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('sdv_version', 'integer')
    .addColumn('sdv_at', 'text')
    .addColumn('sdv_by', 'text')
    .addColumn('sdv_values_json', 'text')
    .addUniqueConstraint('form_instances_slot', ['participant_id', 'visit_code', 'form_id', 'repeat_no'])
    .execute();
  await db.schema
    .createIndex('form_instances_site_form')
    .on('form_instances')
    .columns(['site_id', 'form_id'])
    .execute();

  await db.schema
    .createTable('protocol_deviations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('visit_code', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('deviation_date', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('details_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'text')
    .addColumn('voided_reason', 'text')
    .execute();
  await db.schema
    .createIndex('protocol_deviations_participant')
    .on('protocol_deviations')
    .column('participant_id')
    .execute();

  await db.schema
    .createTable('ecrf_queries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull().references('form_instances.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('visit_code', 'text', (c) => c.notNull())
    .addColumn('item_path', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('check_code', 'text')
    .addColumn('trigger_value_json', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ecrf_queries_instance').on('ecrf_queries').column('instance_id').execute();
  await db.schema.createIndex('ecrf_queries_site_status').on('ecrf_queries').columns(['site_id', 'status']).execute();
  await db.schema.createIndex('ecrf_queries_participant').on('ecrf_queries').column('participant_id').execute();

  await db.schema
    .createTable('ecrf_query_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('query_id', 'text', (c) => c.notNull().references('ecrf_queries.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addUniqueConstraint('ecrf_query_events_seq', ['query_id', 'seq'])
    .execute();

  await db.schema
    .createTable('ecrf_attachments')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ecrf_attachment_links')
    .addColumn('sha256', 'text', (c) => c.notNull().references('ecrf_attachments.sha256'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ecrf_attachment_links_pk', ['sha256', 'participant_id'])
    .execute();

  await db.schema
    .createTable('casebooks')
    .addColumn('participant_id', 'text', (c) => c.primaryKey().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull())
    .addColumn('locked_at', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('signed_by', 'text')
    .addColumn('signature_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
