// The package's entry points (every subpath of package.json "exports": `itimer`, `itimer/posix`,
// `itimer/kqueue`, `itimer/clocks`, `itimer/devalarm`, `itimer/timers`, `itimer/promises`) as
// bundled ES modules sharing their chunks, written over tsc's per-module files of the same
// names. Importing 60 modules one by one cost twice the time and memory of importing the bundle
// (README, "Installing it in a project"); the shared chunks keep one copy of every module
// (one chain, one Kqueue class) whichever entries a program imports. tsc's other files stay:
// the CLI runs on them, in its own processes, and the types are tsc's.
//
//   npm run build        (tsc, then this)
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** @type {{ exports: Record<string, string | { default: string }> }} */
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/** Each export's `dist/X.js` is built from `src/X.ts`. */
const entryPoints = Object.values(pkg.exports)
  .flatMap((target) => (typeof target === 'object' && /^\.\/dist\/.+\.js$/.test(target.default) ? [target.default.replace(/^\.\/dist\/(.+)\.js$/, 'src/$1.ts')] : []));
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
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
