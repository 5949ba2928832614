/**
 * Every ```js snippet in the README and the guides runs on this Node as written: each is
 * written to a file in the project (so `import … from 'itimer'` resolves to this package),
 * run, and must exit 0 with nothing on stderr. A comment line just before the fence says
 * when a snippet is run otherwise:
 *   <!-- snippet: signal SIGALRM -->  the program ends by that signal, on purpose
 *   <!-- snippet: ava -->             an ava test file, run by ava
 *   <!-- snippet: not run: REASON --> a reproducer of someone else's crash (it aborts now and
 *                                     then, by design): checked to parse, not run
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

interface Snippet {
  name: string;
  code: string;
  mode: string;
}

const snippets: Snippet[] = documents.flatMap((document) => {
  const text = readFileSync(join(root, document), 'utf8');
  return [...text.matchAll(/(?:<!-- snippet: ([^>]*?) -->\n)?```js\n([\s\S]*?)```/g)].map((match, index) => ({
    name: `${document} #${index + 1}`,
    mode: match[1] ?? 'node',
    code: match[2]!,
  }));
});

test('the guides have snippets, each with a known way to run it', (t) => {
  t.true(snippets.length >= 15, `${snippets.length} snippets`);
  for (const snippet of snippets) t.regex(snippet.mode, /^(node|ava|signal SIG[A-Z0-9]+|not run: .+)$/, snippet.name);
});

function run(snippet: Snippet, file: string) {
  const options = { cwd: root, encoding: 'utf8' as const, timeout: 30_000, env: { ...process.env, ITIMER_CLOCK: '', NODE_OPTIONS: '' } };
  if (snippet.mode !== 'ava') return spawnSync(process.execPath, [file], options);
  const config = `${file}.config.mjs`;
  writeFileSync(config, `export default { files: [${JSON.stringify(file.slice(root.length))}], workerThreads: false };\n`);
  try {
    return spawnSync(process.execPath, [join(root, 'node_modules/ava/entrypoints/cli.mjs'), '--config', config], options);
  } finally {
    rmSync(config, { force: true });
  }
}

for (const snippet of snippets) {
  test(`${snippet.name} runs as written`, (t) => {
    const file = join(root, `snippet-${process.pid}-${snippet.name.replace(/\W+/g, '-')}.mjs`);
    writeFileSync(file, snippet.code);
    t.teardown(() => rmSync(file, { force: true }));
    if (snippet.mode.startsWith('not run: ')) {
      const parsed = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      t.is(parsed.status, 0, parsed.stderr);
      return;
    }
    const result = run(snippet, file);
    const report = `${snippet.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
    if (snippet.mode.startsWith('signal ')) {
      t.is(result.signal, snippet.mode.slice('signal '.length) as NodeJS.Signals, report);
    } else {
      t.is(result.status, 0, report);
      if (snippet.mode === 'node') t.is(result.stderr, '', report);
    }
    t.not(result.stdout, '', 'it shows what it does');
  });
}
