/**
 * alarm(2) and ualarm(3) cases.
 * @module
 */
import { setTimeout } from 'node:timers';
import { host } from '../../../host/index.js';
// ITIMER_REAL through the public (chain-routed) functions, so the cases also check the chain's ITIMER_REAL.
import { alarm, getitimer, pause, setitimer, ualarm } from '../../../chain/itimer-real.js';
import { alarmSeconds, ITIMER_REAL, sigaction } from '../../../posix/index.js';
import type { ConformanceCase } from '../framework.js';
import { expectChild, outcomeOf, print, sleepSync, until, within, ltp, man, source } from '../framework.js';

const INT_MAX = 2 ** 31 - 1;
const UINT_MAX = 2 ** 32 - 1;

/** Counts deliveries of `signal` through a handler installed with sigaction. */
function countSignals(signal: NodeJS.Signals): { readonly count: number } {
  const counter = { count: 0 };
  sigaction(signal, () => counter.count++);
  return counter;
}

export const alarmCases: ConformanceCase[] = [
  {
    id: 'alarm/boundary-values',
    itimerReal: true,
    title: 'alarm(sec) returns 0, then alarm(0) returns exactly sec, for INT_MAX, UINT_MAX/2, UINT_MAX/4, UINT_MAX',
    references: [man('alarm(2)', 'RETURN VALUE'), ltp('alarm02')],
    serial: true,
    run() {
      const values = [INT_MAX, Math.floor(UINT_MAX / 2), Math.floor(UINT_MAX / 4), UINT_MAX];
      return {
        expected: values.map((v) => `0,${v}`).join(' '),
        got: values.map((v) => `${alarm(v)},${alarm(0)}`).join(' '),
      };
    },
  },
  {
    id: 'alarm/remaining-after-sleep',
    itimerReal: true,
    title: 'alarm(10), 1 s later alarm(1) returns 9 and exactly one SIGALRM follows',
    references: [man('alarm(2)', 'RETURN VALUE'), ltp('alarm05')],
    async child() {
      const alarms = countSignals('SIGALRM');
      print('first', alarm(10));
      sleepSync(1000);
      print('second', alarm(1));
      await until(() => alarms.count > 0, 3000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      print('SIGALRM count', alarms.count);
    },
    run: expectChild('first 0; second 9; SIGALRM count 1 | exit 0'),
  },
  {
    id: 'alarm/zero-cancels',
    itimerReal: true,
    title: 'alarm(2), 1 s later alarm(0) returns 1, and no SIGALRM arrives',
    references: [man('alarm(2)', 'DESCRIPTION (\'If seconds is zero, any pending alarm is canceled\')'), ltp('alarm06')],
    async child() {
      const alarms = countSignals('SIGALRM');
      print('first', alarm(2));
      sleepSync(1000);
      print('cancel', alarm(0));
      // The cancelled alarm was due 1 s from now; wait past that.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      print('SIGALRM count', alarms.count);
    },
    run: expectChild('first 0; cancel 1; SIGALRM count 0 | exit 0'),
  },
  {
    id: 'alarm/rounding-matches-kernel',
    title: "the previous alarm's remaining time is rounded as the kernel's alarm does (after setitimer 0.2 s, 2.3 s, 2.6 s, 1.5 s)",
    references: [source('Linux', 'alarm_setitimer', undefined, 'kernel/time/itimer.c'), source('itimer', 'alarm() vs libc alarm()')],
    serial: true,
    run() {
      const remaining = [0.2, 2.3, 2.6, 1.5];
      const previous = (call: (seconds: number) => number) =>
        remaining.map((seconds) => {
          setitimer('real', { value: seconds });
          return call(0);
        });
      // The rule: up to the next second at >= 0.5 s (and never 0), else down; the values have just started to run down.
      const rule = '1,2,3,1';
      return {
        expected: `libc ${rule}; itimer ${rule}`,
        got: `libc ${previous((s) => host().alarm(s)).join(',')}; itimer ${previous(alarm).join(',')}`,
      };
    },
  },
  {
    id: 'alarm/rounding-rule',
    title: 'the rounding of a remaining {sec, usec} to alarm seconds, at the boundaries',
    references: [source('Linux', 'alarm_setitimer'), man('alarm(2)', 'NOTES')],
    run() {
      const samples = [
        { sec: 0, usec: 0 },
        { sec: 0, usec: 1 },
        { sec: 0, usec: 499_999 },
        { sec: 1, usec: 499_999 },
        { sec: 1, usec: 500_000 },
        { sec: 9, usec: 999_999 },
      ];
      return { expected: '0 1 1 1 2 10', got: samples.map(alarmSeconds).join(' ') };
    },
  },
  {
    id: 'alarm/default-action-kills',
    itimerReal: true,
    title: 'with no handler, the alarm ends the process by SIGALRM even in a synchronous busy loop',
    references: [man('alarm(2)'), man('signal(7)', 'SIGALRM: Term')],
    child() {
      print('armed', alarm(1));
      for (;;);
    },
    run: expectChild('armed 0 | killed by SIGALRM', { timeoutMs: 10_000 }),
  },
  {
    id: 'alarm/shares-itimer-real',
    itimerReal: true,
    title: 'alarm and setitimer(ITIMER_REAL) are one timer: each sees and replaces the other',
    references: [man('alarm(2)', 'NOTES'), man('setitimer(2)')],
    serial: true,
    run() {
      alarm(5);
      const seen = getitimer(ITIMER_REAL);
      setitimer(ITIMER_REAL, { value: { sec: 7 }, interval: { sec: 1 } });
      const previous = alarm(0);
      const after = getitimer(ITIMER_REAL);
      return {
        expected: 'getitimer after alarm(5): 4 s + (0, 1e6) µs, interval 0; alarm(0) after setitimer 7 s: 7; then disarmed 0/0',
        got:
          `getitimer after alarm(5): ${seen.value.sec} s + ${within(seen.value.usec, 1, 999_999, '(0, 1e6) µs')}, interval ${seen.interval.sec + seen.interval.usec}; ` +
          `alarm(0) after setitimer 7 s: ${previous}; then disarmed ${after.value.sec + after.value.usec}/${after.interval.sec + after.interval.usec}`,
      };
    },
  },
  {
    id: 'alarm/no-truncation',
    itimerReal: true,
    title: 'seconds the C unsigned int cannot hold are rejected, not truncated (alarm(2**32 + 5) must not arm 5 s)',
    references: [man('alarm(2)', 'SYNOPSIS (unsigned int seconds)'), source('itimer', 'docs/errors.md', 'a bad argument, found before any call')],
    serial: true,
    run() {
      const results = [2 ** 32 + 5, -1, 1.5, Number.NaN, '5'].map((v) => outcomeOf(() => alarm(v as number)));
      const armed = getitimer(ITIMER_REAL).value;
      return {
        expected: 'RangeError ERR_OUT_OF_RANGE, RangeError ERR_OUT_OF_RANGE, RangeError ERR_OUT_OF_RANGE, RangeError ERR_OUT_OF_RANGE, TypeError ERR_INVALID_ARG_TYPE; nothing armed',
        got: `${results.join(', ')}; ${armed.sec === 0 && armed.usec === 0 ? 'nothing armed' : `armed ${armed.sec} s`}`,
      };
    },
  },
  {
    id: 'ualarm/previous-value',
    itimerReal: true,
    title: 'ualarm(500000) returns 0; ualarm(0) then returns the microseconds left, in (400000, 500000]',
    references: [man('ualarm(3)', 'RETURN VALUE')],
    serial: true,
    run() {
      const first = ualarm(500_000);
      const left = ualarm(0);
      return { expected: '0, in (400000, 500000]', got: `${first}, ${within(left, 400_001, 500_000, 'in (400000, 500000]')}` };
    },
  },
  {
    id: 'ualarm/einval',
    itimerReal: true,
    title: 'ualarm with usecs or interval ≥ 1 000 000 fails with EINVAL',
    references: [man('ualarm(3)', 'ERRORS (glibc: tv_usec out of range)')],
    serial: true,
    run() {
      return {
        expected: 'EINVAL EINVAL',
        got: `${outcomeOf(() => ualarm(1_000_000))} ${outcomeOf(() => ualarm(1000, 1_000_000))}`,
      };
    },
  },
  {
    id: 'ualarm/interval',
    itimerReal: true,
    title: 'ualarm(20000, 20000) delivers SIGALRM repeatedly to the handler; pause() returns after each',
    references: [man('ualarm(3)', 'DESCRIPTION'), man('pause(2)')],
    async child() {
      const alarms = countSignals('SIGALRM');
      ualarm(20_000, 20_000);
      for (let i = 0; i < 3; i++) pause();
      await until(() => alarms.count >= 3, 2000); // Node runs JavaScript handlers on the event loop
      ualarm(0);
      print('paused 3 times; handler ran at least 3 times:', alarms.count >= 3);
    },
    run: expectChild('paused 3 times; handler ran at least 3 times: true | exit 0'),
  },
];
