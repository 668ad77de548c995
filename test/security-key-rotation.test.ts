/**
 * Identity-key rotation through the real CLI on both engines: a new key in the keyring file,
 * every identity record, the sealed allocation list and every TOTP secret re-encrypted in batches
 * (resumable: a run stopped after a few batches is finished by the next), nothing lost or altered,
 * the audit chain intact, repeating a finished run a no-op, old keys retired only at the end (and
 * archived). Also the two-factor administration commands.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { createServiceContext, systemActor, type ServiceContext } from '../src/services/context.js';
import {
  createIdentityVault,
  generateKeyring,
  keyringFromMasterKey,
  type Keyring,
} from '../src/services/identity-vault.js';
import { initAllocationList } from '../src/services/randomization.js';
import { createScreening, setIdentity } from '../src/services/screening.js';
import { initStudy } from '../src/services/study.js';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../src/services/totp.js';
import { totpCodeAt } from '../src/services/totp-codes.js';
import { securityDb } from '../src/services/totp-store.js';
import { actorForEmail, createUser } from '../src/services/users.js';
import { runStemjoint } from './support/cli.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';

const PEOPLE = 7;

describeEachEngine('identity key rotation (CLI)', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  let ctx: ServiceContext;
  let dir: string;
  let keyringFile: string;
  let totpSecret: string;
  const originals = new Map<string, { plaintext: unknown; ciphertext: string; cprIndex: string; updatedAt: string }>();
  let cli: (args: string[], env?: Record<string, string>) => ReturnType<typeof runStemjoint>;

  const keyring = (): Keyring => JSON.parse(readFileSync(keyringFile, 'utf8')) as Keyring;
  const auditHead = async (): Promise<number> =>
    Number((await database.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);
  const keyIds = async (): Promise<string[]> => {
    const ids = (await database.db.selectFrom('identities').select('key_id').execute()).map((r) => r.key_id);
    const list = (await database.db.selectFrom('allocation_lists').select('key_id').execute()).map((r) => r.key_id);
    const totp = (await securityDb(database.db).selectFrom('user_totp').select('key_id').execute()).map(
      (r) => r.key_id,
    );
    return [...ids, ...list, ...totp];
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await testDb.open();
    dir = mkdtempSync(join(tmpdir(), 'sj-keyring-'));
    keyringFile = join(dir, 'keyring.json');
    writeFileSync(keyringFile, JSON.stringify(generateKeyring()), { mode: 0o600 });
    ctx = createServiceContext(database, { identityVault: createIdentityVault(keyring()) });
    await initStudy(ctx, { adminEmail: 'admin@rotation.test', adminPassword: 'rotation-admin-pw-1' });
    await createUser(ctx, systemActor('test'), {
      email: 'nurse@rotation.test',
      displayName: 'Nurse',
      password: 'rotation-nurse-pw-1',
      grants: [{ role: 'coordinator', siteId: 'site-auh' }],
    });
    const nurse = await actorForEmail(database.db, 'nurse@rotation.test');
    for (let i = 0; i < PEOPLE; i++) {
      const s = await createScreening(ctx, nurse, {});
      await setIdentity(ctx, nurse, s.id, {
        cpr: `0103${60 + i}-${4000 + i}`,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        phone: `+45 2000 00${10 + i}`,
      });
    }
    await initAllocationList(ctx, systemActor('test'), { parameters: { per_stratum: 4 } });
    const enrolment = await beginTotpEnrolment(ctx, nurse, nurse.userId);
    totpSecret = enrolment.secret;
    await confirmTotpEnrolment(ctx, nurse, totpCodeAt(totpSecret, ctx.now()));
    const vault = createIdentityVault(keyring());
    for (const row of await database.db.selectFrom('identities').selectAll().execute()) {
      originals.set(row.id, {
        plaintext: vault.decrypt(row.key_id, row.ciphertext),
        ciphertext: row.ciphertext,
        cprIndex: row.cpr_index,
        updatedAt: row.updated_at,
      });
    }
    cli = (args, env = {}) =>
      runStemjoint(['security', ...args, '--db', testDb.url], {
        env: { STEMJOINT_IDENTITY_KEY: '', STEMJOINT_IDENTITY_KEY_FILE: keyringFile, ...env },
      });
  }, 120_000);

  afterAll(async () => {
    await database.close();
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops after the batches asked for, leaving every record readable, and the next run finishes', async () => {
    expect(new Set(await keyIds())).toEqual(new Set(['k1']));
    const partial = await cli(['rotate-identity-key', '--batch-size', '2', '--max-batches', '2']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toMatch(/paused after 2 batch/);
    expect(keyring().current).toBe('k2');
    expect(Object.keys(keyring().keys).sort()).toEqual(['k1', 'k2']);
    expect(statSync(keyringFile).mode & 0o777).toBe(0o600);
    const mixed = await keyIds();
    expect(mixed.filter((k) => k === 'k2')).toHaveLength(4);
    expect(mixed.filter((k) => k === 'k1').length).toBeGreaterThan(0);

    const rest = await cli(['rotate-identity-key', '--batch-size', '2', '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    const report = JSON.parse(rest.stdout) as {
      keyId: string;
      keyAdded: boolean;
      complete: boolean;
      reencrypted: Record<string, number>;
    };
    expect(report).toMatchObject({ keyId: 'k2', keyAdded: false, complete: true });
    // Seven identities, the allocation list and one TOTP secret: four moved by the first run, five now.
    expect(Object.values(report.reencrypted).reduce((a, b) => a + b, 0)).toBe(PEOPLE + 2 - 4);
    expect(new Set(await keyIds())).toEqual(new Set(['k2']));
  });

  it('changes no content: every record decrypts to what it was, under a new ciphertext, with its index and timestamps', async () => {
    const vault = createIdentityVault(keyring());
    const rows = await database.db.selectFrom('identities').selectAll().execute();
    expect(rows).toHaveLength(PEOPLE);
    for (const row of rows) {
      const before = originals.get(row.id)!;
      expect(row.key_id).toBe('k2');
      expect(row.ciphertext).not.toBe(before.ciphertext);
      expect(vault.decrypt(row.key_id, row.ciphertext)).toEqual(before.plaintext);
      expect(row.cpr_index).toBe(before.cprIndex);
      expect(row.updated_at).toBe(before.updatedAt);
    }
    const totp = await securityDb(database.db).selectFrom('user_totp').selectAll().executeTakeFirstOrThrow();
    expect(vault.decrypt(totp.key_id, totp.secret_ciphertext)).toEqual({ totp: totpSecret });
    const list = await database.db.selectFrom('allocation_lists').selectAll().executeTakeFirstOrThrow();
    expect(vault.decrypt(list.key_id, list.sealed)).toMatchObject({
      seed: expect.any(String),
      salt: expect.any(String),
    });
    // Every batch and the new key are in the audit trail, and the chain verifies.
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'after_json'])
      .where('action', 'like', 'security.%')
      .orderBy('seq')
      .execute();
    expect(audit[0]!.action).toBe('security.identity_key_added');
    const moved = audit
      .filter((a) => a.action === 'security.identity_records_reencrypted')
      .reduce((n, a) => n + (JSON.parse(a.after_json!) as { records: number }).records, 0);
    expect(moved).toBe(PEOPLE + 2);
    for (const a of audit) expect(a.after_json).not.toMatch(/First\d|Last\d|0103\d\d/);
    const verify = await runStemjoint(['audit', 'verify', '--db', testDb.url]);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('is idempotent with --key-id, and picks up records a stale instance wrote under the old key', async () => {
    const head = await auditHead();
    const again = await cli(['rotate-identity-key', '--key-id', 'k2', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ keyId: 'k2', keyAdded: false, batches: 0, complete: true });
    expect(await auditHead()).toBe(head);
    expect(keyring().current).toBe('k2');

    // An app instance still running with the old keyring (k1 current) records an identity…
    const stale = createServiceContext(database, {
      identityVault: createIdentityVault({ ...keyring(), current: 'k1' }),
    });
    const nurse = await actorForEmail(database.db, 'nurse@rotation.test');
    const s = await createScreening(stale, nurse, {});
    await setIdentity(stale, nurse, s.id, { cpr: '010370-4999', firstName: 'Late', lastName: 'Comer' });
    expect((await keyIds()).filter((k) => k === 'k1')).toHaveLength(1);
    // …and the same command finishes the job.
    const resumed = await cli(['rotate-identity-key', '--key-id', 'k2', '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      keyAdded: false,
      complete: true,
      reencrypted: { identities: 1 },
    });
    expect(new Set(await keyIds())).toEqual(new Set(['k2']));
  });

  it('retires old keys only when unused, archiving them for old backups', async () => {
    const r = await cli(['rotate-identity-key', '--key-id', 'k2', '--retire-old-keys']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/retired k1/);
    expect(Object.keys(keyring().keys)).toEqual(['k2']);
    const archive = /archived in (\S+)\)/.exec(r.stdout)![1]!;
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(Object.keys((JSON.parse(readFileSync(archive, 'utf8')) as { keys: Record<string, string> }).keys)).toEqual([
      'k1',
    ]);
    // The data still reads with the slimmed keyring.
    const vault = createIdentityVault(keyring());
    for (const row of await database.db.selectFrom('identities').selectAll().execute()) {
      expect(() => vault.decrypt(row.key_id, row.ciphertext)).not.toThrow();
    }
    // A further default run (no --key-id) is a new rotation: k3.
    const next = await cli(['rotate-identity-key', '--json']);
    expect(JSON.parse(next.stdout)).toMatchObject({ keyId: 'k3', keyAdded: true, complete: true });
  });

  it('refuses to rotate a single environment key, and converts it to a keyring file that reads the same data', async () => {
    const master = randomBytes(32).toString('base64');
    const refused = await cli(['rotate-identity-key'], { STEMJOINT_IDENTITY_KEY: master });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/keyring-from-env/);
    const out = join(dir, 'from-env.json');
    const converted = await runStemjoint(['security', 'keyring-from-env', '--out', out], {
      env: { STEMJOINT_IDENTITY_KEY: master },
    });
    expect(converted.code, converted.stderr).toBe(0);
    const sealed = createIdentityVault(keyringFromMasterKey(master)).encrypt({ cpr: '0101601234' });
    const fromFile = createIdentityVault(JSON.parse(readFileSync(out, 'utf8')) as Keyring);
    expect(fromFile.decrypt(sealed.keyId, sealed.ciphertext)).toEqual({ cpr: '0101601234' });
    expect(fromFile.cprIndex('0101601234')).toBe(
      createIdentityVault(keyringFromMasterKey(master)).cprIndex('0101601234'),
    );
    const twice = await runStemjoint(['security', 'keyring-from-env', '--out', out], {
      env: { STEMJOINT_IDENTITY_KEY: master },
    });
    expect(twice.code).toBe(3);
  });

  it('backs up and restores the two-factor tables with everything else', async () => {
    const file = join(dir, 'backup.jsonl');
    const backup = await runStemjoint(['backup', '--db', testDb.url, '--out', file]);
    expect(backup.code, backup.stderr).toBe(0);
    const target = await createTestDatabase(engine);
    try {
      const restored = await runStemjoint(['restore', '--db', target.url, '--in', file]);
      expect(restored.code, restored.stderr).toBe(0);
      const copy = await target.open();
      try {
        for (const table of ['user_totp', 'user_recovery_codes'] as const) {
          const a = await securityDb(database.db).selectFrom(table).selectAll().execute();
          const b = await securityDb(copy.db).selectFrom(table).selectAll().execute();
          expect(b.length, table).toBeGreaterThan(0);
          expect(new Set(b.map((r) => JSON.stringify(r)))).toEqual(new Set(a.map((r) => JSON.stringify(r))));
        }
      } finally {
        await copy.close();
      }
    } finally {
      await target.drop();
    }
  });

  it('lists and resets two-factor authentication from the command line', async () => {
    const status = await cli(['totp-status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: 'nurse@rotation.test', enrolled: true, recoveryCodesLeft: 10 }),
      ]),
    );
    const noReason = await cli(['reset-totp', '--email', 'nurse@rotation.test', '--reason', ' ']);
    expect(noReason.code).toBe(3);
    const reset = await cli(['reset-totp', '--email', 'nurse@rotation.test', '--reason', 'new phone']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(await securityDb(database.db).selectFrom('user_totp').selectAll().execute()).toEqual([]);
    const unknown = await cli(['reset-totp', '--email', 'nobody@rotation.test', '--reason', 'x']);
    expect(unknown.code).toBe(4);
  });
});
