/**
 * itimer/timers against the expectations of Node's own timer tests (test/parallel/
 * test-timers-*.js), on virtual time where order matters, in child processes where the
 * process's exit or warnings are the point.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import * as nodeTimers from 'node:timers';
import * as nodePromises from 'node:timers/promises';
import { promisify } from 'node:util';
import { configureAlarms, getChain, setTimer, virtualTime } from '../../src/index.js';
import * as promises from '../../src/node/promises.js';
import * as timers from '../../src/node/timers.js';
import { clearImmediate, clearInterval, clearTimeout, setImmediate, setInterval, setTimeout, Timeout, TIMEOUT_MAX } from '../../src/node/timers.js';
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

test('Node test-timers-uncaught-exception: an error thrown by a callback is an uncaught exception, reported before the next timer; the other timers still run (Node agrees)', async (t) => {
  const script = `
     process.on('uncaughtException', (e) => console.log('uncaught', e.message));
     setTimeout(() => { throw new Error('boom'); }, 1);
     setTimeout(() => console.log('second ran'), 1);`;
  const [ours, node] = await Promise.all([
    runItimerScript(`const { setTimeout } = await import('./src/node/timers.ts'); ${script}`),
    runItimerScript(script),
  ]);
  t.is(node.stdout, 'uncaught boom\nsecond ran', node.stderr);
  t.is(ours.stdout, node.stdout, ours.stderr);
});

test('on virtual time driven synchronously, an error thrown by a callback surfaces once the tick returns, as with fake-timers\' tick', async (t) => {
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

test.serial('Node test-timers-timeout-promisified: util.promisify(setTimeout) is the setTimeout of itimer/promises, through a getter as Node\'s', async (t) => {
  t.is(promisify(setTimeout), promises.setTimeout);
  const descriptor = (fn: object) => {
    const { get, set, enumerable, configurable } = Object.getOwnPropertyDescriptor(fn, promisify.custom)!;
    return { get: typeof get, set, enumerable, configurable };
  };
  t.deepEqual(descriptor(setTimeout), descriptor(nodeTimers.setTimeout));
  t.is(Object.getOwnPropertyDescriptor(setInterval, promisify.custom), Object.getOwnPropertyDescriptor(nodeTimers.setInterval, promisify.custom));
  const start = virtualTime.nowNs();
  const waiting = (promisify(setTimeout) as typeof promises.setTimeout)(2.5, 'promisified');
  await virtualTime.tickAsync(2.5);
  t.is(await waiting, 'promisified');
  t.is(virtualTime.nowNs() - start, 2_500_000);
});

test.serial('Node test-timers-immediate-promisified: util.promisify(setImmediate) is the setImmediate of itimer/promises, Node\'s own', async (t) => {
  t.is(promisify(setImmediate), promises.setImmediate);
  t.is(promises.setImmediate, nodePromises.setImmediate);
  t.is(await (promisify(setImmediate) as typeof promises.setImmediate)('foobar'), 'foobar');
});

test.serial('Node test-timers-clearImmediate: setImmediate and clearImmediate are node:timers\' own; every export of node:timers but the deprecated ones is here', async (t) => {
  t.is(setImmediate, nodeTimers.setImmediate);
  t.is(clearImmediate, nodeTimers.clearImmediate);
  const ran: number[] = [];
  const immediates = [0, 1, 2].map((i) => setImmediate((n: number) => ran.push(n), i));
  clearImmediate(immediates[1]);
  await nodePromises.setImmediate();
  t.deepEqual(ran, [0, 2]);
  const deprecated = ['_unrefActive', 'active', 'unenroll', 'enroll', 'default']; // DEP0095, DEP0096, DEP0126, DEP0127 act on Node's own lists
  t.deepEqual(Object.keys(nodeTimers).filter((name) => !deprecated.includes(name) && !(name in timers)), []);
  t.is(timers.promises.setTimeout, promises.setTimeout);
});

/** What Node's lib/internal/timers.js does with refresh() after each kind of clear (as run on node:timers). */
const refreshCases: Record<string, (api: typeof timers, calls: string[], drain: () => Promise<void>) => Promise<void>> = {
  'clearTimeout, then refresh()': async (api, calls) => {
    const timeout = api.setTimeout(() => calls.push('ran'), 1);
    api.clearTimeout(timeout);
    timeout.refresh();
  },
  'clearInterval, then refresh()': async (api, calls) => {
    const interval = api.setInterval(() => calls.push('ran'), 1);
    api.clearInterval(interval);
    interval.refresh();
  },
  'clearTimeout by id, then refresh()': async (api, calls) => {
    const timeout = api.setTimeout(() => calls.push('ran'), 1);
    api.clearTimeout(+timeout);
    timeout.refresh();
  },
  'close(), then refresh()': async (api, calls) => {
    api.setTimeout(() => calls.push('ran'), 1).close().refresh();
  },
  'Symbol.dispose, then refresh()': async (api, calls) => {
    const timeout = api.setTimeout(() => calls.push('ran'), 1);
    timeout[Symbol.dispose]();
    timeout.refresh();
  },
  'clearInterval and refresh() in its own callback': async (api, calls) => {
    const interval = api.setInterval(() => {
      calls.push('ran');
      api.clearInterval(interval);
      interval.refresh();
    }, 1);
  },
  'a one-shot that fired, then refresh()': async (api, calls, drain) => {
    const timeout = api.setTimeout(() => calls.push('ran'), 1);
    await drain();
    timeout.refresh();
  },
  'a one-shot that fired, then clearTimeout and refresh()': async (api, calls, drain) => {
    const timeout = api.setTimeout(() => calls.push('ran'), 1);
    await drain();
    api.clearTimeout(timeout);
    timeout.refresh();
  },
};

test.serial('Node lib/internal/timers.js unenroll/insertGuarded: refresh() after a clear does nothing; a fired one-shot is re-armed — side by side with node:timers', async (t) => {
  for (const [name, scenario] of Object.entries(refreshCases)) {
    const run = async (api: typeof timers, drain: () => Promise<void>) => {
      const calls: string[] = [];
      await scenario(api, calls, drain);
      await drain();
      return calls;
    };
    const ours = await run(timers, async () => void virtualTime.runAll());
    const nodes = await run(nodeTimers as unknown as typeof timers, () => nodePromises.setTimeout(20));
    t.deepEqual(ours, nodes, name);
  }
  t.is(getChain().size, 0);
});

test.serial('refresh() after a clear: an explicit arm() (the chain\'s operation) makes the Timeout live again', (t) => {
  let calls = 0;
  const timeout = setTimeout(() => calls++, 1);
  clearTimeout(timeout);
  timeout.refresh();
  t.false(timeout.armed);
  timeout.arm();
  virtualTime.runAll();
  timeout.refresh();
  virtualTime.runAll();
  t.is(calls, 2);
});

test.serial('node:timers interop: clearTimeout and clearInterval of itimer/timers cancel node:timers\' own timers, given as the object; node:timers\' cannot cancel an itimer timer', async (t) => {
  const ran: string[] = [];
  const nodeTimeout = nodeTimers.setTimeout(() => ran.push('node timeout'), 1);
  const nodeInterval = nodeTimers.setInterval(() => ran.push('node interval'), 1);
  clearTimeout(nodeTimeout);
  clearInterval(nodeInterval);
  const ours = setTimeout(() => ran.push('itimer timeout'), 1);
  nodeTimers.clearTimeout(ours as never);
  virtualTime.runAll();
  await nodePromises.setTimeout(20);
  t.deepEqual(ran, ['itimer timeout']);
});

// Fails while itimer allocates its own ids from 1 (the chain's Symbol.toPrimitive): they collide
// with Node's async ids. Turns into a plain test when +timer returns the timer's async id.
test.serial('ids: itimer timers and node:timers\' Timeouts never share an id, so clearTimeout(+nodeTimeout) through itimer/timers cancels Node\'s timeout and no itimer timer, and the reverse', async (t) => {
  const ran: string[] = [];
  const nodeTimeout = nodeTimers.setTimeout(() => ran.push('node'), 1);
  const nodeId = +nodeTimeout;
  const ours: Timeout[] = [];
  for (let id = 0; id < nodeId && ours.length < 1e6; ) {
    const timer = setTimeout(() => ran.push('itimer'), 1);
    ours.push(timer);
    id = +timer;
  }
  t.false(ours.some((timer) => +timer === nodeId), `an itimer timer has Node's id ${nodeId}`);
  clearTimeout(nodeId);
  t.true(ours.every((timer) => timer.armed), 'no itimer timer was cancelled by the Node timeout\'s id');
  const other = nodeTimers.setTimeout(() => ran.push('other node'), 1);
  clearTimeout(+ours[0]!);
  t.false(ours[0]!.armed);
  for (const timer of ours) clearTimeout(timer);
  await nodePromises.setTimeout(20);
  t.deepEqual(ran, ['other node'], 'the Node timeout cleared by id did not run; the other one did');
  nodeTimers.clearTimeout(other);
});

test.serial('clearTimeout of itimer/timers takes any itimer Timer, by object or id', (t) => {
  const timer = setTimer(() => t.fail('ran'), 1);
  const byId = setTimer(() => t.fail('ran'), 1);
  clearTimeout(timer);
  clearInterval(`${+byId}`);
  virtualTime.runAll();
  t.is(getChain().size, 0);
});

test('Node test-timers-api-refs, with the globals shadowed by the top-level consts of a script (node -e) instead of deleted: itimer/timers and itimer/promises never call a global timer function', async (t) => {
  const root = new URL('../../', import.meta.url);
  const preload = `data:text/javascript,${encodeURIComponent(
    `import * as itimer from '${new URL('src/index.ts', root).href}';
     import * as timers from '${new URL('src/node/timers.ts', root).href}';
     import * as promises from '${new URL('src/node/promises.ts', root).href}';
     itimer.getChain();
     Object.assign(globalThis, { itimer, itimerTimers: timers, itimerPromises: promises });`,
  )}`;
  const script = `
    const { itimer: { virtualTime }, itimerTimers: T, itimerPromises: P } = globalThis;
    const stub = (name) => function () { throw new Error('the global ' + name + ' was called'); };
    const setTimeout = stub('setTimeout'), setInterval = stub('setInterval'), setImmediate = stub('setImmediate');
    const clearTimeout = stub('clearTimeout'), clearInterval = stub('clearInterval'), clearImmediate = stub('clearImmediate');
    const log = [];
    (async () => {
      const timeout = T.setTimeout(() => log.push('timeout'), 1);
      let ticks = 0;
      const interval = T.setInterval(() => { if (++ticks === 2) T.clearInterval(interval); }, 1);
      virtualTime.tick(5);
      timeout.refresh();
      T.clearTimeout(timeout);
      T.clearTimeout(require('node:timers').setTimeout(() => log.push('node timeout ran'), 1));
      T.clearTimeout(+T.setTimeout(() => log.push('cleared by id ran'), 1));
      T.clearImmediate(T.setImmediate(() => log.push('cleared immediate ran')));
      await new Promise((resolve) => T.setImmediate(resolve));
      const promisified = require('node:util').promisify(T.setTimeout)(1, 'promisified');
      const slept = P.setTimeout(1, 'slept');
      const controller = new AbortController();
      const aborted = P.setTimeout(1, 'x', { signal: controller.signal });
      controller.abort();
      const waited = P.scheduler.wait(1);
      const iterator = P.setInterval(1, 'tick');
      const first = iterator.next();
      virtualTime.tick(1);
      log.push(await promisified, await slept, (await aborted.catch((e) => e)).name, String(await waited), (await first).value);
      virtualTime.tick(3);
      log.push((await iterator.next()).value, iterator.missed, (await iterator.throw(new Error('thrown')).catch((e) => e)).message);
      await P.scheduler.yield();
      log.push(await P.setImmediate('immediate'), ticks, virtualTime.pending());
      console.log(log.join());
    })().catch((error) => console.log(error.stack));`;
  const [stdout, stderr] = await new Promise<[string, string]>((resolve) =>
    execFile(process.execPath, [...process.execArgv, '--import', preload, '-e', script], { env: { ...process.env, ITIMER_CLOCK: 'virtual' }, timeout: 20_000 }, (_error, out, err) => resolve([out.trim(), err])),
  );
  // Only this layer's output: the chain's own exit handler (src/chain) still calls a global.
  t.is(stdout, 'timeout,promisified,slept,AbortError,undefined,tick,tick,2,thrown,immediate,2,0', stderr);
});
