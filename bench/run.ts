/**
 * `npm run bench [-- --quick]`: runs every `bench/*.bench.ts` in its own process (so one benchmark's
 * heap and JIT state cannot colour another's), collects their JSON, writes
 * `bench-results/latest.json` and prints a readable table. Each benchmark reports its figures next
 * to a baseline measured in the same run, because these machines are shared and noisy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();

interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  note?: string;
}

const results: Record<string, { rows: BenchRow[]; error?: string; seconds: number }> = {};
for (const file of files) {
  const started = Date.now();
  process.stderr.write(`▶ ${file}${quick ? ' (quick)' : ''}\n`);
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join('bench', file), ...(quick ? ['--quick'] : [])],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, STEMJOINT_LOG_LEVEL: 'silent' },
      },
    );
    const json = JSON.parse(out.slice(out.indexOf('{'))) as { rows: BenchRow[] };
    results[file] = { rows: json.rows, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    results[file] = {
      rows: [],
      error: (e as Error).message.split('\n')[0] ?? 'failed',
      seconds: (Date.now() - started) / 1000,
    };
  }
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: process.platform,
};
const report = { date: new Date().toISOString(), quick, machine, results };
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', `${JSON.stringify(report, null, 2)}\n`);

const fmt = (n: number): string =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
process.stdout.write(
  `\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}\n\n`,
);
for (const [file, r] of Object.entries(results)) {
  process.stdout.write(`${file} (${r.seconds.toFixed(1)} s)${r.error ? `  FAILED: ${r.error}` : ''}\n`);
  for (const row of r.rows) {
    const base = row.baseline
      ? `   vs ${row.baseline.name} ${fmt(row.baseline.value)} → ratio ${fmt(row.ratio ?? row.value / row.baseline.value)}`
      : '';
    process.stdout.write(
      `  ${row.name.padEnd(58)} ${fmt(row.value).padStart(10)} ${row.unit.padEnd(10)}${base}${row.note ? `  (${row.note})` : ''}\n`,
    );
  }
}
process.stdout.write('\nwritten: bench-results/latest.json\n');
if (Object.values(results).some((r) => r.error)) process.exitCode = 1;
