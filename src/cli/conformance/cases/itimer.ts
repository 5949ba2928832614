/**
 * setitimer(2) and getitimer(2) cases.
 * @module
 */
import type { Itimerval } from '../../../posix/index.js';
import { getitimer, pause, setitimer } from '../../../chain/itimer-real.js';
import { clockGetres, ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL, sigaction } from '../../../posix/index.js';
import type { ConformanceCase } from '../framework.js';
import { expectChild, burnCpu, outcomeOf, print, sleepSync, until, within, ltp, man } from '../framework.js';

const TIMERS = [
  { which: ITIMER_REAL, name: 'ITIMER_REAL', signal: 'SIGALRM' },
  { which: ITIMER_VIRTUAL, name: 'ITIMER_VIRTUAL', signal: 'SIGVTALRM' },
  { which: ITIMER_PROF, name: 'ITIMER_PROF', signal: 'SIGPROF' },
] as const;

/** One jiffy in µs: the resolution of CLOCK_MONOTONIC_COARSE, rounded up (LTP's time_step). */
function jiffyUsec(): number {
  const res = clockGetres('CLOCK_MONOTONIC_COARSE');
  return Math.ceil((res.sec * 1e9 + res.nsec) / 1000) || 1000;
}

function zero(value: Itimerval): boolean {
  return value.value.sec === 0 && value.value.usec === 0 && value.interval.sec === 0 && value.interval.usec === 0;
}

/**
 * LTP's read-back rule: the interval exactly as set; the value not above what was set,
 * except that CPU-time timers may read up to one jiffy above (they are armed one tick late).
 */
function readBackProblems(read: Itimerval, sec: number, usec: number, which: number): string[] {
  const margin = which === ITIMER_REAL ? 0 : jiffyUsec();
  const problems: string[] = [];
  if (read.interval.sec !== sec || read.interval.usec !== usec) problems.push(`interval ${read.interval.sec}.${read.interval.usec}`);
  const valueOk = read.value.sec === sec ? read.value.usec >= 0 && read.value.usec <= usec + margin : read.value.sec >= 0 && read.value.sec <= sec;
  if (!valueOk) problems.push(`value ${read.value.sec}.${read.value.usec} (margin ${margin} µs)`);
  return problems;
}

function setitimerOldValueCase(timer: (typeof TIMERS)[number]): ConformanceCase {
  return {
    id: `setitimer/old-value-and-delivery-${timer.name.slice(7).toLowerCase()}`,
    itimerReal: true,
    title: `${timer.name}: the old value comes back within LTP's tolerance; a periodic timer delivers >10 ${timer.signal}; with SIG_DFL the process dies by it`,
    references: [man('setitimer(2)'), ltp('setitimer01')],
    async child() {
      const step = jiffyUsec();
      const sec = 9 + Math.floor(step / 1000);
      const usec = 3 * step;
      setitimer(timer.which, { value: { sec, usec }, interval: { sec, usec } });
      const old = setitimer(timer.which, { value: { sec: 5 * sec, usec: 7 * usec }, interval: { sec: 5 * sec, usec: 7 * usec } });
      const problems = readBackProblems(old, sec, usec, timer.which);
      print('old value', problems.length ? problems.join(', ') : 'ok');
      let count = 0;
      sigaction(timer.signal, () => count++);
      setitimer(timer.which, { value: { usec }, interval: { usec } });
      const enough = await until(() => count > 10, 10_000, true);
      print('more than 10 signals', enough);
      sigaction(timer.signal, 'SIG_DFL');
      for (;;);
    },
    run: expectChild(`old value ok; more than 10 signals true | killed by ${timer.signal}`),
  };
}

export const itimerCases: ConformanceCase[] = [
  {
    id: 'getitimer/initially-zero',
    itimerReal: true,
    title: 'in a new process every interval timer reads as zero',
    references: [man('getitimer(2)'), ltp('getitimer01')],
    child() {
      print(TIMERS.map((t) => `${t.name} ${zero(getitimer(t.which)) ? 'zero' : JSON.stringify(getitimer(t.which))}`).join(', '));
    },
    run: expectChild('ITIMER_REAL zero, ITIMER_VIRTUAL zero, ITIMER_PROF zero | exit 0'),
  },
  {
    id: 'getitimer/read-back',
    itimerReal: true,
    title: 'after setitimer({100 s, 10000 µs}) getitimer gives the interval exactly and the value within LTP\'s tolerance',
    references: [man('getitimer(2)'), ltp('getitimer01')],
    serial: true,
    run() {
      const got = TIMERS.map((t) => {
        setitimer(t.which, { value: { sec: 100, usec: 10_000 }, interval: { sec: 100, usec: 10_000 } });
        const problems = readBackProblems(getitimer(t.which), 100, 10_000, t.which);
        setitimer(t.which, {});
        return `${t.name} ${problems.length ? problems.join(', ') : 'ok'}`;
      });
      return { expected: 'ITIMER_REAL ok, ITIMER_VIRTUAL ok, ITIMER_PROF ok', got: got.join(', ') };
    },
  },
  {
    id: 'getitimer/einval',
    itimerReal: true,
    title: 'an invalid which (-2, 3) fails with EINVAL',
    references: [man('getitimer(2)', 'ERRORS'), ltp('getitimer02')],
    run() {
      return { expected: 'EINVAL EINVAL', got: `${outcomeOf(() => getitimer(-ITIMER_PROF))} ${outcomeOf(() => getitimer(3))}` };
    },
  },
  ...TIMERS.map(setitimerOldValueCase),
  {
    id: 'setitimer/einval',
    itimerReal: true,
    title: 'invalid which, tv_usec ≥ 1e6, negative tv_usec, negative tv_sec: EINVAL, and nothing is armed',
    references: [man('setitimer(2)', 'ERRORS'), ltp('setitimer02')],
    serial: true,
    run() {
      const results = [
        () => setitimer(-ITIMER_PROF, { value: { sec: 30 } }),
        () => setitimer('real', { value: { usec: 1_000_000 } }),
        () => setitimer('real', { value: { usec: -1 } }),
        () => setitimer('real', { value: { sec: -1 } }),
        () => setitimer('real', { value: { sec: 1 }, interval: { usec: 1_000_000 } }),
      ].map(outcomeOf);
      const armed = !zero(getitimer('real'));
      setitimer('real', {});
      return {
        expected: 'EINVAL EINVAL EINVAL EINVAL EINVAL; ITIMER_REAL zero',
        got: `${results.join(' ')}; ITIMER_REAL ${armed ? 'armed' : 'zero'}`,
      };
    },
  },
  {
    id: 'setitimer/returns-remaining',
    itimerReal: true,
    title: 'disarming returns the remaining time of the previous setting and its interval',
    references: [man('setitimer(2)', '\'old_value ... the previous value of the timer\'')],
    serial: true,
    run() {
      setitimer('real', { value: { sec: 10 }, interval: { sec: 3, usec: 250 } });
      const old = setitimer('real', {});
      return {
        expected: 'value in [9.9 s, 10 s], interval 3 s 250 µs',
        got: `value ${within(old.value.sec + old.value.usec / 1e6, 9.9, 10, 'in [9.9 s, 10 s]')}, interval ${old.interval.sec} s ${old.interval.usec} µs`,
      };
    },
  },
  {
    id: 'setitimer/zero-value-disarms',
    itimerReal: true,
    title: 'a zero it_value disarms the timer; the interval is not kept',
    references: [man('setitimer(2)', '\'If both fields in new_value.it_value are zero, then the timer is disarmed\'')],
    serial: true,
    run() {
      setitimer('real', { value: { sec: 0 }, interval: { sec: 1 } });
      const read = getitimer('real');
      return { expected: 'zero', got: zero(read) ? 'zero' : JSON.stringify(read) };
    },
  },
  {
    id: 'setitimer/one-shot-expires',
    itimerReal: true,
    title: 'a one-shot ITIMER_REAL delivers SIGALRM once and then reads as zero',
    references: [man('setitimer(2)', '\'If both fields in new_value.it_interval are zero, the timer expires just once\'')],
    child() {
      sigaction('SIGALRM', () => {});
      setitimer('real', { value: { usec: 50_000 } });
      pause();
      print('after expiry', zero(getitimer('real')) ? 'zero' : JSON.stringify(getitimer('real')));
    },
    run: expectChild('after expiry zero | exit 0'),
  },
  {
    id: 'setitimer/virtual-counts-cpu-only',
    title: 'ITIMER_VIRTUAL does not run down while the process sleeps; it does while it computes',
    references: [man('setitimer(2)', 'ITIMER_VIRTUAL: \'counts down against the user-mode CPU time consumed by the process\'')],
    child() {
      const leftUs = () => {
        const { sec, usec } = getitimer('virtual').value;
        return sec * 1e6 + usec;
      };
      setitimer('virtual', { value: { sec: 10 } });
      const before = leftUs();
      sleepSync(300);
      const slept = leftUs();
      // Compute until the timer has run down 150 ms (at most 5 s of wall time): the kernel's
      // tick-sampled user time lags rusage's on a loaded VM, so a fixed burn is no measure.
      const end = performance.now() + 5000;
      while (slept - leftUs() < 150_000 && performance.now() < end) burnCpu(10);
      const usedWhileBusy = slept - leftUs();
      setitimer('virtual', {});
      print('sleeping 300 ms used', within(before - slept, 0, 100_000, '< 100 ms'));
      print('computing used', usedWhileBusy >= 150_000 ? '> 150 ms within 5 s' : `${usedWhileBusy} µs in 5 s`);
    },
    run: expectChild('sleeping 300 ms used < 100 ms; computing used > 150 ms within 5 s | exit 0'),
  },
];
