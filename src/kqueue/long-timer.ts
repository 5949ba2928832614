/**
 * A chain timer for any delay. kevent(2) takes timer values and timeouts far beyond what the
 * chain holds (delays up to 2^52 ns, about 52 days: FreeBSD saturates a timer at SBT_MAX,
 * about 68 years, and waits up to INT32_MAX seconds); saturating them to the chain's range
 * would fire a 60-day timer at 52 days — early. So a delay beyond the range runs as hops: a
 * one-shot chain timer for the longest delay the chain holds, re-armed from its callback for
 * what remains, until the last hop expires. Never early; each hop adds its wake-up lateness
 * (microseconds per 52 days). Delays within the range — every timer a test or a program
 * normally sets — are one chain timer, periodic ones the chain's own periodic timer
 * (drift-free, overruns counted).
 *
 * Invariant: at most one chain timer armed per LongTimer (`#timer`); `cancel()` disarms it.
 * @module
 */
import type { Timer } from '../chain/index.js';
import { setTimer } from '../chain/index.js';

/** The longest delay one chain timer holds, in ns (`delayToNs`'s limit). */
export const MAX_CHAIN_DELAY_NS = Math.floor(Number.MAX_SAFE_INTEGER / 2);

/** A one-shot or periodic expiry at any finite delay, on the process chain. */
export class LongTimer {
  #timer: Timer | undefined;
  /** Called with the number of expirations (1, plus the periods a late pass covered). */
  readonly #expire: (count: number) => void;
  readonly #ref: boolean;

  /**
   * An unarmed timer.
   * @param expire Called at each expiry with the expirations it counts (1 + overruns).
   * @param ref Whether it keeps the process alive while armed.
   */
  constructor(expire: (count: number) => void, ref: boolean) {
    this.#expire = expire;
    this.#ref = ref;
  }

  /**
   * (Re)arms for `delayNs` from now, then every `periodNs` if it is positive; an earlier
   * arming is cancelled first.
   * @param delayNs The first delay in ns, a finite number ≥ 0.
   * @param periodNs The period in ns; 0 for a one-shot timer.
   */
  start(delayNs: number, periodNs: number): void {
    this.cancel();
    if (delayNs <= MAX_CHAIN_DELAY_NS && periodNs <= MAX_CHAIN_DELAY_NS) {
      const interval = periodNs > 0 ? { ns: periodNs } : false;
      this.#timer = setTimer((overrun) => this.#expire(1 + overrun), { ns: delayNs }, { ref: this.#ref, interval });
    } else this.#hop(delayNs, periodNs);
  }

  /** Arms one hop of at most the chain's range toward an expiry `remainingNs` away. */
  #hop(remainingNs: number, periodNs: number): void {
    const hopNs = Math.min(remainingNs, MAX_CHAIN_DELAY_NS);
    const arrive = () => {
      if (remainingNs > hopNs) return this.#hop(remainingNs - hopNs, periodNs);
      if (periodNs > 0) this.#hop(periodNs, periodNs); // the next period, before the callback, as the chain re-arms
      this.#expire(1);
    };
    this.#timer = setTimer(arrive, { ns: hopNs }, { ref: this.#ref });
  }

  /** Disarms; a LongTimer that is not armed stays so. */
  cancel(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
