/**
 * itimer/promises against the expectations of Node's test-timers-timeout-promisified,
 * test-timers-interval-promisified and test-timers-promises-scheduler, on virtual time.
 */
import test from 'ava';
import { configureAlarms, getChain, virtualTime } from '../../src/index.js';
import { scheduler, setInterval, setTimeout } from '../../src/node/promises.js';
import { setInterval as nodeSetInterval } from 'node:timers/promises';

configureAlarms('virtual');

test.serial('Node test-timers-timeout-promisified: resolves with the value after the delay', async (t) => {
  const start = virtualTime.nowNs();
  const waiting = setTimeout(2.5, 'value');
  await virtualTime.tickAsync(2.5);
  t.is(await waiting, 'value');
  t.is(virtualTime.nowNs() - start, 2_500_000);
  t.is(await (async () => { const p = setTimeout(1); await virtualTime.tickAsync(1); return p; })(), undefined);
});

test.serial('Node test-timers-timeout-promisified: an abort rejects with AbortError (code ABORT_ERR, cause the reason) and disarms', async (t) => {
  const controller = new AbortController();
  const waiting = setTimeout(10, 'x', { signal: controller.signal });
  controller.abort('why');
  const error = await t.throwsAsync(waiting, { name: 'AbortError', code: 'ABORT_ERR', message: 'The operation was aborted' });
  t.is(error?.cause, 'why');
  await t.throwsAsync(setTimeout(10, 'x', { signal: AbortSignal.abort('early') }), { name: 'AbortError' });
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-timeout-promisified: bad options, signal and ref reject with ERR_INVALID_ARG_TYPE', async (t) => {
  for (const options of [null, 1, 'x', true]) await t.throwsAsync(setTimeout(10, 'x', options as never), { code: 'ERR_INVALID_ARG_TYPE' });
  for (const signal of [1, {}, 'x', Symbol('s')]) await t.throwsAsync(setTimeout(10, 'x', { signal } as never), { code: 'ERR_INVALID_ARG_TYPE' });
  for (const ref of [1, {}, 'x', null]) await t.throwsAsync(setTimeout(10, 'x', { ref } as never), { code: 'ERR_INVALID_ARG_TYPE' });
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-interval-promisified: yields the value every period, drift-free; break stops the interval', async (t) => {
  const start = virtualTime.nowNs();
  const ticks: number[] = [];
  const consumer = (async () => {
    for await (const value of setInterval(5, 'tick')) {
      t.is(value, 'tick');
      ticks.push((virtualTime.nowNs() - start) / 1e6);
      if (ticks.length === 3) break;
    }
  })();
  await virtualTime.tickAsync(20);
  await consumer;
  t.deepEqual(ticks, [5, 10, 15]);
  t.is(getChain().size, 0, 'break disarmed it');
});

test.serial('setInterval never bunches: a slow consumer gets one tick at once, and the periods it missed are counted', async (t) => {
  const iterator = setInterval(1, 'tick');
  virtualTime.tick(5); // five periods elapse with nobody waiting
  t.deepEqual(await iterator.next(), { value: 'tick', done: false });
  t.is(iterator.missed, 4);
  const next = iterator.next();
  virtualTime.tick(1);
  t.deepEqual(await next, { value: 'tick', done: false });
  t.is(iterator.missed, 4);
  await iterator.return();
  t.deepEqual(await iterator.next(), { value: undefined, done: true });
});

test.serial('Node test-timers-interval-promisified: abort rejects the waiting next() with AbortError; bad options surface at the first next()', async (t) => {
  const controller = new AbortController();
  const iterator = setInterval(10, 'x', { signal: controller.signal });
  const next = iterator.next();
  controller.abort('stop');
  const error = await t.throwsAsync(next, { name: 'AbortError', code: 'ABORT_ERR' });
  t.is(error?.cause, 'stop');
  await t.throwsAsync(setInterval(10, 'x', { signal: AbortSignal.abort() }).next(), { name: 'AbortError' });
  await t.throwsAsync(setInterval(10, 'x', { ref: 'no' } as never).next(), { code: 'ERR_INVALID_ARG_TYPE' });
  t.is(getChain().size, 0);
});

test.serial('Node test-timers-promises-scheduler: scheduler.wait resolves after the delay and honours a signal', async (t) => {
  const start = virtualTime.nowNs();
  const waiting = scheduler.wait(3);
  await virtualTime.tickAsync(3);
  await waiting;
  t.is(virtualTime.nowNs() - start, 3e6);
  await t.throwsAsync(scheduler.wait(3, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test.serial('setInterval return() while a next() is pending: that next() gets its tick first, then return() resolves done, as Node', async (t) => {
  const sequence = async (iterator: AsyncIterator<string>, tick: () => Promise<unknown>) => {
    const order: string[] = [];
    const pending = iterator.next().then((result) => order.push(`next ${JSON.stringify(result)}`));
    const returned = iterator.return!().then((result) => order.push(`return ${JSON.stringify(result)}`));
    await tick();
    await Promise.all([pending, returned]);
    order.push(`then ${JSON.stringify(await iterator.next())}`);
    return order;
  };
  const ours = await sequence(setInterval(10, 'x'), () => virtualTime.tickAsync(10));
  t.is(getChain().size, 0, 'disarmed');
  const nodes = await sequence(nodeSetInterval(1, 'x'), async () => {});
  t.deepEqual(ours, ['next {"value":"x","done":false}', 'return {"done":true}', 'then {"done":true}']);
  t.deepEqual(ours, nodes);
});

// Node's own timers/promises setInterval (an async generator), on this Node: after an abort
// the first next() rejects with the AbortError and every later one resolves { done: true };
// after return(), an abort changes nothing.
test.serial('setInterval after an abort: the first next() rejects with the AbortError, later ones resolve { done: true }, as Node', async (t) => {
  const done = { value: undefined, done: true };
  const waiting = new AbortController();
  const first = setInterval(10, 'x', { signal: waiting.signal });
  const pending = first.next();
  waiting.abort();
  await t.throwsAsync(pending, { name: 'AbortError' });
  t.deepEqual(await first.next(), done);
  t.deepEqual(await first.next(), done);

  const idle = new AbortController();
  const second = setInterval(1, 'x', { signal: idle.signal });
  const tick = second.next();
  await virtualTime.tickAsync(1);
  t.deepEqual(await tick, { value: 'x', done: false });
  idle.abort();
  await t.throwsAsync(second.next(), { name: 'AbortError' });
  t.deepEqual(await second.next(), done);

  const early = setInterval(10, 'x', { signal: AbortSignal.abort() });
  await t.throwsAsync(early.next(), { name: 'AbortError' });
  t.deepEqual(await early.next(), done);

  const returned = new AbortController();
  const third = setInterval(10, 'x', { signal: returned.signal });
  await third.return();
  returned.abort();
  t.deepEqual(await third.next(), done);
  t.is(getChain().size, 0);
});
