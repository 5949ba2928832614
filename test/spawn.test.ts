/**
 * spawnWithTimers: the trampoline never re-runs the calling program (node -e) nor its preloads
 * (--import, --require, NODE_OPTIONS), while the command gets the caller's environment;
 * arguments are checked before anything is spawned (as the trampoline checks them); a
 * trampoline that cannot start says so in one line with its own exit status; and a bundle
 * without the CLI file or without koffi gets a clear error.
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnWithTimers } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A temporary directory removed when the test ends. */
function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'itimer-spawn-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The pids of this process's children, from /proc. */
const children = () => readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim();

test('from a node -e program, the program runs once and the child gets its alarm', (t) => {
  const script = `import { spawnWithTimers } from 'itimer';
    console.log('program ran');
    const child = spawnWithTimers('sh', ['-c', 'echo child ran; sleep 5'], { alarm: 1 }, { stdio: 'inherit' });
    child.on('exit', (code, signal) => console.log('child ended by', signal));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  t.is(run.stdout, 'program ran\nchild ran\nchild ended by SIGALRM\n', run.stderr);
});

test('arguments are checked before anything is spawned', (t) => {
  const before = children();
  t.throws(() => spawnWithTimers(1 as never, [], {}), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('', [], {}), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => spawnWithTimers('true', 'x' as never, {}), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('true', [], null as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('true', [], { alarm: 1.5 }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => spawnWithTimers('true', [], { alarm: -1 }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => spawnWithTimers('true', [], { itimers: { wall: [1] } as never }), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => spawnWithTimers('true', [], { itimers: { real: [Number.NaN] } }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => spawnWithTimers('true', [], {}, 'x' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.is(children(), before, 'nothing was spawned');
});

test('timers, timers.itimers and options are plain objects (prototype Object.prototype or null): an AbortSignal, a Map or a Date is refused', (t) => {
  const before = children();
  const error = t.throws(() => spawnWithTimers('true', [], {}, AbortSignal.abort() as never), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' });
  t.is(error!.message, 'The "options" argument must be a plain object. Received an instance of AbortSignal');
  t.throws(() => spawnWithTimers('true', [], {}, new Map() as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => spawnWithTimers('true', [], new Date() as never), { code: 'ERR_INVALID_ARG_TYPE', message: /"timers"/ });
  t.throws(() => spawnWithTimers('true', [], { itimers: new Map() as never }), { code: 'ERR_INVALID_ARG_TYPE', message: /"timers.itimers"/ });
  t.throws(() => spawnWithTimers('true', [], [] as never), { code: 'ERR_INVALID_ARG_TYPE' });
  // Options that would apply to the trampoline instead of the command.
  t.throws(() => spawnWithTimers('echo', ['$HOME'], {}, { shell: true }), { code: 'ERR_INVALID_ARG_VALUE', message: /'options.shell' is not supported/ });
  t.throws(() => spawnWithTimers('echo', [], {}, { argv0: 'other' }), { code: 'ERR_INVALID_ARG_VALUE', message: /'options.argv0' is not supported/ });
  t.is(children(), before, 'nothing was spawned');
  const nullPrototype = spawnWithTimers('true', [], Object.assign(Object.create(null), { alarm: 5 }), Object.assign(Object.create(null), { stdio: 'ignore' }));
  t.is(typeof nullPrototype.pid, 'number', 'a null-prototype object is plain');
  nullPrototype.kill();
});

test("options.env follows child_process's rules with codes: a Symbol value or one that cannot be made a string is refused, undefined values are left out, others made strings", async (t) => {
  const before = children();
  t.throws(() => spawnWithTimers('true', [], {}, { env: { A: Symbol('s') } as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: /"options.env.A"/ });
  const error = t.throws(() => spawnWithTimers('true', [], {}, { env: { A: [1, Symbol('s')] } as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE', message: /'options.env.A' cannot be converted to a string/ });
  t.true(error!.cause instanceof TypeError, 'the conversion error is the cause');
  t.throws(() => spawnWithTimers('true', [], {}, { env: { A: 'x\0y' } }), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => spawnWithTimers('true', [], {}, { env: { 'A\0': 'x' } }), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => spawnWithTimers('true', [], {}, { env: new Map([['A', '1']]) as never }), { code: 'ERR_INVALID_ARG_TYPE', message: /"options.env"/ });
  t.is(children(), before, 'nothing was spawned');
  const child = spawnWithTimers('sh', ['-c', 'echo "$A|$B|${C-unset}|$D"'], {}, { env: { A: 1, B: null, C: undefined, D: 'd', PATH: process.env['PATH'] } as never, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  await once(child, 'exit');
  t.is(out, '1|null|unset|d\n', 'as child_process.spawn makes them');
});

test('a trampoline that cannot start (ITIMER_FFI naming no driver in the child\'s environment) exits 125 with one coded line, not a stack trace', async (t) => {
  const child = spawnWithTimers('true', [], { alarm: 1 }, { env: { ...process.env, ITIMER_FFI: 'nonsense' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [status] = (await once(child, 'exit')) as [number | null];
  t.is(status, 125, stderr);
  t.regex(stderr, /^itimer: exec: TypeError \[ERR_INVALID_ARG_VALUE\]: The argument 'ITIMER_FFI' must be one of 'koffi', 'ffi-napi'\. Received 'nonsense'\n$/);
});

/**
 * A preload (`--import`, `--require`, or `--import` in NODE_OPTIONS) that calls spawnWithTimers
 * to run `sh`, which prints the NODE_OPTIONS it got. Each run of the preload logs itself. A
 * depth counter in the environment bounds a regression: a preload run at depth 3 spawns
 * nothing, and each run spawns at most one trampoline, so at most a handful of processes.
 */
function preloadRun(t: { teardown(fn: () => void): void }, how: 'import' | 'require' | 'NODE_OPTIONS'): { log: string[]; stdout: string; status: number | null; nodeOptions: string } {
  const dir = tempDir(t);
  const log = join(dir, 'log');
  const body = (itimer: string) => `
    const depth = Number(process.env.PRELOAD_DEPTH ?? '0');
    appendFileSync(${JSON.stringify(log)}, JSON.stringify([depth, process.argv.slice(1)]) + '\\n');
    if (depth < 3) ${itimer}.spawnWithTimers('sh', ['-c', 'echo "command NODE_OPTIONS=$NODE_OPTIONS"'], { alarm: 10 }, { stdio: 'inherit', env: { ...process.env, PRELOAD_DEPTH: String(depth + 1) } });`;
  const dist = pathToFileURL(join(root, 'dist/index.js')).href;
  writeFileSync(join(dir, 'preload.mjs'), `import { appendFileSync } from 'node:fs'; import * as itimer from ${JSON.stringify(dist)};${body('itimer')}`);
  writeFileSync(join(dir, 'preload.cjs'), `const { appendFileSync } = require('node:fs'); const itimer = require(${JSON.stringify(join(root, 'dist/index.js'))});${body('itimer')}`);
  const preload = how === 'require' ? ['--require', join(dir, 'preload.cjs')] : [`--import=${pathToFileURL(join(dir, 'preload.mjs')).href}`];
  const env = { ...process.env, NODE_OPTIONS: how === 'NODE_OPTIONS' ? preload.join(' ') : '--no-warnings' };
  const run = spawnSync(process.execPath, [...(how === 'NODE_OPTIONS' ? [] : preload), '-e', '0'], { cwd: dir, encoding: 'utf8', env, timeout: 30_000 });
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').trim().split('\n');
  } catch {}
  return { log: lines, stdout: run.stdout, status: run.status, nodeOptions: env.NODE_OPTIONS };
}

for (const how of ['import', 'require', 'NODE_OPTIONS'] as const) {
  test(`a preload (${how === 'NODE_OPTIONS' ? '--import in NODE_OPTIONS' : `--${how}`}) that calls spawnWithTimers runs once: the trampoline starts without it; the command gets the caller's NODE_OPTIONS`, (t) => {
    const run = preloadRun(t, how);
    t.deepEqual(run.log, ['[0,[]]'], 'the preload ran in the program only, never in a trampoline');
    t.is(run.stdout, `command NODE_OPTIONS=${run.nodeOptions}\n`);
    t.is(run.status, 0);
  });
}

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
  t.throws(() => spawnWithTimers('true', ['ok', , 'x'] as never, {}), { code: 'ERR_INVALID_ARG_TYPE', message: /"args\[1\]"/ }, 'a hole is an undefined element');
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
