/**
 * `timerfd`: timerfd_create(CLOCK_MONOTONIC) armed with an absolute deadline
 * (TFD_TIMER_ABSTIME), so it can never fire early; expiry makes the fd readable, watched
 * by libuv on the event loop. No signal is involved.
 * @module
 */
import { checked, hotPathCalls, watchReadable } from '../host/index.js';
import type { HostCalls, PollWatcher } from '../host/index.js';
import { CLOCK_MONOTONIC, TIMER_ABSTIME } from '../posix/index.js';
import { structBuffer, writeItimerRaw } from '../posix/structs.js';
import { ORIGIN_SEC } from './time.js';
import { requireMainThread } from '../posix/validate.js';
import type { AlarmBackend } from './types.js';

const TFD_NONBLOCK = 0o4000;
const TFD_CLOEXEC = 0o2000000;

/** Creates the timerfd backend. */
export function timerfdBackend(): AlarmBackend {
  let fd = -1;
  let calls: HostCalls;
  let watcher: PollWatcher | undefined;
  const spec = structBuffer('itimerspec');
  const expirations = Buffer.alloc(8);
  return {
    name: 'timerfd',
    absolute: true,
    description: 'timerfd_create(CLOCK_MONOTONIC), absolute deadlines; the fd is polled on the event loop; no signal',
    start(onAlarm) {
      requireMainThread(`The 'timerfd' backend`);
      calls = hotPathCalls();
      fd = checked(calls.timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), 'timerfd_create', calls);
      watcher = watchReadable(fd, () => {
        calls.read(fd, expirations, 8); // drain; EAGAIN after a re-arm is harmless
        onAlarm();
      });
    },
    stop() {
      watcher?.close();
      watcher = undefined;
      if (fd >= 0) calls.close(fd);
      fd = -1;
    },
    rearm(targetNs) {
      const wholeSec = Math.floor(targetNs / 1e9);
      writeItimerRaw(spec, ORIGIN_SEC + wholeSec, targetNs - wholeSec * 1e9);
      checked(calls.timerfd_settime(fd, TIMER_ABSTIME, spec, null), 'timerfd_settime', calls);
    },
    disarm() {
      writeItimerRaw(spec, 0, 0);
      checked(calls.timerfd_settime(fd, 0, spec, null), 'timerfd_settime', calls);
    },
  };
}
