/**
 * `stemjoint eligibility check [--json]`: assess one screening record (spec §3 item ids, optional
 * `cpr`) read as JSON on stdin. Exit codes: 0 eligible, 1 not eligible, 2 undecided, 3 malformed
 * input (each offending item on its own stderr line).
 */
import type { Command } from 'commander';
import { assessEligibility } from '../../core/eligibility/assess-eligibility.js';
import { explainEligibility } from '../../core/eligibility/explain-eligibility.js';
import { parseScreeningRecord } from '../../core/eligibility/parse-screening-record.js';
import { CliExit, printJson, readStdinJson } from '../io.js';

/** Exit code for each verdict. */
const EXIT_CODE = { eligible: 0, notEligible: 1, undecided: 2, malformed: 3 } as const;

/** Registers the `eligibility` command group. */
export function registerEligibilityCommand(program: Command): void {
  const group = program.command('eligibility').description('screening eligibility (protocol §3)');
  group
    .command('check')
    .description(
      'assess one screening record read as JSON on stdin; exit 0 eligible, 1 not eligible, 2 undecided, 3 malformed input',
    )
    .option('--json', 'print { eligible, unmet, excluded, missing, derived } as JSON')
    .action(async (options: { json?: boolean }) => {
      const parsed = parseScreeningRecord(await readStdinJson(EXIT_CODE.malformed));
      if (!parsed.ok) {
        throw new CliExit(EXIT_CODE.malformed, parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
      }
      for (const w of parsed.warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
      const result = assessEligibility(parsed.record);
      if (options.json) {
        printJson({
          eligible: result.eligible,
          unmet: result.unmet,
          excluded: result.excluded,
          missing: result.missing,
          derived: result.derived,
        });
      } else {
        const lines = explainEligibility(result);
        if (parsed.derivedFromCpr.length > 0) {
          lines.push(`Derived from the CPR number: ${parsed.derivedFromCpr.join(', ')}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      const code =
        result.eligible === true
          ? EXIT_CODE.eligible
          : result.eligible === false
            ? EXIT_CODE.notEligible
            : EXIT_CODE.undecided;
      // A non-zero exit is an answer here, not an error: nothing more goes to stderr.
      if (code !== EXIT_CODE.eligible) throw new CliExit(code);
    });
}
