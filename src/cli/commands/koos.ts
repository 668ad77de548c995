/**
 * `stemjoint koos score`: KOOS subscale scores (spec §6) from `{ "S1": 0–4 | null, …, "Q4": … }` on
 * stdin. Prints `{ symptoms, pain, adl, sport, qol }`, unrounded or null. Malformed input exits 3
 * with each offending item on its own stderr line.
 */
import type { Command } from 'commander';
import { parseKoosAnswers } from '../../core/scoring/parse-koos-answers.js';
import { scoreKoos } from '../../core/scoring/score-koos.js';
import { CliExit, printJson, readStdinJson } from '../io.js';

/** Registers the `koos` command group. */
export function registerKoosCommand(program: Command): void {
  const group = program.command('koos').description('KOOS questionnaire (protocol §6)');
  group
    .command('score')
    .description('score KOOS answers read as JSON on stdin (S1…Q4, each 0–4 or null); prints the five subscales')
    .action(async () => {
      const parsed = parseKoosAnswers(await readStdinJson(3));
      if (!parsed.ok) throw new CliExit(3, parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
      printJson(scoreKoos(parsed.answers));
    });
}
