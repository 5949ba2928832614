/**
 * The public timer on the chain: the `Timer` handle, `setTimer`, `clearTimer` and `chainNow`.
 *
 * A `Timer` is shaped like Node's `Timeout` (ref / unref / hasRef / refresh / close,
 * `Symbol.dispose`, `Symbol.toPrimitive`) and also offers the Akaros alarm operations:
 * deadlines relative, absolute (monotonic or Unix time) and incremental, `arm`, `cancel`
 * (true if removed before firing) and `rearmAbsolute`. Timers never fire before their
 * deadline. Periodic timers are re-armed incrementally from the previous deadline, so they
 * do not drift; their callback gets the number of periods missed (the overrun).
 *
 * A timer belongs to the chain it is armed on (the process chain, unless a private
 * `TimerChain` armed it): its periodic re-arm, `cancel`, `refresh` and the rest go to that
 * chain. Its callback runs in the async context in which the timer was created, as a
 * `setTimeout` callback runs in the context of its `setTimeout` call; `+timer` is its async
 * id, from the same counter as Node's own timer ids, so the two can never be confused.
 *
 * The `spin` option trades CPU for precision: the host wakes the chain a margin before the
 * deadline and the chain busy-waits the rest (see the chain module's notes). A periodic
 * spinning timer is a fixed-rate loop.
 * @module
 */
import { clockGettime } from '../posix/index.js';
import { invalidArgType, invalidArgValue, outOfRange } from '../posix/validate.js';
import type { TimerChain } from './chain.js';
import type { Delay, Spin } from './delay.js';
import { delayToNs, spinOption, validateTimerOptions } from './delay.js';
import { getChain } from './process-chain.js';
import type { TimerList } from './timer-list.js';
import { Waiter } from './waiter.js';

/** Options of a {@link Timer}. */
export interface TimerConstructorOptions {
  /** Keep the process alive while armed (default true, like setTimeout). */
  ref?: boolean;
  /** The spin tail (default false). */
  spin?: Spin;
}

/** Options of {@link setTimer}. */
export interface TimerOptions extends TimerConstructorOptions {
  /**
   * Repeat: `true` every `delay`, or every given period. Default: one-shot. A period of 0
   * is 1 ms, as with Node's `setInterval(cb, 0)`.
   */
  interval?: boolean | Delay;
}

/** A timer callback; periodic timers get the number of periods missed since the last call. */
export type TimerCallback = (overrun: number) => void;

/** Timers whose primitive id was taken (Node's `knownTimersById`), by id, while armed. */
const byId = new Map<number, Timer>();
/** Timers whose primitive id was taken (kept off the timer objects: rarely used, and timers are many). */
const idTaken = new WeakSet<Timer>();

// Module functions rather than private methods: a class with private methods gives every
// instance a hidden brand field, and timers are many. Until some timer's id is taken,
// arm and cancel skip the WeakSet entirely.
let idsTaken = false;

function rememberId(timer: Timer): void {
  if (idsTaken && idTaken.has(timer)) byId.set(timer.asyncId(), timer);
}

function forgetId(timer: Timer): void {
  if (idsTaken) byId.delete(timer.asyncId());
}

/** The chain a timer belongs to: the one it was armed on, else the process chain. */
function chainOf(timer: Waiter): TimerChain {
  const list = timer.list as TimerList<Waiter> | undefined;
  return list ? (list.owner as TimerChain) : getChain();
}

/**
 * Sets a timer's deadline. An armed timer is re-armed there ({@link TimerChain.rearmAbsolute}):
 * its deadline is its heap key, which must not change in place.
 */
function moveDeadline(timer: Timer, deadlineNs: number): void {
  if (timer.armed) chainOf(timer).rearmAbsolute(timer, deadlineNs);
  else timer.dueNs = deadlineNs;
}

/** Checks a deadline given on the chain's time base: a safe integer number of ns. */
function validateDeadline(deadlineNs: unknown): asserts deadlineNs is number {
  if (typeof deadlineNs !== 'number') throw invalidArgType('deadlineNs', 'of type number', deadlineNs);
  if (!Number.isSafeInteger(deadlineNs)) throw outOfRange('deadlineNs', 'a safe integer', deadlineNs);
}

/**
 * A timer on the chain. Created unarmed by `new Timer(callback)`, or armed by {@link setTimer}.
 * It is itself the chain's waiter (no wrapper object or closure per timer).
 *
 * Moving the deadline of an armed timer (`setRelative`, `setAbsolute`, `setAbsoluteUnix`,
 * `setIncrement`) re-arms it at the new deadline, as {@link Timer.rearmAbsolute} does: it
 * stays armed, after the timers already armed for that same deadline; one that the running
 * pass has collected but not run yet leaves that pass and runs at its new deadline, in a
 * later pass. `setSpin` on an armed timer re-keys it at once ({@link TimerChain.setSpin}).
 *
 * Invariants: armed exactly while in a chain; `intervalNs > 0` for periodic timers and 0
 * for one-shot ones; `refresh()` re-arms for the timer's last relative delay (see
 * {@link Timer.refresh}).
 */
export class Timer extends Waiter implements Disposable {
  /** The async resource type of timers (async_hooks `init`). */
  static override resourceType = 'ItimerTimer';

  /**
   * The delay refresh() re-arms for: the last one given to setRelative (kept as given: no
   * number box per timer), or, for a periodic timer, minus its period in ns (a negative
   * number, which no delay can be) — so a refreshed periodic timer restarts its period, as
   * Node's interval does; undefined when none was given. One field for both: a timer's size
   * is most of the chain's memory.
   */
  #delay: Delay | undefined = undefined;

  /**
   * An unarmed timer (Akaros `init_awaiter`). Set a deadline, then {@link Timer.arm}. It runs
   * its callback in the async context of this call.
   * @param callback called when the timer fires, with the number of periods missed since
   *   the previous call (always 0 for a one-shot timer).
   * @param options `ref` (default true) and `spin` (default false); see {@link TimerConstructorOptions}.
   * @throws TypeError ERR_INVALID_ARG_TYPE if callback is not a function, options is not a
   *   plain object, options.ref is not a boolean, or options.spin is neither a boolean nor a {@link Delay}.
   * @throws TypeError ERR_INVALID_ARG_VALUE if options.spin is a units object with an unknown unit.
   * @throws RangeError ERR_OUT_OF_RANGE if the spin margin is negative, not finite, or above 2 ms.
   */
  constructor(callback: TimerCallback, options?: TimerConstructorOptions) {
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    if (options === undefined) {
      super(callback);
      return;
    }
    validateTimerOptions(options);
    const spin = spinOption(options.spin, 'options.spin');
    super(callback);
    this.spin = spin;
    if (options.ref === false) this.refed = false;
  }

  /** @internal Called by the chain when due, in the timer's async context. */
  override fire(nowNs: number): void {
    let overrun = 0;
    const intervalNs = this.intervalNs;
    if (intervalNs > 0) {
      // Incremental re-arm (Akaros set_awaiter_inc): from the deadline, not from now.
      overrun = Math.floor((nowNs - this.dueNs) / intervalNs);
      this.dueNs += (overrun + 1) * intervalNs;
      chainOf(this).arm(this);
      this.callback(overrun);
      return;
    }
    forgetId(this);
    this.callback(overrun);
    if (!this.armed) this.emitDestroy(); // as Node's one-shot Timeout, unless re-armed meanwhile
  }

  /** The period in ns, 0 for a one-shot timer. */
  get intervalNs(): number {
    const delay = this.#delay;
    return typeof delay === 'number' && delay < 0 ? -delay : 0;
  }

  /**
   * Sets the deadline `delay` from now (Akaros `set_awaiter_rel`), and the delay
   * {@link Timer.refresh} re-arms a one-shot timer for. Now is read first, so the deadline
   * is the call's. Does not arm an unarmed timer; an armed one is re-armed at the new
   * deadline (see the class notes).
   * @param delay the time from now: milliseconds, a bigint of nanoseconds, or `{ ns, us, ms, s }`.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if delay is not a {@link Delay} (see {@link delayToNs}).
   * @throws RangeError ERR_OUT_OF_RANGE if delay is negative, not finite, or above 2^52 ns (about 52 days).
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  setRelative(delay: Delay): this {
    return this.relativeTo(chainOf(this).now(), delay);
  }

  /** @internal {@link Timer.setRelative} from a clock reading the caller took. */
  relativeTo(nowNs: number, delay: Delay): this {
    moveDeadline(this, nowNs + delayToNs(delay));
    if (this.intervalNs === 0) this.#delay = delay;
    return this;
  }

  /**
   * Sets the deadline to `deadlineNs` on the chain's time base. Does not arm an unarmed
   * timer; an armed one is re-armed at the new deadline (see the class notes).
   * @param deadlineNs the deadline in integer nanoseconds on the chain's time base (see
   *   {@link chainNow}); a deadline already past fires in the next pass after arming.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE if deadlineNs is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if deadlineNs is not a safe integer. A refused call changes nothing.
   */
  setAbsolute(deadlineNs: number): this {
    validateDeadline(deadlineNs);
    moveDeadline(this, deadlineNs);
    return this;
  }

  /**
   * Sets the deadline to a Unix time (Akaros `set_awaiter_abs_unix`), converted to the
   * monotonic time base now. Does not arm an unarmed timer; an armed one is re-armed at the
   * new deadline (see the class notes).
   * @param unixTime a `Date`, or nanoseconds since the epoch as a bigint.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE if unixTime is neither a Date nor a bigint.
   * @throws TypeError ERR_INVALID_ARG_VALUE if unixTime is an invalid Date.
   * @throws RangeError ERR_OUT_OF_RANGE if the deadline, converted, is not a safe integer on
   *   the chain's time base (more than about 104 days from the chain's origin).
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  setAbsoluteUnix(unixTime: Date | bigint): this {
    let unixNs: bigint;
    if (unixTime instanceof Date) {
      const ms = unixTime.getTime();
      if (Number.isNaN(ms)) throw invalidArgValue('unixTime', unixTime, 'is an invalid Date');
      unixNs = BigInt(ms) * 1_000_000n;
    } else if (typeof unixTime === 'bigint') unixNs = unixTime;
    else throw invalidArgType('unixTime', 'a Date or a bigint of ns', unixTime);
    const wall = clockGettime('CLOCK_REALTIME');
    const wallNs = BigInt(wall.sec) * 1_000_000_000n + BigInt(wall.nsec);
    const deadlineNs = chainOf(this).now() + Number(unixNs - wallNs);
    if (!Number.isSafeInteger(deadlineNs)) throw outOfRange('unixTime', 'within 104 days of now', Number(unixNs / 1_000_000n));
    return this.setAbsolute(deadlineNs);
  }

  /**
   * Moves the deadline `delay` past the previous one (Akaros `set_awaiter_inc`). Does not arm
   * an unarmed timer; an armed one is re-armed at the new deadline (see the class notes).
   * @param delay how far to move the deadline: milliseconds, a bigint of nanoseconds, or `{ ns, us, ms, s }`.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if delay is not a {@link Delay} (see {@link delayToNs}).
   * @throws RangeError ERR_OUT_OF_RANGE if delay is negative, not finite, or above 2^52 ns (about 52 days).
   */
  setIncrement(delay: Delay): this {
    moveDeadline(this, this.dueNs + delayToNs(delay));
    return this;
  }

  /**
   * Makes the timer periodic with this period (or one-shot with 0); the current deadline
   * stands. A period is also the delay {@link Timer.refresh} re-arms for, and stays that
   * delay when setInterval(0) makes the timer one-shot.
   * @param period the period: milliseconds, a bigint of nanoseconds, or `{ ns, us, ms, s }`; 0 for one-shot.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if period is not a {@link Delay} (see {@link delayToNs}).
   * @throws RangeError ERR_OUT_OF_RANGE if period is negative, not finite, or above 2^52 ns (about 52 days).
   */
  setInterval(period: Delay): this {
    const periodNs = delayToNs(period, 'period');
    const delay = this.#delay;
    if (periodNs > 0) this.#delay = -periodNs;
    else if (typeof delay === 'number' && delay < 0) this.#delay = BigInt(-delay); // the period, now a one-shot delay in ns
    return this;
  }

  /**
   * Sets the spin tail (see {@link Spin}). On an armed timer it takes effect at once: the
   * timer is re-keyed to wake its new margin before its deadline ({@link TimerChain.setSpin}).
   * @param spin false (or undefined) for none, true for the automatic margin, or a fixed margin of at most 2 ms.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if spin is neither a boolean nor a {@link Delay}.
   * @throws RangeError ERR_OUT_OF_RANGE if the margin is negative, not finite, or above 2 ms.
   *   A refused call changes nothing.
   */
  setSpin(spin: Spin): this {
    const marginNs = spinOption(spin, 'spin');
    if (this.armed) chainOf(this).setSpin(this, marginNs);
    else this.spin = marginNs;
    return this;
  }

  /**
   * Arms the timer at its deadline (Akaros `set_alarm`), on the chain it belongs to.
   * @returns this timer, for chaining.
   * @throws Error ERR_ITIMER_ALREADY_ARMED if it is armed.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  arm(): this {
    chainOf(this).arm(this);
    rememberId(this);
    return this;
  }

  /**
   * Disarms (Akaros `unset_alarm`).
   * @returns true if removed before firing; false if it already fired or is running —
   *   including when called from its own callback (a periodic timer is re-armed before its
   *   callback runs, so cancelling it there returns true and stops it).
   */
  cancel(): boolean {
    if (!this.armed) return false;
    forgetId(this);
    const removed = chainOf(this).cancel(this);
    if (removed) this.emitDestroy(); // as Node's clearTimeout
    return removed;
  }

  /**
   * Re-arms at an absolute deadline whether or not it fired (Akaros `reset_alarm_abs`).
   * @param deadlineNs the new deadline in integer nanoseconds on the chain's time base (see {@link chainNow}).
   * @returns true if it was still armed (removed before it fired); false if it had fired, was
   *   running, or was never armed.
   * @throws TypeError ERR_INVALID_ARG_TYPE if deadlineNs is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if deadlineNs is not a safe integer. A refused call changes nothing.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  rearmAbsolute(deadlineNs: number): boolean {
    validateDeadline(deadlineNs);
    const removed = chainOf(this).rearmAbsolute(this, deadlineNs);
    rememberId(this);
    return removed;
  }

  /**
   * Keeps the process alive while armed (default).
   * @returns this timer, for chaining.
   */
  ref(): this {
    this.keepsAlive = true;
    return this;
  }

  /**
   * Lets the process exit while this timer is armed.
   * @returns this timer, for chaining.
   */
  unref(): this {
    this.keepsAlive = false;
    return this;
  }

  /**
   * Whether the timer keeps the process alive while armed.
   * @returns true if it keeps the process alive while armed (the default, or after ref());
   *   false after unref() or when created with `ref: false`.
   */
  hasRef(): boolean {
    return this.refed;
  }

  /**
   * Re-arms, whether or not it fired, for the timer's own delay from now (Node's
   * `timeout.refresh()`): a periodic timer's period; otherwise the last delay given to
   * {@link Timer.setRelative} (setTimer's delay), or the period it had before setInterval(0)
   * made it one-shot, if that came later. A timer never given a relative delay (its
   * deadline only ever set absolutely) is re-armed at its current deadline — at once if
   * that has passed.
   * @returns this timer, for chaining.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  refresh(): this {
    const delay = this.#delay;
    const chain = chainOf(this);
    this.rearmAbsolute(delay === undefined ? this.dueNs : chain.now() + (this.intervalNs || delayToNs(delay)));
    return this;
  }

  /**
   * Disarms; Node's `timeout.close()`.
   * @returns this timer, for chaining.
   */
  close(): this {
    this.cancel();
    return this;
  }

  /** Disarms (for `using`). */
  [Symbol.dispose](): void {
    this.cancel();
  }

  /**
   * A numeric id, usable with {@link clearTimer} like Node's timeout ids: the timer's async
   * id, from the counter Node's own timers take theirs from, so it is never the id of a Node
   * timer (nor of another itimer timer).
   * @returns the timer's id: a positive integer, the same on every call.
   */
  [Symbol.toPrimitive](): number {
    const id = this.asyncId();
    if (!idTaken.has(this)) {
      idTaken.add(this);
      idsTaken = true;
      if (this.armed) byId.set(id, this);
    }
    return id;
  }
}

/**
 * Calls `callback` after `delay`, optionally repeatedly, on the timer chain. The clock is
 * read as the call begins, so the deadline is the call's plus `delay`.
 * @param callback called when the timer fires, with the number of periods missed since the
 *   previous call (always 0 for a one-shot timer), in the async context of this call.
 * @param delay milliseconds like setTimeout (fractions kept), a bigint of ns, or `{ ns, us, ms, s }`.
 * @param options `interval` to repeat, `ref`, `spin` (see {@link TimerOptions}).
 * @returns the armed {@link Timer}.
 * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE for a callback that is not
 *   a function, or a bad delay or option (an invalid `interval` is reported as `options.interval`);
 *   nothing is armed then.
 * @throws RangeError ERR_OUT_OF_RANGE if the delay or interval is negative, not finite or
 *   above 2^52 ns, or the spin margin is above 2 ms; nothing is armed then.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
 * @example
 * ```js
 * import { setTimer } from 'itimer';
 * let ticks = 0;
 * const timer = setTimer((overrun) => {
 *   console.log('tick', ++ticks, 'missed', overrun);
 *   if (ticks === 3) timer.cancel();
 * }, 2.5, { interval: true }); // every 2.5 ms, drift-free
 * ```
 */
export function setTimer(callback: TimerCallback, delay: Delay, options?: TimerOptions): Timer {
  const chain = getChain();
  const nowNs = chain.now(); // first: the deadline is the call's
  const timer = new Timer(callback, options).relativeTo(nowNs, delay);
  const interval = options === undefined ? false : (options.interval ?? false);
  if (interval !== false) {
    if (interval !== true) delayToNs(interval, 'options.interval'); // refused under its own name
    timer.setInterval(interval === true ? delay : interval);
    if (timer.intervalNs === 0) {
      // Node: setInterval(cb, 0) repeats every 1 ms, the first time after 1 ms.
      timer.setInterval(1);
      if (interval === true) timer.relativeTo(nowNs, 1);
    }
  }
  chain.arm(timer);
  return timer;
}

/**
 * Disarms a timer given as the object or its primitive id, as a number or a string (like
 * clearTimeout). Anything else is ignored, as clearTimeout ignores it.
 * @param timer a {@link Timer}, or the id its `Symbol.toPrimitive` returned, as a number or its
 *   decimal string.
 * @returns true if a timer was disarmed before it fired (what {@link Timer.cancel} returns).
 * @throws Never: anything that is not a timer or a timer's id is ignored.
 */
export function clearTimer(timer: Timer | number | string | null | undefined): boolean {
  if (timer instanceof Timer) return timer.cancel();
  if (typeof timer === 'number') return byId.get(timer)?.cancel() ?? false;
  if (typeof timer === 'string' && String(Number(timer)) === timer) return byId.get(Number(timer))?.cancel() ?? false;
  return false;
}

/**
 * Now on the chain's time base, in ns (CLOCK_MONOTONIC since the process origin, or virtual time).
 * @returns the current time in nanoseconds on the chain's time base: whole nanoseconds of
 *   CLOCK_MONOTONIC since the process's origin, or the virtual time on the `virtual` backend.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
 */
export function chainNow(): number {
  return getChain().now();
}
