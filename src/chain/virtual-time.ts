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
 * As `@sinonjs/fake-timers`: the synchronous drivers (`tick`, `next`, `runAll`) run the due
 * timers pass by pass without letting promise jobs run in between; the asynchronous ones
 * (`tickAsync`, `nextAsync`, `runAllAsync`) fire one timer at a time and give the real event
 * loop a turn (one of Node's own immediates, taken at load) before the first and after every
 * timer, so promise chains settle and arm their next timers between any two timers.
 * `uninstall()` cancels the timers armed while virtual time was installed (fake-timers' fake
 * timers vanish with their clock), so a forgotten interval can neither move to real time nor
 * keep the process from exiting; timers armed before the install keep their deadlines.
 *
 * Units: durations are {@link Delay}s as everywhere in itimer (a number is milliseconds, a
 * bigint nanoseconds, or `{ ns, us, ms, s }`); readings say their unit in their name
 * (`nowNs`, `nowMs`). Virtual timers never keep the process alive: nothing but the test's own
 * driving can make them fire. Each driving call throws `ERR_ITIMER_NOT_VIRTUAL` on any other
 * backend; `loopLimit` (default 1000) is an integer from 1 to 2^31-1.
 * @module
 */
import { nodeSetImmediate } from '../runtime/node-timers.js';
import type { Delay } from './delay.js';
import { delayToNs } from './delay.js';
import { DEFAULT_LOOP_LIMIT, driveAsync, validateLoopLimit } from './drive.js';
import { activeAlarm, availableAlarms, chainStarted, configureAlarms, getChain } from './process-chain.js';
import { Timer } from './timer.js';

/** A scoped switch to virtual time, from {@link virtualTime.install}. */
export interface VirtualTimeInstall extends Disposable {
  /**
   * Restores the backends configured before the install (the chain moves back; timers armed
   * before the install keep their deadlines) and cancels every timer armed during the
   * install that is still armed — as fake-timers' timers vanish with their clock — so none of
   * them runs in real time or keeps the process alive. Idempotent.
   * @returns the number of timers it cancelled (0 the second time), so a test can assert
   *   that it left none.
   */
  uninstall(): number;
}

/** Lets promise chains settle and arm their next timers: one turn of the real event loop. */
const settle = () => new Promise<void>((resolve) => nodeSetImmediate(resolve));

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
  tick(delay: Delay, loopLimit = DEFAULT_LOOP_LIMIT): number {
    return getChain().tick(delayToNs(delay), loopLimit);
  },
  /** Advances to the earliest deadline and runs it. @returns false when nothing is armed. */
  next(): boolean {
    return getChain().next();
  },
  /** Runs until no timer is armed; throws `ERR_ITIMER_LOOP_LIMIT` after `loopLimit` passes. */
  runAll(loopLimit = DEFAULT_LOOP_LIMIT): number {
    return getChain().runAll(loopLimit);
  },
  /**
   * Advances time by `delay` like {@link virtualTime.tick}, but one timer at a time, with a
   * turn of the real event loop before the first and after each, so that promise jobs run
   * between any two timers and code awaiting one timer can arm the next within the same
   * tick — as `@sinonjs/fake-timers`' `tickAsync`.
   * @returns the number of timers run.
   */
  async tickAsync(delay: Delay, loopLimit = DEFAULT_LOOP_LIMIT): Promise<number> {
    const deltaNs = delayToNs(delay);
    validateLoopLimit(loopLimit);
    const chain = getChain();
    const target = chain.now() + deltaNs;
    const due = () => {
      const earliest = chain.earliestDeadlineNs();
      return earliest !== undefined && earliest <= target;
    };
    const timers = await driveAsync(due, () => chain.stepVirtual(target, true), settle, loopLimit, 'timers');
    chain.stepVirtual(target);
    return timers;
  },
  /**
   * Fires the earliest timer, with a turn of the event loop before and after.
   * @returns false when nothing is armed.
   */
  async nextAsync(): Promise<boolean> {
    await settle();
    const chain = getChain();
    const due = chain.earliestDeadlineNs();
    const ran = due !== undefined && chain.stepVirtual(due, true);
    await settle();
    return ran;
  },
  /**
   * Fires timers one at a time, with a turn of the event loop before the first and after
   * each, until none is armed (fake-timers' `runAllAsync`).
   * @returns the number of timers run.
   */
  async runAllAsync(loopLimit = DEFAULT_LOOP_LIMIT): Promise<number> {
    validateLoopLimit(loopLimit);
    const chain = getChain();
    return driveAsync(
      () => chain.size > 0,
      () => chain.stepVirtual(chain.earliestDeadlineNs()!, true),
      settle,
      loopLimit,
      'timers',
    );
  },
  /**
   * Moves the process chain to virtual time (starting at 0) until the returned handle is
   * disposed (`using`) or uninstalled, then restores the backends configured before.
   * Already on virtual time, it changes nothing and its uninstall restores nothing (it still
   * cancels the timers armed since).
   */
  install(): VirtualTimeInstall {
    const previous = availableAlarms();
    const wasVirtual = (activeAlarm() ?? previous[0]) === 'virtual';
    const before = new Set(chainStarted() ? chainTimers() : []);
    if (!wasVirtual) configureAlarms('virtual');
    getChain();
    let installed = true;
    return {
      uninstall() {
        if (!installed) return 0;
        installed = false;
        const left = chainTimers().filter((timer) => !before.has(timer));
        for (const timer of left) timer.cancel();
        if (!wasVirtual) configureAlarms(previous.join(','));
        return left.length;
      },
      [Symbol.dispose]() {
        this.uninstall();
      },
    };
  },
};

/** The public timers armed on the process chain (not the library's own waiters). */
function chainTimers(): Timer[] {
  return getChain()
    .armedWaiters()
    .filter((waiter): waiter is Timer => waiter instanceof Timer);
}
