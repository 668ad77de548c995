/**
 * `stemjoint randomization …`: generate an allocation list from a secret seed, and verify a revealed
 * list against its commitment (protocol §4, docs/RANDOMIZATION.md). Generation is a pure core call;
 * the only I/O here is drawing a salt from the OS CSPRNG when none is given and reading the file to verify.
 * `init` creates the study's own list in the database (seed and salt from the OS CSPRNG, sealed with
 * the identity vault) and prints the commitment; `reveal` writes it out after database lock.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  DEFAULT_BLOCK_SIZES,
  DEFAULT_MAX_IMBALANCE,
  DEFAULT_STRATA,
  DESIGNS,
  PARAMETER_LIMITS,
  STRATUM_NAME_PATTERN,
  generateAllocationList,
  isSaltHex,
  isSeedHex,
  verifyAllocationList,
  type AllocationList,
  type Design,
} from '../../core/randomization/index.js';
import { openDatabase, redactUrl, type Database } from '../../storage/database.js';
import { createServiceContext, systemActor, type ServiceContext } from '../../services/context.js';
import { loadIdentityVault } from '../../services/identity-vault.js';
import {
  DEFAULT_PER_STRATUM,
  getAllocationStatus,
  initAllocationList,
  revealAllocationList,
} from '../../services/randomization.js';
import { CliExit, printJson } from '../io.js';

/** Raw option strings from commander for `randomization generate`. */
interface GenerateOptions {
  seed: string;
  perStratum: string;
  strata: string;
  design: string;
  blocks?: string;
  maxImbalance?: string;
  salt?: string;
  json?: boolean;
}

/** Raw option strings for `randomization verify`. */
interface VerifyOptions {
  list: string;
  json?: boolean;
}

const GENERATE_HELP = `
The list is a pure function of --seed and the design parameters (same input → same list);
only the salt and therefore the commitment change between runs without --salt.
Block design: each stratum is filled with whole blocks until it has at least --per-stratum
slots, so it ends at a block boundary with exact 1:1 balance; "block" numbers blocks within
the stratum. Big stick: exactly --per-stratum slots per stratum and "block" is null.
commitment = sha256(salt_hex ":" canonical-json{algorithm, version, seed, parameters, strata}).
Keep the output secret (it contains the seed and the arms); publish only the commitment.`;

/** Fails with exit 3 naming `option` unless `text` is an integer in [min, max]. */
function parseIntegerOption(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new CliExit(3, `${option}: must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

/** Validates the options of `generate`, each failure naming its option (exit 3). */
function parseGenerateOptions(options: GenerateOptions): Parameters<typeof generateAllocationList>[0] {
  if (!isSeedHex(options.seed)) {
    throw new CliExit(3, `--seed: must be 64 hex characters (256 bits), got ${options.seed.length} characters`);
  }
  if (!(DESIGNS as readonly string[]).includes(options.design)) {
    throw new CliExit(3, `--design: must be one of ${DESIGNS.join(', ')}, got "${options.design}"`);
  }
  const design = options.design as Design;
  const perStratum = parseIntegerOption('--per-stratum', options.perStratum, 1, PARAMETER_LIMITS.maxPerStratum);

  const strata = options.strata.split(',').map((s) => s.trim());
  const badStratum = strata.find((s) => !STRATUM_NAME_PATTERN.test(s));
  if (badStratum !== undefined) {
    throw new CliExit(3, `--strata: "${badStratum}" is not a valid stratum name (letters, digits, _ or -)`);
  }
  const duplicate = strata.find((s, i) => strata.indexOf(s) !== i);
  if (duplicate !== undefined) throw new CliExit(3, `--strata: duplicate stratum ${duplicate}`);
  if (strata.length > PARAMETER_LIMITS.maxStrata) {
    throw new CliExit(3, `--strata: at most ${PARAMETER_LIMITS.maxStrata} strata`);
  }

  let blockSizes: number[] | undefined;
  let maxImbalance: number | undefined;
  if (design === 'blocks') {
    if (options.maxImbalance !== undefined) throw new CliExit(3, '--max-imbalance: applies only to --design bigstick');
    if (options.blocks !== undefined) {
      blockSizes = options.blocks
        .split(',')
        .map((s) => parseIntegerOption('--blocks', s, 2, PARAMETER_LIMITS.maxBlockSize));
      if (blockSizes.some((size) => size % 2 !== 0)) {
        throw new CliExit(3, `--blocks: every block size must be even (equal arms), got ${options.blocks}`);
      }
      if (new Set(blockSizes).size !== blockSizes.length) {
        throw new CliExit(3, `--blocks: duplicate block size in ${options.blocks}`);
      }
      if (blockSizes.length > PARAMETER_LIMITS.maxBlockSizes) {
        throw new CliExit(3, `--blocks: at most ${PARAMETER_LIMITS.maxBlockSizes} sizes`);
      }
    }
  } else {
    if (options.blocks !== undefined) throw new CliExit(3, '--blocks: applies only to --design blocks');
    if (options.maxImbalance !== undefined) {
      maxImbalance = parseIntegerOption('--max-imbalance', options.maxImbalance, 1, PARAMETER_LIMITS.maxImbalance);
    }
  }

  if (options.salt !== undefined && !isSaltHex(options.salt)) {
    throw new CliExit(
      3,
      `--salt: must be an even number of hex characters, at least 32 (128 bits) and at most ${PARAMETER_LIMITS.maxSaltHexChars}`,
    );
  }
  // The salt is what keeps the published commitment from being brute-forced: 256 bits from the OS CSPRNG.
  const saltHex = options.salt ?? randomBytes(32).toString('hex');
  return {
    seedHex: options.seed,
    saltHex,
    parameters: {
      design,
      per_stratum: perStratum,
      strata,
      ...(blockSizes ? { block_sizes: blockSizes } : {}),
      ...(maxImbalance !== undefined ? { max_imbalance: maxImbalance } : {}),
    },
  };
}

/** One-screen summary for humans; the list itself is only printed with --json. */
function describeList(list: AllocationList): string {
  const p = list.parameters;
  const design =
    p.design === 'blocks'
      ? `permuted blocks of ${p.block_sizes.join('/')}`
      : `big stick, maximum imbalance ${p.max_imbalance}`;
  const lines = [
    `algorithm   ${list.algorithm} v${list.version}`,
    `design      ${design}, ${p.per_stratum} per stratum`,
    ...p.strata.map((s) => `stratum     ${s}: ${list.strata[s]!.length} slots`),
    `salt        ${list.salt}`,
    `commitment  ${list.commitment}`,
    '(use --json to print the full list; keep it secret)',
  ];
  return `${lines.join('\n')}\n`;
}

/** Reads and parses the list file; unreadable or non-JSON files end with exit 3. */
function readListFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliExit(3, `--list: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliExit(3, `--list: ${file} is not valid JSON (${(e as Error).message})`);
  }
}

/** Registers the `randomization` command group. */
export function registerRandomizationCommand(program: Command): void {
  const group = program
    .command('randomization')
    .description(
      'Allocation list: generate from a secret seed, verify against its commitment; init, status and reveal the study list',
    );

  group
    .command('generate')
    .description('Generate the allocation list and its salted commitment (pure; same seed and parameters → same list)')
    .requiredOption('--seed <hex64>', '256-bit secret seed as 64 hex characters')
    .requiredOption(
      '--per-stratum <n>',
      'slots per stratum (blocks: at least n, ending at a block boundary; bigstick: exactly n)',
    )
    .option('--strata <list>', 'comma-separated strata, in generation order', DEFAULT_STRATA.join(','))
    .option('--design <design>', `${DESIGNS.join(' | ')}`, 'blocks')
    .option(
      '--blocks <sizes>',
      `comma-separated even block sizes for --design blocks (default ${DEFAULT_BLOCK_SIZES.join(',')})`,
    )
    .option('--max-imbalance <n>', `maximum |ADMSC − SALINE| for --design bigstick (default ${DEFAULT_MAX_IMBALANCE})`)
    .option('--salt <hex>', 'commitment salt, ≥ 32 hex characters (default: 32 random bytes from the OS CSPRNG)')
    .option('--json', 'print the full list as JSON')
    .addHelpText('after', GENERATE_HELP)
    .action((options: GenerateOptions) => {
      const list = generateAllocationList(parseGenerateOptions(options));
      if (options.json) printJson(list);
      else process.stdout.write(describeList(list));
    });

  group
    .command('verify')
    .description(
      'Regenerate a revealed list from its seed and check it and its commitment (exit 0 verified, 1 mismatch, 3 malformed)',
    )
    .requiredOption('--list <file>', 'allocation list JSON as printed by `randomization generate --json`')
    .option('--json', 'print { ok, commitment | first_difference } as JSON')
    .action((options: VerifyOptions) => {
      const result = verifyAllocationList(readListFile(options.list));
      if (options.json) {
        printJson(
          result.ok
            ? { ok: true, commitment: result.commitment, strata: result.strata, entries: result.entries }
            : { ok: false, first_difference: result.firstDifference },
        );
        if (!result.ok) throw new CliExit(1);
        return;
      }
      if (!result.ok) throw new CliExit(1, `verification failed: ${result.firstDifference}`);
      process.stdout.write(
        `verified: commitment ${result.commitment} (${result.strata} strata, ${result.entries} slots regenerated from the seed)\n`,
      );
    });

  group
    .command('init')
    .description(
      'Create the study allocation list in the database (seed and salt from the OS CSPRNG) and print the commitment to publish',
    )
    .addOption(dbOption())
    .option('--per-stratum <n>', 'slots per stratum', String(DEFAULT_PER_STRATUM))
    .option('--strata <list>', 'comma-separated strata, in generation order', DEFAULT_STRATA.join(','))
    .option('--design <design>', `${DESIGNS.join(' | ')}`, 'blocks')
    .option(
      '--blocks <sizes>',
      `comma-separated even block sizes for --design blocks (default ${DEFAULT_BLOCK_SIZES.join(',')})`,
    )
    .option('--max-imbalance <n>', `maximum |ADMSC − SALINE| for --design bigstick (default ${DEFAULT_MAX_IMBALANCE})`)
    .option('--json', 'print the status (commitment, strata, slots) as JSON')
    .addHelpText('after', INIT_HELP)
    .action(async (options: InitOptions) => {
      // Reuse the generate validation (a throw-away seed satisfies it); the real seed is drawn by the service.
      const parsed = parseGenerateOptions({ ...options, seed: '0'.repeat(64), salt: '0'.repeat(64) });
      await withContext(options.db, async (ctx) => {
        const status = await initAllocationList(ctx, systemActor('cli'), { parameters: parsed.parameters });
        if (options.json) return printJson(status);
        process.stdout.write(
          [
            `allocation list created: ${status.algorithm} v${status.version}`,
            ...status.strata.map((s) => `stratum     ${s.stratum}: ${s.slots} slots`),
            `commitment  ${status.commitment}`,
            'Publish the commitment now. The seed, the salt and the arms are sealed in the database;',
            'they are revealed after database lock with `stemjoint randomization reveal`.',
            '',
          ].join('\n'),
        );
      });
    });

  group
    .command('status')
    .description('Print the commitment and how many slots of each stratum are used')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (options: { db?: string; json?: boolean }) => {
      await withContext(
        options.db,
        async (ctx) => {
          const status = await getAllocationStatus(ctx.database.db);
          if (options.json) return printJson(status);
          if (!status.initialised) {
            throw new CliExit(1, 'no allocation list yet: run `stemjoint randomization init --db URL`');
          }
          process.stdout.write(
            [
              `commitment  ${status.commitment}`,
              ...status.strata.map((s) => `stratum     ${s.stratum}: ${s.used} of ${s.slots} slots used`),
              '',
            ].join('\n'),
          );
        },
        { vault: false },
      );
    });

  group
    .command('reveal')
    .description('After database lock: write the full list (seed, salt, arms) for `randomization verify --list FILE`')
    .addOption(dbOption())
    .requiredOption('--out <file>', 'where to write the list JSON (created with mode 0600)')
    .action(async (options: { db?: string; out: string }) => {
      await withContext(options.db, async (ctx) => {
        const list = await revealAllocationList(ctx, systemActor('cli'));
        writeFileSync(options.out, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
        process.stdout.write(
          `wrote ${options.out}: commitment ${list.commitment}\nverify it with: stemjoint randomization verify --list ${options.out}\n`,
        );
      });
    });
}

const INIT_HELP = `
The seed (256 bits) and the commitment salt (256 bits) are drawn from the OS CSPRNG; nobody sees
them or the arms. They are stored encrypted with the identity-vault key (STEMJOINT_IDENTITY_KEY or
STEMJOINT_IDENTITY_KEY_FILE), so the server must run with the same key. A second list is refused.`;

/** Raw options of `randomization init`. */
interface InitOptions {
  db?: string;
  perStratum: string;
  strata: string;
  design: string;
  blocks?: string;
  maxImbalance?: string;
  json?: boolean;
}

const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );

/** Opens the database (and the identity vault, which seals the list), runs `body`, and closes. */
async function withContext(
  dbUrl: string | undefined,
  body: (ctx: ServiceContext) => Promise<void>,
  opts: { vault?: boolean } = {},
): Promise<void> {
  const url = dbUrl ?? process.env.STEMJOINT_DB ?? 'sqlite:./data/stemjoint.db';
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (e) {
    throw new CliExit(3, `--db: ${(e as Error).message}`);
  }
  try {
    const study = await database.db
      .selectFrom('study')
      .select('id')
      .executeTakeFirst()
      .catch(() => undefined);
    if (!study) {
      throw new CliExit(4, `database ${redactUrl(url)} is not initialised; run \`stemjoint init --db URL\` first`);
    }
    const vault = opts.vault === false ? {} : { identityVault: loadIdentityVault().vault };
    await body(createServiceContext(database, vault));
  } finally {
    await database.close();
  }
}
