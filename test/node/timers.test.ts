/**
 * itimer/timers against the expectations of Node's own timer tests (test/parallel/
 * test-timers-*.js), on virtual time where order matters, in child processes where the
 * process's exit or warnings are the point.
 */
import test from 'ava';
import { configureAlarms, getChain, virtualTime } from '../../src/index.js';
import { clearInterval, clearTimeout, setInterval, setTimeout, Timeout, TIMEOUT_MAX } from '../../src/node/timers.js';
import { runItimerScript } from '../helpers.js';

configureAlarms('virtual');

test.serial('Node test-timers-args: extra arguments reach the callback, for timeouts and intervals', (t) => {
  const got: unknown[][] = [];
  setTimeout((...args: unknown[]) => got.push(args), 1, 'a', 2, undefined);
  const interval = setInterval((...args: unknown[]) => {
    got.push(args);
    clearInterval(interval);
  }, 1, 'i');
  virtualTime.runAll();
  t.deepEqual(got, [['a', 2, undefined], ['i']]);
});

test.serial('Node test-timers-this: `this` in the callback is the Timeout', (t) => {
  let self: unknown;
  const timeout = setTimeout(function (this: Timeout) {
    self = this;
  }, 1);
  let selfInterval: unknown;
  const interval = setInterval(function (this: Timeout) {
    selfInterval = this;
    clearInterval(this);
  }, 1);
  virtualTime.runAll();
  t.is(self, timeout);
  t.is(selfInterval, interval);
});

test.serial('Node test-timers-to-primitive: +timeout is a numeric id; clearTimeout takes it as a number or a string', (t) => {
  for (const timer of [setTimeout(() => t.fail('ran'), 1), setInterval(() => t.fail('ran'), 1)]) {
    t.is(typeof timer[Symbol.toPrimitive], 'function');
    t.is(`${timer}`, timer[Symbol.toPrimitive]().toString());
    t.false(Number.isNaN(+timer));
    t.is(+timer, timer[Symbol.toPrimitive]());
    clearTimeout(+timer);
  }
  const byString = setTimeout(() => t.fail('ran'), 1);
  clearTimeout(`${byString}`);
  virtualTime.runAll();
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-clear-null-does-not-throw-error, test-timers-clear-object-does-not-throw-error', (t) => {
  for (const value of [null, undefined, {}, [], 'nope', 12345]) {
    t.notThrows(() => clearTimeout(value as never));
    t.notThrows(() => clearInterval(value as never));
  }
});

test.serial('Node test-timers-clear-timeout-interval-equivalent: clearInterval clears a timeout and clearTimeout an interval', (t) => {
  const timeout = setTimeout(() => t.fail('timeout ran'), 1);
  const interval = setInterval(() => t.fail('interval ran'), 1);
  clearInterval(timeout);
  clearTimeout(interval);
  virtualTime.runAll();
  t.pass();
});

test.serial('Node test-timers-throw-when-cb-not-function: ERR_INVALID_ARG_TYPE, nothing armed', (t) => {
  for (const callback of [null, true, false, 0, 1, Number.NaN, '', 'foo', {}, Symbol('s')]) {
    t.throws(() => setTimeout(callback as never, 1), { code: 'ERR_INVALID_ARG_TYPE' });
    t.throws(() => setInterval(callback as never, 1), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  t.is(getChain().size, 0);
});

test.serial("Node test-timers-zero-timeout, and Node's rule for odd delays: NaN, 0, negative, a string, absent are 1 ms", (t) => {
  const start = virtualTime.nowNs();
  const at: [string, number][] = [];
  for (const [name, delay] of [['zero', 0], ['NaN', Number.NaN], ['negative', -5], ['absent', undefined], ['string "3"', '3']] as const) {
    setTimeout(() => at.push([name, virtualTime.nowNs() - start]), delay as never);
  }
  virtualTime.runAll();
  t.deepEqual(at, [['zero', 1e6], ['NaN', 1e6], ['negative', 1e6], ['absent', 1e6], ['string "3"', 3e6]]);
});

test.serial('Node test-timers-non-integer-delay: a fractional delay is kept (Node truncates it; here it is exact)', (t) => {
  const start = virtualTime.nowNs();
  let firedAt = 0;
  setTimeout(() => (firedAt = virtualTime.nowNs() - start), 1.1);
  virtualTime.runAll();
  t.is(firedAt, 1_100_000);
});

test.serial('Node test-timers-refresh: refresh returns the timer, re-arms from now, re-activates a fired timer, keeps the ref', (t) => {
  const order: string[] = [];
  const first = setTimeout(() => order.push('refreshed'), 1);
  virtualTime.tick({ us: 500 });
  setTimeout(() => order.push('armed later, same delay'), 1);
  t.is(first.refresh(), first);
  virtualTime.runAll();
  t.deepEqual(order, ['armed later, same delay', 'refreshed']);
  let calls = 0;
  const again = setTimeout(() => calls++, 1);
  virtualTime.runAll();
  again.refresh();
  t.true(again.hasRef());
  virtualTime.runAll();
  t.is(calls, 2, 'a fired timer is re-activated by refresh');
  let ticks = 0;
  const interval = setInterval(() => {
    if (++ticks === 2) clearInterval(interval);
  }, 1);
  t.is(interval.refresh(), interval);
  virtualTime.runAll();
  t.is(ticks, 2);
});

test.serial('Node test-timers-refresh-in-callback: refresh() inside the callback re-arms the same timeout', (t) => {
  let calls = 0;
  const timeout = setTimeout(() => {
    if (++calls === 1) timeout.refresh();
  }, 1);
  virtualTime.runAll();
  t.is(calls, 2);
});

test.serial('Node test-timers-dispose: Symbol.dispose cancels', (t) => {
  const timeout = setTimeout(() => t.fail('ran'), 1);
  const interval = setInterval(() => t.fail('ran'), 1);
  timeout[Symbol.dispose]();
  interval[Symbol.dispose]();
  virtualTime.runAll();
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-nested: a timer armed inside a callback runs at its own deadline, after the running pass', (t) => {
  const start = virtualTime.nowNs();
  const at: number[] = [];
  setTimeout(() => {
    at.push(virtualTime.nowNs() - start);
    setTimeout(() => at.push(virtualTime.nowNs() - start), 0);
  }, 2);
  virtualTime.runAll();
  t.deepEqual(at, [2e6, 3e6]);
});

test.serial('clearInterval inside its own callback stops it; setInterval(cb, 0) repeats every 1 ms, drift-free', (t) => {
  const start = virtualTime.nowNs();
  const at: number[] = [];
  const interval = setInterval(() => {
    at.push((virtualTime.nowNs() - start) / 1e6);
    if (at.length === 3) clearInterval(interval);
  }, 0);
  virtualTime.runAll();
  t.deepEqual(at, [1, 2, 3]);
});

test('Node test-timers-max-duration-warning: more than TIMEOUT_MAX is 1 ms, with a TimeoutOverflowWarning', async (t) => {
  t.is(TIMEOUT_MAX, 2 ** 31 - 1);
  const run = await runItimerScript(
    `const { setTimeout, clearTimeout, setInterval, clearInterval } = await import('./src/node/timers.ts');
     const warnings = [];
     process.on('warning', (w) => warnings.push(w.name + ': ' + w.message.split('\\n').join(' | ')));
     clearTimeout(setTimeout(() => {}, 2 ** 31));
     clearInterval(setInterval(() => {}, 2 ** 31));
     const start = process.hrtime.bigint();
     setTimeout(() => { console.log(warnings.join('\\n')); console.log(Number(process.hrtime.bigint() - start) < 1e9); }, 2 ** 31);`,
  );
  t.is(run.stdout, [
    'TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit signed integer. | Timeout duration was set to 1.',
    'TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit signed integer. | Timeout duration was set to 1.',
    'TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit signed integer. | Timeout duration was set to 1.',
    'true',
  ].join('\n'), run.stderr);
});

test('Node test-timers-unref and test-timers-unrefd-interval-still-fires: unref lets the process exit; an unref\'d interval still fires while something else keeps it alive', async (t) => {
  const run = await runItimerScript(
    `const { setTimeout, setInterval, clearInterval } = await import('./src/node/timers.ts');
     setTimeout(() => console.log('unref timeout ran'), 60_000).unref();
     let ticks = 0;
     const interval = setInterval(() => { if (++ticks === 3) { clearInterval(interval); console.log('unref interval fired 3 times'); } }, 5).unref();
     const keeper = setTimeout(() => console.log('keeper done', interval.hasRef(), keeper.hasRef()), 100);`,
  );
  t.is(run.stdout, 'unref interval fired 3 times\nkeeper done false true', run.stderr);
  t.is(run.status, 0);
  t.true(run.seconds < 20);
});

test('Node test-timers-uncaught-exception: an error thrown by a callback is an uncaught exception; the other timers still run', async (t) => {
  const run = await runItimerScript(
    `const { setTimeout } = await import('./src/node/timers.ts');
     process.on('uncaughtException', (e) => console.log('uncaught', e.message));
     setTimeout(() => { throw new Error('boom'); }, 1);
     setTimeout(() => console.log('second ran'), 1);
     itimer.virtualTime.tick(1); // both due in one pass (on virtual time their deadlines are equal)`,
    { ITIMER_CLOCK: 'virtual' },
  );
  t.is(run.stdout, 'second ran\nuncaught boom', run.stderr);
});

test('clearTimeout from node:timers cannot cancel an itimer timer (documented), and this module\'s cannot cancel a Node timer', async (t) => {
  const run = await runItimerScript(
    `const ours = await import('./src/node/timers.ts');
     const a = ours.setTimeout(() => console.log('itimer timer ran'), 5);
     clearTimeout(a);
     const b = setTimeout(() => console.log('node timer ran'), 10);
     ours.clearTimeout(b);`,
  );
  t.deepEqual(run.stdout.split('\n').sort(), ['itimer timer ran', 'node timer ran'], run.stderr);
});
