/**
 * Driving the process chain's time by hand, when it runs on the `virtual` backend: the same
 * timer API as real time, deterministic, fake-timers style — for test suites.
 *
 * ```js
 * import { sleep, virtualTime } from 'itimer';
 * const clock = virtualTime.install();      // the chain moves to virtual time (or, in
 * try {                                     // TypeScript: `using clock = virtualTime.install()`)
 *   const done = (async () => { await sleep(10); await sleep(10); await sleep(10); })();
 *   await virtualTime.tickAsync(30);        // all three sleeps, each at its own deadline
 *   await done;
 * } finally {
 *   clock.uninstall();                      // back to the backends configured before
 * }
 * ```
 *
 * Units: durations are {@link Delay}s as everywhere in itimer (a number is milliseconds, a
 * bigint nanoseconds, or `{ ns, us, ms, s }`); readings say their unit in their name
 * (`nowNs`, `nowMs`). Virtual timers never keep the process alive: nothing but the test's own
 * driving can make them fire. Each driving call throws `ERR_ITIMER_NOT_VIRTUAL` on any other
 * backend; `loopLimit` (default 1000) is an integer from 1 to 2^31-1.
 * @module
 */
import { loopLimitError, validateLoopLimit } from './chain.js';
import { activeAlarm, availableAlarms, configureAlarms, getChain } from './process-chain.js';
import type { Delay } from './timers.js';
import { delayToNs } from './timers.js';

/** A scoped switch to virtual time, from {@link virtualTime.install}. */
export interface VirtualTimeInstall extends Disposable {
  /**
   * Restores the backends configured before the install (the chain moves back, its timers
   * keep their deadlines — virtual ones are then in the past and run at once, so drain or
   * cancel them first). Idempotent.
   * @returns the number of timers still armed, so a test can assert that it left none.
   */
  uninstall(): number;
}

/** Lets promise chains settle and arm their next timers: one turn of the real event loop. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Controls of virtual time. */
export const virtualTime = {
  /** Virtual now, in ns (0 when the virtual backend starts). */
  nowNs(): number {
    return getChain().now();
  },
  /** Virtual now, in ms (fractional). */
  nowMs(): number {
    return getChain().now() / 1e6;
  },
  /** @deprecated The same as {@link virtualTime.nowNs}: the name now says the unit. */
  now(): number {
    return getChain().now();
  },
  /** The number of timers armed on the chain. */
  pending(): number {
    return getChain().size;
  },
  /**
   * Advances time by `delay`, synchronously, running every timer that falls due on the way
   * at its own deadline. Promise callbacks do not run in between: see {@link virtualTime.tickAsync}.
   * @returns the number of passes run.
   */
  tick(delay: Delay, loopLimit = 1000): number {
    return getChain().tick(delayToNs(delay), loopLimit);
  },
  /** Advances to the earliest deadline and runs it. @returns false when nothing is armed. */
  next(): boolean {
    return getChain().next();
  },
  /** Runs until no timer is armed; throws `ERR_ITIMER_LOOP_LIMIT` after `loopLimit` passes. */
  runAll(loopLimit = 1000): number {
    return getChain().runAll(loopLimit);
  },
  /**
   * Advances time by `delay` like {@link virtualTime.tick}, but lets promise chains run
   * before the first timer and after each pass (one turn of the real event loop), so that
   * code awaiting one timer can arm the next within the same tick — as
   * `@sinonjs/fake-timers`' `tickAsync`.
   * @returns the number of passes run.
   */
  async tickAsync(delay: Delay, loopLimit = 1000): Promise<number> {
    const deltaNs = delayToNs(delay);
    validateLoopLimit(loopLimit);
    const chain = getChain();
    const target = chain.now() + deltaNs;
    let passes = 0;
    await settle();
    for (let due = chain.earliestDeadlineNs(); due !== undefined && due <= target; due = chain.earliestDeadlineNs()) {
      if (++passes > loopLimit) throw loopLimitError(loopLimit, 'timer passes');
      chain.stepVirtual(target);
      await settle();
    }
    chain.stepVirtual(target);
    return passes;
  },
  /** {@link virtualTime.next}, then one turn of the event loop. */
  async nextAsync(): Promise<boolean> {
    await settle();
    const ran = getChain().next();
    await settle();
    return ran;
  },
  /** {@link virtualTime.runAll}, letting promise chains run before and after each pass. */
  async runAllAsync(loopLimit = 1000): Promise<number> {
    validateLoopLimit(loopLimit);
    const chain = getChain();
    let passes = 0;
    await settle();
    while (chain.size > 0) {
      if (++passes > loopLimit) throw loopLimitError(loopLimit, 'timer passes');
      chain.next();
      await settle();
    }
    return passes;
  },
  /**
   * Moves the process chain to virtual time (starting at 0) until the returned handle is
   * disposed (`using`) or uninstalled, then restores the backends configured before.
   * Already on virtual time, it changes nothing and its uninstall restores nothing.
   */
  install(): VirtualTimeInstall {
    const previous = availableAlarms();
    const wasVirtual = (activeAlarm() ?? previous[0]) === 'virtual';
    if (!wasVirtual) configureAlarms('virtual');
    getChain();
    let installed = true;
    return {
      uninstall() {
        if (installed && !wasVirtual) configureAlarms(previous.join(','));
        installed = false;
        return getChain().size;
      },
      [Symbol.dispose]() {
        this.uninstall();
      },
    };
  },
};
