/**
 * The filters `kevent()` registers, by number (FreeBSD's `sysfilt_ops`): EVFILT_TIMER,
 * EVFILT_USER, EVFILT_SIGNAL. Any other filter is EINVAL. (EVFILT_ALARM's knotes are made by
 * the `#alarm` device through {@link Kqueue.postAlarm}, never by a change.)
 * @module
 */
import { EVFILT_SIGNAL, EVFILT_TIMER, EVFILT_USER } from '../constants.js';
import type { FilterOps } from '../knote.js';
import { signalFilter } from './signal.js';
import { timerFilter } from './timer.js';
import { userFilter } from './user.js';

/** The registrable filters' operations. */
export const FILTERS: ReadonlyMap<number, FilterOps> = new Map<number, FilterOps>([
  [EVFILT_TIMER, timerFilter],
  [EVFILT_USER, userFilter],
  [EVFILT_SIGNAL, signalFilter],
]);

export { alarmFilter } from './alarm.js';
