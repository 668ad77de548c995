/**
 * The simulator: participants per second loaded through the real services on SQLite (every
 * screening, consent, e-signed sign-off, enrolment, form, randomization, dose preparation,
 * injection, visit, AE and withdrawal is a command with its audit records; the commands of 25
 * participants share one transaction, one savepoint each — `runBatch`), next to the baseline of bare
 * commands (one transaction with one audit record each) on the same database — a participant costs
 * about 27 commands and two e-signatures (argon2id). Also the CPU time per participant (the bound
 * once commits are batched), the pure simulator and one power replicate. Prints JSON.
 *
 *   node --import tsx bench/simulate.bench.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/storage/database.js';
import { runCommand } from '../src/services/command.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { createIdentityVault, generateKeyring } from '../src/services/identity-vault.js';
import { loadSimulatedTrial } from '../src/services/simulate-trial.js';
import { initStudy } from '../src/services/study.js';
import { resolveSimulatorConfig, simulateTrialParticipants } from '../src/core/simulation/trial-simulator.js';
import { simulatePower } from '../src/core/simulation/trial-simulator-power.js';

const quick = process.argv.includes('--quick');
const N = quick ? 20 : 150;
const COMMANDS = quick ? 200 : 1000;

const dir = mkdtempSync(join(tmpdir(), 'sj-bench-sim-'));
const rows: {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  note?: string;
}[] = [];
try {
  const database = await openDatabase(`sqlite:${join(dir, 's.db')}`);
  const ctx = createServiceContext(database, { identityVault: createIdentityVault(generateKeyring()) });
  await initStudy(ctx, { adminEmail: 'admin@bench.local', adminPassword: 'bench-password-123' });

  const t0 = performance.now();
  for (let i = 0; i < COMMANDS; i++) {
    await runCommand(ctx, systemActor('bench'), async ({ audit }) => {
      await audit({ action: 'bench.noop', entityType: 'bench', entityId: String(i), after: { i } });
    });
  }
  const commandsPerSecond = COMMANDS / ((performance.now() - t0) / 1000);
  rows.push({
    name: 'bare commands (transaction + audit record), SQLite',
    value: Math.round(commandsPerSecond),
    unit: 'cmd/s',
  });

  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await loadSimulatedTrial(ctx, { participants: N, seed: 77, password: 'bench-password-123' });
  const seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const perParticipant = seconds / N;
  const audit = Number(
    (await database.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq,
  );
  rows.push({
    name: `simulate through the services, SQLite (${N} enrolled, ${summary.screened} screened)`,
    value: Math.round((N / seconds) * 100) / 100,
    unit: 'ppt/s',
    baseline: { name: 'bare commands / 27 per participant', value: Math.round((commandsPerSecond / 27) * 100) / 100 },
    ratio: Math.round((N / seconds / (commandsPerSecond / 27)) * 100) / 100,
    note: `${Math.round(perParticipant * 1000)} ms per participant → 10,000 in ${Math.round((perParticipant * 10_000) / 60)} min; ${audit} audit records`,
  });
  rows.push({
    name: 'simulate: CPU time per participant (all threads, argon2id included)',
    value: Math.round((cpu.user + cpu.system) / 1000 / N),
    unit: 'ms',
  });
  await database.close();

  const t2 = performance.now();
  simulateTrialParticipants(resolveSimulatorConfig({ seed: 1 }), 10_000);
  rows.push({
    name: 'pure simulator, 10,000 participants × 6 visits',
    value: Math.round(performance.now() - t2),
    unit: 'ms',
  });
  const t3 = performance.now();
  const reps = quick ? 10 : 100;
  simulatePower({ effect: 8, sd: 14, n: 80, reps, seed: 1 });
  rows.push({
    name: `power: one replicate (n = 80, primary MMRM), mean of ${reps}`,
    value: Math.round(((performance.now() - t3) / reps) * 10) / 10,
    unit: 'ms',
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
