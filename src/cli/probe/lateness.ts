/**
 * Measuring firing lateness: one timer at a time, re-armed as soon as the previous fired.
 *
 * Mechanisms:
 * - a chain backend (`timerfd`, `dynticks`, `unix`, `libuv`): `setTimer` on that backend;
 * - `spin`: `setTimer` with `spin: true` on the default backend (woken early, busy-waited);
 * - `watcher`: a bare timerfd polled on the event loop, no chain — the host's raw mechanism;
 * - `nanotimer`: the npm package users pick for precise timers today (if installed);
 * - `setTimeout`: Node's own;
 * - `floor`: a blocking `read()` of a timerfd on this thread, no event loop at all.
 *
 * Lateness is the time from the deadline to the callback by CLOCK_MONOTONIC; CPU % is the
 * process's user + system CPU time over the wall time of the samples. Each mechanism can be
 * measured alone ({@link measureLateness}, in a fresh process as `itimer probe` does) or
 * several interleaved sample by sample in one process ({@link openProbe}), so that a noisy
 * machine's drift affects them alike.
 * @module
 */
import { createRequire } from 'node:module';
import { setTimeout } from 'node:timers';
import type { BackendName } from '../../backends/index.js';
import { configureAlarms, getChain, setTimer } from '../../chain/index.js';
import type { PollWatcher } from '../../host/index.js';
import { checked, host, watchReadable } from '../../host/index.js';
import { getTimerSlack, TIMER_ABSTIME } from '../../posix/index.js';
import { structBuffer, writeItimerRaw } from '../../posix/structs.js';

/** What can be measured. */
export type LatenessMode = BackendName | 'spin' | 'watcher' | 'nanotimer' | 'setTimeout' | 'floor';

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
  /** User + system CPU time of the process over the wall time of the samples, in % of one core. */
  cpuPercent: number;
}

/** CLOCK_MONOTONIC in ns (process.hrtime reads the same clock as timerfd and the chain). */
function hrNs(): number {
  const [sec, nsec] = process.hrtime();
  return sec * 1e9 + nsec;
}

/** A mechanism ready to fire one timer at a time. */
export interface LatenessProbe {
  /** The mechanism. */
  readonly mode: LatenessMode;
  /** Arms one timer `delayNs` from now; resolves with its lateness in ns (negative: early). */
  fireOnce(delayNs: number): Promise<number>;
  /** Releases what the probe holds. */
  close(): void;
}

/** A timerfd for the watcher and the floor: armed relative to `startNs` (absolute, never early). */
function timerfd(flags: number) {
  const fd = checked(host().timerfd_create(1, flags), 'timerfd_create'); // CLOCK_MONOTONIC
  const spec = structBuffer('itimerspec');
  const count = Buffer.alloc(8);
  return {
    fd,
    count,
    /** Arms for `deadlineNs` of CLOCK_MONOTONIC (process.hrtime's base). */
    arm(deadlineNs: number) {
      const wholeSec = Math.floor(deadlineNs / 1e9);
      writeItimerRaw(spec, wholeSec, deadlineNs - wholeSec * 1e9);
      checked(host().timerfd_settime(fd, TIMER_ABSTIME, spec, null), 'timerfd_settime');
    },
    close: () => host().close(fd),
  };
}

const NONBLOCK = 0o4000;

/**
 * Opens a probe for `mode`. A chain mode moves the process chain to its backend (`spin`
 * uses the default order), so several chain backends cannot be probed in one process.
 * @throws Error when the mechanism cannot run here (e.g. `nanotimer` not installed).
 */
export function openProbe(mode: LatenessMode): LatenessProbe {
  switch (mode) {
    case 'floor': {
      const tfd = timerfd(0); // blocking reads
      return {
        mode,
        fireOnce(delayNs) {
          const deadlineNs = hrNs() + delayNs;
          tfd.arm(deadlineNs);
          host().read(tfd.fd, tfd.count, 8);
          return Promise.resolve(hrNs() - deadlineNs);
        },
        close: tfd.close,
      };
    }
    case 'watcher': {
      const tfd = timerfd(NONBLOCK);
      let pending: ((lateNs: number) => void) | undefined;
      let deadlineNs = 0;
      const watcher: PollWatcher = watchReadable(tfd.fd, () => {
        if (host().read(tfd.fd, tfd.count, 8) !== 8) return;
        const resolve = pending;
        pending = undefined;
        resolve?.(hrNs() - deadlineNs);
      });
      watcher.ref();
      return {
        mode,
        fireOnce(delayNs) {
          deadlineNs = hrNs() + delayNs;
          tfd.arm(deadlineNs);
          return new Promise((resolve) => (pending = resolve));
        },
        close() {
          watcher.close();
          tfd.close();
        },
      };
    }
    case 'setTimeout':
      return {
        mode,
        fireOnce(delayNs) {
          const startNs = hrNs();
          return new Promise((resolve) => setTimeout(() => resolve(hrNs() - startNs - delayNs), delayNs / 1e6));
        },
        close() {},
      };
    case 'nanotimer': {
      const NanoTimer = createRequire(`${process.cwd()}/noop.js`)('nanotimer') as new () => {
        setTimeout(task: () => void, args: unknown[], delay: string): void;
      };
      return {
        mode,
        fireOnce(delayNs) {
          const startNs = hrNs();
          return new Promise((resolve) => new NanoTimer().setTimeout(() => resolve(hrNs() - startNs - delayNs), [], `${delayNs}n`));
        },
        close() {},
      };
    }
    default: {
      if (mode !== 'spin') configureAlarms(mode);
      getChain();
      const spin = mode === 'spin';
      return {
        mode,
        fireOnce(delayNs) {
          return new Promise((resolve) => {
            const timer = setTimer(() => resolve(getChain().now() - timer.deadlineNs), { ns: delayNs }, { spin });
          });
        },
        close() {},
      };
    }
  }
}

/** Sorted lateness in µs, early count and CPU % from raw samples. */
export function summarise(mode: LatenessMode, delayMs: number, lateNs: number[], cpuNs: number, wallNs: number): LatenessSample {
  const sorted = [...lateNs].sort((a, b) => a - b);
  return {
    mode,
    delayMs,
    slackNs: getTimerSlack(),
    early: sorted.filter((l) => l < 0).length,
    lateUs: sorted.map((l) => Math.round(l) / 1000),
    cpuPercent: wallNs > 0 ? (100 * cpuNs) / wallNs : 0,
  };
}

/** CPU time (user + system) of this process in ns. */
export function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/** Measures `samples` firings of `mode` at `delayMs`, alone. */
export async function measureLateness(mode: LatenessMode, delayMs: number, samples: number): Promise<LatenessSample> {
  const probe = openProbe(mode);
  const delayNs = Math.round(delayMs * 1e6);
  const lateNs: number[] = [];
  const cpuStart = cpuNs();
  const wallStart = hrNs();
  try {
    for (let i = 0; i < samples; i++) lateNs.push(await probe.fireOnce(delayNs));
  } finally {
    probe.close();
  }
  return summarise(mode, delayMs, lateNs, cpuNs() - cpuStart, hrNs() - wallStart);
}

/** The q-quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
