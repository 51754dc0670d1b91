// Builds the console's UI (Preact, TypeScript) into dist/console-ui, which the console serves and the
// package ships: `venice up` needs no build step. Every asset is local (no CDN).
import path from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.resolve(here, '../../../dist/console-ui'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 300,
  },
});
