/**
 * Driver selection: ITIMER_FFI, selectFfiDriver, lazy loading. Each case in a fresh process.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';

function run(code: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, ITIMER_FFI: '', ...env },
    cwd: new URL('../..', import.meta.url),
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

const entry = "import * as itimer from './src/index.ts'; import { createRequire } from 'node:module';";

test('importing itimer loads no FFI library (lazy, for startup snapshots)', (t) => {
  const r = run(`${entry} const cache = createRequire(import.meta.url).cache; console.log(Object.keys(cache).some((k) => /koffi|ffi-napi/.test(k)), itimer.ffiDriverName());`);
  t.is(r.stdout, 'false koffi', r.stderr);
});

test('ITIMER_FFI chooses the driver', (t) => {
  const r = run(`${entry} itimer.alarm(0); console.log(itimer.ffiDriverName());`, { ITIMER_FFI: 'ffi-napi' });
  t.is(r.stdout, 'ffi-napi', r.stderr);
});

test('an unknown ITIMER_FFI is a clear error', (t) => {
  const r = run(`${entry} try { itimer.alarm(0); } catch (e) { console.log(e.code, e.message); }`, { ITIMER_FFI: 'ctypes' });
  t.is(r.stdout, `ERR_INVALID_ARG_VALUE The argument 'ITIMER_FFI' must be one of 'koffi', 'ffi-napi'. Received 'ctypes'`, r.stderr);
});

test('selectFfiDriver before first use wins over ITIMER_FFI; switching afterwards is refused', (t) => {
  const r = run(
    `${entry} itimer.selectFfiDriver('koffi'); itimer.alarm(0); console.log(itimer.ffiDriverName()); ` +
      `try { itimer.selectFfiDriver('ffi-napi'); } catch (e) { console.log(e.code); } itimer.selectFfiDriver('koffi'); console.log('same ok');`,
    { ITIMER_FFI: 'ffi-napi' },
  );
  t.is(r.stdout, 'koffi\nERR_ITIMER_FFI_DRIVER\nsame ok', r.stderr);
});
