/**
 * clock_gettime(2), clock_getres(2) and prctl(2) timer-slack cases.
 * @module
 */
import { clockGetres, clockGettime, getTimerSlack, setTimerSlack } from '../../../posix/index.js';
import type { ConformanceCase } from '../framework.js';
import { expectChild, outcomeOf, print, man } from '../framework.js';

export const clockCases: ConformanceCase[] = [
  {
    id: 'clock_gettime/monotonic-and-einval',
    title: 'CLOCK_MONOTONIC never goes backwards; nsec is in [0, 1e9); an invalid clock id is EINVAL',
    references: [man('clock_gettime(2)')],
    run() {
      let previous = clockGettime('CLOCK_MONOTONIC');
      let problems = 0;
      for (let i = 0; i < 10_000; i++) {
        const now = clockGettime('CLOCK_MONOTONIC');
        if (now.nsec < 0 || now.nsec >= 1e9 || now.sec < previous.sec || (now.sec === previous.sec && now.nsec < previous.nsec)) problems++;
        previous = now;
      }
      return { expected: '0 problems; EINVAL EINVAL', got: `${problems} problems; ${outcomeOf(() => clockGettime(24))} ${outcomeOf(() => clockGetres(24))}` };
    },
  },
  {
    id: 'clock_getres/resolutions',
    title: 'high-resolution clocks report 1 ns; the _COARSE clocks one jiffy (1/HZ, 1 ms to 10 ms)',
    references: [man('clock_getres(2)'), man('time(7)')],
    run() {
      const fine = (['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_BOOTTIME'] as const).map((c) => clockGetres(c));
      const coarse = clockGetres('CLOCK_MONOTONIC_COARSE');
      const jiffyNs = coarse.sec * 1e9 + coarse.nsec;
      return {
        expected: '1 ns 1 ns 1 ns; coarse a jiffy',
        got: `${fine.map((r) => `${r.sec * 1e9 + r.nsec} ns`).join(' ')}; coarse ${jiffyNs >= 1e6 && jiffyNs <= 1e7 ? 'a jiffy' : `${jiffyNs} ns`}`,
      };
    },
  },
  {
    id: 'prctl/timer-slack',
    title: 'a new thread starts with the default 50 µs slack; PR_SET_TIMERSLACK 1 reads back 1; 0 restores the default',
    references: [man('prctl(2)', 'PR_SET_TIMERSLACK, PR_GET_TIMERSLACK')],
    child() {
      const initial = getTimerSlack();
      setTimerSlack(1);
      const one = getTimerSlack();
      setTimerSlack(0);
      print(initial, one, getTimerSlack(), outcomeOf(() => setTimerSlack(2 ** 31)));
    },
    run: expectChild('50000 1 50000 RangeError ERR_OUT_OF_RANGE | exit 0'),
  },
];
