/**
 * The README's first example does what the README says when pasted into a file and run.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('the first example prints its line, then SIGALRM ends the process a second later, JavaScript stuck or not', (t) => {
  const readme = readFileSync(new URL('README.md', `file://${root}`), 'utf8');
  const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  t.truthy(example);
  const file = `${root}readme-example-${process.pid}.mjs`; // in the project, so 'itimer' resolves to itself
  writeFileSync(file, example!);
  t.teardown(() => rmSync(file, { force: true }));
  const started = performance.now();
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  t.is(run.stdout, '250 µs later, never early\n', run.stderr);
  t.is(run.signal, 'SIGALRM');
  t.true(performance.now() - started >= 1000, 'not before the alarm');
});
