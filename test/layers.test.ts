/**
 * The layers of docs/architecture.md: every import between folders of src/
 * points downward; the root files of src/ (the package's entry points: index.ts, posix.ts, …)
 * may import any layer, and nothing imports them; only src/host imports an FFI library; the
 * library never reaches a global timer function.
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

const all = sources(src);
/** The entry points: files directly in src/. */
const roots = all.filter((file) => !relative(src, file).includes('/'));
/** A file's folder under src/, or '' for a root file. */
const layerOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '');

/** Every relative module a file imports or re-exports, statically (`from '…'`, `import '…'`) or dynamically (`import('…')`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'(\.[^']*)'/g)].map(([, path]) => relative(src, join(dirname(file), path!)));
}

test('the root files are the entry points of package.json, and every folder of src/ has a rank', (t) => {
  const exported = Object.values((JSON.parse(readFileSync(join(src, '../package.json'), 'utf8')) as { exports: Record<string, { default?: string } | string> }).exports)
    .flatMap((target) => (typeof target === 'object' && target.default?.startsWith('./dist/') ? [target.default.slice('./dist/'.length).replace(/\.js$/, '.ts')] : []))
    .filter((path) => !path.includes('/'));
  t.deepEqual(roots.map((file) => relative(src, file)).sort(), exported.sort());
  for (const file of all) {
    const layer = layerOf(relative(src, file));
    if (layer !== '') t.true(layer in RANK, file);
  }
});

test('imports between layers point downward; root files import any layer, and nothing imports a root file', (t) => {
  let checked = 0;
  for (const file of all) {
    const layer = layerOf(relative(src, file));
    for (const target of imports(file)) {
      const targetLayer = layerOf(target);
      t.not(targetLayer, '', `${relative(src, file)} imports the entry point ${target}`);
      if (layer === '' || targetLayer === layer || !(targetLayer in RANK)) continue;
      checked++;
      t.true(RANK[targetLayer]! < RANK[layer]!, `${relative(src, file)} imports ${target} (${targetLayer} is not below ${layer})`);
    }
  }
  t.true(checked > 50, `${checked} imports across layers`);
  t.true(roots.flatMap(imports).length >= roots.length, 'the root files were read');
});

test('no entry point loads the CLI: nothing an entry point reaches, import by import, is in src/cli', (t) => {
  for (const root of roots) {
    const reached = new Set<string>();
    const visit = (path: string) => {
      if (reached.has(path)) return;
      reached.add(path);
      for (const target of imports(join(src, path.replace(/\.js$/, '.ts')))) visit(target);
    };
    visit(relative(src, root));
    t.true(reached.size > 5, `${relative(src, root)} reaches ${reached.size} modules`);
    t.deepEqual([...reached].filter((path) => layerOf(path) === 'cli'), [], relative(src, root));
  }
});

test('only src/host imports an FFI library', (t) => {
  for (const file of all) {
    if (relative(src, file).startsWith('host/')) continue;
    t.notRegex(readFileSync(file, 'utf8'), /from '(koffi|@2060\.io\/[^']+)'|require\('(koffi|@2060\.io\/[^']+)'\)/, file);
  }
});

/** Node's timer functions, which a program (or `itimer/register`, or a fake-timers library) may replace on the global object. */
const TIMER_FUNCTIONS = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'];

/** The folders held to this so far ('' is the root files); the chain's folders join as they take Node's timers through src/runtime. */
const TIMER_CHECKED = ['', 'runtime', 'host', 'posix', 'backends', 'chain', 'clocks', 'kqueue', 'node', 'devalarm', 'cli'];

test('the library calls no global timer function: each file takes the ones it calls from node:timers when it loads', (t) => {
  let calls = 0;
  for (const file of all) {
    if (!TIMER_CHECKED.includes(layerOf(relative(src, file)))) continue;
    // Code only: comments, strings and the text of child programs (template literals) left out.
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const imported = new Set(/import\s*\{([^}]*)\}\s*from\s*'node:timers'/.exec(source)?.[1]!.split(',').map((name) => name.trim().split(/\s+as\s+/).at(-1)!) ?? []);
    // The module's own functions of those names (itimer/timers' setTimeout) are no globals.
    for (const [, name] of source.matchAll(/(?:function\*?\s+|(?:const|let)\s+)(\w+)/g)) imported.add(name!);
    const code = source
      .replace(/`(?:\\[\s\S]|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, "''")
      // method definitions named like a timer function (Timer#setInterval) are no calls
      .replace(/^\s*(?:(?:static|override|async|public|private)\s+)*\w+\s*\([^)]*\)\s*(?::\s*[^{;=]+)?\{/gm, '');
    // A call, not a method signature (whose first parameter is typed: `setTimeout(task: …`).
    for (const [, name] of code.matchAll(/(?<![.\w$])(\w+)\s*\((?!\s*\w+\??\s*:)/g)) {
      if (!TIMER_FUNCTIONS.includes(name!)) continue;
      calls++;
      t.true(imported.has(name!), `${relative(src, file)} calls the global ${name}`);
    }
  }
  t.true(calls > 10, `${calls} timer calls checked`);
});
