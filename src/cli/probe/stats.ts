/**
 * From raw samples to the figures the probe and the benchmarks report: order statistics per
 * frame (µs), the early count, CPU %, the promise resumption (after `await` minus in the
 * callback, per sample: how long after its resolution a promise's continuation ran), and each
 * p50 as a ratio to the references' p50 in the same frame and the same run — Node's
 * `setTimeout` and the bare timerfd watcher. Ratios within one interleaved run are what carries
 * over from one machine, or one day, to another; absolute µs do not.
 * @module
 */
import type { MechanismId } from './mechanisms.js';
import type { Series } from './measure.js';

/** Order statistics of one frame's lateness, µs (negative: early). */
export interface Quantiles {
  /** Samples. */
  n: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 99th percentile (with fewer than 100 samples, the maximum or next to it). */
  p99: number;
  /** The latest sample. */
  max: number;
  /** Samples before the deadline. */
  early: number;
}

/** One frame of a mechanism, with its p50 against the references' in the same frame. */
export interface FrameSummary extends Quantiles {
  /** p50 ÷ Node `setTimeout`'s p50 in this frame, same delay, same run (when positive). */
  vsSetTimeout?: number;
  /** p50 ÷ the bare timerfd watcher's p50 in this frame, same delay, same run (when positive). */
  vsWatcher?: number;
}

/** What is reported for one mechanism at one delay. */
export interface Summary {
  /** The mechanism. */
  id: MechanismId;
  /** The delay, ms. */
  delayMs: number;
  /** Lateness read in the callback (callback mechanisms only). */
  callback?: FrameSummary;
  /** Lateness read after `await`. */
  await: FrameSummary;
  /** After `await` minus in the callback, per sample: resolution → continuation (callback mechanisms). */
  resumption?: Quantiles;
  /** Diagnostic: lateness from the mechanism's own deadline (when it reports one). */
  ownFrame?: Quantiles;
  /** Diagnostic: the mechanism's own deadline minus the user's — how long into the call it read its clock. */
  armLag?: Quantiles;
  /** CPU time over wall time of this mechanism's samples, % of one core. */
  cpuPercent: number;
}

/**
 * The q-quantile of an ascending array (the element at ⌊q·n⌋, the last for q near 1).
 * @param sorted values in ascending order.
 * @param q the quantile, 0 to 1.
 * @returns the value, or NaN for an empty array.
 */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * Order statistics of samples given in ns, reported in µs (to the ns).
 * @param valuesNs the samples, in any order.
 * @returns the statistics, or undefined when there are no samples.
 */
export function quantiles(valuesNs: readonly number[]): Quantiles | undefined {
  if (valuesNs.length === 0) return undefined;
  const sorted = valuesNs.map((ns) => Math.round(ns) / 1000).sort((a, b) => a - b);
  return { n: sorted.length, p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: sorted.at(-1)!, early: sorted.filter((us) => us < 0).length };
}

const ratio = (p50: number, reference: Quantiles | undefined) => (reference && reference.p50 > 0 ? p50 / reference.p50 : undefined);

/**
 * Summarises the series of one run, with ratios to the references of the same run.
 * @param series the raw samples of one run.
 * @returns one summary per series with samples, in the order given.
 */
export function summarise(series: readonly Series[]): Summary[] {
  const summaries = series.flatMap((s): Summary[] => {
    const awaited = quantiles(s.awaitNs);
    if (!awaited) return [];
    const callback = quantiles(s.callbackNs);
    const resumption = quantiles(s.callbackNs.map((cb, i) => s.awaitNs[i]! - cb));
    const ownFrame = quantiles(s.ownFrameNs);
    const armLag = quantiles(s.armLagNs);
    return [
      {
        id: s.id,
        delayMs: s.delayMs,
        ...(callback && { callback }),
        await: awaited,
        ...(resumption && { resumption }),
        ...(ownFrame && { ownFrame }),
        ...(armLag && { armLag }),
        cpuPercent: s.wallNs > 0 ? (100 * s.cpuNs) / s.wallNs : 0,
      },
    ];
  });
  for (const s of summaries) {
    const reference = (id: MechanismId) => summaries.find((r) => r.id === id && r.delayMs === s.delayMs);
    for (const frame of ['callback', 'await'] as const) {
      const own = s[frame];
      if (!own) continue;
      const vsSetTimeout = ratio(own.p50, reference('setTimeout')?.[frame]);
      const vsWatcher = ratio(own.p50, reference('watcher')?.[frame]);
      if (vsSetTimeout !== undefined) own.vsSetTimeout = vsSetTimeout;
      if (vsWatcher !== undefined) own.vsWatcher = vsWatcher;
    }
  }
  return summaries;
}
