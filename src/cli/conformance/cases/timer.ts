/**
 * timer_create(2), timer_settime(2), timer_gettime(2), timer_getoverrun(2) and
 * timer_delete(2) cases.
 * @module
 */
import { constants } from 'node:os';
import { setTimeout } from 'node:timers';
import { host } from '../../../host/index.js';
import type { Itimerspec, PosixTimer, TimerEvent } from '../../../posix/index.js';
import {
  clockGetres,
  clockGettime,
  pause,
  sigaction,
  sigprocmask,
  sigtimedwait,
  SIGEV_SIGNAL,
  TIMER_ABSTIME,
  timerCreate,
} from '../../../posix/index.js';
import type { ConformanceCase } from '../framework.js';
import { expectChild, burnCpu, outcomeOf, print, sleepSync, until, within, ltp, man, source } from '../framework.js';

/** LTP's clock list for the timer_* tests, in its order. */
const LTP_CLOCKS = [
  'CLOCK_REALTIME',
  'CLOCK_MONOTONIC',
  'CLOCK_PROCESS_CPUTIME_ID',
  'CLOCK_THREAD_CPUTIME_ID',
  'CLOCK_BOOTTIME',
  'CLOCK_BOOTTIME_ALARM',
  'CLOCK_REALTIME_ALARM',
  'CLOCK_TAI',
] as const;

/** Clocks LTP treats as possibly unsupported: EINVAL or EOPNOTSUPP from timer_create is a skip there. */
const POSSIBLY_UNSUPPORTED = new Set<string>(['CLOCK_BOOTTIME', 'CLOCK_BOOTTIME_ALARM', 'CLOCK_REALTIME_ALARM', 'CLOCK_TAI']);

/** Creates a timer, or says why the clock is (allowably) unsupported here. */
function tryCreate(clock: (typeof LTP_CLOCKS)[number], event?: TimerEvent): PosixTimer | 'unsupported' {
  try {
    return timerCreate(clock, event);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (POSSIBLY_UNSUPPORTED.has(clock) && (code === 'EINVAL' || code === 'ENOTSUP')) return 'unsupported';
    throw error;
  }
}

function isZero(spec: Itimerspec): boolean {
  return spec.value.sec === 0 && spec.value.nsec === 0 && spec.interval.sec === 0 && spec.interval.nsec === 0;
}

/**
 * LTP passes timer id -1 to the raw syscalls. Through glibc (≥ 2.34) a negative timer_t is
 * taken for a SIGEV_THREAD timer's pointer and dereferenced, so an invalid id is tested
 * with the largest kernel id instead, which no process has.
 */
const UNUSED_ID = 2 ** 31 - 1;

const CPU_CLOCKS = new Set<string>(['CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID']);
const nsOf = (t: { sec: number; nsec: number }) => t.sec * 1e9 + t.nsec;

export const timerCases: ConformanceCase[] = [
  {
    id: 'timer_create/every-clock-and-notify',
    title: 'timer_create succeeds on every LTP clock with a NULL sevp, SIGEV_NONE, SIGEV_SIGNAL and SIGEV_THREAD_ID, and timer_delete returns 0',
    references: [man('timer_create(2)'), ltp('timer_create01'), ltp('timer_delete01')],
    run() {
      const events: (TimerEvent | undefined)[] = [undefined, { notify: 'none' }, { notify: 'signal' }, { notify: 'thread-id' }];
      const unsupported = new Set<string>();
      for (const clock of LTP_CLOCKS) {
        for (const event of events) {
          const timer = tryCreate(clock, event);
          if (timer === 'unsupported') unsupported.add(clock);
          else timer.delete();
        }
      }
      const result = { expected: 'all created and deleted', got: 'all created and deleted' };
      return unsupported.size ? { ...result, note: `unsupported here (EINVAL/ENOTSUP, an LTP skip): ${[...unsupported].join(', ')}` } : result;
    },
  },
  {
    id: 'timer_create/clocks-without-timers',
    title: 'CLOCK_MONOTONIC_RAW and the _COARSE clocks have no timers: ENOTSUP (= EOPNOTSUPP on Linux)',
    references: [man('timer_create(2)', 'ERRORS (ENOTSUP)')],
    run() {
      const clocks = ['CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE'] as const;
      return { expected: 'ENOTSUP ENOTSUP ENOTSUP', got: clocks.map((c) => outcomeOf(() => timerCreate(c, { notify: 'none' }).delete())).join(' ') };
    },
  },
  {
    id: 'timer_create/einval',
    title: 'an invalid clock, sigev_notify INT_MAX, sigev_signo 0 / 65 / INT_MAX, SIGEV_SIGNAL|54321, a bad thread id: EINVAL',
    references: [man('timer_create(2)', 'ERRORS'), ltp('timer_create02'), ltp('timer_create03', 'CVE-2017-18344')],
    run() {
      const INT_MAX = 2 ** 31 - 1;
      const attempts = [
        () => timerCreate(24),
        () => timerCreate('CLOCK_REALTIME', { notify: INT_MAX }),
        () => timerCreate('CLOCK_REALTIME', { notify: 'signal', signal: 0 }),
        () => timerCreate('CLOCK_REALTIME', { notify: 'signal', signal: 65 }),
        () => timerCreate('CLOCK_REALTIME', { notify: 'signal', signal: INT_MAX }),
        () => timerCreate('CLOCK_MONOTONIC', { notify: SIGEV_SIGNAL | 54321, threadId: process.pid }),
        () => timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', threadId: 2 ** 30 }),
      ];
      return { expected: Array(attempts.length).fill('EINVAL').join(' '), got: attempts.map((a) => outcomeOf(() => a().delete())).join(' ') };
    },
  },
  {
    id: 'timer_create/first-id-is-zero',
    title: "a process's first timer has id 0 (glibc returns it as a NULL timer_t) and it works",
    references: [man('timer_create(2)', 'the kernel allocates the lowest free id'), source('glibc', 'timer_create')],
    child() {
      const timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
      timer.settime({ value: 5 });
      print('id', timer.id, 'armed', timer.gettime().value.sec >= 4);
      timer.delete();
    },
    run: expectChild('id 0 armed true | exit 0'),
  },
  {
    id: 'timer_create/default-event-kills',
    title: 'with a NULL sevp the expiry sends SIGALRM to the process, whose default action ends it',
    references: [man('timer_create(2)', '\'sevp can be NULL ... SIGEV_SIGNAL ... SIGALRM\'')],
    child() {
      timerCreate('CLOCK_MONOTONIC').settime({ value: 0.05 });
      for (;;);
    },
    run: expectChild(' | killed by SIGALRM'),
  },
  {
    id: 'timer_create/chosen-signal',
    title: 'SIGEV_SIGNAL with sigev_signo SIGUSR2 delivers SIGUSR2',
    references: [man('timer_create(2)'), man('sigevent(7)')],
    child() {
      timerCreate('CLOCK_MONOTONIC', { notify: 'signal', signal: 'SIGUSR2' }).settime({ value: 0.05 });
      for (;;);
    },
    run: expectChild(' | killed by SIGUSR2'),
  },
  {
    id: 'timer_create/thread-id',
    title: 'SIGEV_THREAD_ID delivers the signal to the named thread: pause() on the main thread returns',
    references: [man('timer_create(2)', 'SIGEV_THREAD_ID), sigevent(7')],
    child() {
      sigaction('SIGUSR1', () => {});
      timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', signal: 'SIGUSR1', threadId: host().gettid() }).settime({ value: 0.05 });
      pause();
      print('woken');
    },
    run: expectChild('woken | exit 0'),
  },
  {
    id: 'timer_create/sigev-none',
    title: 'SIGEV_NONE sends nothing; timer_gettime shows the time running down, then zero after expiry',
    references: [man('sigevent(7)', 'SIGEV_NONE: \'the progress of the timer can be monitored using timer_gettime\'')],
    run() {
      using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
      timer.settime({ value: { nsec: 20_000_000 } });
      const running = nsOf(timer.gettime().value);
      sleepSync(60);
      const after = timer.gettime();
      return {
        expected: 'running in (0, 20 ms]; after expiry zero',
        got: `running ${within(running, 1, 20e6, 'in (0, 20 ms]')}; after expiry ${isZero(after) ? 'zero' : JSON.stringify(after)}`,
      };
    },
  },
  {
    id: 'timer_settime/arm-read-deliver',
    title: 'per clock: relative, with old value, periodic and TIMER_ABSTIME 50 ms settings read back (interval exact, value ≤ 50 ms), deliver SIGALRM, never early',
    references: [man('timer_settime(2)'), man('timer_gettime(2)'), ltp('timer_settime01')],
    async child() {
      let delivered = 0;
      sigaction('SIGALRM', () => delivered++);
      const problems: string[] = [];
      for (const clock of LTP_CLOCKS) {
        for (const mode of ['relative', 'relative-old', 'periodic', 'absolute'] as const) {
          const timer = tryCreate(clock);
          if (timer === 'unsupported') continue;
          const periodNs = mode === 'periodic' ? 50e6 : 0;
          const expected = nsOf(clockGettime(clock)) + 50e6;
          const value = mode === 'absolute' ? { sec: Math.floor(expected / 1e9), nsec: expected % 1e9 } : { nsec: 50e6 };
          timer.settime({ value, interval: { nsec: periodNs } }, mode === 'absolute' ? TIMER_ABSTIME : 0);
          const read = timer.gettime();
          if (read.interval.nsec !== periodNs || read.value.nsec > 50e6 || read.value.sec !== 0) problems.push(`${clock} ${mode} read ${JSON.stringify(read)}`);
          for (let expiry = 0; expiry < (periodNs ? 2 : 1); expiry++) {
            const before = delivered;
            if (!(await until(() => delivered > before, 5000, CPU_CLOCKS.has(clock)))) problems.push(`${clock} ${mode} no signal`);
            const now = nsOf(clockGettime(clock));
            if (now < expected + expiry * periodNs) problems.push(`${clock} ${mode} early by ${expected + expiry * periodNs - now} ns`);
          }
          timer.delete();
        }
      }
      print(problems.length ? problems.join(', ') : 'all ok');
    },
    run: expectChild('all ok | exit 0', { timeoutMs: 60_000 }),
  },
  {
    id: 'timer_settime/einval',
    title: 'tv_nsec -1 or 1e9+1, an unused timer id, a deleted timer: EINVAL; nothing fires',
    references: [man('timer_settime(2)', 'ERRORS'), ltp('timer_settime02')],
    run() {
      using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
      const deleted = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
      deleted.delete();
      const spec = Buffer.alloc(32);
      spec.writeInt32LE(5, 16);
      const results = [
        outcomeOf(() => timer.settime({ value: { sec: 5, nsec: -1 } })),
        outcomeOf(() => timer.settime({ value: { sec: 5, nsec: 1e9 + 1 } })),
        host().timer_settime(UNUSED_ID, 0, spec, null) === -1 ? (host().errno() === constants.errno.EINVAL ? 'EINVAL' : `errno ${host().errno()}`) : 'returns 0',
        outcomeOf(() => deleted.settime({ value: 5 })),
      ];
      return { expected: 'EINVAL EINVAL EINVAL EINVAL; disarmed', got: `${results.join(' ')}; ${isZero(timer.gettime()) ? 'disarmed' : 'armed'}` };
    },
  },
  {
    id: 'timer_settime/zero-disarms',
    title: 'a zero it_value disarms (a SIGEV_SIGNAL timer); the old value is returned',
    references: [man('timer_settime(2)', '\'If new_value->it_value specifies a zero value, then the timer is disarmed\'')],
    serial: true,
    run() {
      using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'signal', signal: 'SIGALRM' });
      timer.settime({ value: 10 });
      const old = timer.settime({});
      return {
        expected: 'old value in (9 s, 10 s]; now disarmed',
        got: `old value ${within(nsOf(old.value), 9e9 + 1, 10e9, 'in (9 s, 10 s]')}; now ${timer.gettime().value.sec + timer.gettime().value.nsec === 0 ? 'disarmed' : 'armed'}`,
      };
    },
  },
  {
    id: 'timer_settime/absolute-in-the-past',
    title: 'TIMER_ABSTIME with a time already past expires at once',
    references: [man('timer_settime(2)', '\'If the specified absolute time has already passed, then the timer expires immediately\'')],
    run() {
      using timer = timerCreate('CLOCK_MONOTONIC', { notify: 'none' });
      const now = clockGettime('CLOCK_MONOTONIC');
      timer.settime({ value: { sec: now.sec - 1, nsec: now.nsec } }, TIMER_ABSTIME);
      return { expected: 'expired', got: isZero(timer.gettime()) ? 'expired' : JSON.stringify(timer.gettime()) };
    },
  },
  {
    id: 'timer_settime/overrun-capped',
    title: 'a 1 ns periodic timer armed ~3.07 s in the past reports timer_getoverrun() = INT_MAX, not a wrapped value',
    references: [man('timer_getoverrun(2)', '\'DELAYTIMER_MAX\''), ltp('timer_settime03', 'CVE-2018-12896')],
    child() {
      // LTP reads the count in the handler of the first signal. Here the signal goes to the
      // main thread, blocked, and sigtimedwait takes the first one: the re-armed 1 ns timer
      // keeps queueing, but no later signal is taken, so the count stays that of the first.
      sigprocmask('block', ['SIGUSR1']);
      const timer = timerCreate('CLOCK_REALTIME', { notify: 'thread-id', signal: 'SIGUSR1' });
      const resNs = nsOf(clockGetres('CLOCK_REALTIME'));
      const now = nsOf(clockGettime('CLOCK_REALTIME'));
      const start = now - (3 * resNs * 1e9 + 67_833_780);
      timer.settime({ value: { sec: Math.floor(start / 1e9), nsec: start % 1e9 }, interval: { nsec: resNs } }, TIMER_ABSTIME);
      const info = sigtimedwait(['SIGUSR1'], 5);
      const overrun = timer.getoverrun();
      timer.delete();
      print('overrun', overrun, 'siginfo overrun', info?.overrun);
    },
    run: expectChild(`overrun ${2 ** 31 - 1} siginfo overrun ${2 ** 31 - 1} | exit 0`),
  },
  {
    id: 'timer_getoverrun/counts-while-pending',
    title: 'expirations while the signal is blocked are counted as overruns of the one delivered signal',
    references: [man('timer_getoverrun(2)', '\'only a single signal is queued ... overrun count\'')],
    child() {
      sigprocmask('block', ['SIGUSR2']);
      const timer = timerCreate('CLOCK_MONOTONIC', { notify: 'thread-id', signal: 'SIGUSR2' });
      const started = performance.now();
      timer.settime({ value: { nsec: 1e6 }, interval: { nsec: 1e6 } });
      sleepSync(60);
      sigtimedwait(['SIGUSR2'], 1); // takes the one pending signal: its overrun is fixed now
      const elapsedMs = performance.now() - started;
      const overrun = timer.getoverrun();
      timer.delete();
      print('overrun', within(overrun, 20, Math.ceil(elapsedMs) + 2, 'about one per ms blocked'));
    },
    run: expectChild('overrun about one per ms blocked | exit 0'),
  },
  {
    id: 'timer_getoverrun/fresh-and-deleted',
    title: 'a new timer reports overrun 0 (≥ 0); after timer_delete, EINVAL',
    references: [man('timer_getoverrun(2)'), ltp('timer_getoverrun01')],
    run() {
      const timer = timerCreate('CLOCK_REALTIME', { notify: 'signal', signal: 'SIGALRM' });
      const fresh = outcomeOf(() => timer.getoverrun());
      timer.delete();
      return { expected: 'returns 0; EINVAL', got: `${fresh}; ${outcomeOf(() => timer.getoverrun())}` };
    },
  },
  {
    id: 'timer_gettime/fresh-and-bad-id',
    title: 'a never-armed timer reads as all zero; an unused timer id: EINVAL',
    references: [man('timer_gettime(2)'), ltp('timer_gettime01')],
    run() {
      using timer = timerCreate('CLOCK_REALTIME', { notify: 'signal', signal: 'SIGALRM' });
      const spec = Buffer.alloc(32);
      const bad = host().timer_gettime(UNUSED_ID, spec) === -1 && host().errno() === constants.errno.EINVAL ? 'EINVAL' : 'no error';
      return { expected: 'zero; EINVAL', got: `${isZero(timer.gettime()) ? 'zero' : JSON.stringify(timer.gettime())}; ${bad}` };
    },
  },
  {
    id: 'timer_delete/einval-and-disarms',
    title: 'timer_delete on an unused id and a second delete fail with EINVAL; a deleted armed timer never fires',
    references: [man('timer_delete(2)'), ltp('timer_delete02')],
    async child() {
      const timer = timerCreate('CLOCK_MONOTONIC');
      timer.settime({ value: 0.05 });
      timer.delete();
      const bad = host().timer_delete(UNUSED_ID) === -1 && host().errno() === constants.errno.EINVAL ? 'EINVAL' : 'no error';
      print(bad, outcomeOf(() => timer.delete()));
      // Had it not been deleted, SIGALRM (default action: terminate) would have come at 50 ms.
      await new Promise((resolve) => setTimeout(resolve, 300));
      print('alive');
    },
    run: expectChild('EINVAL EINVAL; alive | exit 0'),
  },
  {
    id: 'timer/cpu-clock-counts-cpu',
    title: 'a CLOCK_PROCESS_CPUTIME_ID timer does not expire while the process sleeps',
    references: [man('timer_create(2)'), man('clock_getres(2)', 'CLOCK_PROCESS_CPUTIME_ID')],
    run() {
      using timer = timerCreate('CLOCK_PROCESS_CPUTIME_ID', { notify: 'none' });
      timer.settime({ value: 0.5 });
      sleepSync(200);
      const slept = nsOf(timer.gettime().value);
      burnCpu(100);
      const busy = nsOf(timer.gettime().value);
      return {
        expected: 'after 200 ms asleep > 400 ms left; after 100 ms of CPU ≥ 50 ms less left',
        got: `after 200 ms asleep ${within(slept, 400e6, 500e6, '> 400 ms left')}; after 100 ms of CPU ${busy < slept - 50e6 ? '≥ 50 ms less left' : `${busy} ns left`}`,
      };
    },
  },
];

