/**
 * Rotation of the identity-vault key: a new key is added to the keyring file and made current,
 * then every record encrypted under an older key — identities (CPR, names, contact details), the
 * sealed allocation list and TOTP secrets — is decrypted and encrypted again under the new key,
 * in batches, each batch one transaction with its audit record. Older keys stay in the keyring for
 * reading until no record uses them; only then may they be retired (and are archived, because
 * backups taken before the rotation still need them).
 *
 * The run is resumable and safe to repeat: whatever is still under an older key is re-encrypted by
 * the next run, and with `keyId` given, a run whose key is already current and complete does
 * nothing. The CPR index key (HMAC) is not rotated: rotating it would need every CPR number in
 * clear at once, and it protects only the index, not the data.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { invalid, TrialError } from '../core/errors.js';
import { runCommand } from './command.js';
import { systemActor, type ServiceContext } from './context.js';
import { createIdentityVault, type IdentityVault, type Keyring } from './identity-vault.js';

const KeyringFileSchema = z
  .object({
    current: z.string().min(1),
    keys: z.record(z.string(), z.string()),
    indexKey: z.string(),
  })
  .strict();

/** Every table that holds identity-vault ciphertext: its key column and its ciphertext column. */
export const ENCRYPTED_COLUMNS = [
  { table: 'identities', id: 'id', cipher: 'ciphertext' },
  { table: 'allocation_lists', id: 'id', cipher: 'sealed' },
  { table: 'user_totp', id: 'user_id', cipher: 'secret_ciphertext' },
] as const;
export type EncryptedTable = (typeof ENCRYPTED_COLUMNS)[number]['table'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rotation walks three tables generically
type AnyDb = Kysely<any>;

const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** Reads and validates a keyring file. */
export function readKeyringFile(file: string): Keyring {
  if (!existsSync(file)) {
    throw invalid(`keyring file ${file} does not exist`, [{ path: 'keyring', message: 'no such file' }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw invalid(`keyring file ${file} is not valid JSON`, [{ path: 'keyring', message: 'malformed JSON' }]);
  }
  const parsed = KeyringFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      `keyring file ${file} is not a keyring`,
      parsed.error.issues.map((i) => ({ path: `keyring.${i.path.join('.')}`, message: i.message })),
    );
  }
  createIdentityVault(parsed.data); // validates every key's length and that `current` exists
  return parsed.data;
}

/**
 * Writes a keyring file atomically (a new file, flushed to disk, renamed over the old one), with
 * mode 0600: a crash leaves either the old or the new keyring, never half of one.
 */
export function writeKeyringFile(file: string, keyring: Keyring): void {
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(keyring, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The next free key id of the form k<N>. */
function nextKeyId(keyring: Keyring): string {
  const numbers = Object.keys(keyring.keys)
    .map((id) => /^k(\d+)$/.exec(id)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  return `k${Math.max(0, ...numbers) + 1}`;
}

/** How many records of each table are not under `keyId`. */
export async function countStale(ctx: ServiceContext, keyId: string): Promise<Record<EncryptedTable, number>> {
  const db = ctx.database.db as unknown as AnyDb;
  const out = {} as Record<EncryptedTable, number>;
  for (const c of ENCRYPTED_COLUMNS) {
    const row = (await db
      .selectFrom(c.table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key_id', '!=', keyId)
      .executeTakeFirst()) as { n: number | string } | undefined;
    out[c.table] = Number(row?.n ?? 0);
  }
  return out;
}

/** The key ids that records still use. */
async function keysInUse(ctx: ServiceContext): Promise<Set<string>> {
  const db = ctx.database.db as unknown as AnyDb;
  const used = new Set<string>();
  for (const c of ENCRYPTED_COLUMNS) {
    const rows = (await db.selectFrom(c.table).select('key_id').distinct().execute()) as { key_id: string }[];
    for (const r of rows) used.add(r.key_id);
  }
  return used;
}

export interface RotationOptions {
  /** The keyring file to rotate (it is rewritten in place, atomically). */
  keyringFile: string;
  /** The new key's id; default the next free `k<N>`. With it, repeating a finished run does nothing. */
  keyId?: string;
  /** Records per transaction (default 200). */
  batchSize?: number;
  /** Stop after this many batches (spreading the work over several runs); default: until done. */
  maxBatches?: number;
  /** After a complete re-encryption, remove the keys no record uses from the keyring (archived next to it). */
  retireOldKeys?: boolean;
  log?: (line: string) => void;
}

export interface RotationReport {
  keyId: string;
  /** Whether this run added the key (false: it resumed or confirmed an earlier run's key). */
  keyAdded: boolean;
  reencrypted: Record<EncryptedTable, number>;
  batches: number;
  /** Records still under older keys (non-zero only when stopped by `maxBatches`). */
  remaining: number;
  complete: boolean;
  retiredKeyIds: string[];
  retiredArchive: string | null;
}

/** Re-encrypts one batch of one table inside one transaction; returns how many records it moved. */
async function reencryptBatch(
  ctx: ServiceContext,
  vault: IdentityVault,
  column: (typeof ENCRYPTED_COLUMNS)[number],
  batchSize: number,
): Promise<number> {
  return runCommand(
    ctx,
    systemActor('key-rotation'),
    async ({ tx, audit }) => {
      const db = tx as unknown as AnyDb;
      let q = db
        .selectFrom(column.table)
        .select([`${column.id} as id`, 'key_id', `${column.cipher} as cipher`])
        .where('key_id', '!=', vault.currentKeyId)
        .orderBy(column.id)
        .limit(batchSize);
      // PostgreSQL runs at READ COMMITTED: lock the rows so a concurrent writer waits for us.
      if (ctx.database.engine === 'postgres') q = q.forUpdate();
      const rows = (await q.execute()) as { id: string; key_id: string; cipher: string }[];
      const fromKeys = new Set<string>();
      for (const row of rows) {
        const plaintext = vault.decrypt(row.key_id, row.cipher);
        const sealed = vault.encrypt(plaintext);
        // The record's content is unchanged, so its updated_at stays as it was; the audit record says what happened.
        await db
          .updateTable(column.table)
          .set({ key_id: sealed.keyId, [column.cipher]: sealed.ciphertext })
          .where(column.id, '=', row.id)
          .where('key_id', '=', row.key_id)
          .execute();
        fromKeys.add(row.key_id);
      }
      if (rows.length > 0) {
        await audit({
          action: 'security.identity_records_reencrypted',
          entityType: 'identity_keyring',
          entityId: vault.currentKeyId,
          after: {
            table: column.table,
            records: rows.length,
            fromKeyIds: [...fromKeys].sort(),
            toKeyId: vault.currentKeyId,
          },
        });
      }
      return rows.length;
    },
    { allowWhenLocked: true },
  );
}

/**
 * Rotates the identity key (see the module comment). Stop app instances (or restart them right
 * after): a running instance knows only the keys it loaded at start-up.
 */
export async function rotateIdentityKey(ctx: ServiceContext, options: RotationOptions): Promise<RotationReport> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw invalid('Invalid batch size', [{ path: 'batchSize', message: 'must be a whole number from 1 to 10000' }]);
  }
  if (options.keyId !== undefined && !KEY_ID.test(options.keyId)) {
    throw invalid('Invalid key id', [{ path: 'keyId', message: 'letters, digits, - and _ (1–40)' }]);
  }
  let keyring = readKeyringFile(options.keyringFile);
  let keyAdded = false;

  const staleUnderCurrent = Object.values(await countStale(ctx, keyring.current)).reduce((a, b) => a + b, 0);
  const wanted = options.keyId;
  const needNewKey = wanted !== undefined ? keyring.current !== wanted : staleUnderCurrent === 0;
  if (needNewKey) {
    const keyId = wanted ?? nextKeyId(keyring);
    if (keyring.keys[keyId] !== undefined) {
      throw invalid(`Key ${keyId} is already in the keyring but not current`, [
        { path: 'keyId', message: 'already used' },
      ]);
    }
    const previous = keyring.current;
    keyring = { ...keyring, current: keyId, keys: { ...keyring.keys, [keyId]: randomBytes(32).toString('base64') } };
    // The file first, then the audit record: a crash in between leaves a rotation to resume, never
    // records encrypted under a key that exists nowhere.
    writeKeyringFile(options.keyringFile, keyring);
    keyAdded = true;
    await runCommand(
      ctx,
      systemActor('key-rotation'),
      ({ audit }) =>
        audit({
          action: 'security.identity_key_added',
          entityType: 'identity_keyring',
          entityId: keyId,
          after: { keyId, previousKeyId: previous },
        }),
      { allowWhenLocked: true },
    );
    log(`added key ${keyId} to ${options.keyringFile} (previous current key: ${previous})`);
  } else if (staleUnderCurrent > 0) {
    log(`resuming: ${staleUnderCurrent} record(s) still under older keys`);
  }

  const vault = createIdentityVault(keyring);
  const reencrypted = Object.fromEntries(ENCRYPTED_COLUMNS.map((c) => [c.table, 0])) as Record<EncryptedTable, number>;
  let batches = 0;
  const limit = options.maxBatches ?? Number.POSITIVE_INFINITY;
  for (const column of ENCRYPTED_COLUMNS) {
    while (batches < limit) {
      const moved = await reencryptBatch(ctx, vault, column, batchSize);
      if (moved === 0) break;
      batches += 1;
      reencrypted[column.table] += moved;
      log(`${column.table}: ${reencrypted[column.table]} re-encrypted`);
    }
  }
  const remaining = Object.values(await countStale(ctx, keyring.current)).reduce((a, b) => a + b, 0);
  const complete = remaining === 0;
  if (!complete && options.maxBatches === undefined) {
    throw new TrialError(
      'conflict',
      `${remaining} record(s) were written under an older key during the rotation (is an app instance still running with the old keyring?); run the rotation again`,
    );
  }

  let retiredKeyIds: string[] = [];
  let retiredArchive: string | null = null;
  if (options.retireOldKeys) {
    if (!complete) {
      throw new TrialError('conflict', 'Old keys can be retired only once every record is under the current key');
    }
    const inUse = await keysInUse(ctx);
    retiredKeyIds = Object.keys(keyring.keys)
      .filter((id) => id !== keyring.current && !inUse.has(id))
      .sort();
    if (retiredKeyIds.length > 0) {
      const stamp = ctx.now().toISOString().replace(/[:.]/g, '-');
      retiredArchive = `${options.keyringFile}.retired-${stamp}.json`;
      // Backups from before the rotation still need the retired keys: keep them, apart from the live keyring.
      writeFileSync(
        retiredArchive,
        `${JSON.stringify({ retiredAt: ctx.now().toISOString(), keys: Object.fromEntries(retiredKeyIds.map((id) => [id, keyring.keys[id]])), indexKey: keyring.indexKey }, null, 2)}\n`,
        { mode: 0o600 },
      );
      chmodSync(retiredArchive, 0o600);
      keyring = {
        ...keyring,
        keys: Object.fromEntries(Object.entries(keyring.keys).filter(([id]) => !retiredKeyIds.includes(id))),
      };
      writeKeyringFile(options.keyringFile, keyring);
      await runCommand(
        ctx,
        systemActor('key-rotation'),
        ({ audit }) =>
          audit({
            action: 'security.identity_keys_retired',
            entityType: 'identity_keyring',
            entityId: keyring.current,
            after: { retiredKeyIds },
          }),
        { allowWhenLocked: true },
      );
      log(
        `retired ${retiredKeyIds.join(', ')}; archived in ${retiredArchive} (keep it with the backups, apart from the database)`,
      );
    }
  }
  return { keyId: keyring.current, keyAdded, reencrypted, batches, remaining, complete, retiredKeyIds, retiredArchive };
}
