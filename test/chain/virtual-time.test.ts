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
