/**
 * `stemjoint safety …`: the regulatory reporting clocks of protocol §7, computed by the pure core.
 */
import type { Command } from 'commander';
import { computeSafetyDeadlines, formatCopenhagenInstant, parseSafetyClockInput } from '../../core/safety/index.js';
import { printJson, readStdinJson } from '../io.js';

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
}
