/**
 * Behaviour of the public API beyond the conformance cases: exact struct round trips,
 * float-seconds conversion, timer objects, sigtimedwait.
 */
import test from 'ava';
import {
  alarm,
  CLOCK_MONOTONIC,
  clockGettime,
  getitimer,
  PosixTimer,
  setitimer,
  SI_CODES,
  sigprocmask,
  sigtimedwait,
  timerCreate,
  toSeconds,
} from '../../src/index.js';
import { readInt64, toTimespec, toTimeval, writeInt64 } from '../../src/posix/structs.js';
import { runItimerScript } from '../helpers.js';

test.afterEach.always(() => {
  setitimer('real', {});
  setitimer('virtual', {});
});

test.serial('setitimer returns the interval exactly as set, and the old setting in the same shape', (t) => {
  const interval = { sec: 123, usec: 456_789 };
  t.deepEqual(setitimer('real', { value: { sec: 100 }, interval }), { value: { sec: 0, usec: 0 }, interval: { sec: 0, usec: 0 } });
  t.deepEqual(getitimer('real').interval, interval);
  const old = setitimer('real', {});
  t.deepEqual(old.interval, interval);
  t.true(old.value.sec === 99 || old.value.sec === 100);
});

test.serial('numbers of seconds are converted to the nearest microsecond / nanosecond', (t) => {
  t.deepEqual(toTimeval(1.5, 'v'), { sec: 1, usec: 500_000 });
  t.deepEqual(toTimeval(0.1, 'v'), { sec: 0, usec: 100_000 });
  t.deepEqual(toTimeval(2.9999999, 'v'), { sec: 3, usec: 0 });
  t.deepEqual(toTimespec(0.000_000_001, 'v'), { sec: 0, nsec: 1 });
  t.deepEqual(toTimespec(1e6 + 0.25, 'v'), { sec: 1_000_000, nsec: 250_000_000 });
  t.deepEqual(toTimeval(-1.5, 'v'), { sec: -2, usec: 500_000 });
  t.throws(() => toTimespec(1e7, 'v'), { code: 'ERR_OUT_OF_RANGE', message: /within ±9007199/ });
  t.is(toSeconds({ sec: 2, usec: 250_000 }), 2.25);
  t.is(toSeconds({ sec: 2, nsec: 5 }), 2.000000005);
  setitimer('virtual', { value: 12.25, interval: 0.5 });
  t.deepEqual(getitimer('virtual').interval, { sec: 0, usec: 500_000 });
});

test('int64 fields are written and read exactly without BigInt', (t) => {
  const buffer = Buffer.alloc(8);
  for (const value of [0, 1, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_123]) {
    writeInt64(buffer, 0, value);
    t.is(buffer.readBigInt64LE(0), BigInt(value));
    t.is(readInt64(buffer, 0), value);
  }
});

test.serial('alarm returns the rounded previous value and replaces the interval', (t) => {
  setitimer('real', { value: { sec: 3, usec: 700_000 }, interval: { sec: 1 } });
  t.is(alarm(50), 4);
  t.deepEqual(getitimer('real').interval, { sec: 0, usec: 0 });
  t.is(alarm(0), 50);
});

test('a POSIX timer object: settime returns the old spec, delete is final, dispose is idempotent', (t) => {
  const timer = timerCreate(CLOCK_MONOTONIC, { notify: 'none' });
  t.true(timer instanceof PosixTimer);
  t.is(timer.clockId, CLOCK_MONOTONIC);
  t.deepEqual(timer.settime({ value: 5, interval: { sec: 1, nsec: 7 } }), { value: { sec: 0, nsec: 0 }, interval: { sec: 0, nsec: 0 } });
  const old = timer.settime({});
  t.deepEqual(old.interval, { sec: 1, nsec: 7 });
  t.false(timer.deleted);
  timer[Symbol.dispose]();
  t.true(timer.deleted);
  timer[Symbol.dispose]();
  for (const call of [() => timer.gettime(), () => timer.settime({}), () => timer.getoverrun(), () => timer.delete()]) {
    t.is((t.throws(call) as { code?: string }).code, 'EINVAL');
  }
});

test('PosixTimer refuses ids glibc would dereference', (t) => {
  t.throws(() => new PosixTimer(-1, CLOCK_MONOTONIC), { code: 'ERR_OUT_OF_RANGE' });
});

test('TIMER_ABSTIME gettime reports relative remaining time', (t) => {
  using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'signal', signal: 'SIGUSR2' });
  const now = clockGettime('CLOCK_MONOTONIC');
  timer.settime({ value: { sec: now.sec + 30, nsec: now.nsec } }, 1);
  const left = timer.gettime().value;
  t.true(left.sec === 29 || left.sec === 30);
  timer.settime({});
});

test.serial('sigtimedwait takes a blocked timer signal with its siginfo, or times out with null', (t) => {
  sigprocmask('block', ['SIGUSR2']);
  try {
    t.is(sigtimedwait(['SIGUSR2'], { nsec: 1_000_000 }), null);
    using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', signal: 'SIGUSR2', value: 77 });
    timer.settime({ value: { nsec: 1_000_000 } });
    const info = sigtimedwait(['SIGUSR2'], 5);
    t.like(info, { signal: 10 + 2, code: SI_CODES.SI_TIMER, timerId: timer.id, overrun: 0, value: 77 });
  } finally {
    sigprocmask('unblock', ['SIGUSR2']);
  }
});

test('CPython test_signal ItimerTest.test_setitimer_tiny (bpo-30807): a positive value below 1 µs arms 1 µs, on the kernel and on the chain', async (t) => {
  for (const clock of ['timerfd', 'unix']) {
    const r = await runItimerScript(
      `let called = false;
       itimer.sigaction('SIGALRM', () => { called = true; });
       const old = itimer.setitimer('real', { value: 1e-7 });
       await new Promise((resolve) => setTimeout(resolve, 200));
       console.log(called, itimer.getitimer('real').value.usec);`,
      { ITIMER_CLOCK: clock },
    );
    t.is(r.stdout, 'true 0', `${clock}: ${r.stderr}`);
  }
});
