/**
 * The timer mechanisms `itimer probe` and `npm run bench` compare, each one small adapter:
 * how it is armed, and how the moment the user's code resumes is observed.
 *
 * Every adapter arms with exactly the call a user writes — `setTimer(cb, d)`, `sleep(d)`,
 * Node's `setTimeout(cb, d)` — so the harness (measure.ts) can read the clock
 * immediately before that call and take the deadline from it: the user's frame. A `callback`
 * adapter calls back once, at or after the deadline; the harness reads the clock in that
 * callback and again after `await`ing a promise the callback resolved (the promise form a user
 * writes around a callback). A `promise` adapter is the promise form itself: only the
 * after-`await` reading exists. `arm` returns the adapter's own idea of the deadline when it has
 * one (the chain's `deadlineNs`, moved to this module's clock), from which the harness derives
 * the diagnostic "own frame" and how far into the call the mechanism read its clock.
 *
 * itimer is loaded through the package's own entry points, by name (`itimer`, `itimer/timers`,
 * `itimer/promises`: a package may import itself), so what is measured is the library as a
 * program imports it, on the one chain that program gets. In `dist/` the per-module files tsc
 * writes beside the bundled entries hold a second copy of the chain: importing those here would
 * measure a chain no user runs, and put two chains in one process.
 *
 * The references: a synchronous busy-wait to the deadline (the floor of this frame: nothing
 * sleeps, nothing is dispatched), the bare timerfd watcher (the host's raw mechanism in the
 * same frame: a timerfd armed for an absolute CLOCK_MONOTONIC deadline, and koffi's `uv_poll`
 * watcher through the host layer's `watchReadable`, no chain), nanotimer (the npm package users
 * pick for precise timers; it spins on `setImmediate` for the whole delay), and Node's own
 * `setTimeout` from `node:timers` and `node:timers/promises` (taken from the modules, never the
 * globals a program may have replaced). nanotimer is an optional peer of the measurement: it is
 * looked up from the working directory, then from this package; when it is not installed the
 * mechanism is reported as skipped, and nothing fails.
 * @module
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as nodeSetTimeout } from 'node:timers';
import { setTimeout as nodeSleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../../backends/index.js';
import { checked, host, watchReadable } from '../../host/index.js';
import { CLOCK_MONOTONIC, TIMER_ABSTIME } from '../../posix/constants.js';
import { structBuffer, writeItimerRaw } from '../../posix/structs.js';

/** The mechanisms, in the order tables list them. */
export const MECHANISMS = [
  'busy-wait',
  'setTimer-spin',
  'sleep-spin',
  'setTimer',
  'sleep',
  'itimer/promises',
  'itimer/timers',
  'watcher',
  'nanotimer',
  'setTimeout',
  'timers/promises',
] as const;

/** A mechanism's name. */
export type MechanismId = (typeof MECHANISMS)[number];

/** What each mechanism is, as the call a user writes (`d` is the delay in ms; code in backticks, Markdown-style). */
export const MECHANISM_LABELS: Readonly<Record<MechanismId, string>> = {
  'busy-wait': 'busy-wait to the deadline (the floor)',
  'setTimer-spin': '`setTimer(cb, d, { spin: true })`',
  'sleep-spin': '`await sleep(d, { spin: true })`',
  setTimer: '`setTimer(cb, d)`',
  sleep: '`await sleep(d)`',
  'itimer/promises': '`itimer/promises` `await setTimeout(d)`',
  'itimer/timers': '`itimer/timers` `setTimeout(cb, d)`',
  watcher: 'bare timerfd watcher (no chain)',
  nanotimer: 'nanotimer `setTimeout(cb, [], d)`',
  setTimeout: "Node's `setTimeout(cb, d)`",
  'timers/promises': '`node:timers/promises` `await setTimeout(d)`',
};

/** The mechanisms that are itimer's own (the rest are references). */
export const ITIMER_MECHANISMS: readonly MechanismId[] = ['setTimer-spin', 'sleep-spin', 'setTimer', 'sleep', 'itimer/promises', 'itimer/timers'];

/** A mechanism that calls back. */
export interface CallbackMechanism {
  /** Its name. */
  readonly id: MechanismId;
  /** Calls back: lateness is read in the callback, and after `await` of a promise it resolved. */
  readonly kind: 'callback';
  /**
   * Arms one timer with the user's call; `callback` runs once, at or after the deadline.
   * @returns the mechanism's own deadline on {@link hrNs}'s scale, when it has one.
   */
  arm(delayMs: number, callback: () => void): number | undefined;
  /** Releases what the adapter holds. */
  close(): void;
}

/** A mechanism whose user-facing form is a promise. */
export interface PromiseMechanism {
  /** Its name. */
  readonly id: MechanismId;
  /** Awaited: lateness is read after `await`. */
  readonly kind: 'promise';
  /** Arms one timer with the user's call; the promise resolves at or after the deadline. */
  wait(delayMs: number): Promise<unknown>;
  /** Releases what the adapter holds. */
  close(): void;
}

/** One adapter. */
export type Mechanism = CallbackMechanism | PromiseMechanism;

/** A mechanism that could not be opened here, and why. */
export interface SkippedMechanism {
  /** Its name. */
  id: MechanismId;
  /** Why, in a few words. */
  reason: string;
}

/** The whole second of CLOCK_MONOTONIC at or before this module loaded: {@link hrNs}'s origin. */
const ORIGIN_SEC = process.hrtime()[0];

/**
 * CLOCK_MONOTONIC in ns since this module's origin, by `process.hrtime` (the clock the chain,
 * timerfd and `performance.now` read); exact in a double for 104 days.
 */
export function hrNs(): number {
  const [sec, nsec] = process.hrtime();
  return (sec - ORIGIN_SEC) * 1e9 + nsec;
}

/** The public API of the `itimer` entry this module uses. */
type Itimer = typeof import('../../chain/index.js');
/** The `itimer/timers` entry. */
type ItimerTimers = typeof import('../../node/timers.js');
/** The `itimer/promises` entry. */
type ItimerPromises = typeof import('../../node/promises.js');

/** Loads one of this package's entry points by its public name, as a program does. */
async function entry<T>(name: 'itimer' | 'itimer/timers' | 'itimer/promises'): Promise<T> {
  return (await import(name)) as T;
}

/** The library as a program imports it. */
interface Library {
  /** The `itimer` entry. */
  itimer: Itimer;
  /** The `itimer/timers` entry. */
  timers: ItimerTimers;
  /** The `itimer/promises` entry. */
  promises: ItimerPromises;
  /** hrNs() − chainNow(): moves a chain deadline onto {@link hrNs}'s scale. */
  chainToHrNs: number;
}

/**
 * The offset between the chain's time base and {@link hrNs}, from the tightest of 20 brackets
 * (both read CLOCK_MONOTONIC; only their origins differ).
 */
function chainOffsetNs(chainNow: () => number): number {
  let widest = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < 20; i++) {
    const before = hrNs();
    const chainNs = chainNow();
    const after = hrNs();
    if (after - before < widest) {
      widest = after - before;
      offset = (before + after) / 2 - chainNs;
    }
  }
  return offset;
}

async function loadLibrary(clock: string | undefined): Promise<Library> {
  const [itimer, timers, promises] = await Promise.all([entry<Itimer>('itimer'), entry<ItimerTimers>('itimer/timers'), entry<ItimerPromises>('itimer/promises')]);
  if (clock !== undefined) itimer.configureAlarms(clock);
  return { itimer, timers, promises, chainToHrNs: chainOffsetNs(itimer.chainNow) }; // chainNow starts the chain
}

/**
 * The CommonJS package `name`, from the working directory's node_modules or this package's;
 * otherwise why not (`not installed`, or the error that stopped it loading).
 */
function requireOptional(name: string): { module: unknown } | { reason: string } {
  for (const from of [join(process.cwd(), 'noop.js'), fileURLToPath(import.meta.url)]) {
    try {
      return { module: createRequire(from)(name) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') return { reason: `could not be loaded: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  return { reason: 'not installed' };
}

const noClose = () => {};

/** The bare timerfd watcher: the host's raw mechanism, no chain. */
function openWatcher(): CallbackMechanism {
  const TFD_NONBLOCK = 0o4000;
  const fd = checked(host().timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), 'timerfd_create');
  const spec = structBuffer('itimerspec');
  const count = Buffer.alloc(8);
  let pending: (() => void) | undefined;
  const poll = watchReadable(fd, () => {
    if (host().read(fd, count, 8) !== 8) return;
    const callback = pending;
    pending = undefined;
    callback?.();
  });
  poll.ref();
  return {
    id: 'watcher',
    kind: 'callback',
    arm(delayMs, callback) {
      const deadlineNs = hrNs() + Math.round(delayMs * 1e6);
      const wholeSec = Math.floor(deadlineNs / 1e9);
      writeItimerRaw(spec, ORIGIN_SEC + wholeSec, deadlineNs - wholeSec * 1e9);
      pending = callback;
      checked(host().timerfd_settime(fd, TIMER_ABSTIME, spec, null), 'timerfd_settime');
      return deadlineNs;
    },
    close() {
      poll.close();
      host().close(fd);
    },
  };
}

/** nanotimer's constructor, as much of it as is used here. */
type NanoTimerClass = new () => { setTimeout(task: () => void, args: unknown[], delay: string): void };

/** Opens one adapter; a reason instead when the mechanism cannot be loaded here. */
function openMechanism(id: MechanismId, lib: Library): Mechanism | { reason: string } {
  const { itimer, timers, promises, chainToHrNs } = lib;
  const callback = (arm: CallbackMechanism['arm'], close = noClose): CallbackMechanism => ({ id, kind: 'callback', arm, close });
  const promise = (wait: PromiseMechanism['wait']): PromiseMechanism => ({ id, kind: 'promise', wait, close: noClose });
  switch (id) {
    case 'busy-wait':
      return callback((delayMs, done) => {
        const deadlineNs = hrNs() + Math.round(delayMs * 1e6);
        while (hrNs() < deadlineNs);
        done();
        return deadlineNs;
      });
    case 'setTimer-spin':
      return callback((delayMs, done) => itimer.setTimer(done, delayMs, { spin: true }).deadlineNs + chainToHrNs);
    case 'sleep-spin':
      return promise((delayMs) => itimer.sleep(delayMs, { spin: true }));
    case 'setTimer':
      return callback((delayMs, done) => itimer.setTimer(done, delayMs).deadlineNs + chainToHrNs);
    case 'sleep':
      return promise((delayMs) => itimer.sleep(delayMs));
    case 'itimer/promises':
      return promise((delayMs) => promises.setTimeout(delayMs));
    case 'itimer/timers':
      return callback((delayMs, done) => timers.setTimeout(done, delayMs).deadlineNs + chainToHrNs);
    case 'watcher':
      return openWatcher();
    case 'nanotimer': {
      const loaded = requireOptional('nanotimer');
      if ('reason' in loaded) return loaded;
      const nano = new (loaded.module as NanoTimerClass)(); // one instance, re-armed after each firing, as a program would
      return callback((delayMs, done) => {
        nano.setTimeout(done, [], `${Math.round(delayMs * 1e6)}n`);
        return undefined;
      });
    }
    case 'setTimeout':
      return callback((delayMs, done) => {
        nodeSetTimeout(done, delayMs);
        return undefined;
      });
    case 'timers/promises':
      return promise((delayMs) => nodeSleep(delayMs));
  }
}

/**
 * Opens the adapters for `ids`, the chain on the first backend of `clock` that starts.
 * @param ids the mechanisms to open, in any order.
 * @param clock a backend list with `configureAlarms` semantics; undefined: `ITIMER_CLOCK`,
 *   else the default order.
 * @returns the opened adapters, in the order of `ids`, and those that cannot be loaded here, with why.
 * @throws Error ERR_ITIMER_NO_ALARM_BACKEND when no backend of `clock` starts; a syscall error
 *   when the watcher's timerfd cannot be created.
 */
export async function openMechanisms(ids: readonly MechanismId[], clock?: string): Promise<{ mechanisms: Mechanism[]; skipped: SkippedMechanism[] }> {
  const lib = await loadLibrary(clock);
  const mechanisms: Mechanism[] = [];
  const skipped: SkippedMechanism[] = [];
  for (const id of ids) {
    const mechanism = openMechanism(id, lib);
    if ('reason' in mechanism) skipped.push({ id, reason: mechanism.reason });
    else mechanisms.push(mechanism);
  }
  return { mechanisms, skipped };
}

/**
 * The backend the chain runs on in this process (after {@link openMechanisms}).
 * @returns its name, or undefined when the chain has not started.
 */
export async function activeBackend(): Promise<BackendName | undefined> {
  return (await entry<Itimer>('itimer')).activeAlarm();
}
