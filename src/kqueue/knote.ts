/**
 * Knotes and the filter operations table, as FreeBSD's `struct knote` and `struct filterops`
 * (`sys/sys/event.h`, `sys/kern/kern_event.c`).
 *
 * A queue holds one knote per (ident, filter). What a filter does is its {@link FilterOps}:
 * `attach` (a new knote: check, take resources, arm — all or nothing), `detach` (release
 * them), `event` (does the knote have something to report?), `touch` (a change to an
 * existing knote: FreeBSD's `f_touch` with EVENT_REGISTER) and `process` (the event returned
 * for it, and the reset EV_CLEAR asks for after retrieval: `f_touch` with EVENT_PROCESS). The
 * queue does the rest — lookup, EV_DELETE, EV_ENABLE/EV_DISABLE, udata, EV_ONESHOT,
 * EV_DISPATCH, waiting — the same for every filter.
 *
 * A filter's source (a chain timer, a signal listener, a trigger) updates the knote, then
 * calls `kn.kq.activate(kn)`; the queue queues it if it is enabled and not queued yet
 * (KNOTE_ACTIVATE). A filter that resets a knote's state calls `kn.kq.deactivate(kn)`.
 * @module
 */
import { EV_CLEAR } from './constants.js';
import type { Kevent } from './kevent.js';

/** What a knote sees of its queue (FreeBSD `kn_kq`). */
export interface KnoteQueue {
  /** Timers across all queues before an EV_ADD of a new timer fails with ENOMEM. */
  readonly maxTimers: number;
  /** Queues the knote (it has something to report), unless it is disabled or queued already. */
  activate(kn: Knote): void;
  /** Takes the knote off the queue: its filter reset what it had to report. */
  deactivate(kn: Knote): void;
}

/**
 * One registered event. Invariant: queued on its queue exactly while `enabled` and its
 * filter's `event(kn)` is true (until retrieved).
 * @typeParam Hook the filter's own state (`kn_hook`).
 */
export interface Knote<Hook = unknown> {
  readonly ident: number;
  readonly filter: number;
  /** The flags stored at EV_ADD, change-only ones stripped, plus those the filter sets (EV_CLEAR); reported on return. */
  flags: number;
  /** The stored fflags (`kn_sfflags`): a timer's unit and NOTE_ABSTIME, a user event's user bits. */
  fflags: number;
  /** What accumulated to report: expirations, deliveries; EVFILT_USER: the data last given. */
  data: number;
  udata: unknown;
  /** False while EV_DISABLE'd: the knote keeps counting but is not queued. */
  enabled: boolean;
  readonly kq: KnoteQueue;
  /** Its filter's operations (`kn_fop`). */
  readonly fop: FilterOps<Hook>;
  hook: Hook;
}

/** A filter's operations (FreeBSD `struct filterops`). */
export interface FilterOps<Hook = unknown> {
  /**
   * A new knote from `change` (`f_attach`): every check and every resource, or none — the
   * knote is stored only if this returns.
   * @throws the errno error the change gets (EINVAL, ENOMEM).
   */
  attach(kn: Knote<Hook>, change: Kevent): void;
  /** Releases what `attach` took (`f_detach`). */
  detach(kn: Knote<Hook>): void;
  /** True when the knote has something to report (`f_event`). */
  event(kn: Knote<Hook>): boolean;
  /**
   * Applies a change to an existing knote (`f_touch`, EVENT_REGISTER), before the queue
   * applies udata and EV_ENABLE/EV_DISABLE.
   * @throws the errno error the change gets; the knote is then unchanged.
   */
  touch(kn: Knote<Hook>, change: Kevent): void;
  /** The event to return for the knote, then the reset EV_CLEAR asks for (`f_touch`, EVENT_PROCESS). */
  process(kn: Knote<Hook>): Kevent;
}

/** The event a knote reports: its stored flags, `fflags`, its data and udata. */
export function eventOf(kn: Knote, fflags: number): Kevent {
  return { ident: kn.ident, filter: kn.filter, flags: kn.flags, fflags, data: kn.data, udata: kn.udata };
}

/**
 * `process` for the counting filters (timer, signal, alarm): fflags 0 on return; EV_CLEAR
 * starts the count again.
 */
export function processCount(kn: Knote): Kevent {
  const event = eventOf(kn, 0);
  if (kn.flags & EV_CLEAR) kn.data = 0;
  return event;
}

/** `event` for the counting filters: something counted since the last retrieval. */
export function counted(kn: Knote): boolean {
  return kn.data > 0;
}
