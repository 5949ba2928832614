/**
 * The layers of DESIGN.md: every import between folders of src/ points downward, and only
 * src/host imports an FFI library.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Lower layers first; folders of one rank do not import each other. */
const RANK: Record<string, number> = { runtime: 0, host: 1, posix: 2, backends: 3, chain: 4, clocks: 5, kqueue: 5, node: 5, devalarm: 6, cli: 7 };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

const files = sources(src).filter((file) => relative(src, file).includes('/'));

test('every folder of src/ has a rank', (t) => {
  for (const file of files) t.true(relative(src, file).split('/')[0]! in RANK, file);
});

test('imports between layers point downward', (t) => {
  let checked = 0;
  for (const file of files) {
    const layer = relative(src, file).split('/')[0]!;
    for (const [, path] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
      const target = relative(src, join(dirname(file), path!)).split('/')[0]!;
      if (target === layer || !(target in RANK)) continue;
      checked++;
      t.true(RANK[target]! < RANK[layer]!, `${relative(src, file)} imports ${path} (${target} is not below ${layer})`);
    }
  }
  t.true(checked > 50, `${checked} imports across layers`);
});

test('only src/host imports an FFI library', (t) => {
  for (const file of sources(src)) {
    if (relative(src, file).startsWith('host/')) continue;
    t.notRegex(readFileSync(file, 'utf8'), /from '(koffi|@2060\.io\/[^']+)'|require\('(koffi|@2060\.io\/[^']+)'\)/, file);
  }
});
