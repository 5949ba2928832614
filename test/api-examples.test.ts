/**
 * Every `@example` in the API documentation runs as written (a file in the project, so that
 * `import … from 'itimer'` resolves to this package) and exits cleanly.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
}

const examples = sources(join(root, 'src')).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/@example\n \* ```js\n((?: \*(?: .*)?\n)+?) \* ```/g)].map((match, index) => ({
    name: `${relative(root, file)} #${index + 1}`,
    code: match[1]!.split('\n').map((line) => line.replace(/^ \* ?/, '')).join('\n'),
  })),
);

test('the main entry points have @examples', (t) => {
  const names = examples.map((e) => e.code);
  for (const entry of ['alarm', 'ualarm', 'setitimer', 'getitimer', 'timerCreate', 'sigaction', 'setTimer', 'sleep', 'alarmSignal', 'configureAlarms', 'Kqueue', 'registerAtFork', 'execvp']) {
    t.true(names.some((code) => new RegExp(`import \\{[^}]*\\b${entry}\\b[^}]*\\} from 'itimer'`).test(code)), entry);
  }
});

for (const example of examples) {
  test(`@example ${example.name} runs`, (t) => {
    const file = join(root, `api-example-${process.pid}-${example.name.replace(/\W+/g, '-')}.mjs`);
    writeFileSync(file, example.code);
    t.teardown(() => rmSync(file, { force: true }));
    const run = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    t.is(run.status, 0, `${example.code}\n--- stderr:\n${run.stderr}`);
    t.not(run.stdout, '', 'it shows something');
  });
}
