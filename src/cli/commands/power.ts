import type { Command } from 'commander';

/** Registers the `power` command group (placeholder until its owner fills it in). */
export function registerPowerCommand(_program: Command): void {}
