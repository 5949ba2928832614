/**
 * Noticing every set of the wall clock (CLOCK_REALTIME), forwards or backwards — what a read
 * that goes back (QEMU's own test) misses when the clock is set forwards.
 *
 * How: one CLOCK_REALTIME timerfd armed at an absolute time no process will see, with
 * TFD_TIMER_CANCEL_ON_SET, and watched for readability on the event loop. The kernel makes it
 * readable when the clock is set, and its `read` then fails with ECANCELED; the cancel-on-set
 * mark stays, so the next set is noticed too without re-arming. Costs one fd and one poll
 * handle while watched, nothing per read of the clock. Main thread only (the poll handle).
 * @module
 */
import { isSyscallError, watchReadable } from '../host/index.js';
import { CLOCK_REALTIME } from '../posix/index.js';
import { TimerFd } from '../posix/timerfd.js';

/** Far beyond any wall time a process sees (the kernel saturates it to its range). */
const NEVER_SEC = 2 ** 40;

/** A running watch; {@link ClockSetWatch.close} releases its fd and poll handle. */
export interface ClockSetWatch {
  /** Stops watching and closes the timerfd. */
  close(): void;
}

/**
 * Calls `onSet` from the event loop after each set of CLOCK_REALTIME. All or nothing: if the
 * timerfd cannot be created, armed or watched, nothing stays open and the error propagates.
 * @throws Error the errno error of timerfd_create (`EMFILE`, `ENFILE`, `ENOMEM`) or of
 *   timerfd_settime.
 */
export function watchClockSet(onSet: () => void): ClockSetWatch {
  const tfd = new TimerFd(CLOCK_REALTIME, { cancelOnSet: true });
  try {
    tfd.setAbsolute(NEVER_SEC, 0);
    const watcher = watchReadable(tfd.fd, () => {
      if (wasSet(tfd)) onSet();
    });
    return {
      close() {
        watcher.close();
        tfd.close();
      },
    };
  } catch (error) {
    tfd.close();
    throw error;
  }
}

/** Drains the timerfd: true if it reports a set of its clock (ECANCELED). */
function wasSet(tfd: TimerFd): boolean {
  try {
    tfd.read(); // an expiry of the far timer, or nothing: not a set
    return false;
  } catch (error) {
    if (isSyscallError(error) && error.code === 'ECANCELED') return true;
    throw error;
  }
}
