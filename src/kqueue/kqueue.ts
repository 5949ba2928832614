/**
 * kqueue(2)-style event queues on the timer chain: `kevent()` with BSD names, values and
 * semantics for EVFILT_TIMER, EVFILT_USER and EVFILT_SIGNAL.
 *
 * A queue holds *knotes*, one per (ident, filter). A knote that fires becomes active and
 * is queued once; its `data` accumulates (timer expirations, signal deliveries) until it
 * is retrieved. `kevent(changes, nevents, timeout)` first applies the changes in order —
 * an error, or any change with EV_RECEIPT, is posted as an EV_ERROR entry with `data` the
 * errno, and the call then returns those entries without waiting (kern_kevent). With no
 * room left for an entry (`nevents` reached) the change list stops at that change, the
 * later ones unapplied (FreeBSD `kqueue_kevent`): an error fails the call, a receipt ends
 * it returning no entries (FreeBSD's count of 0 on that path). Otherwise the call collects up to
 * `nevents` active knotes, waiting for one as long as `timeout` allows (absent or null:
 * forever; `{ sec: 0, nsec: 0 }`: not at all), the wait measured on the chain.
 *
 * Delivery: EV_ONESHOT deletes the knote, EV_DISPATCH disables it, EV_CLEAR resets its
 * state (relative timers and signals get EV_CLEAR automatically, as FreeBSD's
 * `filt_timerattach` and `filt_sigattach` set it; a NOTE_ABSTIME timer does not, so once
 * fired it stays triggered and is reported on every scan until deleted or re-added). A
 * disabled knote keeps counting and is queued again when enabled with something to report.
 *
 * Where the DragonFly seed is silent, FreeBSD's `sys/kern/kern_event.c` decides: returned
 * events carry the flags stored at EV_ADD (EV_RECEIPT, EV_ONESHOT, EV_CLEAR, EV_DISPATCH
 * included; only EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_FORCEONESHOT and
 * EV_KEEPUDATA are stripped) and `fflags` 0 (EVFILT_USER: its stored user bits); every
 * modification replaces `udata` unless it has EV_KEEPUDATA; EV_ENABLE with EV_DISABLE is
 * EINVAL; timer values beyond the host's range saturate (`timer2sbintime`); EV_ADD with
 * EV_DELETE on a new knote adds it.
 *
 * Input: every change is checked against the C types of `struct kevent` before any is
 * applied (`ident` uintptr_t, `filter` short, `flags` u_short, `fflags` u_int — or the
 * int32 that JavaScript's `|` makes of its bits —, `data` int64 as a safe integer): a value C could not hold rejects the call with a Node-style
 * error and changes nothing. A change C can hold but the kernel refuses gets the kernel's
 * errno, as an EV_ERROR entry. Creating a knote is all or nothing.
 *
 * Invariants: a knote is in `#active` exactly when it has something to report and is
 * enabled; every timer knote owns one chain timer, and the number of timer knotes across
 * all queues never exceeds the limit (`maxTimers`, DragonFly's `kq_calloutmax`).
 * @module
 */
import { constants } from 'node:os';
import { isSyscallError, syscallError } from '../host/index.js';
import { addLibraryListener, removeLibraryListener, signalName } from '../posix/signals.js';
import { clockGettime } from '../posix/index.js';
import type { Timespec } from '../posix/index.js';
import { invalidArgType, requireMainThread, validateInteger, validateObject, C_LIMITS } from '../posix/validate.js';
import type { Timer } from '../chain/index.js';
import { setTimer } from '../chain/index.js';

// ---- constants: FreeBSD's values ----

/** Filter: timers. `ident` is yours; `data` is the period (or absolute time). */
export const EVFILT_TIMER = -7;
/** Filter: signal deliveries, counted. `ident` is the signal number. */
export const EVFILT_SIGNAL = -6;
/** Filter: user-triggered events. */
export const EVFILT_USER = -11;
/** Filter (itimer extension): expirations of an `#alarm` device alarm bound to this queue; `ident` is the alarm id. */
export const EVFILT_ALARM = -100;

/** Add the event, or modify it if present. */
export const EV_ADD = 0x0001;
/** Delete the event. */
export const EV_DELETE = 0x0002;
/** Enable the event (report it when it triggers). */
export const EV_ENABLE = 0x0004;
/** Disable the event (keep it, do not report it). */
export const EV_DISABLE = 0x0008;
/** Force EV_ONESHOT on an existing knote (FreeBSD; accepted and stripped here). */
export const EV_FORCEONESHOT = 0x0100;
/** Keep the knote's udata on modification (FreeBSD). */
export const EV_KEEPUDATA = 0x0200;
/** Report once, then delete. */
export const EV_ONESHOT = 0x0010;
/** Reset the event's state after it is retrieved. */
export const EV_CLEAR = 0x0020;
/** Report the result of every change as an EV_ERROR entry (data 0 on success). */
export const EV_RECEIPT = 0x0040;
/** Disable the event after it is retrieved. */
export const EV_DISPATCH = 0x0080;
/** Filter-specific end of file. */
export const EV_EOF = 0x8000;
/** On return: the entry reports an error (`data` is the errno), or a receipt. */
export const EV_ERROR = 0x4000;

/** EVFILT_TIMER: `data` is in seconds. */
export const NOTE_SECONDS = 0x00000001;
/** EVFILT_TIMER: `data` is in milliseconds (the default). */
export const NOTE_MSECONDS = 0x00000002;
/** EVFILT_TIMER: `data` is in microseconds. */
export const NOTE_USECONDS = 0x00000004;
/** EVFILT_TIMER: `data` is in nanoseconds. */
export const NOTE_NSECONDS = 0x00000008;
/** EVFILT_TIMER: `data` is an absolute time (since the Unix epoch, CLOCK_REALTIME); one-shot. */
export const NOTE_ABSTIME = 0x00000010;
/** EVFILT_USER: trigger the event. */
export const NOTE_TRIGGER = 0x01000000;
/** EVFILT_USER: leave the stored fflags alone. */
export const NOTE_FFNOP = 0x00000000;
/** EVFILT_USER: AND the given fflags into the stored ones. */
export const NOTE_FFAND = 0x40000000;
/** EVFILT_USER: OR the given fflags into the stored ones. */
export const NOTE_FFOR = 0x80000000;
/** EVFILT_USER: replace the stored fflags. */
export const NOTE_FFCOPY = 0xc0000000;
/** EVFILT_USER: the control bits of fflags. */
export const NOTE_FFCTRLMASK = 0xc0000000;
/** EVFILT_USER: the user-defined bits of fflags. */
export const NOTE_FFLAGSMASK = 0x00ffffff;

const TIMER_UNITS = NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS;
/** Flags that act on a change and are not stored in the knote (FreeBSD `kqueue_register`). */
const CHANGE_ONLY = EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT | EV_KEEPUDATA;
/** The longest delay the chain can hold, in ns: timer values beyond it saturate to it. */
const MAX_TIMER_NS = Math.floor(Number.MAX_SAFE_INTEGER / 2);
const SUPPORTED_FILTERS = new Set([EVFILT_TIMER, EVFILT_USER, EVFILT_SIGNAL]);
const UNIT_NS: Record<number, number> = { [NOTE_SECONDS]: 1e9, [NOTE_MSECONDS]: 1e6, [NOTE_USECONDS]: 1e3, [NOTE_NSECONDS]: 1 };

/** `struct kevent`. */
export interface Kevent {
  /** Identifier: your number for timers and user events, the signal number for signals. */
  ident: number;
  /** EVFILT_*. */
  filter: number;
  /** EV_* flags. */
  flags: number;
  /** Filter flags (NOTE_*). */
  fflags: number;
  /** Filter data: on input the timer period / user data; on output counts, or the errno with EV_ERROR. */
  data: number;
  /** Opaque user data, returned unchanged. */
  udata?: unknown;
}

/** A change given to {@link Kqueue.kevent}: missing fields are 0. */
export type KeventChange = Partial<Kevent> & Pick<Kevent, 'ident' | 'filter'>;

/** A timeout for {@link Kqueue.kevent}: `{ sec, nsec }` as a timespec, or null for none. */
export type KeventTimeout = Timespec | null;

/** Options of a queue. */
export interface KqueueOptions {
  /** Timers across all queues before EV_ADD fails with ENOMEM (default 4096, DragonFly's kq_calloutmax). */
  maxTimers?: number;
}

let timersInUse = 0;

interface Knote {
  ident: number;
  filter: number;
  flags: number;
  /** Stored fflags (user: the user bits; timer: the unit/abs flags). */
  fflags: number;
  /** Accumulated data to report. */
  data: number;
  udata: unknown;
  enabled: boolean;
  /** Something to report (timer/signal: data > 0; user: triggered; alarm: data > 0). */
  pending: boolean;
  timer?: Timer;
  listener?: () => void;
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
  readonly #maxTimers: number;
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
    this.#maxTimers = options.maxTimers === undefined ? 4096 : validateInteger(options.maxTimers, 'options.maxTimers', 0, C_LIMITS.INT_MAX);
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
   *   does not wait); absent or null, or beyond about 52 days, waits until an event or close.
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
   * @throws TypeError (rejects) ERR_INVALID_ARG_TYPE if changes is not an array, a change is not an
   *   object, timeout is neither an object nor null, or nevents, a change's field (`ident` and
   *   `filter` are required) or a timeout field (both required) is not a number.
   * @throws RangeError (rejects) ERR_OUT_OF_RANGE if nevents or a timeout field is not an integer
   *   in its range, or a change's field is not one of its C type: `ident` 0 to 2^53 − 1, `filter`
   *   a short, `flags` a u_short, `fflags` −2^31 to 2^32 − 1, `data` a safe integer.
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
      const keepAlive = waitNs === undefined ? setInterval(() => {}, 2 ** 31 - 1) : undefined;
      let timer: Timer | undefined;
      const wake = () => {
        timer?.cancel();
        clearInterval(keepAlive);
        const index = this.#waiters.indexOf(wake);
        if (index >= 0) this.#waiters.splice(index, 1);
        resolve();
      };
      if (waitNs !== undefined) timer = setTimer(wake, { ns: waitNs });
      this.#waiters.push(wake);
    });
  }

  #collect(nevents: number): Kevent[] {
    const out: Kevent[] = [];
    const stillReady: Knote[] = [];
    for (const knote of [...this.#active]) {
      if (out.length >= nevents) break;
      this.#active.delete(knote);
      out.push({ ident: knote.ident, filter: knote.filter, flags: knote.flags, fflags: knote.filter === EVFILT_USER ? knote.fflags & NOTE_FFLAGSMASK : 0, data: knote.data, udata: knote.udata });
      if (knote.flags & EV_ONESHOT) this.#delete(knote);
      else {
        if (knote.flags & EV_CLEAR) {
          knote.pending = false;
          knote.data = 0;
        }
        if (knote.flags & EV_DISPATCH) knote.enabled = false;
        if (knote.pending && knote.enabled) stillReady.push(knote); // level-triggered: still ready
      }
    }
    for (const knote of stillReady) this.#active.add(knote);
    return out;
  }

  #activate(knote: Knote): void {
    knote.pending = true;
    if (!knote.enabled || this.#active.has(knote)) return;
    this.#active.add(knote);
    this.#waiters[0]?.();
  }

  #register(change: CheckedChange): void {
    const { ident, filter, flags, fflags, data } = change;
    if ((flags & (EV_ENABLE | EV_DISABLE)) === (EV_ENABLE | EV_DISABLE)) throw syscallError(constants.errno.EINVAL, 'kevent');
    if (!SUPPORTED_FILTERS.has(filter)) throw syscallError(constants.errno.EINVAL, 'kevent');
    const key = keyOf(ident, filter);
    let knote = this.#knotes.get(key);
    if (!knote) {
      if (!(flags & EV_ADD)) throw syscallError(constants.errno.ENOENT, 'kevent');
      knote = this.#create(change); // EV_ADD with EV_DELETE on a new knote adds it (FreeBSD)
    } else if (flags & EV_DELETE) {
      this.#delete(knote);
      return;
    } else if (flags & EV_ADD && filter === EVFILT_TIMER) {
      this.#armTimer(knote, timerPlan(fflags, data, knote.flags));
    }
    if (!(flags & EV_KEEPUDATA)) knote.udata = change.udata;
    if (filter === EVFILT_USER) this.#touchUser(knote, flags, fflags, data);
    if (flags & EV_DISABLE) {
      knote.enabled = false;
      this.#active.delete(knote);
    }
    if (flags & EV_ENABLE || (flags & EV_ADD && !(flags & EV_DISABLE))) {
      knote.enabled = true;
      if (knote.pending) this.#activate(knote);
    }
  }

  /** Creates a knote, all or nothing: every check and every resource before it is stored. */
  #create(change: CheckedChange): Knote {
    const { ident, filter, flags, fflags, data } = change;
    const knote: Knote = { ident, filter, flags: flags & ~CHANGE_ONLY, fflags: 0, data: 0, udata: undefined, enabled: true, pending: false };
    if (filter === EVFILT_TIMER) {
      const plan = timerPlan(fflags, data, knote.flags);
      if (timersInUse >= this.#maxTimers) throw syscallError(constants.errno.ENOMEM, 'kevent');
      if (!(fflags & NOTE_ABSTIME)) knote.flags |= EV_CLEAR; // FreeBSD filt_timerattach
      this.#armTimer(knote, plan);
    } else if (filter === EVFILT_SIGNAL) {
      this.#attachSignal(knote);
      knote.flags |= EV_CLEAR; // FreeBSD filt_sigattach
    }
    this.#knotes.set(keyOf(ident, filter), knote);
    return knote;
  }

  /** (Re)starts a timer knote from a validated plan: re-adding drops undelivered expirations. */
  #armTimer(knote: Knote, plan: TimerPlan): void {
    if (knote.timer) knote.timer.cancel();
    else timersInUse++;
    knote.data = 0;
    knote.pending = false;
    this.#active.delete(knote);
    knote.fflags = plan.fflags;
    const fire = (overrun: number) => {
      knote.data += 1 + overrun;
      this.#activate(knote);
    };
    knote.timer = setTimer(fire, { ns: plan.delayNs }, { ref: false, interval: plan.periodic ? { ns: plan.delayNs } : false });
  }

  #touchUser(knote: Knote, flags: number, fflags: number, data: number): void {
    const bits = fflags & NOTE_FFLAGSMASK;
    switch ((fflags & NOTE_FFCTRLMASK) >>> 0) {
      case NOTE_FFAND:
        knote.fflags &= bits;
        break;
      case NOTE_FFOR:
        knote.fflags |= bits;
        break;
      case NOTE_FFCOPY:
        knote.fflags = bits;
        break;
    }
    knote.data = data; // DragonFly: "we just happen to copy this value as well"
    if (flags & EV_CLEAR && !(flags & EV_ADD)) {
      knote.pending = false;
      knote.data = 0;
      this.#active.delete(knote);
    }
    if (fflags & NOTE_TRIGGER) this.#activate(knote);
  }

  #attachSignal(knote: Knote): void {
    const name = signalName(knote.ident);
    if (name === undefined) throw syscallError(constants.errno.EINVAL, 'kevent');
    const listener = () => {
      knote.data += 1;
      this.#activate(knote);
    };
    try {
      addLibraryListener(name, listener); // Node refuses SIGKILL and SIGSTOP
    } catch {
      throw syscallError(constants.errno.EINVAL, 'kevent'); // (a Worker was refused before any change)
    }
    knote.listener = listener;
  }

  #delete(knote: Knote): void {
    this.#knotes.delete(keyOf(knote.ident, knote.filter));
    this.#active.delete(knote);
    if (knote.timer) {
      knote.timer.cancel();
      timersInUse--;
    }
    if (knote.listener) removeLibraryListener(signalName(knote.ident)!, knote.listener);
  }

  /**
   * Posts an expiration of `#alarm` alarm `id`: an EVFILT_ALARM event (ident = id, data =
   * expirations since the last retrieval). Called by the `#alarm` device for alarms bound
   * to this queue.
   * @param id The alarm id, reported as the event's `ident`.
   * @throws Never: the id is not checked (the device passes its own), and a closed queue
   *   ignores the call.
   */
  postAlarm(id: number): void {
    if (this.#closed) return;
    const key = keyOf(id, EVFILT_ALARM);
    let knote = this.#knotes.get(key);
    if (!knote) {
      knote = { ident: id, filter: EVFILT_ALARM, flags: EV_CLEAR, fflags: 0, data: 0, udata: undefined, enabled: true, pending: false };
      this.#knotes.set(key, knote);
    }
    knote.data += 1;
    this.#activate(knote);
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
    for (const knote of [...this.#knotes.values()]) this.#delete(knote);
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

/** A change after {@link checkChange}: every field present and of its C type. */
type CheckedChange = Kevent;

/**
 * Checks one change against the C types of `struct kevent`, reading each field once.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE`.
 */
function checkChange(change: unknown, index: number): CheckedChange {
  const name = `changes[${index}]`;
  if (typeof change !== 'object' || change === null) throw invalidArgType(name, 'a kevent object', change);
  const { ident, filter, flags = 0, fflags = 0, data = 0, udata } = change as Partial<Kevent>;
  return {
    ident: validateInteger(ident, `${name}.ident`, 0, Number.MAX_SAFE_INTEGER),
    filter: validateInteger(filter, `${name}.filter`, -0x8000, 0x7fff),
    flags: validateInteger(flags, `${name}.flags`, 0, 0xffff),
    // u_int bits, also in the int32 form JavaScript's `|` gives (NOTE_FFOR | 1 is negative).
    fflags: validateInteger(fflags, `${name}.fflags`, C_LIMITS.INT_MIN, C_LIMITS.UINT_MAX) >>> 0,
    data: validateInteger(data, `${name}.data`, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    udata,
  };
}

/** A validated timer: its first delay (and period) in ns, saturated to the chain's range. */
interface TimerPlan {
  delayNs: number;
  periodic: boolean;
  fflags: number;
}

/**
 * FreeBSD's `filt_timervalidate` and `timer2sbintime`: the unit bits and NOTE_ABSTIME only,
 * one unit at most, data >= 0; a periodic 0 is one unit; values beyond the host saturate.
 * @throws the EINVAL syscall error.
 */
function timerPlan(fflags: number, data: number, knoteFlags: number): TimerPlan {
  const units = fflags & TIMER_UNITS;
  if (fflags & ~(TIMER_UNITS | NOTE_ABSTIME) || (units & (units - 1)) !== 0 || data < 0) throw syscallError(constants.errno.EINVAL, 'kevent');
  const unitNs = UNIT_NS[units] ?? 1e6;
  if (fflags & NOTE_ABSTIME) {
    const wall = clockGettime('CLOCK_REALTIME');
    const delayNs = data * unitNs - (wall.sec * 1e9 + wall.nsec);
    return { delayNs: Math.min(Math.max(delayNs, 0), MAX_TIMER_NS), periodic: false, fflags };
  }
  const oneShot = (knoteFlags & EV_ONESHOT) !== 0;
  const value = oneShot ? data : Math.max(data, 1);
  return { delayNs: Math.min(value * unitNs, MAX_TIMER_NS), periodic: !oneShot, fflags };
}

/**
 * A kevent timeout in ns: undefined waits forever, as does one beyond the chain's range
 * (FreeBSD waits forever past `INT32_MAX` seconds).
 */
function timeoutNs(timeout: KeventTimeout | undefined): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout !== 'object') throw invalidArgType('timeout', 'a { sec, nsec } timespec or null', timeout);
  const { sec, nsec } = timeout;
  validateInteger(sec, 'timeout.sec', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  validateInteger(nsec, 'timeout.nsec', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (sec < 0 || nsec < 0 || nsec >= 1e9) throw syscallError(constants.errno.EINVAL, 'kevent');
  const ns = sec * 1e9 + nsec;
  return ns > MAX_TIMER_NS ? undefined : ns;
}
