/**
 * spawnWithTimers: the trampoline never re-runs the calling program (node -e), arguments are
 * checked before anything is spawned (as the trampoline checks them), and a bundle without the
 * CLI file or without koffi gets a clear error.
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnWithTimers } from '../src/index.js';
import { trampolineFlags } from '../src/cli/spawn.js';

const root = fileURLToPath(new URL('..', import.meta.url));

test('the trampoline keeps the loader flags and drops the program: -e, -p, --input-type, --test', (t) => {
  t.deepEqual(trampolineFlags(['--input-type=module', '-e', 'spawnAgain()', '--import=tsx', '--require', 'hook.cjs', '-p', '1+1', '--no-warnings', '--test']), [
    '--import=tsx',
    '--require',
    'hook.cjs',
    '--no-warnings',
  ]);
});

test('from a node -e program, the program runs once and the child gets its alarm', (t) => {
  const script = `import { spawnWithTimers } from 'itimer';
    console.log('program ran');
    const child = spawnWithTimers('sh', ['-c', 'echo child ran; sleep 5'], { alarm: 1 }, { stdio: 'inherit' });
    child.on('exit', (code, signal) => console.log('child ended by', signal));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  t.is(run.stdout, 'program ran\nchild ran\nchild ended by SIGALRM\n', run.stderr);
});

test('arguments are checked before anything is spawned', (t) => {
  t.throws(() => spawnWithTimers(1 as never, [], {}), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('', [], {}), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => spawnWithTimers('true', 'x' as never, {}), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('true', [], null as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('true', [], { alarm: 1.5 }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => spawnWithTimers('true', [], { alarm: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => spawnWithTimers('true', [], { itimers: { wall: [1] } as never }), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => spawnWithTimers('true', [], { itimers: { real: [Number.NaN] } }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => spawnWithTimers('true', [], {}, 'x' as never), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('from an ESM bundle (no CLI file beside it) spawnWithTimers fails with ERR_ITIMER_NO_CLI, as from a CommonJS one', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'itimer-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'entry.mjs'), `import { spawnWithTimers } from ${JSON.stringify(join(root, 'dist/index.js'))}; try { spawnWithTimers('true', [], { alarm: 1 }); console.log('spawned'); } catch (e) { console.log(e.code); }`);
  for (const format of ['esm', 'cjs']) {
    const out = join(dir, `bundle.${format === 'esm' ? 'mjs' : 'cjs'}`);
    execFileSync(join(root, 'node_modules/.bin/esbuild'), [join(dir, 'entry.mjs'), '--bundle', '--platform=node', `--format=${format}`, `--outfile=${out}`, '--log-level=error', '--external:koffi', '--external:@2060.io/*']);
    t.is(execFileSync(process.execPath, [out], { cwd: root, encoding: 'utf8' }).trim(), 'ERR_ITIMER_NO_CLI', format);
  }
});

test('an argument with a NUL byte is refused under its own index, before anything is spawned', (t) => {
  const error = t.throws(() => spawnWithTimers('true', ['ok', 'a\0b'], {}), { code: 'ERR_INVALID_ARG_VALUE' });
  t.regex(error!.message, /'args\[1\]' must be a string without null bytes/);
  t.throws(() => spawnWithTimers('true', ['ok', 2 as never], {}), { code: 'ERR_INVALID_ARG_TYPE', message: /"args\[1\]"/ });
});

test('every time spawnWithTimers accepts, the exec trampoline accepts too (up to alarm(2)\'s UINT_MAX)', async (t) => {
  const largest = 2 ** 32 - 1;
  t.throws(() => spawnWithTimers('true', [], { alarm: largest + 1 }), { code: 'ERR_OUT_OF_RANGE' });
  const child = spawnWithTimers('true', [], { alarm: largest, itimers: { real: [largest, 0.5], prof: [largest] } }, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
  t.is(code, 0, stderr);
});

test('a bundle that cannot find koffi gets ERR_ITIMER_FFI_DRIVER saying what to do, not a bare MODULE_NOT_FOUND', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'itimer-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'entry.mjs'), `import { alarm } from ${JSON.stringify(join(root, 'dist/index.js'))}; try { alarm(0); } catch (e) { console.log(e.code, /--external:koffi/.test(e.message), e.cause?.code); }`);
  const out = join(dir, 'bundle.mjs');
  execFileSync(join(root, 'node_modules/.bin/esbuild'), [join(dir, 'entry.mjs'), '--bundle', '--platform=node', '--format=esm', `--outfile=${out}`, '--log-level=error', '--external:koffi', '--external:@2060.io/*']);
  t.is(execFileSync(process.execPath, [out], { cwd: dir, encoding: 'utf8' }).trim(), 'ERR_ITIMER_FFI_DRIVER true MODULE_NOT_FOUND');
});
