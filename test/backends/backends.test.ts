/**
 * Every real backend runs timers, never early, and hands its timers over when the chain
 * moves to another backend.
 */
import test from 'ava';
import type { BackendName } from '../../src/index.js';
import { activeAlarm, chainNow, configureAlarms, getChain, setTimer } from '../../src/index.js';
import { runItimerScript } from '../helpers.js';

const REAL_BACKENDS: BackendName[] = ['timerfd', 'dynticks', 'unix', 'libuv'];

for (const name of REAL_BACKENDS) {
  test.serial(`${name}: 200 timers with random delays all fire, none early, in deadline order`, async (t) => {
    configureAlarms(name);
    getChain().resetStats(); // starts the chain on first use
    t.is(activeAlarm(), name);
    const results: { deadline: number; firedAt: number }[] = [];
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 200; i++) {
        const timer = setTimer(() => {
          results.push({ deadline: timer.deadlineNs, firedAt: chainNow() });
          if (results.length === 200) resolve();
        }, Math.random() * 20);
      }
    });
    t.is(results.filter((r) => r.firedAt < r.deadline).length, 0, 'no timer fired early');
    const deadlines = results.map((r) => r.deadline);
    t.deepEqual(deadlines, [...deadlines].sort((a, b) => a - b), 'fired in deadline order');
    t.true(getChain().stats.rearms <= getChain().stats.passes + 200, 'no more re-arms than head changes and passes');
  });
}

test.serial('moving the chain to another backend keeps armed timers and their deadlines', async (t) => {
  configureAlarms('timerfd');
  let firedOn: string | undefined;
  const timer = setTimer(() => (firedOn = activeAlarm()), 40);
  const deadline = timer.deadlineNs;
  configureAlarms('dynticks');
  t.true(timer.armed);
  t.is(timer.deadlineNs, deadline);
  await new Promise((resolve) => setTimer(resolve, 60));
  t.is(firedOn, 'dynticks');
});

for (const name of REAL_BACKENDS) {
  test(`${name}: with a rearm floor of 0, an already-due timer still fires (the host is never armed for zero, which would disarm it)`, async (t) => {
    const r = await runItimerScript(
      `itimer.setRearmFloor(0);
       const due = new itimer.Timer(() => console.log('fired on', itimer.activeAlarm())).setAbsolute(itimer.chainNow() - 1000).arm();
       itimer.getChain().refreshHost(); // synchronously, for a deadline already past: a delta of 0`,
      { ITIMER_CLOCK: name },
      10_000,
    );
    t.is(r.stdout, `fired on ${name}`, r.stderr);
    t.is(r.status, 0);
  });
}
