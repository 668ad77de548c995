/**
 * Runs once before the suite: finds out whether PostgreSQL is reachable (tests on it are skipped
 * loudly when it is not, or fail when STEMJOINT_REQUIRE_PG=1) and builds the web app when the
 * end-to-end tests need it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const PG_URL = process.env.STEMJOINT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export default async function setup(project: TestProject): Promise<void> {
  const problem = await pgReachable();
  if (problem) {
    const banner = `\n${'!'.repeat(78)}\n!! PostgreSQL at ${PG_URL} is NOT reachable (${problem}).\n!! Every PostgreSQL test will be SKIPPED. Set STEMJOINT_REQUIRE_PG=1 to make this a failure.\n${'!'.repeat(78)}\n`;
    process.stderr.write(banner);
    if (process.env.STEMJOINT_REQUIRE_PG === '1') {
      throw new Error(`STEMJOINT_REQUIRE_PG=1 but PostgreSQL is unreachable: ${problem}`);
    }
  }
  project.provide('pgAvailable', problem === null);
  project.provide('pgUrl', PG_URL);

  const index = 'dist/web/index.html';
  if (
    process.env.STEMJOINT_SKIP_WEB_BUILD !== '1' &&
    existsSync('web/index.html') &&
    (!existsSync(index) || newestMtime('web') > statSync(index).mtimeMs)
  ) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
    pgUrl: string;
  }
}
