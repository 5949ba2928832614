/**
 * `itimer/kqueue`: BSD kqueue event queues on the timer chain — `kevent()` with EVFILT_TIMER,
 * EVFILT_USER and EVFILT_SIGNAL and FreeBSD's flags and semantics (docs/events.md).
 *
 * ```ts
 * import { Kqueue, EV_ADD, EVFILT_TIMER } from 'itimer/kqueue';
 * const kq = new Kqueue();
 * await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD, data: 100 }]); // every 100 ms
 * const [event] = await kq.kevent([], 1); // { ident: 1, filter: EVFILT_TIMER, data: expirations, … }
 * kq.close();
 * ```
 * @module
 */
export * from './kqueue/index.js';
