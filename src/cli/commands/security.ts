/**
 * `stemjoint security …`: identity-key rotation, turning an environment master key into a keyring
 * file (so that it can be rotated), the administrator's two-factor reset, and a two-factor overview.
 * Every command that touches the database takes --db URL (or STEMJOINT_DB) and closes it on return.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { isTrialError } from '../../core/errors.js';
import { openDatabase, redactUrl, type Database } from '../../storage/database.js';
import { createServiceContext, systemActor, type ServiceContext } from '../../services/context.js';
import { DEFAULT_KEYRING_FILE, keyringFromMasterKey } from '../../services/identity-vault.js';
import { rotateIdentityKey, writeKeyringFile } from '../../services/key-rotation.js';
import { getTotpStatus, resetUserTotp } from '../../services/totp.js';
import { findUserIdByEmail, listUsers } from '../../services/users.js';
import { CliExit, printJson } from '../io.js';

const DEFAULT_DB = 'sqlite:./data/stemjoint.db';
const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );

async function withDatabase<T>(dbUrl: string | undefined, body: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const url = dbUrl ?? process.env.STEMJOINT_DB ?? DEFAULT_DB;
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (e) {
    throw new CliExit(3, `--db: ${(e as Error).message}`);
  }
  try {
    const ctx = createServiceContext(database);
    const study = await ctx.database.db
      .selectFrom('study')
      .select('id')
      .executeTakeFirst()
      .catch(() => undefined);
    if (!study) throw new CliExit(4, 'the database is not initialised; run `stemjoint init --db URL` first');
    return await body(ctx);
  } catch (e) {
    if (e instanceof CliExit || isTrialError(e)) throw e;
    const msg = (e as Error).message;
    if (/ECONNREFUSED|does not exist|no such table|getaddrinfo/.test(msg)) {
      throw new CliExit(4, `database ${redactUrl(url)}: ${msg}`);
    }
    throw e;
  } finally {
    await database.close();
  }
}

const positiveInt = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliExit(3, `${name}: must be a positive whole number`);
  return n;
};

/** `stemjoint security` and its subcommands. */
export function registerSecurityCommand(program: Command): void {
  const security = program.command('security').description('Identity-key rotation and two-factor administration');

  security
    .command('rotate-identity-key')
    .description(
      'Add a new identity key and re-encrypt every identity record, the sealed allocation list and TOTP secrets under it (resumable; stop the app instances first or restart them after)',
    )
    .addOption(dbOption())
    .option('--keyring <file>', `the keyring file (default $STEMJOINT_IDENTITY_KEY_FILE or ${DEFAULT_KEYRING_FILE})`)
    .option(
      '--key-id <id>',
      'id of the new key (default the next k<N>); repeating a finished run with the same id does nothing',
    )
    .option('--batch-size <n>', 'records per transaction', '200')
    .option('--max-batches <n>', 'stop after this many batches (run again to continue)')
    .option(
      '--retire-old-keys',
      'when complete, remove keys no record uses from the keyring (archived next to it for old backups)',
    )
    .option('--json', 'print the report as JSON')
    .action(
      async (opts: {
        db?: string;
        keyring?: string;
        keyId?: string;
        batchSize: string;
        maxBatches?: string;
        retireOldKeys?: boolean;
        json?: boolean;
      }) => {
        if (!opts.keyring && process.env.STEMJOINT_IDENTITY_KEY) {
          throw new CliExit(
            3,
            'STEMJOINT_IDENTITY_KEY is a single master key and cannot be rotated in place. Write it out as a keyring file with `stemjoint security keyring-from-env --out FILE`, set STEMJOINT_IDENTITY_KEY_FILE=FILE and unset STEMJOINT_IDENTITY_KEY, then rotate.',
          );
        }
        const keyringFile = opts.keyring ?? process.env.STEMJOINT_IDENTITY_KEY_FILE ?? DEFAULT_KEYRING_FILE;
        if (!existsSync(keyringFile)) throw new CliExit(3, `--keyring: ${keyringFile} does not exist`);
        const batchSize = positiveInt('--batch-size', opts.batchSize);
        const maxBatches = positiveInt('--max-batches', opts.maxBatches);
        await withDatabase(opts.db, async (ctx) => {
          const report = await rotateIdentityKey(ctx, {
            keyringFile,
            ...(opts.keyId !== undefined ? { keyId: opts.keyId } : {}),
            ...(batchSize !== undefined ? { batchSize } : {}),
            ...(maxBatches !== undefined ? { maxBatches } : {}),
            ...(opts.retireOldKeys ? { retireOldKeys: true } : {}),
            log: (line) => !opts.json && process.stderr.write(`${line}\n`),
          });
          if (opts.json) return printJson(report);
          const moved = Object.entries(report.reencrypted)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ');
          process.stdout.write(
            report.complete
              ? `identity key rotation complete: current key ${report.keyId}${report.keyAdded ? ' (new)' : ''}; re-encrypted ${moved}\n`
              : `identity key rotation paused after ${report.batches} batch(es): current key ${report.keyId}; re-encrypted ${moved}; ${report.remaining} record(s) left — run again to continue\n`,
          );
          if (report.retiredKeyIds.length > 0) {
            process.stdout.write(`retired ${report.retiredKeyIds.join(', ')} (archived in ${report.retiredArchive})\n`);
          }
          process.stdout.write('restart every app instance so that it loads the new keyring\n');
        });
      },
    );

  security
    .command('keyring-from-env')
    .description(
      'Write the key in STEMJOINT_IDENTITY_KEY as a keyring file (same key and index key), so that it can be rotated',
    )
    .requiredOption('--out <file>', 'the keyring file to create (mode 0600; never overwritten)')
    .action((opts: { out: string }) => {
      const master = process.env.STEMJOINT_IDENTITY_KEY;
      if (!master) throw new CliExit(3, 'STEMJOINT_IDENTITY_KEY is not set');
      if (existsSync(opts.out)) {
        throw new CliExit(3, `--out: ${opts.out} already exists; refusing to overwrite a keyring`);
      }
      try {
        writeKeyringFile(opts.out, keyringFromMasterKey(master));
      } catch (e) {
        throw new CliExit(3, (e as Error).message);
      }
      process.stdout.write(
        `keyring written to ${opts.out}; set STEMJOINT_IDENTITY_KEY_FILE=${opts.out} and unset STEMJOINT_IDENTITY_KEY\n`,
      );
    });

  security
    .command('reset-totp')
    .description(
      "Remove a user's two-factor authentication and recovery codes (lost device) and end their sessions; they enrol again at the next sign-in",
    )
    .addOption(dbOption())
    .requiredOption('--email <email>', 'the account')
    .requiredOption('--reason <reason>', 'why (recorded in the audit trail)')
    .action(async (opts: { db?: string; email: string; reason: string }) => {
      await withDatabase(opts.db, async (ctx) => {
        const id = await findUserIdByEmail(ctx.database.db, opts.email);
        const r = await resetUserTotp(ctx, systemActor('cli'), id, opts.reason);
        process.stdout.write(
          r.removed
            ? `two-factor authentication reset for ${opts.email}\n`
            : `${opts.email} had no two-factor authentication; sessions ended\n`,
        );
      });
    });

  security
    .command('totp-status')
    .description(
      'Which accounts use two-factor authentication (as required by STEMJOINT_TOTP_ROLES when STEMJOINT_REQUIRE_TOTP is on)',
    )
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      await withDatabase(opts.db, async (ctx) => {
        const users = await listUsers(ctx);
        const rows = [];
        for (const u of users) {
          const s = await getTotpStatus(
            ctx,
            u.id,
            u.grants.map((g) => g.role),
          );
          rows.push({
            email: u.email,
            status: u.status,
            roles: [...new Set(u.grants.map((g) => g.role))],
            enrolled: s.enrolled,
            pending: s.pending,
            recoveryCodesLeft: s.recoveryCodesLeft,
          });
        }
        if (opts.json) return printJson(rows);
        for (const r of rows) {
          process.stdout.write(
            `${r.email.padEnd(36)} ${r.status.padEnd(9)} ${(r.enrolled ? 'totp' : r.pending ? 'pending' : '-').padEnd(8)} ${r.roles.join(',')}\n`,
          );
        }
      });
    });
}
