/**
 * EVFILT_ALARM (an itimer extension): expirations of an `#alarm` device alarm bound to the
 * queue, `ident` the alarm id. The device posts them ({@link Kqueue.postAlarm}), which
 * creates the knote on the first expiration; `data` counts expirations since the last
 * retrieval (EV_CLEAR). There is nothing to attach, and `kevent()` does not register it.
 * @module
 */
import type { FilterOps } from '../knote.js';
import { counted, processCount } from '../knote.js';

/** EVFILT_ALARM's operations: a counter the device feeds. */
export const alarmFilter: FilterOps<undefined> = {
  attach() {},
  detach() {},
  event: counted,
  touch() {},
  process: processCount,
};
