/**
 * `dynticks`: a one-shot POSIX timer (timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL)) as in
 * QEMU. QEMU's dynticks re-arms only when the kernel timer would not already fire soon
 * enough, asking the kernel with `timer_gettime`; the chain now makes that check for every
 * backend from what it armed last, without the syscall.
 *
 * The signal is SIGURG rather than QEMU's SIGALRM: its default action is to ignore, so an
 * expiry racing with `stop()` can never kill the process, and SIGALRM stays free for
 * alarm(2) and its users.
 * @module
 */
import { checked, hotPathCalls } from '../host/index.js';
import type { PosixTimer } from '../posix/index.js';
import { timerCreate } from '../posix/index.js';
import { addLibraryListener, removeLibraryListener } from '../posix/signals.js';
import { structBuffer, writeItimerRaw } from '../posix/structs.js';
import { requireMainThread } from '../posix/validate.js';
import type { AlarmBackend } from './types.js';

const SIGNAL = 'SIGURG';

/** Creates the dynticks backend. */
export function dynticksBackend(): AlarmBackend {
  let timer: PosixTimer | undefined;
  let listener: (() => void) | undefined;
  const next = structBuffer('itimerspec'); // reused: the rearm path allocates nothing
  return {
    name: 'dynticks',
    description: `timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL ${SIGNAL}), one-shot, relative`,
    signal: SIGNAL,
    start(onAlarm) {
      requireMainThread(`The 'dynticks' backend`);
      timer = timerCreate('CLOCK_MONOTONIC', { notify: 'signal', signal: SIGNAL });
      listener = onAlarm;
      addLibraryListener(SIGNAL, listener);
    },
    stop() {
      timer?.delete();
      timer = undefined;
      if (listener) removeLibraryListener(SIGNAL, listener);
      listener = undefined;
    },
    rearm(_targetNs, deltaNs) {
      const wholeSec = Math.floor(deltaNs / 1e9);
      writeItimerRaw(next, wholeSec, Math.max(deltaNs - wholeSec * 1e9, 1)); // 0 would disarm
      const calls = hotPathCalls();
      checked(calls.timer_settime(timer!.id, 0, next, null), 'timer_settime', calls);
    },
    disarm() {
      timer!.settime({});
    },
  };
}
