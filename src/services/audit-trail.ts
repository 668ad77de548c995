/**
 * The audit trail: every write appends records here inside the same transaction as the change.
 * Records form a hash chain: each carries its predecessor's hash and its own SHA-256 over the
 * canonical encoding of its content, so altering, removing or reordering any record is detected
 * by `verifyAuditChain`. The database additionally refuses UPDATE and DELETE on `audit_log`.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { sha256Hex } from '../core/hash.js';
import type { AuditRow } from '../storage/schema.js';
import type { Executor, Tx } from '../storage/database.js';
import { reusableQuery } from '../storage/reusable-query.js';
import { actorId, actorLabel, type Actor } from './context.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

type HashedFields = Omit<AuditRow, 'hash'>;

/** The hash of one record: SHA-256 over canonical JSON of every stored column except `hash`. */
export function hashAuditRecord(fields: HashedFields): string {
  return sha256Hex(
    canonicalJson({
      seq: fields.seq,
      at: fields.at,
      actor_id: fields.actor_id,
      actor_label: fields.actor_label,
      action: fields.action,
      entity_type: fields.entity_type,
      entity_id: fields.entity_id,
      before_json: fields.before_json,
      after_json: fields.after_json,
      reason: fields.reason,
      prev_hash: fields.prev_hash,
    }),
  );
}

const toJsonText = (value: unknown): string | null => (value === undefined ? null : canonicalJson(value));

// The three statements of every append, compiled once (they run in every command).
const takeHead = reusableQuery((db) =>
  db
    .updateTable('audit_head')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['last_seq', 'last_hash']),
);
const insertRecord = reusableQuery(
  (
    db,
    seq: number,
    at: string,
    actorIdValue: string | null,
    label: string,
    action: string,
    entityType: string,
    entityId: string,
    beforeJson: string | null,
    afterJson: string | null,
    reason: string | null,
    prevHash: string,
    hash: string,
  ) =>
    db.insertInto('audit_log').values({
      seq,
      at,
      actor_id: actorIdValue,
      actor_label: label,
      action,
      entity_type: entityType,
      entity_id: entityId,
      before_json: beforeJson,
      after_json: afterJson,
      reason,
      prev_hash: prevHash,
      hash,
    }),
);
const moveHead = reusableQuery((db, hash: string) =>
  db.updateTable('audit_head').set({ last_hash: hash }).where('id', '=', 1),
);

/** Appends one record to the chain. Must be called inside the transaction that makes the change. */
export async function appendAudit(tx: Tx, actor: Actor, at: string, entry: AuditEntry): Promise<AuditRow> {
  // Taking the head row first serialises concurrent writers on PostgreSQL (row lock until commit),
  // which keeps sequence numbers gap-free and the chain linear across app instances.
  const [head] = await takeHead(tx);
  if (!head) throw new Error('audit_head row is missing: the database was not initialised by our migrations');
  const fields: HashedFields = {
    seq: Number(head.last_seq),
    at,
    actor_id: actorId(actor),
    actor_label: actorLabel(actor),
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before_json: toJsonText(entry.before),
    after_json: toJsonText(entry.after),
    reason: entry.reason ?? null,
    prev_hash: head.last_hash,
  };
  const row: AuditRow = { ...fields, hash: hashAuditRecord(fields) };
  await insertRecord(
    tx,
    row.seq,
    row.at,
    row.actor_id,
    row.actor_label,
    row.action,
    row.entity_type,
    row.entity_id,
    row.before_json,
    row.after_json,
    row.reason,
    row.prev_hash,
    row.hash,
  );
  await moveHead(tx, row.hash);
  return row;
}

export type ChainVerification =
  { ok: true; count: number; lastHash: string } | { ok: false; count: number; seq: number; problem: string };

/** Walks the whole chain in sequence order, page by page (memory does not grow with the log). */
export async function verifyAuditChain(db: Executor, pageSize = 2000): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const raw of rows) {
      const row = { ...raw, seq: Number(raw.seq) };
      if (row.seq !== expectedSeq) {
        return { ok: false, count: expectedSeq - 1, seq: expectedSeq, problem: `record ${expectedSeq} is missing` };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          count: expectedSeq - 1,
          seq: row.seq,
          problem: 'link to the previous record does not verify',
        };
      }
      if (hashAuditRecord(row) !== row.hash) {
        return { ok: false, count: expectedSeq - 1, seq: row.seq, problem: 'record content does not match its hash' };
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
  }
  const head = await db
    .selectFrom('audit_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const count = expectedSeq - 1;
  if (head && (Number(head.last_seq) !== count || head.last_hash !== prevHash)) {
    return {
      ok: false,
      count,
      seq: Number(head.last_seq),
      problem: `chain head points at record ${Number(head.last_seq)} but the log ends at ${count}`,
    };
  }
  return { ok: true, count, lastHash: prevHash };
}
