/**
 * itimer/promises against the expectations of Node's test-timers-timeout-promisified,
 * test-timers-interval-promisified and test-timers-promises-scheduler, on virtual time.
 */
import test from 'ava';
import { configureAlarms, getChain, virtualTime } from '../../src/index.js';
import { scheduler, setInterval, setTimeout } from '../../src/node/promises.js';

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
