/**
 * Arguments C cannot express are TypeError/RangeError with Node's codes, never truncated;
 * arguments C can express reach the kernel, which answers with its errno.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import {
  alarm,
  alarmSeconds,
  SIGRTMAX,
  toSeconds,
  clockGettime,
  getitimer,
  setitimer,
  setTimerSlack,
  sigaction,
  sigprocmask,
  sigtimedwait,
  signalNumber,
  timerCreate,
  ualarm,
} from '../../src/index.js';
import { throwsSyscall } from '../helpers.js';

const rangeError = { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE' } as const;
const typeError = { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' } as const;
const valueError = { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE' } as const;

test.afterEach.always(() => {
  setitimer('real', {});
});

test('alarm: Node-style messages for values an unsigned int cannot hold', (t) => {
  t.throws(() => alarm(2 ** 32 + 5), {
    ...rangeError,
    message: 'The value of "seconds" is out of range. It must be >= 0 && <= 4294967295. Received 4_294_967_301',
  });
  t.throws(() => alarm(1.5), { ...rangeError, message: 'The value of "seconds" is out of range. It must be an integer. Received 1.5' });
  t.throws(() => alarm(-1), rangeError);
  t.throws(() => alarm(Number.NaN), rangeError);
  t.throws(() => alarm(Infinity), rangeError);
  t.throws(() => alarm('5' as unknown as number), { ...typeError, message: `The "seconds" argument must be of type number. Received type string ('5')` });
  t.throws(() => alarm(5n as unknown as number), typeError);
  t.deepEqual(getitimer('real').value, { sec: 0, usec: 0 }, 'nothing was armed by a rejected call');
});

test('ualarm: range of useconds_t', (t) => {
  t.throws(() => ualarm(2 ** 32), rangeError);
  t.throws(() => ualarm(100, -1), rangeError);
  throwsSyscall(t, () => ualarm(1_000_000), 'EINVAL', 'setitimer');
});

test('setitimer: which, fields and shapes', (t) => {
  t.throws(() => setitimer('wall' as 'real', {}), valueError);
  t.throws(() => setitimer(null as unknown as number, {}), typeError);
  t.throws(() => setitimer(0.5, {}), rangeError);
  throwsSyscall(t, () => setitimer(7, {}), 'EINVAL', 'setitimer');
  t.throws(() => setitimer('real', 5 as never), typeError);
  t.throws(() => setitimer('real', { value: { sec: 1.5 } }), rangeError);
  t.throws(() => setitimer('real', { value: { usec: '1' as unknown as number } }), typeError);
  t.throws(() => setitimer('real', { value: { sec: 2 ** 53 } }), rangeError);
  t.throws(() => setitimer('real', { value: Number.POSITIVE_INFINITY }), rangeError);
  throwsSyscall(t, () => setitimer('real', { value: { usec: 1_000_000 } }), 'EINVAL', 'setitimer');
  throwsSyscall(t, () => getitimer(-1), 'EINVAL', 'getitimer');
});

test('timerCreate: clocks, events and SIGEV_THREAD', (t) => {
  t.throws(() => timerCreate('CLOCK_WALL' as 'CLOCK_REALTIME'), valueError);
  t.throws(() => timerCreate(1.5), rangeError);
  t.throws(() => timerCreate('CLOCK_MONOTONIC', { notify: 'thread' as 'signal' }), valueError);
  t.throws(() => timerCreate('CLOCK_MONOTONIC', { notify: 2 }), { ...valueError, message: /SIGEV_THREAD is not supported/ });
  t.throws(() => timerCreate('CLOCK_MONOTONIC', { signal: 'SIGNOPE' as NodeJS.Signals }), valueError);
  t.throws(() => timerCreate('CLOCK_MONOTONIC', 'none' as never), typeError);
  throwsSyscall(t, () => timerCreate(99), 'EINVAL', 'timer_create');
});

test('timer methods validate their arguments', (t) => {
  using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
  t.throws(() => timer.settime({ value: { nsec: 0.5 } }), rangeError);
  t.throws(() => timer.settime({ value: 1 }, 0.5), rangeError);
  throwsSyscall(t, () => timer.settime({ value: { nsec: 1e9 } }), 'EINVAL', 'timer_settime');
});

test('signals and masks', (t) => {
  t.throws(() => sigaction('SIGFOO' as NodeJS.Signals), valueError);
  t.throws(() => sigaction({} as never), typeError);
  t.throws(() => sigaction('SIGUSR2', 'SIG_ERR' as 'SIG_DFL'), valueError);
  t.throws(() => sigaction(40, () => {}), { ...valueError, message: /has no name Node.js can listen to/ });
  t.throws(() => sigprocmask('add' as 'block', []), valueError);
  t.throws(() => sigprocmask('block', 'SIGUSR1' as never), typeError);
  // Linux has signals 1..64 (SIGRTMAX); a set cannot hold 0, and the kernel ignores bits past 64.
  t.throws(() => sigprocmask('block', [0]), { ...rangeError, message: 'The value of "signals" is out of range. It must be signal numbers >= 1 && <= 64. Received 0' });
  throwsSyscall(t, () => sigtimedwait(['SIGUSR2'], -1), 'EINVAL', 'sigtimedwait');
});

test('clocks and slack', (t) => {
  t.throws(() => clockGettime('CLOCK_SOMETHING' as 'CLOCK_REALTIME'), valueError);
  throwsSyscall(t, () => clockGettime(99), 'EINVAL', 'clock_gettime');
  t.throws(() => setTimerSlack(-1), rangeError);
  t.throws(() => setTimerSlack(2 ** 31), rangeError);
});

test('signal sets: signals 65..1024 are ERR_OUT_OF_RANGE, not silently dropped, and a refused set changes no mask', (t) => {
  const before = sigprocmask('block');
  for (const signal of [65, 100, 1024, 1025, -1]) {
    t.throws(() => sigprocmask('block', ['SIGUSR1', signal]), { ...rangeError, message: /It must be signal numbers >= 1 && <= 64\. Received -?[\d_]+$/ });
    t.throws(() => sigtimedwait(['SIGUSR1', signal], 0), rangeError);
  }
  t.deepEqual(sigprocmask('block'), before);
  t.is(SIGRTMAX, 64);
});

test('SIGRTMAX is the kernel\'s: the signal masks in /proc/self/status have 64 bits', (t) => {
  const status = readFileSync('/proc/self/status', 'utf8');
  for (const field of ['SigPnd', 'SigBlk', 'SigIgn', 'SigCgt']) {
    const match = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status);
    t.is(match?.[1]?.length, SIGRTMAX / 4, field);
  }
});

test('toSeconds and alarmSeconds refuse what is not a timeval/timespec with a coded error', (t) => {
  t.throws(() => toSeconds(5 as never), typeError);
  t.throws(() => toSeconds(null as never), typeError);
  t.throws(() => toSeconds({ sec: 1, usec: NaN }), rangeError);
  t.throws(() => alarmSeconds('1' as never), typeError);
  t.is(toSeconds({ sec: 1, nsec: 5e8 }), 1.5);
  t.is(alarmSeconds({ sec: 0, usec: 1 }), 1);
});

test('object arguments are plain objects (prototype Object.prototype or null): a Date, a Map or a class instance is ERR_INVALID_ARG_TYPE, and changes nothing', (t) => {
  class Timeval {
    sec = 1;
    usec = 0;
  }
  t.throws(() => toSeconds(new Date() as never), { ...typeError, message: 'The "time" argument must be a plain object. Received an instance of Date' });
  t.throws(() => alarmSeconds(new Map() as never), { ...typeError, message: 'The "remaining" argument must be a plain object. Received an instance of Map' });
  t.throws(() => toSeconds(new Timeval()), { ...typeError, message: /Received an instance of Timeval/ });
  t.throws(() => toSeconds([] as never), typeError);
  setitimer('real', { value: 30 });
  const armed = getitimer('real').interval;
  for (const value of [new Date(), new Map(), { value: new Timeval() }, { interval: new Date() }]) {
    t.throws(() => setitimer('real', value as never), typeError);
  }
  t.deepEqual(getitimer('real').interval, armed);
  t.true(getitimer('real').value.sec > 25, 'the armed ITIMER_REAL is untouched');
  t.throws(() => timerCreate('CLOCK_MONOTONIC', new Map() as never), typeError);
  using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
  t.throws(() => timer.settime(new Date() as never), typeError);
  t.throws(() => timer.settime({ value: new Timeval() as never }), typeError);
  t.deepEqual(timer.gettime().value, { sec: 0, nsec: 0 }, 'not armed');
  t.throws(() => sigtimedwait(['SIGUSR2'], new Date() as never), typeError);
  // Plain objects of either kind are accepted.
  t.is(toSeconds(Object.assign(Object.create(null), { sec: 2, usec: 500_000 })), 2.5);
  t.is(alarmSeconds(JSON.parse('{"sec":1,"usec":500000}')), 2);
});

test('sigaction: a handler that process.on cannot add (a proxy refusing reads) changes no disposition and no listener', (t) => {
  const before = { ...sigaction('SIGUSR1'), listeners: process.listenerCount('SIGUSR1') };
  const hostile = new Proxy(() => {}, {
    get() {
      throw new Error('the caller\'s own trap');
    },
  });
  t.throws(() => sigaction('SIGUSR1', hostile), { message: 'the caller\'s own trap' });
  t.deepEqual({ ...sigaction('SIGUSR1'), listeners: process.listenerCount('SIGUSR1') }, before);
});

test('argument errors name any argument, even one given as a symbol (no uncoded TypeError while building the message)', (t) => {
  t.throws(() => signalNumber('SIGNOPE' as never, Symbol('x') as never), valueError);
});
