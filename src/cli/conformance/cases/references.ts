/**
 * Expectations of other reference suites than LTP: CPython's test_signal and FreeBSD's
 * kqueue (sys/kern/kern_event.c and tests/sys/kqueue), checked against this library here.
 * @module
 */
import { setitimer } from '../../../chain/index.js';
import { sigaction } from '../../../posix/index.js';
import { EV_ADD, EV_DISABLE, EV_ENABLE, EV_ERROR, EVFILT_TIMER, EVFILT_USER, Kqueue, NOTE_ABSTIME, NOTE_MSECONDS } from '../../../kqueue/index.js';
import type { ConformanceCase } from '../framework.js';
import { expectChild, print, source, until } from '../framework.js';

export const referenceCases: ConformanceCase[] = [
  {
    id: 'setitimer/tiny-value-arms',
    title: 'a positive value below 1 µs arms the timer (rounded up to 1 µs), never disarms it',
    references: [source('CPython', 'test_signal ItimerTest.test_setitimer_tiny', 'bpo-30807', 'Lib/test/test_signal.py')],
    itimerReal: true,
    child: async () => {
      let handled = false;
      sigaction('SIGALRM', () => (handled = true));
      setitimer('real', { value: 1e-7 });
      print('handler ran', await until(() => handled, 2000));
    },
    run: expectChild('handler ran true | exit 0'),
  },
  {
    id: 'kqueue/abstime-no-auto-clear',
    title: 'a fired NOTE_ABSTIME timer has no automatic EV_CLEAR: it is reported on every scan until deleted',
    references: [source('FreeBSD', 'filt_timerattach', 'EV_CLEAR only when NOTE_ABSTIME is not set', 'sys/kern/kern_event.c')],
    async run() {
      using kq = new Kqueue();
      await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, fflags: NOTE_ABSTIME | NOTE_MSECONDS, data: Date.now() + 20 }]);
      const first = await kq.kevent([], 1, { sec: 2, nsec: 0 });
      const second = await kq.kevent([], 1, { sec: 0, nsec: 0 });
      const describe = (events: { data: number; flags: number; fflags: number }[]) => events.map((e) => `data ${e.data} flags ${e.flags} fflags ${e.fflags}`).join(',') || 'nothing';
      return { expected: 'data 1 flags 0 fflags 0; again data 1 flags 0 fflags 0', got: `${describe(first)}; again ${describe(second)}` };
    },
  },
  {
    id: 'kqueue/enable-and-disable-einval',
    title: 'EV_ENABLE together with EV_DISABLE is EINVAL, and adds nothing',
    references: [source('FreeBSD', 'kqueue_register', 'EV_ENABLE | EV_DISABLE', 'sys/kern/kern_event.c')],
    async run() {
      using kq = new Kqueue();
      const [entry] = await kq.kevent([{ ident: 1, filter: EVFILT_USER, flags: EV_ADD | EV_ENABLE | EV_DISABLE }], 1);
      return { expected: `flags ${EV_ERROR} data 22`, got: `flags ${entry?.flags} data ${entry?.data}` };
    },
  },
];
