/**
 * `itimer/timers`: Node's `setTimeout`, `setInterval`, `clearTimeout` and `clearInterval`,
 * with Node's signatures and rules, on the timer chain — so an application switches with
 * one import line and gets timers that never fire early and keep sub-millisecond delays.
 * `setImmediate` and `clearImmediate` are Node's own (an immediate involves no timer), and
 * `promises` is `itimer/promises`, as `node:timers` has them.
 *
 * ```js
 * import { setTimeout, clearTimeout } from 'itimer/timers';
 * const t = setTimeout((a, b) => console.log(a + b), 2.5, 1, 2); // 2.5 ms, not "2 or 3"
 * clearTimeout(t);
 * ```
 *
 * As in Node (its lib/timers.js and lib/internal/timers.js decide):
 * - extra arguments are passed to the callback, and `this` inside it is the `Timeout`;
 * - the delay is converted with `delay * 1`; anything that is not then a number from 1 to
 *   2^31-1 (`TIMEOUT_MAX`) becomes 1 ms, and a delay above `TIMEOUT_MAX` also emits a
 *   `TimeoutOverflowWarning`; a callback that is not a function is `ERR_INVALID_ARG_TYPE`;
 * - `setInterval(cb, 0)` repeats every 1 ms; `clearTimeout` and `clearInterval` both clear
 *   either kind, take the object or its primitive id (a number or its string, once
 *   `+timeout` has been taken), and ignore anything else;
 * - the `Timeout` has `ref`, `unref`, `hasRef`, `refresh`, `close`, `Symbol.toPrimitive`
 *   and `Symbol.dispose`. `refresh()` re-arms for the timer's delay from now, even a one-shot
 *   that has fired; after `clearTimeout`, `clearInterval`, `close()` or `Symbol.dispose` it
 *   does nothing (Node unenrolls a cleared timer for good);
 * - `util.promisify(setTimeout)` is `itimer/promises`' setTimeout, and
 *   `util.promisify(setImmediate)` is Node's promise `setImmediate` (both through
 *   `util.promisify.custom`, a getter as in Node).
 *
 * `clearTimeout` and `clearInterval` also take Node's own timers: anything that is not an
 * itimer timer goes on to the `clearTimeout` of `node:timers` (taken when this module
 * loads), and an id goes to both, so one import serves code that mixes the two. The
 * reverse does not hold: `clearTimeout` from `node:timers` (or the global one) cannot
 * cancel an itimer timer — it silently does nothing.
 *
 * Where it differs from Node, on purpose: a fractional delay is kept (2.5 ms is 2.5 ms; Node
 * truncates it), a timer never fires before its deadline (Node's can, by up to ~1 ms), an
 * interval is re-armed from its previous deadline, so it does not drift (Node re-arms from
 * the time its callback started), and a symbol or bigint delay, boxed or not, is a coded
 * `ERR_INVALID_ARG_TYPE` TypeError (Node's `delay * 1` throws an uncoded one). Not here:
 * Node's deprecated `enroll`, `unenroll`, `active` and `_unrefActive` (DEP0095, DEP0096,
 * DEP0126, DEP0127), which work on Node's own timer lists.
 * @module
 */
import { promisify } from 'node:util';
import { invalidArgType } from '../posix/validate.js';
import { chainNow, clearTimer, Timer } from '../chain/index.js';
import { nodeClearImmediate, nodeClearTimeout, nodeSetImmediate } from '../runtime/node-timers.js';
import { nodeDelayMs } from './delay.js';
import { setTimeout as promiseSetTimeout } from './promises.js';

export { TIMEOUT_MAX } from './delay.js';
export * as promises from './promises.js';

function validateCallback(callback: unknown): asserts callback is (...args: unknown[]) => void {
  if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
}

/** Runs a Node-style timer's callback: `this` is the timer, the extra arguments follow. */
function runCallback(this: Timeout): void {
  this._run();
}

/**
 * Node's `Timeout`, on the chain: returned by {@link setTimeout} and {@link setInterval}.
 * A {@link Timer}, so it also has the chain's operations.
 *
 * Invariant: `#cleared` is true from a clear (`clearTimeout`, `clearInterval`, `close()`,
 * `Symbol.dispose`, `cancel()`, `clearTimer`) until the next explicit `arm()` or
 * `rearmAbsolute()`; while it is, `refresh()` does nothing.
 */
export class Timeout extends Timer {
  /** The async resource type of these timers: Node's own timers' (async_hooks `init`). */
  static override resourceType = 'Timeout';
  readonly #callback: (...args: unknown[]) => void;
  readonly #args: unknown[] | undefined;
  #cleared = false;

  /** @hidden Use {@link setTimeout} or {@link setInterval}. */
  constructor(callback: (...args: unknown[]) => void, delayMs: number, args: unknown[], repeat: boolean, nowNs = chainNow()) {
    super(runCallback as () => void);
    validateCallback(callback);
    if (!Array.isArray(args)) throw invalidArgType('args', 'an array', args);
    this.#callback = callback;
    this.#args = args.length > 0 ? args : undefined;
    this.relativeTo(nowNs, delayMs);
    if (repeat) this.setInterval(delayMs);
  }

  /** @internal Called by the chain, through the shared {@link runCallback}. */
  _run(): void {
    const args = this.#args;
    if (args === undefined) this.#callback.call(this);
    else this.#callback.apply(this, args);
  }

  /**
   * Re-arms for the timer's delay from now, whether or not it fired (Node's
   * `timeout.refresh()`); does nothing once the timer was cleared, as in Node.
   * @returns this timer, for chaining.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
   */
  override refresh(): this {
    return this.#cleared ? this : super.refresh();
  }

  /**
   * Disarms and clears the timer, as `clearTimeout(this)`: {@link Timeout.refresh} does
   * nothing afterwards (until an explicit {@link Timeout.arm}).
   * @returns true if removed before firing; false if it already fired or is running.
   */
  override cancel(): boolean {
    this.#cleared = true;
    return super.cancel();
  }

  /**
   * Arms the timer at its deadline (the chain's operation; Node has none): a cleared timer
   * is live again.
   * @returns this timer, for chaining.
   * @throws Error ERR_ITIMER_ALREADY_ARMED if it is armed.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
   */
  override arm(): this {
    super.arm();
    this.#cleared = false;
    return this;
  }

  /**
   * Re-arms at an absolute deadline whether or not it fired (the chain's operation; Node has
   * none): a cleared timer is live again.
   * @param deadlineNs the new deadline in integer nanoseconds on the chain's time base.
   * @returns true if it was still armed (removed before it fired); false otherwise.
   * @throws TypeError ERR_INVALID_ARG_TYPE if deadlineNs is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if deadlineNs is not a safe integer. A refused call changes nothing.
   * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
   */
  override rearmAbsolute(deadlineNs: number): boolean {
    const wasArmed = super.rearmAbsolute(deadlineNs);
    this.#cleared = false;
    return wasArmed;
  }
}

/**
 * Calls `callback(...args)` once after `delay` ms (fractions kept), with Node's rules.
 * `util.promisify(setTimeout)` is the `setTimeout` of `itimer/promises`.
 * @param callback called once, with `this` the {@link Timeout} and `args` as its arguments.
 * @param delay milliseconds, converted with `delay * 1` (fractions kept); anything that is not
 *   from 1 to 2^31-1 (`TIMEOUT_MAX`) is 1 ms, and a delay above `TIMEOUT_MAX` also emits a
 *   `TimeoutOverflowWarning`.
 * @param args the arguments `callback` is called with.
 * @returns the armed {@link Timeout}.
 * @throws TypeError ERR_INVALID_ARG_TYPE when `callback` is not a function.
 * @throws TypeError ERR_INVALID_ARG_TYPE if delay is a symbol or a bigint, boxed or not (which `delay * 1` cannot convert).
 * @throws whatever an object `delay`'s own conversion (`valueOf`, `toString`) throws, as in Node.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
 */
export function setTimeout<TArgs extends unknown[]>(callback: (...args: TArgs) => void, delay?: number, ...args: TArgs): Timeout {
  const nowNs = chainNow(); // first: the deadline is the call's
  validateCallback(callback);
  return new Timeout(callback as (...args: unknown[]) => void, nodeDelayMs(delay), args, false, nowNs).arm();
}

// As Node's: a getter, enumerable, not configurable.
Object.defineProperty(setTimeout, promisify.custom, { enumerable: true, get: () => promiseSetTimeout });

/**
 * Calls `callback(...args)` every `delay` ms (fractions kept; 0 is 1 ms), drift-free,
 * with Node's rules.
 * @param callback called every period, with `this` the {@link Timeout} and `args` as its arguments.
 * @param delay the period in milliseconds, converted with `delay * 1` (fractions kept); anything that is not from 1
 *   to 2^31-1 (`TIMEOUT_MAX`) is 1 ms, and a delay above `TIMEOUT_MAX` also emits a
 *   `TimeoutOverflowWarning`.
 * @param args the arguments `callback` is called with.
 * @returns the armed {@link Timeout}.
 * @throws TypeError ERR_INVALID_ARG_TYPE when `callback` is not a function.
 * @throws TypeError ERR_INVALID_ARG_TYPE if delay is a symbol or a bigint, boxed or not (which `delay * 1` cannot convert).
 * @throws whatever an object `delay`'s own conversion (`valueOf`, `toString`) throws, as in Node.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND if this call starts the chain and no enabled backend starts.
 */
export function setInterval<TArgs extends unknown[]>(callback: (...args: TArgs) => void, delay?: number, ...args: TArgs): Timeout {
  const nowNs = chainNow(); // first: the deadline is the call's
  validateCallback(callback);
  return new Timeout(callback as (...args: unknown[]) => void, nodeDelayMs(delay), args, true, nowNs).arm();
}

/**
 * Cancels a timeout or an interval — an itimer timer or one of Node's own — given as the
 * object or its primitive id (number or string); ignores anything else.
 * @param timeout a {@link Timeout} (or any itimer `Timer`), a `Timeout` of `node:timers`, or
 *   the id `+timeout` returned for either, as a number or its decimal string.
 * @throws whatever a getter `_onTimeout` of an object given throws: an object that is not an
 *   itimer timer goes to Node's own `clearTimeout`, which reads it. Nothing else throws.
 */
export function clearTimeout(timeout: Timer | NodeJS.Timeout | string | number | null | undefined): void {
  if (timeout instanceof Timer) {
    timeout.cancel();
    return;
  }
  // Ids: itimer's and Node's are one id space (async ids), so at most one of the two has it.
  if (typeof timeout === 'number' || typeof timeout === 'string') clearTimer(timeout);
  nodeClearTimeout(timeout as NodeJS.Timeout);
}

/**
 * Cancels an interval or a timeout, exactly as {@link clearTimeout} (Node lets either clear both).
 * @param timeout a {@link Timeout} (or any itimer `Timer`), a `Timeout` of `node:timers`, or
 *   the id `+timeout` returned for either, as a number or its decimal string.
 * @throws whatever a getter `_onTimeout` of an object given throws, as {@link clearTimeout}.
 */
export function clearInterval(timeout: Timer | NodeJS.Timeout | string | number | null | undefined): void {
  clearTimeout(timeout);
}

/**
 * Node's own `setImmediate` of `node:timers`, taken when this module loads: an immediate
 * involves no timer, so the chain has no part in it.
 * @param callback called once after the I/O callbacks of this turn of the event loop, with `args`.
 * @param args the arguments `callback` is called with.
 * @returns Node's `Immediate`.
 * @throws TypeError ERR_INVALID_ARG_TYPE when `callback` is not a function.
 */
export const setImmediate: <TArgs extends unknown[]>(callback: (...args: TArgs) => void, ...args: TArgs) => NodeJS.Immediate = nodeSetImmediate;

/**
 * Node's own `clearImmediate` of `node:timers`, taken when this module loads.
 * @param immediate the `Immediate` {@link setImmediate} returned; anything else is ignored.
 * @throws Never.
 */
export const clearImmediate: (immediate: NodeJS.Immediate | undefined) => void = nodeClearImmediate;
