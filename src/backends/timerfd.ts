/**
 * `timerfd`: timerfd_create(CLOCK_MONOTONIC) armed with an absolute deadline
 * (TFD_TIMER_ABSTIME), so it can never fire early; expiry makes the fd readable, watched
 * by libuv on the event loop (koffi's poll watcher, through the dispatch path's wake guard).
 * No signal is involved, and the fd is its only resource. The timerfd itself is the posix
 * layer's wrapper (posix/timerfd), whose arming and reading allocate nothing.
 * @module
 */
import { watchReadable } from '../host/index.js';
import type { PollWatcher } from '../host/index.js';
import { CLOCK_MONOTONIC } from '../posix/index.js';
import { TimerFd } from '../posix/timerfd.js';
import { requireMainThread } from '../posix/validate.js';
import { ORIGIN_SEC } from './time.js';
import type { AlarmBackend } from './types.js';

/** Creates the timerfd backend. */
export function timerfdBackend(): AlarmBackend {
  let timerfd: TimerFd | undefined;
  let watcher: PollWatcher | undefined;
  return {
    name: 'timerfd',
    absolute: true,
    description: 'timerfd_create(CLOCK_MONOTONIC), absolute deadlines; the fd is polled on the event loop; no signal',
    start(onAlarm) {
      requireMainThread(`The 'timerfd' backend`);
      const created = new TimerFd(CLOCK_MONOTONIC);
      watcher = watchReadable(created.fd, () => {
        try {
          created.read(); // drain; 0 after a re-arm took the expiry is harmless
        } catch {
          // a broken fd: the chain's re-arm after this wake-up fails too, and it recovers there
        }
        onAlarm();
      });
      timerfd = created;
    },
    stop() {
      watcher?.close();
      watcher = undefined;
      timerfd?.close();
      timerfd = undefined;
    },
    rearm(targetNs) {
      const wholeSec = Math.floor(targetNs / 1e9);
      timerfd!.setAbsolute(ORIGIN_SEC + wholeSec, targetNs - wholeSec * 1e9);
    },
    disarm() {
      timerfd!.disarm();
    },
  };
}
