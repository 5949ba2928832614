/**
 * `alarmSignal`: an AbortSignal that aborts after a precise delay, the chain's
 * `AbortSignal.timeout`.
 *
 * Like `AbortSignal.timeout`, the timer does not keep the process alive unless asked to, and
 * the pending timer does not keep the signal alive: the controller is held in a WeakMap keyed
 * by the signal, the timer's callback holds the signal only through a WeakRef, and a
 * FinalizationRegistry disarms the timer of a signal that was garbage-collected before its
 * deadline. The abort runs in the async context of the `alarmSignal` call.
 * @module
 */
import type { Delay, Spin } from './delay.js';
import { validateTimerOptions } from './delay.js';
import type { Timer } from './timer.js';
import { setTimer } from './timer.js';

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
 * @throws TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE if options is not a plain
 *   object, options.ref is not a boolean, or delay or options.spin is not a valid duration
 *   (a `spin` of null included).
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
  const held = new WeakRef(signal);
  const timer = setTimer(
    () => {
      const pending = held.deref();
      if (pending) alarmControllers.get(pending)?.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    },
    delay,
    { ref: options?.ref ?? false, spin: options?.spin },
  );
  alarmControllers.set(signal, controller);
  alarmTimers.register(signal, timer, timer);
  return signal;
}
