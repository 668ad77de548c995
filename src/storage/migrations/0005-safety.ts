/**
 * Adverse events, SAE cases and their clocks (issue 6): AE records with every version kept,
 * consistency queries, SAE cases with submissions, AE review tasks from diary and form signals,
 * sponsor safety-physician designations, reference safety information versions, and the ledger
 * that makes deadline notifications idempotent. Plus the counters for AE-0001, SAE-0001, AR-0001.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb, _engine: Engine): Promise<void> {
  await db
    .insertInto('counters')
    .values([
      { name: 'adverse_event', value: 0 },
      { name: 'sae_case', value: 0 },
      { name: 'ae_review_task', value: 0 },
    ])
    .execute();

  await db.schema
    .createTable('safety_physicians')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('designated_by', 'text', (c) => c.notNull())
    .addColumn('designated_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute();

  await db.schema
    .createTable('rsi_versions')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('adverse_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ae_number', 'text', (c) => c.notNull().unique())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'entered_in_error')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('record_json', 'text', (c) => c.notNull())
    .addColumn('sponsor_json', 'text')
    .addColumn('verbatim_term', 'text', (c) => c.notNull())
    .addColumn('onset_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('grade', 'integer', (c) => c.notNull().check(sql`grade between 1 and 5`))
    .addColumn('serious', 'integer', (c) => c.notNull().check(sql`serious in (0, 1)`))
    .addColumn('soc_code', 'text')
    .addColumn('pt_code', 'text')
    .addColumn('site_awareness_at', 'text', (c) => c.notNull())
    .addColumn('serious_awareness_at', 'text')
    .addColumn('review_task_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('adverse_events_participant').on('adverse_events').column('participant_id').execute();
  await db.schema.createIndex('adverse_events_site').on('adverse_events').columns(['site_id', 'status']).execute();

  await db.schema
    .createTable('adverse_event_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ae_id', 'text', (c) => c.notNull().references('adverse_events.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('record_json', 'text', (c) => c.notNull())
    .addColumn('sponsor_json', 'text')
    .addColumn('changed_fields_json', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('adverse_event_versions_unique', ['ae_id', 'version'])
    .execute();

  await db.schema
    .createTable('safety_queries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ae_id', 'text', (c) => c.notNull().references('adverse_events.id'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved', 'confirmed')`))
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('raised_in_version', 'integer', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('response', 'text')
    .execute();
  await db.schema.createIndex('safety_queries_ae').on('safety_queries').columns(['ae_id', 'status']).execute();

  await db.schema
    .createTable('sae_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('ae_id', 'text', (c) => c.notNull().unique().references('adverse_events.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'downgraded', 'nullified', 'closed')`))
    .addColumn('investigator_awareness_at', 'text', (c) => c.notNull())
    .addColumn('sponsor_awareness_at', 'text')
    .addColumn('fatal_or_life_threatening', 'integer', (c) => c.notNull())
    .addColumn('susar', 'integer')
    .addColumn('susar_awareness_at', 'text')
    .addColumn('susar_rationale', 'text')
    .addColumn('susar_classified_by', 'text')
    .addColumn('susar_classified_at', 'text')
    .addColumn('unblinded_by', 'text')
    .addColumn('unblinded_at', 'text')
    .addColumn('unblinding_reason', 'text')
    .addColumn('sponsor_report_due', 'text', (c) => c.notNull())
    .addColumn('susar_initial_due', 'text')
    .addColumn('susar_followup_due', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sae_cases_status').on('sae_cases').columns(['status', 'site_id']).execute();

  await db.schema
    .createTable('sae_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('sae_cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sae_submissions_case').on('sae_submissions').column('case_id').execute();

  await db.schema
    .createTable('ae_review_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_number', 'text', (c) => c.notNull().unique())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'ae_recorded', 'dismissed')`))
    .addColumn('ae_id', 'text')
    .addColumn('resolution_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addUniqueConstraint('ae_review_tasks_source_ref', ['source', 'source_ref'])
    .execute();
  await db.schema.createIndex('ae_review_tasks_status').on('ae_review_tasks').columns(['status', 'site_id']).execute();

  await db.schema
    .createTable('safety_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('sae_cases.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('safety_notifications_once', ['case_id', 'topic', 'due_at', 'level'])
    .execute();
}
