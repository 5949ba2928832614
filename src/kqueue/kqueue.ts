/**
 * kqueue(2)-style event queues on the timer chain: `kevent()` with BSD names, values and
 * semantics. This module is the queue — FreeBSD's `kqueue_register`, `kqueue_scan` and the
 * wait — the same for every filter; what each filter does is its table of operations
 * (`filters/`: EVFILT_TIMER, EVFILT_USER, EVFILT_SIGNAL, and the `#alarm` device's
 * EVFILT_ALARM), as FreeBSD's `filterops`.
 *
 * A queue holds *knotes*, one per (ident, filter). A knote that fires becomes active and
 * is queued once; its `data` accumulates (timer expirations, signal deliveries) until it
 * is retrieved. `kevent(changes, nevents, timeout)` first applies the changes in order —
 * an error, or any change with EV_RECEIPT, is posted as an EV_ERROR entry with `data` the
 * errno, and the call then returns those entries without waiting (kern_kevent). With no
 * room left for an entry (`nevents` reached) the change list stops at that change, the
 * later ones unapplied (FreeBSD `kqueue_kevent`): an error fails the call, a receipt ends
 * it returning no entries (FreeBSD's count of 0 on that path). Otherwise the call collects up to
 * `nevents` active knotes, waiting for one as long as `timeout` allows (absent or null, or a
 * `sec` beyond INT32_MAX as FreeBSD's `kqueue_scan`: forever; `{ sec: 0, nsec: 0 }`: not at
 * all), the wait measured on the chain — beyond its 52 days in hops ({@link LongTimer}).
 *
 * Delivery: EV_ONESHOT deletes the knote, EV_DISPATCH disables it, EV_CLEAR resets its
 * state (the filter's `process`). A disabled knote keeps counting and is queued again when
 * enabled with something to report.
 *
 * Where the DragonFly seed is silent, FreeBSD's `sys/kern/kern_event.c` decides: returned
 * events carry the flags stored at EV_ADD (EV_RECEIPT, EV_ONESHOT, EV_CLEAR, EV_DISPATCH
 * included; only EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_FORCEONESHOT and
 * EV_KEEPUDATA are stripped); every modification replaces `udata` unless it has
 * EV_KEEPUDATA; EV_ENABLE with EV_DISABLE is EINVAL; EV_ADD with EV_DELETE on a new knote
 * adds it.
 *
 * Input: every change is checked against the C types of `struct kevent` (`kevent.ts`)
 * before any is applied: a value C could not hold rejects the call with a Node-style error
 * and changes nothing. A change C can hold but the kernel refuses gets the kernel's errno,
 * as an EV_ERROR entry. Creating a knote is all or nothing (the filter's `attach`).
 *
 * Invariants: a knote is in `#active` exactly when it is enabled and its filter has
 * something to report (`event`), until retrieved; a waiting call keeps the process alive,
 * as a process blocked in kevent(2) is (registered timers alone do not).
 * @module
 */
import { constants } from 'node:os';
import { isSyscallError, syscallError } from '../host/index.js';
import { nodeClearInterval, nodeSetInterval } from '../runtime/node-timers.js';
import { C_LIMITS, invalidArgType, requireMainThread, validateInteger, validateObject } from '../posix/validate.js';
import { EV_ADD, EV_CHANGE_ONLY, EV_CLEAR, EV_DELETE, EV_DISABLE, EV_DISPATCH, EV_ENABLE, EV_ERROR, EV_KEEPUDATA, EV_ONESHOT, EV_RECEIPT, EVFILT_ALARM, EVFILT_SIGNAL } from './constants.js';
import type { CheckedChange, Kevent, KeventChange, KeventTimeout } from './kevent.js';
import { checkChange, timeoutNs } from './kevent.js';
import type { Knote, KnoteQueue } from './knote.js';
import { alarmFilter, FILTERS } from './filters/index.js';
import { LongTimer } from './long-timer.js';


/** Options of a queue. */
export interface KqueueOptions {
  /** Timers across all queues before EV_ADD fails with ENOMEM (default 4096, DragonFly's kq_calloutmax). */
  maxTimers?: number;
}

const keyOf = (ident: number, filter: number) => `${filter}:${ident}`;

/** Run when a queue closes: the `#alarm` device (a layer above) forgets it there. */
const closeHooks: ((queue: Kqueue) => void)[] = [];

/** @internal Registers `hook`, run with each Kqueue as it closes. */
export function onKqueueClose(hook: (queue: Kqueue) => void): void {
  closeHooks.push(hook);
}

/**
 * A kevent-style event queue. Close it (or `using`) to release its timers and signal listeners.
 * @example
 * ```js
 * import { EV_ADD, EV_ONESHOT, EVFILT_TIMER, Kqueue } from 'itimer';
 * const kq = new Kqueue();
 * await kq.kevent([{ ident: 1, filter: EVFILT_TIMER, flags: EV_ADD | EV_ONESHOT, data: 5 }]); // 5 ms
 * const [event] = await kq.kevent([], 1); // waits for it
 * console.log(event.ident, event.data); // 1 1
 * kq.close();
 * ```
 */
export class Kqueue implements Disposable, AsyncIterable<Kevent> {
  readonly #knotes = new Map<string, Knote>();
  /** Active knotes in the order they became active. */
  readonly #active = new Set<Knote>();
  readonly #waiters: (() => void)[] = [];
  /** What the knotes see of this queue (their `kq`). */
  readonly #kq: KnoteQueue;
  #closed = false;

  /**
   * A new, empty queue.
   * @param options `maxTimers`: once this many timer knotes exist across all queues, an EV_ADD
   *   of a new timer on this queue fails with `ENOMEM`; an integer from 0 to 2 147 483 647,
   *   default 4096.
   * @throws TypeError ERR_INVALID_ARG_TYPE if options is not a plain object, or `maxTimers` is
   *   given and not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if `maxTimers` is not an integer from 0 to 2 147 483 647.
   */
  constructor(options: KqueueOptions = {}) {
    validateObject(options, 'options');
    const given = options.maxTimers; // read once
    const maxTimers = given === undefined ? 4096 : validateInteger(given, 'options.maxTimers', 0, C_LIMITS.INT_MAX);
    this.#kq = { maxTimers, activate: (kn) => this.#activate(kn), deactivate: (kn) => this.#active.delete(kn) };
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Applies `changes`, then returns up to `nevents` events, waiting as `timeout` says.
   * @param changes The changes to apply, in order: `ident` and `filter`, and `flags`, `fflags`,
   *   `data` (0 when missing) and `udata`. Every one is checked before any is applied, as is
   *   (in a Worker) that none adds an EVFILT_SIGNAL knote.
   * @param nevents The most entries to return, an integer from 0 to 2 147 483 647 (default 0:
   *   apply the changes and return at once).
   * @param timeout How long to wait when no event is active: `{ sec, nsec }` (`{ sec: 0, nsec: 0 }`
   *   does not wait, and a `sec` beyond 2 147 483 647 waits forever, as FreeBSD's); absent or
   *   null waits until an event or close.
   * @returns (a promise of) the entries: when a change failed or had EV_RECEIPT, only their
   *   EV_ERROR entries (`data` the errno, 0 for a receipt), without waiting; otherwise up to
   *   nevents active events in the order they became active, none if the timeout passed.
   *   When a receipt finds no room left (nevents entries written, or nevents 0), the call ends
   *   there returning none (FreeBSD's kevent returns 0 then), and the changes after it are
   *   not applied.
   * @throws Error (rejects) a change's errno, with syscall `kevent`, when there is no room left
   *   for its EV_ERROR entry: `EINVAL` (EV_ENABLE with EV_DISABLE; a filter other than
   *   EVFILT_TIMER, EVFILT_USER and EVFILT_SIGNAL; timer `fflags` other than one unit and
   *   NOTE_ABSTIME, or negative timer `data`; a signal Node.js cannot listen to), `ENOENT` (no
   *   such knote and no EV_ADD), `ENOMEM` (the timer limit); the changes before it stay applied,
   *   the ones after it are not applied.
   * @throws Error (rejects) `EBADF` (kevent) if the queue is closed, before or while waiting.
   * @throws Error (rejects) `EINVAL` (kevent) if the timeout has a negative `sec` or `nsec`, or an
   *   `nsec` of 1 000 000 000 or more, before any change is applied.
   * @throws TypeError (rejects) ERR_INVALID_ARG_TYPE if changes is not an array, a change is not a
   *   plain object, timeout is neither a plain object nor null, or nevents, a change's field
   *   (`ident` and `filter` are required) or a timeout field (both required) is not a number.
   * @throws RangeError (rejects) ERR_OUT_OF_RANGE if nevents or a timeout field is not an integer
   *   in its range, or a change's field is not one of its C type: `ident` 0 to 2^53 − 1, `filter`
   *   a short, `flags` a u_short, `fflags` −2^31 to 2^32 − 1, `data` an int64 (−2^63 to 2^63 − 1;
   *   a timer value too large for the host is no error: see EVFILT_TIMER in docs/events.md).
   * @throws Error (rejects) ERR_ITIMER_MAIN_THREAD_ONLY if a change is an EV_ADD of
   *   EVFILT_SIGNAL and this is a Worker, before any change is applied.
   */
  async kevent(changes: readonly KeventChange[] = [], nevents = 0, timeout?: KeventTimeout): Promise<Kevent[]> {
    if (this.#closed) throw syscallError(constants.errno.EBADF, 'kevent');
    if (!Array.isArray(changes)) throw invalidArgType('changes', 'an array of kevents', changes);
    validateInteger(nevents, 'nevents', 0, C_LIMITS.INT_MAX);
    const waitNs = timeoutNs(timeout);
    const checked = Array.from(changes, checkChange); // all of them (holes too) before any is applied
    // Signal delivery is the main thread's: refuse the whole call before any change is applied.
    if (checked.some((change) => change.filter === EVFILT_SIGNAL && change.flags & EV_ADD)) requireMainThread('EVFILT_SIGNAL (listening to a signal)');
    const out: Kevent[] = [];
    for (const change of checked) {
      let errno = 0;
      try {
        this.#register(change);
      } catch (error) {
        if (!isSyscallError(error)) throw error;
        errno = -error.errno;
      }
      if (errno || change.flags & EV_RECEIPT) {
        // No room for the entry: as FreeBSD's kqueue_kevent (under kern_kevent_generic), the
        // change list stops here, the later changes unapplied; the call fails with the error,
        // or, for a receipt, ends returning 0 entries (the count is set only after the list).
        if (out.length >= nevents) {
          if (errno) throw syscallError(errno, 'kevent');
          return [];
        }
        out.push({ ident: change.ident, filter: change.filter, flags: EV_ERROR, fflags: change.fflags, data: errno, udata: change.udata });
      }
    }
    if (out.length > 0 || nevents === 0) return out;
    if (this.#active.size === 0 && waitNs !== 0) await this.#wait(waitNs);
    if (this.#closed) throw syscallError(constants.errno.EBADF, 'kevent');
    return this.#collect(nevents);
  }

  /**
   * Waits until a knote is active, the timeout passes, or the queue closes. Like a process
   * blocked in kevent(2), a waiting call keeps the process alive (knote timers alone do not).
   */
  #wait(waitNs: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      // Forever: a Node interval holds the loop (it never fires: 2^31 - 1 ms). Timed: the ref'd timeout does.
      const keepAlive = waitNs === undefined ? nodeSetInterval(() => {}, 2 ** 31 - 1) : undefined;
      let timeout: LongTimer | undefined;
      const wake = () => {
        timeout?.cancel();
        nodeClearInterval(keepAlive);
        const index = this.#waiters.indexOf(wake);
        if (index >= 0) this.#waiters.splice(index, 1);
        resolve();
      };
      if (waitNs !== undefined) {
        timeout = new LongTimer(wake, true);
        timeout.start(waitNs, 0);
      }
      this.#waiters.push(wake);
    });
  }

  /** Returns up to `nevents` active knotes' events, in the order they became active (`kqueue_scan`). */
  #collect(nevents: number): Kevent[] {
    const out: Kevent[] = [];
    const stillReady: Knote[] = [];
    for (const kn of [...this.#active]) {
      if (out.length >= nevents) break;
      this.#active.delete(kn);
      out.push(kn.fop.process(kn));
      if (kn.flags & EV_ONESHOT) this.#drop(kn);
      else {
        if (kn.flags & EV_DISPATCH) kn.enabled = false;
        if (kn.enabled && kn.fop.event(kn)) stillReady.push(kn); // level-triggered: still ready
      }
    }
    for (const kn of stillReady) this.#active.add(kn);
    return out;
  }

  /** Queues `kn` (KNOTE_ACTIVATE) unless it is disabled or queued, and wakes a waiting call. */
  #activate(kn: Knote): void {
    if (!kn.enabled || this.#active.has(kn)) return;
    this.#active.add(kn);
    this.#waiters[0]?.();
  }

  /** Applies one checked change (`kqueue_register`). @throws its errno error. */
  #register(change: CheckedChange): void {
    const { ident, filter, flags } = change;
    if ((flags & (EV_ENABLE | EV_DISABLE)) === (EV_ENABLE | EV_DISABLE)) throw syscallError(constants.errno.EINVAL, 'kevent');
    const fop = FILTERS.get(filter);
    if (!fop) throw syscallError(constants.errno.EINVAL, 'kevent');
    const key = keyOf(ident, filter);
    let kn = this.#knotes.get(key);
    if (!kn) {
      if (!(flags & EV_ADD)) throw syscallError(constants.errno.ENOENT, 'kevent');
      // EV_ADD with EV_DELETE on a new knote adds it (FreeBSD).
      kn = { ident, filter, flags: flags & ~EV_CHANGE_ONLY, fflags: 0, data: 0, udata: undefined, enabled: true, kq: this.#kq, fop, hook: undefined };
      fop.attach(kn, change); // all or nothing: stored only once attached
      this.#knotes.set(key, kn);
    } else if (flags & EV_DELETE) {
      this.#drop(kn);
      return;
    } else fop.touch(kn, change);
    if (!(flags & EV_KEEPUDATA)) kn.udata = change.udata;
    if (flags & EV_DISABLE) {
      kn.enabled = false;
      this.#active.delete(kn);
    }
    if (flags & EV_ENABLE || (flags & EV_ADD && !(flags & EV_DISABLE))) {
      kn.enabled = true;
      if (fop.event(kn)) this.#activate(kn);
    }
  }

  /** Deletes a knote: off the queue, detached from its filter. */
  #drop(kn: Knote): void {
    this.#knotes.delete(keyOf(kn.ident, kn.filter));
    this.#active.delete(kn);
    kn.fop.detach(kn);
  }

  /**
   * Posts an expiration of `#alarm` alarm `id`: an EVFILT_ALARM event (ident = id, data =
   * expirations since the last retrieval). Called by the `#alarm` device for alarms bound
   * to this queue; a closed queue ignores it.
   * @param id The alarm id, reported as the event's `ident`: an integer from 0 to 2^53 − 1.
   * @throws TypeError ERR_INVALID_ARG_TYPE if id is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if id is not an integer from 0 to 2^53 − 1; nothing is
   *   posted then.
   */
  postAlarm(id: number): void {
    validateInteger(id, 'id', 0, Number.MAX_SAFE_INTEGER);
    if (this.#closed) return;
    const key = keyOf(id, EVFILT_ALARM);
    let kn = this.#knotes.get(key);
    if (!kn) {
      kn = { ident: id, filter: EVFILT_ALARM, flags: EV_CLEAR, fflags: 0, data: 0, udata: undefined, enabled: true, kq: this.#kq, fop: alarmFilter, hook: undefined };
      this.#knotes.set(key, kn);
    }
    kn.data += 1;
    this.#activate(kn);
  }

  /**
   * Closes the queue: deletes every knote; pending `kevent` calls reject with EBADF. The queue
   * leaves the `#alarm` device's registry ({@link registerEventQueue}): its id is refused from
   * then on, and alarms bound to it post nowhere.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const hook of closeHooks) hook(this);
    for (const kn of [...this.#knotes.values()]) this.#drop(kn);
    for (const wake of [...this.#waiters]) wake();
  }

  /** Closes the queue (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Events one at a time, waiting for each, until the queue is closed.
   * @returns an async iterator of events, each taken with `kevent([], 1)`; it ends when the
   *   queue closes, and throws any other error of the call.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Kevent> {
    while (!this.#closed) {
      let events: Kevent[];
      try {
        events = await this.kevent([], 1);
      } catch (error) {
        if (this.#closed) return;
        throw error;
      }
      yield* events;
    }
  }
}

