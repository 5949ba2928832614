// The package's entry points (`itimer`, `itimer/timers`, `itimer/promises`) as a few bundled
// ES modules sharing their chunks, written over tsc's per-module files of the same names.
// Importing 60 modules one by one cost twice the time and memory of importing the bundle
// (README, "Installing it in a project"). tsc's other files stay: the CLI runs on them, in
// its own processes, and the types are tsc's.
//
//   npm run build        (tsc, then this)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts', 'src/node/timers.ts', 'src/node/promises.ts'],
  outbase: 'src',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true, // one copy of the chain, whichever entry points a program imports
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['koffi', '@2060.io/*'], // loaded lazily with require, from the user's node_modules
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
