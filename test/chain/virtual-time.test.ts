/**
 * Virtual time as a test suite uses it, side by side with @sinonjs/fake-timers and
 * node:test's mock timers running the same scenario (the table in docs/testing.md).
 */
import test from 'ava';
import { mock } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { activeAlarm, configureAlarms, getChain, setTimer, sleep, virtualTime } from '../../src/index.js';
import { runItimerScript } from '../helpers.js';

/** Three chained 10 ms waits, each recording when it ended. */
async function chainedWaits(wait: (ms: number) => Promise<unknown>, now: () => number, log: number[]): Promise<void> {
  const start = now();
  for (let i = 0; i < 3; i++) {
    await wait(10);
    log.push(now() - start);
  }
}

test.serial('tickAsync(30) completes three chained 10 ms sleeps, as fake-timers\' tickAsync does; tick(30) completes one', async (t) => {
  using _clock = virtualTime.install();
  const asyncLog: number[] = [];
  const asyncRun = chainedWaits((ms) => sleep(ms), () => virtualTime.nowMs(), asyncLog);
  t.is(await virtualTime.tickAsync(30), 3);
  await asyncRun;
  t.deepEqual(asyncLog, [10, 20, 30]);

  const syncLog: number[] = [];
  void chainedWaits((ms) => sleep(ms), () => virtualTime.nowMs(), syncLog);
  await new Promise((resolve) => setImmediate(resolve)); // the first sleep is armed
  virtualTime.tick(30);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(syncLog, [30], 'the synchronous tick runs only the sleep armed before it; its continuation sees the end of the tick');
  virtualTime.runAll();
  await virtualTime.runAllAsync();

  const clock = FakeTimers.createClock();
  const fakeLog: number[] = [];
  const fakeRun = chainedWaits((ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)), () => clock.now, fakeLog);
  await clock.tickAsync(30);
  await fakeRun;
  t.deepEqual(fakeLog, [10, 20, 30], 'fake-timers agrees');
});

test.serial('node:test mock timers: tick(30) completes one of the chained waits (no async tick in Node 20)', async (t) => {
  // Node 20 warns that MockTimers is experimental: expected, so kept off the test output.
  const warnings: string[] = [];
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error) => void warnings.push(String(warning))) as typeof process.emitWarning;
  try {
    mock.timers.enable({ apis: ['setTimeout'] });
  } finally {
    process.emitWarning = emitWarning;
  }
  t.true(warnings.every((warning) => /MockTimers/.test(warning)), warnings.join('\n'));
  try {
    const log: number[] = [];
    let now = 0;
    void chainedWaits((ms) => new Promise((resolve) => setTimeout(resolve, ms)), () => now, log);
    now = 30;
    mock.timers.tick(30);
    await new Promise((resolve) => setImmediate(resolve));
    t.deepEqual(log, [30]);
  } finally {
    mock.timers.reset();
  }
});

test.serial('install() is scoped: the previous backend comes back at the end of the scope, and uninstall cancels what was left armed', (t) => {
  configureAlarms('libuv');
  getChain();
  {
    using _clock = virtualTime.install();
    t.is(activeAlarm(), 'virtual');
    t.is(virtualTime.nowNs(), 0, 'virtual time starts at 0');
    setTimer(() => {}, 5);
    virtualTime.runAll();
  }
  t.is(activeAlarm(), 'libuv');
  const before = setTimer(() => {}, 60_000);
  const handle = virtualTime.install();
  const left = setTimer(() => {}, 5);
  t.is(handle.uninstall(), 1, 'one timer left armed, cancelled');
  t.false(left.armed);
  t.true(before.armed, 'a timer armed before the install keeps its deadline');
  t.is(handle.uninstall(), 0, 'idempotent');
  before.cancel();
});

test.serial('units: tick takes a Delay (a number is ms), nowNs and nowMs say theirs; a bad loopLimit is refused', async (t) => {
  using _clock = virtualTime.install();
  const start = virtualTime.nowNs();
  virtualTime.tick({ us: 1500 });
  virtualTime.tick(2n);
  t.is(virtualTime.nowNs() - start, 1_500_002);
  t.is(virtualTime.nowMs(), virtualTime.nowNs() / 1e6);
  t.throws(() => virtualTime.runAll(Number.NaN), { code: 'ERR_OUT_OF_RANGE' });
  await t.throwsAsync(virtualTime.tickAsync(1, 0), { code: 'ERR_OUT_OF_RANGE' });
  const runaway = setTimer(() => {}, 1, { interval: true });
  await t.throwsAsync(virtualTime.runAllAsync(5), { code: 'ERR_ITIMER_LOOP_LIMIT' });
  runaway.cancel();
});

test('a pending virtual timer does not keep the process alive (fake-timers\' do not either; a real setTimeout would)', async (t) => {
  const run = await runItimerScript(`const clock = itimer.virtualTime.install(); itimer.setTimer(() => console.log('ran'), 60_000); console.log('armed');`);
  t.is(run.stdout, 'armed', run.stderr);
  t.is(run.status, 0);
});

/**
 * One program of timers and promise jobs, run under a driver: timers due together and
 * apart, each queueing a promise job that logs and may arm another timer (Node's rules for
 * a 0 ms delay: 1 ms).
 */
async function timersAndJobs(arm: (fn: () => void, ms: number) => unknown, drive: () => Promise<unknown>): Promise<string[]> {
  const log: string[] = [];
  arm(() => {
    log.push('A');
    void Promise.resolve().then(() => log.push('P1'));
  }, 10);
  arm(() => {
    log.push('B');
    void Promise.resolve().then(() => {
      log.push('P2');
      arm(() => log.push('C'), 1);
    });
  }, 10);
  arm(() => {
    log.push('D');
    void Promise.resolve()
      .then(() => log.push('P3'))
      .then(() => arm(() => log.push('E'), 2));
  }, 11);
  await drive();
  return log;
}

test.serial('fake-timers tickAsync / runAllAsync: promise jobs run between every two timers, in the same order as @sinonjs/fake-timers', async (t) => {
  const { setTimeout: dropIn } = await import('../../src/node/timers.js');
  const clock = FakeTimers.createClock();
  const expected = await timersAndJobs((fn, ms) => clock.setTimeout(fn, ms), () => clock.tickAsync(20));
  t.deepEqual(expected, ['A', 'P1', 'B', 'P2', 'D', 'P3', 'C', 'E']);
  {
    using _clock = virtualTime.install();
    t.deepEqual(await timersAndJobs(dropIn, () => virtualTime.tickAsync(20)), expected, 'tickAsync');
  }
  const clock2 = FakeTimers.createClock();
  const expectedAll = await timersAndJobs((fn, ms) => clock2.setTimeout(fn, ms), () => clock2.runAllAsync());
  {
    using _clock = virtualTime.install();
    t.deepEqual(await timersAndJobs(dropIn, () => virtualTime.runAllAsync()), expectedAll, 'runAllAsync');
  }
});

test('uninstall() with a forgotten interval (node:test after, ava teardown): the interval is cancelled and the process exits at once', async (t) => {
  const run = await runItimerScript(`
    const { setInterval } = await import('./src/node/timers.ts');
    const clock = itimer.virtualTime.install();
    setInterval(() => console.log('tick'), 10);
    itimer.setTimer(() => console.log('never'), 50);
    console.log('cancelled', clock.uninstall());`, {}, 10_000);
  t.is(run.stdout, 'cancelled 2', run.stderr);
  t.is(run.status, 0);
});
