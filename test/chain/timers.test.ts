/**
 * The public timers on the process chain, on the virtual backend: deterministic.
 */
import test from 'ava';
import {
  activeAlarm,
  alarmSignal,
  chainNow,
  clearTimer,
  delayToNs,
  configureAlarms,
  setTimer,
  sleep,
  Timer,
  virtualTime,
} from '../../src/index.js';
import { getChain } from '../../src/chain/index.js';
import { runItimerScript } from '../helpers.js';

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
  t.is(await slept, undefined, 'it resolves with undefined');
  const withSignal = sleep(5, { signal: new AbortController().signal });
  virtualTime.tick(5);
  t.is(await withSignal, undefined);
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
  t.throws(() => setTimer(noop, 5, null as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => setTimer(noop, new Date() as never), { code: 'ERR_INVALID_ARG_TYPE' }, 'a Date is not a delay');
  t.throws(() => setTimer(noop, 5, { ref: 'yes' as never }), { code: 'ERR_INVALID_ARG_TYPE' });
  t.throws(() => setTimer(noop, 5, { spin: 3 }), { code: 'ERR_OUT_OF_RANGE' }, 'a spin margin above 2 ms');
  t.throws(() => setTimer(noop, 5, { spin: -1 }), { code: 'ERR_OUT_OF_RANGE' }, 'validated like any delay');
  t.throws(() => new Timer(noop).setAbsoluteUnix(new Date(Number.NaN)), { code: 'ERR_INVALID_ARG_VALUE' });
  const armed = setTimer(noop, 5);
  t.throws(() => armed.arm(), { code: 'ERR_ITIMER_ALREADY_ARMED' });
  armed.cancel();
  t.is(getChain().size, 0, 'nothing armed by a refused call');
});

test.serial("Node's clearTimeout conventions: clearTimer takes the id as a number or as its string", (t) => {
  let runs = 0;
  const byNumber = setTimer(() => runs++, 1);
  const byString = setTimer(() => runs++, 1);
  clearTimer(+byNumber);
  clearTimer(String(+byString));
  clearTimer(`${+byString}.0`); // not the id's own string: ignored, as clearTimeout ignores it
  clearTimer({} as never);
  virtualTime.runAll();
  t.is(runs, 0);
});

test.serial("setTimer(cb, 0, { interval: true }) repeats every 1 ms, first after 1 ms, like Node's setInterval(cb, 0)", (t) => {
  const start = virtualTime.now();
  const at: number[] = [];
  const timer = setTimer(() => {
    at.push(virtualTime.now() - start);
    if (at.length === 3) timer.cancel();
  }, 0, { interval: true });
  virtualTime.runAll();
  t.deepEqual(at, [1e6, 2e6, 3e6]);
});

test.serial('sleep validates options like timers/promises: coded rejections, nothing armed', async (t) => {
  await t.throwsAsync(sleep(1, null as never), { code: 'ERR_INVALID_ARG_TYPE' });
  await t.throwsAsync(sleep(1, 'x' as never), { code: 'ERR_INVALID_ARG_TYPE' });
  await t.throwsAsync(sleep(1, { ref: 1 as never }), { code: 'ERR_INVALID_ARG_TYPE' });
  await t.throwsAsync(sleep(1, { signal: {} as never }), { code: 'ERR_INVALID_ARG_TYPE' });
  await t.throwsAsync(sleep(1, { spin: 'yes' as never }), { code: 'ERR_INVALID_ARG_TYPE' });
  t.is(getChain().size, 0);
  const spun = sleep(1, { spin: true }); // accepted on virtual time, no effect
  virtualTime.tick(1);
  await t.notThrowsAsync(spun);
});

test('an alarmSignal nobody holds is garbage-collected before its deadline, and its timer disarmed (like AbortSignal.timeout)', async (t) => {
  const run = await runItimerScript(
    `const held = new WeakRef(itimer.alarmSignal(60_000, { ref: true }));
     const chain = itimer.getChain();
     for (let i = 0; i < 50 && held.deref(); i++) { await new Promise((r) => setImmediate(r)); globalThis.gc(); }
     await new Promise((r) => setTimeout(r, 10));
     console.log(held.deref() === undefined, chain.size);`,
    {},
    20_000,
    ['--expose-gc'],
  );
  t.is(run.stdout, 'true 0', run.stderr);
  t.is(run.status, 0);
});

test('virtual timers never keep the process alive', async (t) => {
  const run = await runItimerScript(`itimer.setTimer(() => console.log('ran'), 10); itimer.setTimer(() => {}, 1, { interval: true }); console.log('armed');`, { ITIMER_CLOCK: 'virtual' });
  t.is(run.stdout, 'armed', run.stderr);
  t.is(run.status, 0);
});

const noop = () => {};

test.serial('setting a deadline on an armed timer re-arms it there: the heap stays valid, overdue timers still run', (t) => {
  const start = virtualTime.nowNs();
  const ran: [string, number][] = [];
  const timer = (name: string, us: number) => new Timer(() => ran.push([name, virtualTime.nowNs() - start])).setAbsolute(start + us * 1000).arm();
  const first = timer('first', 100);
  timer('second', 200);
  const third = timer('third', 300);
  first.setAbsolute(start + 1_000_000);
  t.true(first.armed, 'still armed');
  virtualTime.tick({ us: 250 });
  t.deepEqual(ran, [['second', 200_000]], 'the overdue timer ran; the moved one did not');
  third.setRelative({ us: 10 }); // from now (250 µs): 260 µs
  first.setIncrement({ us: 50 }); // 1.05 ms
  virtualTime.tick({ us: 10 });
  t.deepEqual(ran.at(-1), ['third', 260_000]);
  first.setAbsoluteUnix(new Date(Date.now() + 60_000)); // a minute away
  virtualTime.tick({ ms: 1 });
  t.is(ran.length, 2, 'not at its old deadline');
  t.true(first.armed);
  t.true(first.cancel());
  t.is(getChain().size, 0);
});

test.serial('moving a timer that the running pass collected but has not run yet re-arms it: it runs at its new deadline, not in this pass', (t) => {
  const start = virtualTime.nowNs();
  const ran: string[] = [];
  new Timer(() => {
    ran.push(`first@${virtualTime.nowNs() - start}`);
    sibling.setAbsolute(start + 20);
    past.setAbsolute(start + 5); // into the past: the next pass
  }).setAbsolute(start + 10).arm();
  const sibling = new Timer(() => ran.push(`sibling@${virtualTime.nowNs() - start}`)).setAbsolute(start + 10).arm();
  const past = new Timer(() => ran.push(`past@${virtualTime.nowNs() - start}`)).setAbsolute(start + 10).arm();
  t.true(virtualTime.next());
  t.deepEqual(ran, ['first@10']);
  t.true(sibling.armed && past.armed);
  virtualTime.tick({ ns: 20 });
  t.deepEqual(ran, ['first@10', 'past@10', 'sibling@20']);
});

test.serial('setSpin on an armed timer re-keys it at once: an earlier wake time makes it the head, and it runs in deadline order', (t) => {
  const start = virtualTime.nowNs();
  const ran: string[] = [];
  const a = new Timer(() => ran.push('a')).setAbsolute(start + 1_000_000).arm();
  new Timer(() => ran.push('b')).setAbsolute(start + 2_000_000).arm();
  const c = new Timer(() => ran.push('c')).setAbsolute(start + 2_500_000).arm();
  c.setSpin({ ms: 2 }); // wakes at 0.5 ms, before a
  t.is(getChain().head, c);
  t.is(c.spin, 2_000_000);
  c.setSpin(false);
  t.is(getChain().head, a);
  c.setSpin(true);
  virtualTime.runAll();
  t.deepEqual(ran, ['a', 'b', 'c']);
});

test.serial('refresh re-arms for the last relative delay: kept across setInterval(0); a periodic timer its period; an absolute-only timer at its deadline', (t) => {
  let start = virtualTime.nowNs();
  const ran: number[] = [];
  const record = () => ran.push(virtualTime.nowNs() - start);
  const oneShot = new Timer(record).setRelative(5).setInterval(0);
  oneShot.refresh();
  virtualTime.runAll();
  t.deepEqual(ran, [5e6], 'the delay of setRelative, not 0');
  start = virtualTime.nowNs();
  const wasPeriodic = new Timer(record).setRelative(5).setInterval(3).setInterval(0);
  t.is(wasPeriodic.intervalNs, 0);
  wasPeriodic.refresh();
  virtualTime.runAll();
  t.deepEqual(ran, [5e6, 3e6], 'the period it had');
  start = virtualTime.nowNs();
  const periodic = setTimer(record, 5, { interval: 3 });
  virtualTime.tick(4);
  periodic.refresh(); // restarts the period from now: 4 + 3
  virtualTime.tick(3);
  periodic.cancel();
  t.deepEqual(ran.slice(2), [7e6]);
  start = virtualTime.nowNs();
  const absolute = new Timer(record).setAbsolute(start + 7_000_000);
  absolute.refresh();
  t.true(absolute.armed);
  virtualTime.runAll();
  t.deepEqual(ran.slice(3), [7e6], 'at its absolute deadline');
});

test.serial('a wrong-type deadline is ERR_INVALID_ARG_TYPE (TypeError); a number out of range ERR_OUT_OF_RANGE; neither changes the timer', (t) => {
  const timer = new Timer(noop).setAbsolute(virtualTime.nowNs() + 1000).arm();
  const before = [timer.armed, timer.deadlineNs];
  for (const bad of ['5', 5n, null, undefined, {}]) {
    t.throws(() => timer.setAbsolute(bad as never), { code: 'ERR_INVALID_ARG_TYPE', instanceOf: TypeError });
    t.throws(() => timer.rearmAbsolute(bad as never), { code: 'ERR_INVALID_ARG_TYPE', instanceOf: TypeError });
  }
  for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
    t.throws(() => timer.setAbsolute(bad), { code: 'ERR_OUT_OF_RANGE', instanceOf: RangeError });
    t.throws(() => timer.rearmAbsolute(bad), { code: 'ERR_OUT_OF_RANGE', instanceOf: RangeError });
  }
  t.deepEqual([timer.armed, timer.deadlineNs], before);
  timer.cancel();
});

test.serial('an undefined unit of a delay counts as absent; a bad interval option is reported as options.interval', (t) => {
  t.is(delayToNs({ ms: undefined, us: 5 }), 5000);
  t.is(delayToNs({ s: undefined }), 0);
  const start = virtualTime.nowNs();
  let ranAt: number | undefined;
  setTimer(() => (ranAt = virtualTime.nowNs() - start), { ms: undefined, us: 5 });
  virtualTime.runAll();
  t.is(ranAt, 5000);
  t.throws(() => setTimer(noop, 5, { interval: 'x' as never }), { code: 'ERR_INVALID_ARG_TYPE', message: /"options\.interval"/ });
  t.throws(() => setTimer(noop, 5, { interval: -1 }), { code: 'ERR_OUT_OF_RANGE', message: /"options\.interval"/ });
  t.throws(() => setTimer(noop, 5, { interval: { ms: 'x' } as never }), { code: 'ERR_INVALID_ARG_TYPE', message: /"options\.interval\.ms"/ });
  t.is(getChain().size, 0, 'nothing armed');
});
