/**
 * The public timers on the process chain, on the virtual backend: deterministic.
 */
import test from 'ava';
import {
  activeAlarm,
  alarmSignal,
  chainNow,
  clearTimer,
  configureAlarms,
  setTimer,
  sleep,
  Timer,
  virtualTime,
} from '../../src/index.js';

configureAlarms('virtual');

test.serial('the chain runs on the virtual backend, whose time starts at 0 and moves only when driven', (t) => {
  chainNow(); // starts the chain
  t.is(activeAlarm(), 'virtual');
  const before = virtualTime.now();
  t.is(chainNow(), before);
});

test.serial('delays in ms (fractions kept), bigint ns and unit objects fire exactly at their deadline', (t) => {
  const start = virtualTime.now();
  const fired: [string, number][] = [];
  const record = (name: string) => () => fired.push([name, virtualTime.now() - start]);
  setTimer(record('1.5ms'), 1.5);
  setTimer(record('250ns'), 250n);
  setTimer(record('units'), { s: 1, ms: 2, us: 3, ns: 4 });
  setTimer(record('zero'), 0);
  virtualTime.runAll();
  t.deepEqual(fired, [
    ['zero', 0],
    ['250ns', 250],
    ['1.5ms', 1_500_000],
    ['units', 1_002_003_004],
  ]);
});

test.serial('periodic timers re-arm from the previous deadline (no drift) and report overrun 0 when on time', (t) => {
  const start = virtualTime.now();
  const calls: [number, number][] = [];
  const timer = setTimer((overrun) => calls.push([virtualTime.now() - start, overrun]), 10, { interval: true });
  virtualTime.tick(35);
  timer.cancel();
  t.deepEqual(calls, [
    [10e6, 0],
    [20e6, 0],
    [30e6, 0],
  ]);
  t.is(timer.intervalNs, 10e6);
});

test.serial('interval: a different period than the first delay', (t) => {
  const start = virtualTime.now();
  const at: number[] = [];
  const timer = setTimer(() => at.push((virtualTime.now() - start) / 1e6), 5, { interval: { ms: 20 } });
  virtualTime.tick(50);
  timer.close();
  t.deepEqual(at, [5, 25, 45]);
});

test.serial('Timer handle: Node Timeout shape, ids, cancel semantics', (t) => {
  let runs = 0;
  const timer = setTimer(() => runs++, 10);
  t.true(timer.hasRef());
  t.is(timer.unref(), timer);
  t.false(timer.hasRef());
  timer.ref();
  t.is(typeof +timer, 'number');
  clearTimer(+timer);
  t.false(timer.armed);
  virtualTime.tick(20);
  t.is(runs, 0);
  timer.refresh(); // re-armed for the original delay from now
  t.true(timer.armed);
  virtualTime.tick(10);
  t.is(runs, 1);
  t.false(timer.cancel(), 'already fired');
  {
    using scoped = setTimer(() => runs++, 1);
    t.true(scoped.armed);
  }
  virtualTime.tick(5);
  t.is(runs, 1, 'disposed at the end of the block');
});

test.serial('cancel from its own callback: false for a one-shot; a periodic one is already re-armed, so true', (t) => {
  const results: boolean[] = [];
  const oneShot: Timer = setTimer(() => results.push(oneShot.cancel()), 1);
  const periodic: Timer = setTimer(() => results.push(periodic.cancel()), 1, { interval: true });
  virtualTime.tick(10);
  t.deepEqual(results, [false, true]);
});

test.serial('Akaros operations: relative, absolute, incremental deadlines; arm; rearmAbsolute', (t) => {
  const start = virtualTime.now();
  const at: number[] = [];
  const timer = new Timer(() => at.push(virtualTime.now() - start), { ref: false });
  t.false(timer.armed, 'init_awaiter does not arm');
  timer.setRelative({ us: 100 }).arm();
  t.throws(() => timer.arm(), { message: /already armed/ });
  virtualTime.tick({ us: 100 });
  timer.setIncrement({ us: 50 }).arm(); // 50 µs after the previous deadline
  virtualTime.runAll();
  t.false(timer.rearmAbsolute(start + 1_000_000), 'had fired');
  t.true(timer.rearmAbsolute(start + 2_000_000), 'was armed');
  virtualTime.runAll();
  t.deepEqual(at, [100_000, 150_000, 2_000_000]);
  timer.setAbsolute(virtualTime.now() + 7).arm();
  t.is(timer.deadlineNs, virtualTime.now() + 7);
  timer.cancel();
});

test.serial('setAbsoluteUnix converts wall time to the chain time base', (t) => {
  const timer = new Timer(() => {}).setAbsoluteUnix(new Date(Date.now() + 60_000));
  const delta = timer.deadlineNs - chainNow();
  t.true(delta > 59e9 && delta < 61e9, String(delta));
  t.throws(() => timer.setAbsoluteUnix(5 as never), { code: 'ERR_INVALID_ARG_TYPE' });
});

test.serial('sleep resolves at its deadline; abort rejects with an AbortError and disarms', async (t) => {
  const slept = sleep(5);
  virtualTime.tick(5);
  await t.notThrowsAsync(slept);
  const controller = new AbortController();
  const pending = sleep(10, { signal: controller.signal });
  controller.abort(new Error('stop'));
  const error = await t.throwsAsync(pending, { name: 'AbortError', code: 'ABORT_ERR', message: 'The operation was aborted' });
  t.is((error?.cause as Error).message, 'stop');
  await t.throwsAsync(sleep(1, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  await t.throwsAsync(sleep(-1), { code: 'ERR_OUT_OF_RANGE' });
  t.is(virtualTime.runAll(), 0, 'the aborted sleep left nothing armed');
});

test.serial('alarmSignal aborts with a TimeoutError exactly at its deadline', (t) => {
  const signal = alarmSignal({ us: 1500 });
  virtualTime.tick({ us: 1499 });
  t.false(signal.aborted);
  virtualTime.tick({ us: 1 });
  t.true(signal.aborted);
  t.is((signal.reason as DOMException).name, 'TimeoutError');
});

test.serial('bad delays and options are refused', (t) => {
  const noop = () => {};
  t.throws(() => setTimer(noop, -1), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => setTimer(noop, Number.NaN), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => setTimer(noop, { minutes: 1 } as never), { code: 'ERR_INVALID_ARG_VALUE' });
  t.throws(() => setTimer(noop, { ms: '5' } as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => setTimer(noop, '5' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => setTimer('noop' as never, 5), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => setTimer(noop, 0, { interval: true }), { code: 'ERR_OUT_OF_RANGE' });
  t.throws(() => setTimer(noop, 5, null as never), { code: 'ERR_INVALID_ARG_TYPE' });
});
