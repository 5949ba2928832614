/**
 * Names are looked up as own properties only: an inherited name ('toString', 'constructor',
 * '__proto__', …) is an unknown name, refused with ERR_INVALID_ARG_VALUE before any FFI call
 * — under both FFI drivers (ffi-napi once armed a real 5 s timer for
 * `setitimer('constructor', { value: 5 })`).
 */
import test from 'ava';
import { layoutsFor } from '../../src/host/index.js';
import { runItimerScript } from '../helpers.js';

const INHERITED = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

const script = `
  const names = ${JSON.stringify(INHERITED)};
  const calls = {
    getitimer: (n) => itimer.getitimer(n),
    setitimer: (n) => itimer.setitimer(n, { value: 5 }),
    sigaction: (n) => itimer.sigaction(n, 'SIG_IGN'),
    signalNumber: (n) => itimer.signalNumber(n),
    sigprocmask: (n) => itimer.sigprocmask(n, ['SIGUSR1']),
    'sigprocmask set': (n) => itimer.sigprocmask('block', [n]),
    clockGettime: (n) => itimer.clockGettime(n),
    timerCreate: (n) => itimer.timerCreate(n),
    'timerCreate notify': (n) => itimer.timerCreate('CLOCK_MONOTONIC', { notify: n }),
    'timerCreate signal': (n) => itimer.timerCreate('CLOCK_MONOTONIC', { signal: n }),
    selectFfiDriver: (n) => itimer.selectFfiDriver(n),
  };
  const codes = new Set();
  for (const [entry, call] of Object.entries(calls)) {
    for (const name of names) {
      try { call(name); codes.add(entry + '(' + name + ') accepted'); } catch (e) { codes.add(e.code); }
    }
  }
  const real = itimer.getitimer('real');
  console.log(JSON.stringify({ codes: [...codes], driver: itimer.ffiDriverName(), realArmed: real.value.sec + real.value.usec > 0, mask: itimer.sigprocmask('block') }));
`;

for (const driver of ['koffi', 'ffi-napi']) {
  test(`inherited names never reach the FFI: every name lookup refuses them with ERR_INVALID_ARG_VALUE (${driver})`, async (t) => {
    const r = await runItimerScript(script, { ITIMER_FFI: driver });
    t.is(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { codes: string[]; driver: string; realArmed: boolean; mask: number[] };
    t.is(result.driver, driver);
    t.deepEqual(result.codes, ['ERR_INVALID_ARG_VALUE']);
    t.false(result.realArmed, 'no ITIMER_REAL armed');
    t.deepEqual(result.mask, [], 'no signal blocked');
  });
}

test('layoutsFor looks the architecture up as an own property', (t) => {
  for (const arch of INHERITED) t.throws(() => layoutsFor(arch), { code: 'ERR_ITIMER_UNSUPPORTED_ARCH' });
});

test('selectFfiDriver refuses a bigint or a symbol with a coded error (no JSON.stringify crash)', async (t) => {
  const r = await runItimerScript(
    `for (const v of [1n, Symbol('s'), {}, null]) { try { itimer.selectFfiDriver(v); } catch (e) { console.log(e.code, e.message); } }`,
  );
  t.is(r.status, 0, r.stderr);
  t.deepEqual(r.stdout.split('\n').map((l) => l.split(' ')[0]), Array(4).fill('ERR_INVALID_ARG_VALUE'));
  t.regex(r.stdout, /^ERR_INVALID_ARG_VALUE The argument 'name' must be one of 'koffi', 'ffi-napi'\. Received 1n$/m);
});
