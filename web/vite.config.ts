/**
 * Build of the staff web app. Vite 8 compiles TSX with React's automatic runtime on its own, so no
 * plugin is needed. The output goes to `dist/web`, which the API server serves with an SPA fallback.
 * Nothing may end up inline in index.html: the server's CSP allows scripts and styles from 'self' only.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ command }) => {
  // A build is always a production build, even when started by a test runner that sets
  // NODE_ENV=test: Vite derives "production" from NODE_ENV, and would otherwise ship React's
  // development build and the development JSX runtime. This runs in the Vite CLI process only.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root,
    base: '/',
    publicDir: false,
    build: {
      outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      // Small assets would otherwise become data: URLs inside CSS/JS; keep everything a real file.
      assetsInlineLimit: 0,
      // The modulepreload polyfill is not needed by any browser we support.
      modulePreload: { polyfill: false },
      sourcemap: false,
      // Two entries: the staff app and the participant pages (`/p/`), which load only their own
      // small bundle (React and the participant code; no i18next, no staff pages).
      rollupOptions: {
        input: {
          main: fileURLToPath(new URL('./index.html', import.meta.url)),
          participant: fileURLToPath(new URL('./participant.html', import.meta.url)),
        },
      },
    },
    server: {
      proxy: { '/api': 'http://127.0.0.1:3000' },
    },
  };
});
