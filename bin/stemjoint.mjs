#!/usr/bin/env node
// Entry point of the `stemjoint` command. The sources are TypeScript run through tsx's loader,
// so a fresh clone needs no build step for the server or the CLI.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv);
// A running server keeps the process alive on its own; every other command ends here.
if (code !== 0) process.exitCode = code;
