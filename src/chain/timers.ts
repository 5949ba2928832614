/**
 * Public timers on the chain: `setTimer`, the `Timer` handle, `sleep` and `alarmSignal`.
 *
 * A `Timer` is shaped like Node's `Timeout` (ref / unref / hasRef / refresh / close,
 * `Symbol.dispose`, `Symbol.toPrimitive`) and also offers the Akaros alarm operations:
 * deadlines relative, absolute (monotonic or Unix time) and incremental, `arm`, `cancel`
 * (true if removed before firing) and `rearmAbsolute`. Timers never fire before their
 * deadline. Periodic timers are re-armed incrementally from the previous deadline, so they
 * do not drift; their callback gets the number of periods missed (the overrun).
 *
 * The `spin` option trades CPU for precision: the host wakes the chain a margin before the
 * deadline and the chain busy-waits the rest (see the chain module's notes). A periodic
 * spinning timer is a fixed-rate loop.
 * @module
 */
import { clockGettime } from '../posix/index.js';
import { invalidArgType, invalidArgValue, outOfRange } from '../posix/validate.js';
import type { TimerChain } from './chain.js';
import { SPIN_MARGIN_MAX_NS, Waiter } from './chain.js';
import { getChain } from './process-chain.js';

/**
 * A duration: a number of milliseconds (fractions allowed, as precise as a double), a
 * bigint of nanoseconds, or an object of units that are added up.
 */
export type Delay = number | bigint | DelayUnits;

/** A duration as a sum of units; every field is optional and may be fractional. */
export interface DelayUnits {
  /** Nanoseconds. */
  readonly ns?: number;
  /** Microseconds. */
  readonly us?: number;
  /** Milliseconds. */
  readonly ms?: number;
  /** Seconds. */
  readonly s?: number;
}

/**
 * The spin tail of a timer: `false` (default) for none; `true` for the chain's automatic
 * margin (calibrated from its own wake-ups, 50 µs to 1 ms); or a fixed margin as a
 * {@link Delay} of at most 2 ms. The host wakes the chain that margin before the deadline
 * and the chain busy-waits the rest, blocking the event loop meanwhile. No effect on
 * virtual time.
 */
export type Spin = boolean | Delay;

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

const UNIT_NS = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 } as const;

/**
 * A delay in integer nanoseconds (rounded to the nearest ns).
 * @param delay a number of milliseconds, a bigint of nanoseconds, or a plain object of
 *   units (`{ ns, us, ms, s }`, each a number, added up; a unit that is `undefined` counts as absent).
 * @param name the argument's name in error messages (default `'delay'`).
 * @returns the delay in whole nanoseconds, from 0 to 2^52 (about 52 days).
 * @throws TypeError ERR_INVALID_ARG_TYPE if delay is not a number, a bigint or a plain
 *   object, or one of its units is neither a number nor undefined.
 * @throws TypeError ERR_INVALID_ARG_VALUE if the object has a key other than ns, us, ms, s.
 * @throws RangeError ERR_OUT_OF_RANGE if the total is NaN, negative, infinite or above 2^52 ns.
 */
export function delayToNs(delay: unknown, name = 'delay'): number {
  let ns: number;
  if (typeof delay === 'number') {
    ns = delay * 1e6;
    if (ns >= 0 && ns <= Number.MAX_SAFE_INTEGER / 2) return Math.round(ns); // the common case
  } else if (typeof delay === 'bigint') ns = Number(delay);
  else if (typeof delay === 'object' && delay !== null && isPlainObject(delay)) {
    ns = 0;
    for (const [unit, value] of Object.entries(delay)) {
      if (!Object.hasOwn(UNIT_NS, unit)) throw invalidArgValue(name, delay, `has an unknown unit '${unit}' (use ns, us, ms, s)`);
      if (value === undefined) continue; // as if absent: every field of DelayUnits is optional
      if (typeof value !== 'number') throw invalidArgType(`${name}.${unit}`, 'of type number', value);
      ns += value * UNIT_NS[unit as keyof typeof UNIT_NS];
    }
  } else throw invalidArgType(name, 'a number of ms, a bigint of ns, or { ns, us, ms, s }', delay);
  if (!Number.isFinite(ns) || ns < 0 || ns > Number.MAX_SAFE_INTEGER / 2) {
    throw outOfRange(name, `a finite duration from 0 to ${Math.floor(Number.MAX_SAFE_INTEGER / 2e6)} ms`, typeof delay === 'object' ? ns : delay);
  }
  return Math.round(ns);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A spin option as the waiter's `spin` field: 0 none, -1 automatic, or a margin in ns. */
function spinOption(spin: unknown, name: string): number {
  if (spin === undefined || spin === false) return 0;
  if (spin === true) return -1;
  const marginNs = delayToNs(spin, name);
  if (marginNs > SPIN_MARGIN_MAX_NS) throw outOfRange(name, `true, false, or a margin of at most ${SPIN_MARGIN_MAX_NS / 1e6} ms`, marginNs / 1e6);
  return marginNs;
}

/** Checks the options object of the timer calls: absent, or an object whose `ref` is a boolean. */
function validateTimerOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'of type object', options);
  const { ref } = options as { ref?: unknown };
  if (ref !== undefined && typeof ref !== 'boolean') throw invalidArgType('options.ref', 'of type boolean', ref);
}

let nextId = 1;
/** Timers whose primitive id was taken (Node's `knownTimersById`), for {@link clearTimer}(id). */
const byId = new Map<number, Timer>();
/** The ids taken, kept off the timer objects (rarely used; saves a field per timer). */
const idOf = new WeakMap<Timer, number>();

// Module functions rather than private methods: a class with private methods gives every
// instance a hidden brand field, and timers are many.
// Until some timer's id is taken, arm and cancel skip the WeakMap entirely.
function rememberId(timer: Timer): void {
  const id = nextId > 1 ? idOf.get(timer) : undefined;
  if (id) byId.set(id, timer);
}

function forgetId(timer: Timer): void {
  const id = nextId > 1 ? idOf.get(timer) : undefined;
  if (id) byId.delete(id);
}

/**
 * Sets a timer's deadline. An armed timer is re-armed there ({@link TimerChain.rearmAbsolute}):
 * its deadline is its heap key, which must not change in place.
 */
function moveDeadline(timer: Timer, deadlineNs: number): void {
  if (timer.armed) getChain().rearmAbsolute(timer, deadlineNs);
  else timer.deadlineNs = deadlineNs;
}

/** Checks a deadline given on the chain's time base: a safe integer number of ns. */
function validateDeadline(deadlineNs: unknown): void {
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
 * Invariants: armed exactly while in the chain; `intervalNs > 0` for periodic timers and 0
 * for one-shot ones; an id is allocated only when asked for (`Symbol.toPrimitive`).
 * `refresh()` re-arms for the timer's last relative delay (see {@link Timer.refresh}).
 */
export class Timer extends Waiter implements Disposable {
  /**
   * The delay refresh() re-arms for: the last one given to setRelative (kept as given: no
   * number box per timer), or, for a periodic timer, minus its period in ns (a negative
   * number, which no delay can be) — so a refreshed periodic timer restarts its period, as
   * Node's interval does; undefined when none was given. One field for both: a timer's size
   * is most of the chain's memory.
   */
  #delay: Delay | undefined = undefined;

  /**
   * An unarmed timer (Akaros `init_awaiter`). Set a deadline, then {@link Timer.arm}.
   * @param callback called when the timer fires, with the number of periods missed since
   *   the previous call (always 0 for a one-shot timer).
   * @param options `ref` (default true) and `spin` (default false); see {@link TimerConstructorOptions}.
   * @throws TypeError ERR_INVALID_ARG_TYPE if callback is not a function, options is not an
   *   object, options.ref is not a boolean, or options.spin is neither a boolean nor a {@link Delay}.
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
    if (options.ref === false) this.keepsAlive = false;
  }

  /** @internal Called by the chain when due. */
  override fire(nowNs: number): void {
    let overrun = 0;
    const intervalNs = this.intervalNs;
    if (intervalNs > 0) {
      // Incremental re-arm (Akaros set_awaiter_inc): from the deadline, not from now.
      overrun = Math.floor((nowNs - this.deadlineNs) / intervalNs);
      this.deadlineNs += (overrun + 1) * intervalNs;
      getChain().arm(this);
    } else forgetId(this);
    this.callback(overrun);
  }

  /** The period in ns, 0 for a one-shot timer. */
  get intervalNs(): number {
    const delay = this.#delay;
    return typeof delay === 'number' && delay < 0 ? -delay : 0;
  }

  /**
   * Sets the deadline `delay` from now (Akaros `set_awaiter_rel`), and the delay
   * {@link Timer.refresh} re-arms a one-shot timer for. Does not arm an unarmed timer; an
   * armed one is re-armed at the new deadline (see the class notes).
   * @param delay the time from now: milliseconds, a bigint of nanoseconds, or `{ ns, us, ms, s }`.
   * @returns this timer, for chaining.
   * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if delay is not a {@link Delay} (see {@link delayToNs}).
   * @throws RangeError ERR_OUT_OF_RANGE if delay is negative, not finite, or above 2^52 ns (about 52 days).
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  setRelative(delay: Delay): this {
    moveDeadline(this, getChain().now() + delayToNs(delay));
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
    const deadlineNs = getChain().now() + Number(unixNs - wallNs);
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
    moveDeadline(this, this.deadlineNs + delayToNs(delay));
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
    if (this.armed) getChain().setSpin(this, marginNs);
    else this.spin = marginNs;
    return this;
  }

  /**
   * Arms the timer at its deadline (Akaros `set_alarm`).
   * @returns this timer, for chaining.
   * @throws Error ERR_ITIMER_ALREADY_ARMED if it is armed.
   * @throws RangeError ERR_OUT_OF_RANGE if the public `deadlineNs` field was set to a non-finite number.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
   */
  arm(): this {
    getChain().arm(this);
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
    forgetId(this);
    return getChain().cancel(this);
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
    rememberId(this);
    return getChain().rearmAbsolute(this, deadlineNs);
  }

  /**
   * Keeps the process alive while armed (default).
   * @returns this timer, for chaining.
   */
  ref(): this {
    getChain().setRef(this, true);
    return this;
  }

  /**
   * Lets the process exit while this timer is armed.
   * @returns this timer, for chaining.
   */
  unref(): this {
    getChain().setRef(this, false);
    return this;
  }

  /**
   * Whether the timer keeps the process alive while armed.
   * @returns true if it keeps the process alive while armed (the default, or after ref());
   *   false after unref() or when created with `ref: false`.
   */
  hasRef(): boolean {
    return this.keepsAlive;
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
    this.rearmAbsolute(delay === undefined ? this.deadlineNs : getChain().now() + (this.intervalNs || delayToNs(delay)));
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
   * A numeric id, usable with {@link clearTimer} like Node's timeout ids.
   * @returns the timer's id: a positive integer allocated on the first call, the same on later
   *   calls, and never given to another timer.
   */
  [Symbol.toPrimitive](): number {
    let id = idOf.get(this);
    if (!id) {
      idOf.set(this, (id = nextId++));
      if (this.armed) byId.set(id, this);
    }
    return id;
  }
}

/**
 * Calls `callback` after `delay`, optionally repeatedly, on the timer chain.
 * @param callback called when the timer fires, with the number of periods missed since the
 *   previous call (always 0 for a one-shot timer).
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
  const timer = new Timer(callback, options).setRelative(delay);
  const interval = options === undefined ? false : (options.interval ?? false);
  if (interval !== false) {
    if (interval !== true) delayToNs(interval, 'options.interval'); // refused under its own name
    timer.setInterval(interval === true ? delay : interval);
    if (timer.intervalNs === 0) {
      // Node: setInterval(cb, 0) repeats every 1 ms, the first time after 1 ms.
      timer.setInterval(1);
      if (interval === true) timer.setRelative(1);
    }
  }
  return timer.arm();
}

/**
 * Disarms a timer given as the object or its primitive id, as a number or a string (like
 * clearTimeout). Anything else is ignored, as clearTimeout ignores it.
 * @param timer a {@link Timer}, or the id its `Symbol.toPrimitive` returned, as a number or its
 *   decimal string.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND only for a Timer object given before the chain has
 *   started, if no enabled backend starts then; ids and other values never throw.
 */
export function clearTimer(timer: Timer | number | string | null | undefined): void {
  if (timer instanceof Timer) timer.cancel();
  else if (typeof timer === 'number') byId.get(timer)?.cancel();
  else if (typeof timer === 'string' && String(Number(timer)) === timer) byId.get(Number(timer))?.cancel();
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

/** @internal Node's AbortError shape: `name` 'AbortError', `code` 'ABORT_ERR', `cause` the signal's reason. */
export function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** Options of {@link sleep}. */
export interface SleepOptions {
  /** Rejects with an AbortError when aborted, and disarms the timer. */
  signal?: AbortSignal;
  /** Keep the process alive while waiting (default true). */
  ref?: boolean;
  /** The spin tail (see {@link Spin}). */
  spin?: Spin;
}

/**
 * Resolves after `delay` (like `timers/promises` setTimeout, but precise).
 * @param delay milliseconds (fractions kept), a bigint of nanoseconds, or `{ ns, us, ms, s }`.
 * @param options `signal` to abort the wait, `ref` (default true), `spin` (see {@link SleepOptions}).
 * @returns a promise that resolves (with undefined) once the deadline has passed. It rejects,
 *   as timers/promises does, with `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` /
 *   `ERR_OUT_OF_RANGE` for bad arguments, with an AbortError (`ABORT_ERR`) when `options.signal`
 *   is or becomes aborted (the timer is then disarmed), and with `ERR_ITIMER_NO_ALARM_BACKEND`
 *   if the chain cannot start.
 * @throws Never: every error, argument errors included, is delivered as a rejection.
 * @example
 * ```js
 * import { sleep } from 'itimer';
 * await sleep({ us: 500 }); // half a millisecond, never less
 * await sleep(20, { spin: true }); // woken early and busy-waited: within ~1 µs
 * console.log('slept');
 * ```
 */
export function sleep(delay: Delay, options?: SleepOptions): Promise<void> {
  let timer: Timer;
  try {
    validateTimerOptions(options);
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    timer = new Timer(() => {}, options).setRelative(delay);
  } catch (error) {
    return Promise.reject(error);
  }
  const signal = options?.signal;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(abortError(signal!));
    };
    timer.callback = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    timer.arm();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Controllers of pending alarm signals, held only as long as their signal is reachable. */
const alarmControllers = new WeakMap<AbortSignal, AbortController>();
/** Disarms the timer of an alarm signal that was garbage-collected before its deadline. */
const alarmTimers = new FinalizationRegistry<Timer>((timer) => timer.cancel());

/**
 * An AbortSignal that aborts after `delay`, precisely (AbortSignal.timeout uses a
 * millisecond setTimeout). The reason is a `TimeoutError` DOMException, as with
 * AbortSignal.timeout, and like it the timer does not keep the process alive unless `ref`,
 * and the pending timer does not keep the signal alive: a signal nobody holds can be
 * garbage-collected before its deadline (its timer is then disarmed).
 * @param delay milliseconds (fractions kept), a bigint of nanoseconds, or `{ ns, us, ms, s }`.
 * @param options `ref` (default false: the timer does not keep the process alive) and `spin`
 *   (default false; see {@link Spin}).
 * @returns a signal that aborts `delay` from now with a `TimeoutError` DOMException as its reason.
 * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if options is not an object,
 *   options.ref is not a boolean, or delay or options.spin is not a valid duration.
 * @throws RangeError ERR_OUT_OF_RANGE if delay is negative, not finite or above 2^52 ns, or the
 *   spin margin is above 2 ms.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts (see {@link getChain}).
 * @example
 * ```js
 * import { alarmSignal } from 'itimer';
 * const signal = alarmSignal(5, { ref: true });
 * signal.addEventListener('abort', () => console.log(signal.reason.name)); // 'TimeoutError' after 5 ms
 * ```
 */
export function alarmSignal(delay: Delay, options?: { ref?: boolean; spin?: Spin }): AbortSignal {
  validateTimerOptions(options);
  const controller = new AbortController();
  const signal = controller.signal;
  alarmControllers.set(signal, controller);
  const held = new WeakRef(signal);
  const timer = setTimer(
    () => {
      const pending = held.deref();
      if (pending) alarmControllers.get(pending)?.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    },
    delay,
    { ref: options?.ref ?? false, spin: options?.spin ?? false },
  );
  alarmTimers.register(signal, timer, timer);
  return signal;
}
