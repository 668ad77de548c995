import type { Command } from 'commander';

/** Registers the `report` command group (placeholder until its owner fills it in). */
export function registerReportCommand(_program: Command): void {}
