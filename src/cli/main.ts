/**
 * The `stemjoint` command line: one commander program, each command group registered from its own
 * file under `commands/`. Commands are thin: they parse options, call services or pure core
 * functions, and print. Exit codes: 0 success, 1 a negative answer (ineligible, verification
 * failed), 2 undecided, 3 malformed input, 4 runtime failure.
 */
import { Command, CommanderError } from 'commander';
import { isTrialError } from '../core/errors.js';
import { CliExit } from './io.js';
import { registerPlatformCommands } from './commands/platform.js';
import { registerEligibilityCommand } from './commands/eligibility.js';
import { registerKoosCommand } from './commands/koos.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerRandomizationCommand } from './commands/randomization.js';
import { registerSafetyCommand } from './commands/safety.js';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { registerExportCommand } from './commands/export.js';
import { registerSecurityCommand } from './commands/security.js';
import { registerReportCommand } from './commands/report.js';
import { registerPowerCommand } from './commands/power.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerSimulateCommand } from './commands/simulate.js';

export function buildProgram(): Command {
  const program = new Command('stemjoint')
    .description('STEMJOINT trial platform (NCT05933434)')
    .showHelpAfterError()
    .exitOverride();
  registerPlatformCommands(program);
  registerEligibilityCommand(program);
  registerKoosCommand(program);
  registerScheduleCommand(program);
  registerRandomizationCommand(program);
  registerSafetyCommand(program);
  registerAnalyzeCommand(program);
  registerExportCommand(program);
  registerSecurityCommand(program);
  registerReportCommand(program);
  registerPowerCommand(program);
  registerJobsCommand(program);
  registerSimulateCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CliExit) {
      if (e.stderr) process.stderr.write(`${e.stderr}\n`);
      return e.exitCode;
    }
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 3 (malformed input).
      return e.exitCode === 0 ? 0 : 3;
    }
    if (isTrialError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      for (const d of e.details) process.stderr.write(`  ${d.path}: ${d.message}\n`);
      return e.code === 'validation_failed' ? 3 : 4;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 4;
  }
}
