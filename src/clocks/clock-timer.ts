/**
 * Timers on a QEMU clock, in a scale of ns, µs or ms (QEMU 1.x `qemu_new_timer`,
 * `qemu_mod_timer`, `qemu_del_timer`): a timer is an entry of its clock's timer list, so it
 * carries the list's heap fields, and every change of its expiry goes through the clock
 * (`_modify`: one heap move, and one re-schedule of the clock's waiter on the chain only if
 * the head changed), which owns the heap. A timer is an `AsyncResource` created with it: its
 * callback runs in the async context of its construction, through the chain's dispatch path.
 *
 * Units: `modify(time)` and `expired(time)` take the timer's scale and convert it to whole
 * nanoseconds the same way (rounded to the nearest), so `expired(t)` holds at the `t` given
 * to `modify(t)`; `modifyNs` and `expireTime()` are nanoseconds whatever the scale. A refused
 * time leaves the timer as it was.
 * @module
 */
import { AsyncResource } from 'node:async_hooks';
import { IDLE } from '../chain/timer-list.js';
import { invalidArgType, invalidArgValue, outOfRange } from '../posix/validate.js';
import { QemuClock } from './clock.js';

/** Timer scale: nanoseconds. */
export const SCALE_NS = 1;
/** Timer scale: microseconds. */
export const SCALE_US = 1000;
/** Timer scale: milliseconds. */
export const SCALE_MS = 1_000_000;

/**
 * A timer on a QEMU clock, in a scale of ns, µs or ms (QEMU `qemu_new_timer`).
 * Invariant: pending exactly while in its clock's heap.
 */
export class ClockTimer extends AsyncResource {
  /** @internal Expiry in ns on the clock. */
  dueNs = 0;
  /** @internal */
  seq = 0;
  /** @internal */
  heapIndex = IDLE;
  /** @internal Clock timers never spin. */
  readonly spinMarginNs = 0;
  /** @internal Whether the timer keeps the process alive while pending. */
  refed = true;
  /** @internal The list it is (or was last) armed on: its clock's. */
  list: object | undefined = undefined;
  /** The clock. */
  readonly clock: QemuClock;
  /**
   * The unit of {@link ClockTimer.modify} and {@link ClockTimer.expired}, in ns: {@link SCALE_NS},
   * {@link SCALE_US} or {@link SCALE_MS} (QEMU `qemu_mod_timer`). {@link ClockTimer.expireTime}
   * and {@link ClockTimer.modifyNs} are in nanoseconds whatever the scale.
   */
  readonly scale: number;
  readonly #callback: () => void;

  /**
   * A timer on `clock` calling `callback` at expiry; not pending.
   * @param clock The clock: {@link realtimeClock}, {@link hostClock} or {@link virtualClock}.
   * @param scale The unit of {@link ClockTimer.modify} and {@link ClockTimer.expired} in
   *   nanoseconds: {@link SCALE_NS}, {@link SCALE_US} or {@link SCALE_MS}.
   * @param callback Called with no arguments when the timer expires, during its clock's round,
   *   in the async context of this call; an error it throws is reported as uncaught (before the
   *   next callback, on a wake-up of the event loop), as a throwing `setTimeout` callback is.
   * @throws TypeError ERR_INVALID_ARG_TYPE if clock is not a {@link QemuClock} or callback is
   *   not a function.
   * @throws TypeError ERR_INVALID_ARG_VALUE if scale is not one of the three scales.
   */
  constructor(clock: QemuClock, scale: number, callback: () => void) {
    if (!(clock instanceof QemuClock)) throw invalidArgType('clock', 'a QemuClock', clock);
    if (scale !== SCALE_NS && scale !== SCALE_US && scale !== SCALE_MS) throw invalidArgValue('scale', scale, 'must be SCALE_NS, SCALE_US or SCALE_MS');
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    super('ItimerClockTimer', { requireManualDestroy: true });
    this.clock = clock;
    this.scale = scale;
    this.#callback = callback;
  }

  /** @internal Runs the callback (called by the clock's pass). */
  fire(): void {
    this.#callback();
  }

  /**
   * (Re)arms the timer to expire at `expireTime` in its scale, on its clock (QEMU `qemu_mod_timer`).
   * @param expireTime The expiry on the clock's time, in units of the timer's scale (a
   *   fraction is rounded to the nearest nanosecond).
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` unless the
   *   time is a finite number; a refused time leaves the timer as it was.
   */
  modify(expireTime: number): void {
    this.modifyNs(this.#scaledNs(expireTime, 'expireTime'));
  }

  /**
   * (Re)arms the timer at `expireNs` on its clock (QEMU `qemu_mod_timer_ns`).
   * @param expireNs The expiry on the clock's time ({@link QemuClock.ns}), in nanoseconds.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` unless
   *   `expireNs` is a finite integer (the host clock's values exceed 2^53, so doubles of
   *   that size are accepted as they are); a refused time leaves the timer as it was.
   */
  modifyNs(expireNs: number): void {
    if (typeof expireNs !== 'number') throw invalidArgType('expireNs', 'of type number', expireNs);
    if (!Number.isInteger(expireNs)) throw outOfRange('expireNs', 'a finite integer', expireNs);
    this.clock._modify(this, expireNs);
  }

  /**
   * Stops the timer; it stays usable (QEMU `qemu_del_timer`). A timer collected by the
   * running round and not run yet does not run.
   */
  delete(): void {
    this.clock._remove(this);
  }

  /**
   * True while armed (QEMU `qemu_timer_pending`).
   * @returns true from `modify` until the timer runs or is deleted (also while collected by a
   *   running round and not yet run).
   */
  pending(): boolean {
    return this.heapIndex !== IDLE;
  }

  /**
   * True when pending and due at `currentTime` (in the timer's scale) (QEMU `qemu_timer_expired`).
   * @param currentTime A time on the timer's clock, in units of its scale.
   * @returns true if the timer is pending and its expiry is at or before `currentTime`,
   *   converted to ns as {@link ClockTimer.modify} converts (rounded to the nearest ns).
   * @throws TypeError ERR_INVALID_ARG_TYPE if currentTime is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if currentTime is NaN, or not finite in nanoseconds.
   */
  expired(currentTime: number): boolean {
    const currentNs = this.#scaledNs(currentTime, 'currentTime'); // checked whether or not pending
    return this.pending() && this.dueNs <= currentNs;
  }

  /**
   * A time in this timer's scale, in whole ns (rounded to the nearest): the same conversion
   * for modify and expired, so `expired(t)` holds at the `t` given to `modify(t)` even when
   * `t * scale` is not exact in floating point.
   */
  #scaledNs(time: unknown, name: string): number {
    if (typeof time !== 'number') throw invalidArgType(name, 'of type number', time);
    const ns = Math.round(time * this.scale);
    if (!Number.isFinite(ns)) throw outOfRange(name, 'a finite time', time);
    return ns;
  }

  /**
   * The expiry in ns, or -1 when not pending (QEMU `qemu_timer_expire_time_ns`).
   * @returns the expiry on the clock's time in nanoseconds, whatever the timer's scale; -1 when
   *   not pending.
   */
  expireTime(): number {
    return this.pending() ? this.dueNs : -1;
  }

  /**
   * Keeps the process alive while pending (default).
   * @returns this timer.
   */
  ref(): this {
    this.clock._setRef(this, true);
    return this;
  }

  /**
   * Lets the process exit while this timer is pending.
   * @returns this timer.
   */
  unref(): this {
    this.clock._setRef(this, false);
    return this;
  }

  /**
   * Whether the timer keeps the process alive while pending.
   * @returns true unless {@link ClockTimer.unref} was called (and not undone by `ref`).
   */
  hasRef(): boolean {
    return this.refed;
  }
}
