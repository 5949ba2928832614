/**
 * `dynticks`: a one-shot POSIX timer (timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL)) as in
 * QEMU, re-armed only when the kernel timer would not already fire soon enough.
 *
 * The signal is SIGURG rather than QEMU's SIGALRM: its default action is to ignore, so an
 * expiry racing with `stop()` can never kill the process, and SIGALRM stays free for
 * alarm(2) and its users.
 * @module
 */
import { checked, host, layoutsFor } from '../host/index.js';
import type { PosixTimer } from '../posix/index.js';
import { timerCreate } from '../posix/index.js';
import { readInt64, structBuffer, writeInt64 } from '../posix/structs.js';
import type { AlarmBackend } from './types.js';

const SIGNAL = 'SIGURG';

/** Creates the dynticks backend. */
export function dynticksBackend(): AlarmBackend {
  let timer: PosixTimer | undefined;
  let listener: (() => void) | undefined;
  // Raw buffers: the rearm path runs on every head change.
  const current = structBuffer('itimerspec');
  const next = structBuffer('itimerspec');
  const valueAt = layoutsFor().itimerspec.fields.it_value.offset;
  return {
    name: 'dynticks',
    description: `timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL ${SIGNAL}), one-shot, re-armed only when the kernel timer is not already due sooner`,
    signal: SIGNAL,
    start(onAlarm) {
      timer = timerCreate('CLOCK_MONOTONIC', { notify: 'signal', signal: SIGNAL });
      listener = onAlarm;
      process.on(SIGNAL, listener);
    },
    stop() {
      timer?.delete();
      timer = undefined;
      if (listener) process.removeListener(SIGNAL, listener);
      listener = undefined;
    },
    rearm(_targetNs, deltaNs) {
      const id = timer!.id;
      checked(host().timer_gettime(id, current), 'timer_gettime');
      const pendingNs = readInt64(current, valueAt) * 1e9 + readInt64(current, valueAt + 8);
      if (pendingNs > 0 && pendingNs <= deltaNs) return; // QEMU: already fires sooner
      writeInt64(next, valueAt, Math.floor(deltaNs / 1e9));
      writeInt64(next, valueAt + 8, deltaNs % 1e9);
      checked(host().timer_settime(id, 0, next, null), 'timer_settime');
    },
    disarm() {
      timer!.settime({});
    },
  };
}
