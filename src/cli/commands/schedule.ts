/**
 * `stemjoint schedule --day0 YYYY-MM-DD [--json]`: the follow-up visits (M3 … Y5) with target date
 * and window from the injection day (spec §5). A bad date exits 3 naming `--day0`.
 */
import type { Command } from 'commander';
import { computeSchedule, diaryDays } from '../../core/schedule/compute-schedule.js';
import { isIsoDate } from '../../core/schedule/plain-date.js';
import { STEMJOINT_VISIT_PLAN } from '../../core/schedule/visit-plan.js';
import { CliExit, printJson } from '../io.js';

/** Registers the `schedule` command. */
export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description('visit dates and windows from Day 0 (the injection day)')
    .requiredOption('--day0 <date>', 'injection day, YYYY-MM-DD')
    .option('--json', 'print [{ visit, target, earliest, latest }, …] as JSON')
    .action((options: { day0: string; json?: boolean }) => {
      if (!isIsoDate(options.day0)) {
        throw new CliExit(3, `--day0: not a calendar date YYYY-MM-DD: ${JSON.stringify(options.day0)}`);
      }
      const visits = computeSchedule(options.day0);
      if (options.json) {
        printJson(visits);
        return;
      }
      const labels = new Map(STEMJOINT_VISIT_PLAN.visits.map((v) => [v.code, v]));
      const rows = visits.map((v) => {
        const planned = labels.get(v.visit);
        const window = planned ? `±${planned.latestDay - planned.targetDay} d` : '';
        return [
          v.visit,
          planned?.label ?? '',
          planned ? `day ${planned.targetDay}` : '',
          v.target,
          `${v.earliest} … ${v.latest}`,
          window,
        ];
      });
      const header = ['Visit', 'Label', 'Day', 'Target', 'Window', ''];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
      const format = (cells: string[]): string =>
        cells
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd();
      const diary = diaryDays(options.day0);
      const lines = [
        `Visit schedule for Day 0 (injection) = ${options.day0}`,
        '',
        format(header),
        ...rows.map(format),
        '',
        `Pain diary ${diary[0]?.visit ?? ''}–${diary.at(-1)?.visit ?? ''}: ${diary[0]?.target ?? ''} … ${diary.at(-1)?.target ?? ''} (each entry on its own day; late entries are flagged)`,
        'A visit outside its window is recorded and flagged as a protocol deviation, never refused.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
