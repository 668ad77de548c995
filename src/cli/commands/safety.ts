/**
 * `stemjoint safety …`: the regulatory reporting clocks of protocol §7, computed by the pure core;
 * the deadline scan that enqueues near and overdue notifications (run it from a scheduler); and the
 * blinded data extract for the annual safety report.
 */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  computeSafetyDeadlines,
  formatCopenhagenInstant,
  parseInstant,
  parseSafetyClockInput,
} from '../../core/safety/index.js';
import { openDatabase, redactUrl, type Database } from '../../storage/database.js';
import { createServiceContext, systemActor, type ServiceContext } from '../../services/context.js';
import { scanSafetyDeadlines } from '../../services/safety-notifications.js';
import { buildSafetyExtractCsv } from '../../services/safety-outputs.js';
import { CliExit, printJson, readStdinJson } from '../io.js';

const dbOption = (): Option =>
  new Option(
    '--db <url>',
    'database URL: sqlite:PATH or postgres://… (default $STEMJOINT_DB or sqlite:./data/stemjoint.db)',
  );

/** Opens the database, runs the body with a service context, and always closes it (exit 4 when unreachable). */
async function withSafetyContext<T>(dbUrl: string | undefined, body: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const url = dbUrl ?? process.env.STEMJOINT_DB ?? 'sqlite:./data/stemjoint.db';
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (e) {
    throw new CliExit(3, `--db: ${(e as Error).message}`);
  }
  try {
    // No identity vault: neither the scan nor the blinded extract touches identities or allocations.
    return await body(createServiceContext(database));
  } catch (e) {
    const msg = (e as Error).message;
    if (/ECONNREFUSED|does not exist|no such table|getaddrinfo/.test(msg)) {
      throw new CliExit(4, `database ${redactUrl(url)}: ${msg}`);
    }
    throw e;
  } finally {
    await database.close();
  }
}

const DEADLINES_HELP = `
Reads on stdin:
  { "investigator_awareness": "2026-03-28T12:00:00+01:00", "sponsor_awareness": "…",
    "susar": true, "fatal_or_life_threatening": false }
Instants need an offset (Z or ±HH:MM); awareness may be null or omitted (clock not started);
susar defaults to false; fatal_or_life_threatening is required when susar is true. Prints
  { "sponsor_report_due", "susar_initial_due", "susar_followup_due" }
as instants in Europe/Copenhagen time with its offset (+01:00 or +02:00), null where not applicable.
- sponsor_report_due: investigator awareness + 24 elapsed hours.
- SUSAR: day 0 is the Copenhagen date of the sponsor's awareness; fatal or life-threatening is
  due at the end of day 7 with follow-up at the end of day 15, any other SUSAR at the end of day 15.
  "End of day N" (24:00) is printed as 00:00:00 of day N+1, e.g. 2026-03-09T00:00:00+01:00 for
  day 7 = 8 March 2026. A report at exactly the due instant is on time.
Exit 3 naming the field when the input is malformed.`;

/** Registers the `safety` command group. */
export function registerSafetyCommand(program: Command): void {
  const group = program.command('safety').description('Safety reporting clocks (SAE 24 h, SUSAR 7/15 days)');

  group
    .command('deadlines')
    .description('Compute the SAE and SUSAR reporting deadlines for one event read from stdin')
    .option('--json', 'print the deadlines as JSON')
    .addHelpText('after', DEADLINES_HELP)
    .action(async (options: { json?: boolean }) => {
      const input = parseSafetyClockInput(await readStdinJson(3));
      const due = computeSafetyDeadlines(input);
      const show = (d: Date | null): string | null => (d ? formatCopenhagenInstant(d) : null);
      const output = {
        sponsor_report_due: show(due.sponsorReportDue),
        susar_initial_due: show(due.susarInitialDue),
        susar_followup_due: show(due.susarFollowupDue),
      };
      if (options.json) {
        printJson(output);
        return;
      }
      const line = (label: string, value: string | null): string => `${label.padEnd(22)}${value ?? 'not applicable'}\n`;
      process.stdout.write(
        line('sponsor report due', output.sponsor_report_due) +
          line('SUSAR initial due', output.susar_initial_due) +
          line('SUSAR follow-up due', output.susar_followup_due),
      );
    });

  group
    .command('scan')
    .description(
      'Enqueue notifications for SAE/SUSAR deadlines that are near or overdue (idempotent; run every few minutes)',
    )
    .addOption(dbOption())
    .option('--now <instant>', 'evaluate the clocks at this instant instead of the current time (with offset)')
    .option('--json', 'print what was enqueued as JSON')
    .action(async (opts: { db?: string; now?: string; json?: boolean }) => {
      const at = opts.now === undefined ? new Date() : parseInstant(opts.now);
      if (!at) throw new CliExit(3, '--now: must be an ISO 8601 instant with offset, e.g. 2026-03-29T13:00:00+02:00');
      const result = await withSafetyContext(opts.db, (ctx) => scanSafetyDeadlines(ctx, at));
      if (opts.json) {
        printJson(result);
        return;
      }
      process.stdout.write(
        `scanned ${result.scannedCases} open case(s); ${result.notified.length} notification(s) enqueued\n`,
      );
      for (const n of result.notified) {
        process.stdout.write(
          `  ${n.caseNumber} ${n.deadline} ${n.level} (due ${formatCopenhagenInstant(new Date(n.due))}) → ${n.recipients} recipient(s)\n`,
        );
      }
    });

  group
    .command('extract')
    .description('Write the (blinded) adverse-event extract for the annual safety report as CSV')
    .addOption(dbOption())
    .option('--from <date>', 'first day of the reporting period (site awareness date, YYYY-MM-DD)')
    .option('--to <date>', 'last day of the reporting period (YYYY-MM-DD)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { db?: string; from?: string; to?: string; out?: string }) => {
      for (const [name, value] of [
        ['--from', opts.from],
        ['--to', opts.to],
      ] as const) {
        if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
          throw new CliExit(3, `${name}: must be a date YYYY-MM-DD`);
        }
      }
      const doc = await withSafetyContext(opts.db, (ctx) =>
        buildSafetyExtractCsv(ctx, systemActor('cli-safety-extract'), {
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
        }),
      );
      if (opts.out) {
        writeFileSync(opts.out, doc.csv);
        process.stderr.write(`${doc.rows} adverse event(s) written to ${opts.out}\n`);
        return;
      }
      process.stdout.write(doc.csv);
    });
}
