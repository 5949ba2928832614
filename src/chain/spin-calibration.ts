/**
 * The automatic spin margin, calibrated from the chain's own wake-ups.
 *
 * A spinning timer is woken its margin before its deadline and busy-waits the rest, so the
 * margin must cover how late the host wakes the chain. Each wake-up records its lateness
 * (how long after the time the host was armed for the pass began); every 16 wake-ups the
 * margin becomes the 95th percentile of the last 64 latenesses plus a quarter, bounded to
 * [{@link SPIN_MARGIN_MIN_NS}, {@link SPIN_MARGIN_AUTO_MAX_NS}]. Before 16 wake-ups have been
 * seen it is {@link SPIN_MARGIN_INITIAL_NS}. Recording costs O(1); a recalculation sorts 64
 * numbers.
 * @module
 */
import { SPIN_MARGIN_INITIAL_NS } from './waiter.js';

/** The smallest automatic spin margin: 50 µs. */
export const SPIN_MARGIN_MIN_NS = 50_000;
/** The largest automatic spin margin: 1 ms. */
export const SPIN_MARGIN_AUTO_MAX_NS = 1_000_000;
/** Wake-up latenesses kept. */
const SAMPLES = 64;
/** Wake-ups between two recalculations. */
const EVERY = 16;

/** The ring of recent wake-up latenesses and the margin derived from it. */
export class SpinCalibration {
  readonly #samples: number[] = [];
  #next = 0;
  /** The automatic margin now, in ns. */
  marginNs = SPIN_MARGIN_INITIAL_NS;

  /** Records one wake-up's lateness in ns (negative if the host fired early, which it does not). */
  record(latenessNs: number): void {
    const samples = this.#samples;
    if (samples.length < SAMPLES) samples.push(latenessNs);
    else samples[this.#next] = latenessNs;
    this.#next = (this.#next + 1) % SAMPLES;
    if (this.#next % EVERY !== 0) return;
    const sorted = [...samples].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(0.95 * (sorted.length - 1))]!;
    this.marginNs = Math.round(Math.min(Math.max(p95 * 1.25, SPIN_MARGIN_MIN_NS), SPIN_MARGIN_AUTO_MAX_NS));
  }
}
