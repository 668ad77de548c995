/**
 * Page weight: the compressed JavaScript and CSS each web entry loads before it can draw — its
 * module script, the chunks its HTML preloads and its style sheets — from the production build in
 * dist/web (built here if missing). Baseline: the framework chunk both entries share (React and
 * ReactDOM as bundled), so the ratio says how much of a page is ours. Target (issue 7): a
 * participant page loads at most 100 KB of compressed JavaScript; the staff shell keeps to the same.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

if (!existsSync('dist/web/index.html')) {
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
const ASSETS = 'dist/web/assets';
const gz = (file: string): number => gzipSync(readFileSync(join(ASSETS, file)), { level: 9 }).length;
const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

/** What one HTML entry loads first: scripts (module + preloaded chunks) and style sheets. */
function firstLoad(htmlFile: string): { js: string[]; css: string[] } {
  const html = readFileSync(join('dist/web', htmlFile), 'utf8');
  const refs = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1] as string);
  return {
    js: [
      ...refs(/<script[^>]*\ssrc="\/assets\/([^"]+\.js)"/g),
      ...refs(/<link[^>]*rel="modulepreload"[^>]*href="\/assets\/([^"]+\.js)"/g),
    ],
    css: refs(/<link[^>]*rel="stylesheet"[^>]*href="\/assets\/([^"]+\.css)"/g),
  };
}

const staff = firstLoad('index.html');
const participant = firstLoad('participant.html');
const shared = staff.js.filter((f) => participant.js.includes(f));
const framework = shared.reduce((s, f) => s + gz(f), 0);
const sum = (files: readonly string[]): number => files.reduce((s, f) => s + gz(f), 0);
const allJs = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));

const page = (name: string, load: { js: string[]; css: string[] }) => {
  const js = sum(load.js);
  return {
    name: `${name}: first-load JavaScript (gzip)`,
    value: kib(js),
    unit: 'KiB',
    baseline: { name: 'framework chunk (React + ReactDOM, shared)', value: kib(framework) },
    ratio: framework > 0 ? Math.round((js / framework) * 100) / 100 : undefined,
    note: `${load.js.length} script(s), ${Math.round(js / 1000)} KB; CSS ${kib(sum(load.css))} KiB; target ≤ 100 KB JS: ${js <= 100_000 ? 'met' : 'NOT met'}`,
  };
};

const rows = [
  page('staff app', staff),
  page('participant pages', participant),
  {
    name: 'staff app: all JS chunks (gzip)',
    value: kib(sum(allJs)),
    unit: 'KiB',
    note: `${allJs.length} chunks, loaded per page`,
  },
];
process.stdout.write(JSON.stringify({ rows }));
