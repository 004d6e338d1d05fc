// Builds the web console (console/src, Preact) into dist/console, which the server serves at
// /console/ (src/transport/static-site.ts). Run by `npm run build`, so by `npm ci` too.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Everything is bundled: the console loads nothing from another origin, and the CSP allows
    // only 'self', so no inline script and no data: URL for small assets.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
