/**
 * itimer/promises against Node's own timers/promises: the expectations of Node's
 * test-timers-timeout-promisified, test-timers-immediate-promisified,
 * test-timers-interval-promisified and test-timers-promises-scheduler, and what
 * lib/timers/promises.js does (its checks and its async generator), run side by side with
 * node:timers/promises where the outcome can be compared. itimer runs on virtual time here;
 * Node's timers are real, with delays of a few ms.
 */
import test from 'ava';
import { getEventListeners } from 'node:events';
import * as nodePromises from 'node:timers/promises';
import { configureAlarms, getChain, virtualTime } from '../../src/index.js';
import { scheduler, setImmediate, setInterval, setTimeout } from '../../src/node/promises.js';
import { runItimerScript } from '../helpers.js';
import { outcome, settled } from './outcome.js';

configureAlarms('virtual');

const done = { value: undefined, done: true };

/** Node's setInterval, typed as what it is: an async generator (@types/node says AsyncIterator). */
const nodeSetInterval = nodePromises.setInterval as <T>(delay?: number, value?: T, options?: { signal?: AbortSignal }) => AsyncGenerator<T, undefined, unknown>;

/** A signal as Node's tests make one (NodeEventTarget with `aborted`): any EventTarget with an `aborted` property. */
function duckSignal(): AbortSignal {
  return Object.assign(new EventTarget(), { aborted: false }) as unknown as AbortSignal;
}

test.serial('Node test-timers-timeout-promisified: resolves with the value after the delay (undefined when none)', async (t) => {
  const start = virtualTime.nowNs();
  const waiting = setTimeout(2.5, 'value');
  await virtualTime.tickAsync(2.5);
  t.is(await waiting, 'value');
  t.is(virtualTime.nowNs() - start, 2_500_000);
  const none = setTimeout(1);
  await virtualTime.tickAsync(1);
  t.is(await none, undefined);
});

test.serial('Node test-timers-timeout-promisified: an abort rejects with AbortError (code ABORT_ERR, cause the reason) and disarms; an abort after it resolved does nothing', async (t) => {
  const controller = new AbortController();
  const waiting = setTimeout(10, 'x', { signal: controller.signal });
  controller.abort('why');
  const error = await t.throwsAsync(waiting, { name: 'AbortError', code: 'ABORT_ERR', message: 'The operation was aborted' });
  t.is(error?.cause, 'why');
  const early = await t.throwsAsync(setTimeout(10, 'x', { signal: AbortSignal.abort('boom') }), { name: 'AbortError' });
  t.is(early?.cause, 'boom');
  t.is(getChain().size, 0);
  const late = new AbortController();
  const resolved = setTimeout(1, 'kept', { signal: late.signal });
  await virtualTime.tickAsync(1);
  t.is(await resolved, 'kept');
  late.abort();
});

test.serial('Node test-timers-timeout-promisified: a signal is any object with `aborted`, and its listener is gone once the promise settles', async (t) => {
  const signal = duckSignal();
  const waiting = setTimeout(1, null, { signal });
  t.is(getEventListeners(signal, 'abort').length, 1);
  await virtualTime.tickAsync(1);
  await waiting;
  t.is(getEventListeners(signal, 'abort').length, 0);
});

test.serial('Node test-timers-immediate-promisified: setImmediate is node:timers/promises\' own, value and abort included', async (t) => {
  t.is(setImmediate, nodePromises.setImmediate);
  t.is(await setImmediate('foobar'), 'foobar');
  await t.throwsAsync(setImmediate(10, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test.serial('Node test-timers-interval-promisified: yields the value every period, drift-free; break stops the interval and removes the listener', async (t) => {
  const start = virtualTime.nowNs();
  const ticks: number[] = [];
  const signal = duckSignal();
  const consumer = (async () => {
    for await (const value of setInterval(5, 'tick', { signal })) {
      t.is(value, 'tick');
      ticks.push((virtualTime.nowNs() - start) / 1e6);
      t.is(getEventListeners(signal, 'abort').length, 1);
      if (ticks.length === 3) break;
    }
  })();
  await virtualTime.tickAsync(20);
  await consumer;
  t.deepEqual(ticks, [5, 10, 15]);
  t.is(getEventListeners(signal, 'abort').length, 0);
  t.is(getChain().size, 0, 'break disarmed it');
});

test.serial('Node test-timers-interval-promisified: an abort rejects the waiting next(); aborted in advance, or after a value, the next next() rejects; cause is the reason', async (t) => {
  const waiting = new AbortController();
  const iterator = setInterval(10, 'x', { signal: waiting.signal });
  const next = iterator.next();
  waiting.abort('stop');
  t.is((await t.throwsAsync(next, { name: 'AbortError', code: 'ABORT_ERR' }))?.cause, 'stop');
  t.deepEqual(await iterator.next(), done);

  const early = setInterval(10, 'x', { signal: AbortSignal.abort('boom') });
  t.is((await t.throwsAsync(early.next(), { name: 'AbortError' }))?.cause, 'boom');
  t.deepEqual(await early.next(), done);

  const after = new AbortController();
  const second = setInterval(1, 'x', { signal: after.signal });
  const first = second.next();
  await virtualTime.tickAsync(1);
  t.deepEqual(await first, { value: 'x', done: false });
  after.abort();
  await t.throwsAsync(second.next(), { name: 'AbortError' });
  t.deepEqual(await second.next(), done);

  const returned = new AbortController();
  const third = setInterval(10, 'x', { signal: returned.signal });
  await third.return();
  returned.abort();
  t.deepEqual(await third.next(), done);
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-interval-promisified "call the correct amount of times": abort in the 5th iteration ends the loop with AbortError after 5', async (t) => {
  const controller = new AbortController();
  let loops = 0;
  const loop = (async () => {
    for await (const value of setInterval(20, 'foobar', { signal: controller.signal })) {
      t.is(value, 'foobar');
      if (++loops === 5) controller.abort();
    }
  })();
  await virtualTime.tickAsync(200);
  await t.throwsAsync(loop, { name: 'AbortError' });
  t.is(loops, 5);
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-interval-promisified "abort with unresolved callbacks": the tick that elapsed before the abort is still delivered, then the AbortError', async (t) => {
  // Node: a consumer four periods slow, aborting in its 2nd iteration, gets at least a 3rd.
  // Here exactly one more: the one tick held when the abort came (the others are in missed).
  const controller = new AbortController();
  const iterator = setInterval(10, 'foobar', { signal: controller.signal });
  const iterations: boolean[] = [];
  const loop = (async () => {
    for await (const _ of iterator) {
      iterations.push(controller.signal.aborted);
      await setTimeout(43); // off the 10 ms grid: no deadline coincides with a tick
      if (iterations.length === 2) controller.abort();
    }
  })();
  await virtualTime.tickAsync(200);
  await t.throwsAsync(loop, { name: 'AbortError' });
  t.deepEqual(iterations, [false, false, true]);
  t.is(iterator.missed, 6, 'periods 20–30, 40–50 and 60–70 elapsed while a tick was held');
  t.is(getChain().size, 0);
});

test.serial('setInterval, as Node\'s async generator: nothing is checked or armed before the first next(); the first tick is one period after it', async (t) => {
  const lazy = setInterval(5, 'x', { ref: 'no' } as never);
  const idle = setInterval(5, 'x');
  t.is(getChain().size, 0, 'no timer before next()');
  await t.throwsAsync(lazy.next(), { code: 'ERR_INVALID_ARG_TYPE' });
  virtualTime.tick(3);
  const start = virtualTime.nowNs();
  const first = idle.next();
  t.is(getChain().size, 1);
  await virtualTime.tickAsync(5);
  t.deepEqual(await first, { value: 'x', done: false });
  t.is(virtualTime.nowNs() - start, 5e6);
  await idle.return();
  t.is(getChain().size, 0);
  t.is(Object.prototype.toString.call(idle), '[object AsyncGenerator]');
  t.is(idle[Symbol.asyncIterator](), idle);
});

test.serial('setInterval: next() called 3 times before a tick queues the calls, each resolved by a successive tick, as Node\'s generator', async (t) => {
  const resolvedAt = async (iterator: AsyncIterator<string>, advance: () => Promise<void>) => {
    const order: string[] = [];
    const calls = [1, 2, 3].map((n) => iterator.next().then((r) => order.push(`${n}:${JSON.stringify(r)}`)));
    for (let tick = 0; tick < 3; tick++) {
      await advance();
      order.push(`tick ${tick + 1}`);
    }
    await Promise.all(calls);
    await iterator.return?.();
    return order;
  };
  const ours = await resolvedAt(setInterval(1, 'x'), () => virtualTime.tickAsync(1).then(() => {}));
  t.deepEqual(ours, ['1:{"value":"x","done":false}', 'tick 1', '2:{"value":"x","done":false}', 'tick 2', '3:{"value":"x","done":false}', 'tick 3']);
  // Node's, on real time: the same three results in the same order (its ticks are not ours to step).
  const nodes = await resolvedAt(nodeSetInterval(1, 'x'), () => nodePromises.setTimeout(5));
  t.deepEqual(nodes.filter((s) => !s.startsWith('tick')), ours.filter((s) => !s.startsWith('tick')));
  t.is(getChain().size, 0);
});

test.serial('setInterval never bunches: a slow consumer gets one tick at once, and the periods it missed are counted', async (t) => {
  const iterator = setInterval(1, 'tick');
  const first = iterator.next();
  await virtualTime.tickAsync(1);
  t.deepEqual(await first, { value: 'tick', done: false });
  virtualTime.tick(5); // five periods elapse with nobody waiting
  t.deepEqual(await iterator.next(), { value: 'tick', done: false });
  t.is(iterator.missed, 4);
  const next = iterator.next();
  await virtualTime.tickAsync(1);
  t.deepEqual(await next, { value: 'tick', done: false });
  t.is(iterator.missed, 4);
  await iterator.return();
  t.deepEqual(await iterator.next(), done);
});

test.serial("Node's generator bunches where itimer holds one tick: the same slow consumer, side by side", async (t) => {
  // Node: every elapsed period is yielded back to back. itimer: one, the rest in `missed`.
  const node = nodeSetInterval(2, 'n');
  await node.next();
  await nodePromises.setTimeout(30); // 15 periods of 2 ms, fewer on a loaded machine (Node's interval drifts)
  let nodeBurst = 0;
  const burstEnd = Date.now() + 1000;
  while (Date.now() < burstEnd) {
    const raced = await Promise.race([node.next(), nodePromises.setTimeout(1, 'none')]);
    if (raced === 'none') break;
    nodeBurst++;
  }
  await node.return(undefined);
  t.true(nodeBurst >= 2, `Node yielded ${nodeBurst} stale ticks back to back`);

  const ours = setInterval(2, 'i');
  const first = ours.next();
  await virtualTime.tickAsync(2);
  await first;
  virtualTime.tick(30);
  t.deepEqual(await ours.next(), { value: 'i', done: false });
  t.is(await settled(ours.next()), 'pending', 'one held tick, then nothing until the next period');
  t.is(ours.missed, 14);
  await virtualTime.tickAsync(2);
  await ours.return();
});

/** The calls of an interval iterator that the comparisons with Node's generator make. */
interface Calls {
  next(): Promise<unknown>;
  return(value?: unknown): Promise<unknown>;
  throw(error: unknown): Promise<unknown>;
}

/**
 * The results of a call sequence on an interval iterator: `advance` lets one tick happen.
 * Used to compare return() and throw() with Node's generator.
 */
async function sequence(iterator: Calls, steps: (iterator: Calls) => Promise<unknown>[], advance: () => Promise<unknown>): Promise<string[]> {
  const order: string[] = [];
  const calls = steps(iterator).map((call, index) =>
    call.then(
      (result) => order.push(`${index} resolved ${JSON.stringify(result)}`),
      (error: Error) => order.push(`${index} rejected ${error.message}`),
    ),
  );
  await advance();
  await Promise.all(calls);
  order.push(`then ${JSON.stringify(await iterator.next())}`);
  return order;
}

const ourAdvance = () => virtualTime.tickAsync(10);
const nodeAdvance = () => nodePromises.setTimeout(5);

test.serial('setInterval return() while a next() is pending: that next() gets its tick first, then return() resolves { value, done: true }, as Node', async (t) => {
  const steps = (it: Calls) => [it.next(), it.return('r')];
  const ours = await sequence(setInterval(10, 'x'), steps, ourAdvance);
  t.is(getChain().size, 0, 'disarmed');
  t.deepEqual(ours, ['0 resolved {"value":"x","done":false}', '1 resolved {"value":"r","done":true}', 'then {"done":true}']);
  t.deepEqual(await sequence(nodeSetInterval(1, 'x'), steps, nodeAdvance), ours);
});

test.serial('setInterval throw(): before the first next(), between ticks, and behind a pending next(), as Node\'s generator', async (t) => {
  const boom = new Error('boom');
  const cases: Record<string, (it: Calls) => Promise<unknown>[]> = {
    'before the first next()': (it) => [it.throw(boom), it.next()],
    'behind a pending next()': (it) => [it.next(), it.throw(boom), it.next()],
    'after return()': (it) => [it.return(undefined), it.throw(boom)],
  };
  for (const [name, steps] of Object.entries(cases)) {
    const ours = await sequence(setInterval(10, 'x'), steps, ourAdvance);
    t.is(getChain().size, 0, name);
    t.deepEqual(await sequence(nodeSetInterval(1, 'x'), steps, nodeAdvance), ours, name);
  }
  // Between ticks (suspended at a yield): the generator's finally disarms and removes the listener.
  const signal = duckSignal();
  const iterator = setInterval(10, 'x', { signal });
  const first = iterator.next();
  await virtualTime.tickAsync(10);
  await first;
  t.is(getEventListeners(signal, 'abort').length, 1);
  t.is(await t.throwsAsync(iterator.throw(boom)), boom);
  t.is(getEventListeners(signal, 'abort').length, 0);
  t.is(getChain().size, 0);
  t.deepEqual(await iterator.next(), done);
});

test.serial('setInterval: an abort with a tick held delivers the tick, then the AbortError, then done — as Node delivers its elapsed ticks first', async (t) => {
  const describe = (results: PromiseSettledResult<IteratorResult<string, unknown>>[]) =>
    results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : r.value.done ? 'done' : 'tick'));
  const controller = new AbortController();
  const iterator = setInterval(1, 'x', { signal: controller.signal });
  const first = iterator.next();
  await virtualTime.tickAsync(1);
  await first;
  virtualTime.tick(3); // three periods elapse with nobody waiting: one tick held, two missed
  controller.abort();
  const ours = describe(await Promise.allSettled([iterator.next(), iterator.next(), iterator.next()]));
  t.deepEqual(ours, ['tick', 'AbortError', 'done']);
  t.is(iterator.missed, 2);
  t.is(getChain().size, 0);

  // Node's: every elapsed period first (one or more here, on real time), then the AbortError, then done.
  const nodeController = new AbortController();
  const node = nodeSetInterval(20, 'x', { signal: nodeController.signal });
  await node.next();
  await nodePromises.setTimeout(30);
  nodeController.abort();
  const nodes: string[] = [];
  while (nodes.at(-1) !== 'done' && nodes.length < 1000) nodes.push(...describe(await Promise.allSettled([node.next()])));
  t.regex(nodes.join(), /^(tick,)+AbortError,done$/);
});

test.serial('Node test-timers-promises-scheduler: wait resolves after the delay and honours a signal; yield resolves after the microtasks queued before it', async (t) => {
  const start = virtualTime.nowNs();
  const waiting = scheduler.wait(3);
  await virtualTime.tickAsync(3);
  await waiting;
  t.is(virtualTime.nowNs() - start, 3e6);
  const controller = new AbortController();
  const cancelled = scheduler.wait(1e6, { signal: controller.signal });
  controller.abort();
  await t.throwsAsync(cancelled, { code: 'ABORT_ERR', message: 'The operation was aborted' });
  await t.throwsAsync(scheduler.wait(10000, { signal: AbortSignal.abort() }), { code: 'ABORT_ERR' });
  const order: string[] = [];
  const yielded = scheduler.yield().then(() => order.push('yield'));
  queueMicrotask(() => order.push('microtask'));
  await yielded;
  t.deepEqual(order, ['microtask', 'yield']);
});

test.serial('Node test-timers-promises-scheduler: the constructor throws ERR_ILLEGAL_CONSTRUCTOR, detached methods ERR_INVALID_THIS, as Node\'s', async (t) => {
  const node = nodePromises.scheduler as unknown as typeof scheduler;
  const cases: [string, (s: typeof scheduler) => unknown][] = [
    ['new constructor()', (s) => new (s.constructor as new () => unknown)()],
    ['new prototype.yield()', (s) => new ((s.constructor as { prototype: { yield: new () => unknown } }).prototype.yield)()],
    ['new prototype.wait()', (s) => new ((s.constructor as { prototype: { wait: new () => unknown } }).prototype.wait)()],
    ['detached wait', (s) => s.wait.call({}, 1)],
    ['detached yield', (s) => (0, s.yield)()],
    ['wait on an object of its prototype', (s) => s.wait.call(Object.create(Object.getPrototypeOf(s)), 1)],
  ];
  for (const [name, call] of cases) {
    t.deepEqual(await outcome(() => call(scheduler)), await outcome(() => call(node)), name);
  }
  t.is(scheduler.constructor.name, node.constructor.name);
  t.deepEqual(Object.getOwnPropertySymbols(scheduler).map(String), Object.getOwnPropertySymbols(node).map(String));
  t.deepEqual(Object.getOwnPropertyNames(Object.getPrototypeOf(scheduler)).sort(), Object.getOwnPropertyNames(Object.getPrototypeOf(node)).sort());
});

test('Node test-timers-timeout-promisified and -interval-promisified: ref: false lets the process exit', async (t) => {
  const run = await runItimerScript(
    `const { setTimeout, setInterval } = await import('./src/node/promises.ts');
     setTimeout(60_000, null, { ref: false }).then(() => console.log('resolved'));
     setInterval(60_000, null, { ref: false }).next().then(() => console.log('ticked'));
     process.on('exit', () => console.log('exited'));`,
  );
  t.is(run.stdout, 'exited', run.stderr);
  t.is(run.stderr, '');
});

test('Node lib/internal/timers.js Timeout: a delay above 2^31-1 is 1 ms with a TimeoutOverflowWarning, in timers/promises too (as Node\'s)', async (t) => {
  const script = (module: string) =>
    `const { setTimeout, setInterval } = await import('${module}');
     const warnings = [];
     process.on('warning', (w) => warnings.push(w.name));
     const start = process.hrtime.bigint();
     await setTimeout(2 ** 31);
     const iterator = setInterval(2 ** 31);
     await iterator.next();
     await iterator.return();
     console.log(warnings.join(), Number(process.hrtime.bigint() - start) < 1e9);`;
  const ours = await runItimerScript(script('./src/node/promises.ts'));
  const nodes = await runItimerScript(script('node:timers/promises'));
  t.is(ours.stdout, 'TimeoutOverflowWarning,TimeoutOverflowWarning true', ours.stderr);
  t.is(ours.stdout, nodes.stdout);
});
