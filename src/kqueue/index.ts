/**
 * kqueue-style event queues on the timer chain.
 * @module
 */
export {
  EV_ADD,
  EV_CLEAR,
  EV_DELETE,
  EV_DISABLE,
  EV_DISPATCH,
  EV_ENABLE,
  EV_EOF,
  EV_ERROR,
  EV_ONESHOT,
  EV_RECEIPT,
  EV_FORCEONESHOT,
  EV_KEEPUDATA,
  EVFILT_ALARM,
  EVFILT_SIGNAL,
  EVFILT_TIMER,
  EVFILT_USER,
  NOTE_ABSTIME,
  NOTE_FFAND,
  NOTE_FFCOPY,
  NOTE_FFCTRLMASK,
  NOTE_FFLAGSMASK,
  NOTE_FFNOP,
  NOTE_FFOR,
  NOTE_MSECONDS,
  NOTE_NSECONDS,
  NOTE_SECONDS,
  NOTE_TRIGGER,
  NOTE_USECONDS,
} from './constants.js';
export type { Kevent, KeventChange, KeventTimeout } from './kevent.js';
export { Kqueue, type KqueueOptions } from './kqueue.js';
