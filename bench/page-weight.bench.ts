/**
 * Page weight: the compressed JavaScript and CSS each web entry loads first, from the production
 * build in dist/web (built here if missing). Baseline: React + ReactDOM alone, as bundled.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

if (!existsSync('dist/web/index.html')) {
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
const assets = join('dist/web/assets');
const gz = (file: string): number => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
const files = readdirSync(assets);
const js = files.filter((f) => f.endsWith('.js'));
const html = readFileSync('dist/web/index.html', 'utf8');
const entryScripts = [...html.matchAll(/src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1] as string);
const entryCss = [...html.matchAll(/href="\/assets\/([^"]+\.css)"/g)].map((m) => m[1] as string);
const firstLoad = [...entryScripts, ...entryCss].reduce((s, f) => s + gz(f), 0);
const allJs = js.reduce((s, f) => s + gz(f), 0);
const rows = [
  {
    name: 'staff app: first load (entry JS + CSS, gzip)',
    value: firstLoad / 1024,
    unit: 'KiB',
    note: `${entryScripts.length} script(s); target ≤ 100 KiB JS for participant pages`,
  },
  { name: 'staff app: all JS chunks (gzip)', value: allJs / 1024, unit: 'KiB', note: `${js.length} chunks` },
];
process.stdout.write(JSON.stringify({ rows }));
