/** Shared plumbing for CLI commands: reading JSON from stdin, printing, and exit codes as values. */

/** Thrown by a command to end the process with a given exit code after printing its message to stderr. */
export class CliExit extends Error {
  readonly exitCode: number;
  readonly stderr: string | undefined;
  constructor(exitCode: number, stderr?: string) {
    super(stderr ?? `exit ${exitCode}`);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads stdin as JSON; malformed JSON ends the command with `malformedExitCode` and a message. */
export async function readStdinJson(malformedExitCode = 3): Promise<unknown> {
  const text = await readStdin();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliExit(malformedExitCode, `input: not valid JSON (${(e as Error).message})`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
