/**
 * Measuring firing lateness: one timer at a time, re-armed as soon as the previous fired,
 * for a chain backend, Node's `setTimeout`, or the `floor` — a blocking read of a timerfd
 * through FFI on this thread, the kernel's own wake-up with no event loop in between.
 * Each measurement should run in a fresh process (`itimer probe` and the benchmark do).
 * @module
 */
import type { BackendName } from '../../backends/index.js';
import { chainNow, configureAlarms, getChain, setTimer } from '../../chain/index.js';
import { host } from '../../host/index.js';
import { getTimerSlack } from '../../posix/index.js';
import { structBuffer, writeItimerspec } from '../../posix/structs.js';

/** What can be measured. */
export type LatenessMode = BackendName | 'setTimeout' | 'floor';

/** One measurement: lateness of each firing, sorted, in µs. */
export interface LatenessSample {
  /** The mechanism. */
  mode: LatenessMode;
  /** The delay of every timer, ms. */
  delayMs: number;
  /** The main thread's timer slack during the run, ns. */
  slackNs: number;
  /** How many fired before their deadline. */
  early: number;
  /** Lateness of each firing in µs (negative: early), ascending. */
  lateUs: number[];
}

function hrNs(): number {
  const [sec, nsec] = process.hrtime();
  return sec * 1e9 + nsec;
}

/** Measures `samples` firings of `mode` at `delayMs`. */
export async function measureLateness(mode: LatenessMode, delayMs: number, samples: number): Promise<LatenessSample> {
  const delayNs = Math.round(delayMs * 1e6);
  const lateNs: number[] = [];
  if (mode === 'floor') {
    const fd = host().timerfd_create(1, 0); // CLOCK_MONOTONIC, blocking reads
    const spec = structBuffer('itimerspec');
    const count = Buffer.alloc(8);
    for (let i = 0; i < samples; i++) {
      writeItimerspec(spec, { value: { sec: Math.floor(delayNs / 1e9), nsec: delayNs % 1e9 } }, 'spec');
      const start = hrNs();
      host().timerfd_settime(fd, 0, spec, null);
      host().read(fd, count, 8);
      lateNs.push(hrNs() - start - delayNs);
    }
    host().close(fd);
  } else if (mode === 'setTimeout') {
    for (let i = 0; i < samples; i++) {
      const start = hrNs();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      lateNs.push(hrNs() - start - delayNs);
    }
  } else {
    configureAlarms(mode);
    getChain();
    for (let i = 0; i < samples; i++) {
      await new Promise<void>((resolve) => {
        const timer = setTimer(() => {
          lateNs.push(chainNow() - timer.deadlineNs);
          resolve();
        }, { ns: delayNs });
      });
    }
  }
  lateNs.sort((a, b) => a - b);
  return { mode, delayMs, slackNs: getTimerSlack(), early: lateNs.filter((l) => l < 0).length, lateUs: lateNs.map((l) => Math.round(l) / 1000) };
}

/** The q-quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
