/**
 * The timer chain: any number of timers multiplexed onto one host timer.
 *
 * ## How
 *
 * Waiters sit in a binary min-heap keyed by (deadline, insertion sequence). The host alarm
 * — one backend from QEMU's table: timerfd, dynticks, unix, libuv or virtual — is armed for
 * the heap's head only. When it expires, the chain runs a *pass*: it reads the clock once,
 * unlinks every waiter whose deadline is at or before that time, and only then runs their
 * callbacks in deadline order. A callback may arm, cancel or re-arm any waiter, itself
 * included; a waiter re-armed into the past lands in the heap and runs in the next pass,
 * never in the one that is running (Akaros `__trigger_tchain` semantics, minus the lock).
 * After the pass the host is re-armed for the new head.
 *
 * Deadlines are integer nanoseconds of CLOCK_MONOTONIC, as plain numbers counted from a
 * process-local origin (see backends/time): exact for 104 days of process life, and no
 * BigInt on the hot path. On the `virtual` backend the same numbers count virtual time,
 * which moves only when driven (`tick`, `next`, `runAll`).
 *
 * ## Why
 *
 * One kernel timer instead of thousands; precise wake-ups (timerfd and POSIX timers take
 * nanoseconds, not setTimeout's whole milliseconds); and one place that decides when the
 * host must be re-armed: only when the head changes, never for less than the rearm floor
 * (QEMU `MIN_TIMER_REARM_NS`, 250 µs by default: a head due sooner is served that much
 * later rather than by an interrupt storm), and on dynticks not at all when the kernel
 * timer already fires soon enough.
 *
 * ## Cost of each operation (n waiters armed)
 *
 * - arm: O(log n) heap insertion, plus one host re-arm syscall if it became the head.
 * - cancel: O(log n) via the waiter's stored heap index; a host re-arm only if it was the head.
 * - re-arm (absolute): cancel + arm.
 * - a pass running k waiters: O(k log n), one clock read, one host re-arm.
 * - memory: one heap slot and one small object per waiter.
 *
 * ## Tie-break rules
 *
 * Equal deadlines run in the order they were armed (FIFO; "the newer one goes last").
 * A waiter due exactly at the pass's clock reading is due (deadline <= now). A callback
 * that throws does not stop the pass: the other waiters run, and the error is rethrown
 * on the next tick, where Node reports uncaught exceptions from timers.
 *
 * ## Invariants
 *
 * - A waiter is in at most one of: the heap (`heapIndex >= 0`), the running slot, or neither.
 * - `refCount` equals the number of ref'd waiters in the heap; the keep-alive handle is
 *   ref'd exactly when `refCount > 0`, so the process stays alive while ref'd timers are
 *   armed and may exit when only unref'd ones remain.
 * - No waiter runs before its deadline: a pass runs only waiters with deadline <= now,
 *   and the backends never fire early.
 * @module
 */
import { startupSnapshot } from 'node:v8';
import type { AlarmBackend, BackendName, UnixBackend, VirtualBackend } from '../backends/index.js';
import { monotonicNowNs } from '../backends/index.js';
import type { HeapEntry } from './heap.js';
import { TimerHeap } from './heap.js';

/** QEMU's `MIN_TIMER_REARM_NS`: the default rearm floor. */
export const MIN_TIMER_REARM_NS = 250_000;

/** Passes in a row that find waiters already due before a warning about a runaway loop. */
const RUNAWAY_PASSES = 10_000;

/**
 * Rethrows errors that timer callbacks threw, each on the next tick, where Node reports
 * uncaught exceptions from its own timers; the callbacks that did not throw all ran.
 */
export function rethrowLater(errors: readonly unknown[]): void {
  for (const error of errors) {
    process.nextTick(() => {
      throw error;
    });
  }
}

/** The error for a timer that keeps re-arming itself while time is driven by hand. */
export function loopLimitError(loopLimit: number, unit: string): Error {
  const error = new Error(`Aborting after ${loopLimit} ${unit}, assuming an infinite loop: a timer keeps re-arming itself`);
  return Object.assign(error, { code: 'ERR_ITIMER_LOOP_LIMIT' });
}

/**
 * A chain entry. Invariant: `heapIndex >= 0` exactly while armed (in the heap).
 * Subclasses (the public `Timer`) override {@link Waiter.fire} instead of allocating a
 * closure per timer.
 */
export class Waiter implements HeapEntry {
  /** Deadline in ns on the chain's time base. */
  deadlineNs = 0;
  /** @internal Insertion sequence (tie-break). */
  seq = 0;
  /** @internal Heap position, or -1 when not armed. */
  heapIndex = -1;
  /** Whether this waiter keeps the process alive while armed (change it with `TimerChain.setRef`). */
  keepsAlive = true;
  /** @internal What {@link Waiter.fire} calls. */
  callback: (value: number) => void;

  /** A waiter that will call `callback` with the pass's clock reading when due; not armed. */
  constructor(callback: (nowNs: number) => void) {
    this.callback = callback;
  }

  /** Runs when due, with the clock reading of the pass that runs it. */
  fire(nowNs: number): void {
    this.callback(nowNs);
  }

  /** True while in the chain, waiting. */
  get armed(): boolean {
    return this.heapIndex >= 0;
  }
}

/** Counters for benchmarks and diagnostics. */
export interface ChainStats {
  /** Host re-arms requested (head changes and after passes). */
  rearms: number;
  /** Passes run. */
  passes: number;
  /** Passes that found nothing due (spurious wake-ups, "pokes"). */
  pokes: number;
  /** Waiter callbacks run. */
  fired: number;
}

/** Options of a chain. */
export interface ChainOptions {
  /** Smallest delta the host is armed for, in ns; default {@link MIN_TIMER_REARM_NS}. */
  rearmFloorNs?: number;
}

/**
 * The chain. One per process in normal use (see `getChain`), but constructible for tests.
 */
export class TimerChain {
  readonly #heap = new TimerHeap<Waiter>();
  #backend: AlarmBackend | undefined;
  /** The backend again when it is `virtual` (its clock is the chain's). */
  #virtualTime: VirtualBackend | undefined;
  #running: Waiter | null = null;
  #inPass = false;
  #refCount = 0;
  #keepAlive: NodeJS.Timeout | undefined;
  #hostArmed = false;
  #duePasses = 0;
  #warnedRunaway = false;
  /** The rearm floor in ns. */
  rearmFloorNs: number;
  /** Counters, reset with `resetStats`. */
  readonly stats: ChainStats = { rearms: 0, passes: 0, pokes: 0, fired: 0 };
  /**
   * When set, the deadline (chain time base) at which SIGALRM at its default action must end
   * the process even if the chain cannot run — a user's alarm with no handler, on the
   * `unix` backend — or undefined when there is none.
   */
  lethalDeadline: (() => number | undefined) | undefined;

  /** A chain with no backend; call {@link TimerChain.start}. */
  constructor(options: ChainOptions = {}) {
    this.rearmFloorNs = options.rearmFloorNs ?? MIN_TIMER_REARM_NS;
  }

  /** The backend in use, if started. */
  get backend(): AlarmBackend | undefined {
    return this.#backend;
  }

  /** The name of the backend in use, if started. */
  get backendName(): BackendName | undefined {
    return this.#backend?.name;
  }

  /** Number of armed waiters. */
  get size(): number {
    return this.#heap.size;
  }

  /** The earliest armed waiter. */
  get head(): Waiter | undefined {
    return this.#heap.peek();
  }

  /** The waiter whose callback is running, if any. */
  get running(): Waiter | null {
    return this.#running;
  }

  /** Now on the chain's time base: CLOCK_MONOTONIC ns since the origin, or virtual time. */
  now(): number {
    return this.#virtualTime ? this.#virtualTime.nowNs : monotonicNowNs();
  }

  /**
   * Starts `backend` (QEMU `start`), then arms it for the current head (`rearm`) — also how
   * the chain moves to another backend or re-initialises after a snapshot (`reinit_timers`).
   * Throws what `backend.start` throws, leaving the chain without a backend.
   */
  start(backend: AlarmBackend): void {
    this.stop();
    backend.start(() => this.runPass());
    if (this.#refCount > 0) this.#holdAlive();
    this.#backend = backend;
    this.#virtualTime = backend.name === 'virtual' ? (backend as VirtualBackend) : undefined;
    this.#rearmHost();
  }

  /** Stops the backend (QEMU `quit_timers`); waiters stay armed but nothing runs them. */
  stop(): void {
    const backend = this.#backend;
    this.#backend = undefined;
    this.#virtualTime = undefined;
    this.#hostArmed = false;
    backend?.stop();
    // No handle may outlive a stop: an exec or a snapshot follows it (Node refuses to
    // snapshot active handles); start() re-creates it.
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  /** Arms a waiter that is not armed (Akaros `set_alarm`). */
  arm(waiter: Waiter): void {
    if (waiter.armed) throw new Error('itimer: waiter is already armed');
    this.#heap.push(waiter);
    if (waiter.keepsAlive) this.#changeRef(1);
    if (this.#heap.peek() === waiter && !this.#inPass) this.#rearmHost();
  }

  /**
   * Disarms a waiter (Akaros `unset_alarm`).
   * @returns true if it was removed before firing; false if it already fired, is running
   *   (even when called from its own callback), or was never armed.
   */
  cancel(waiter: Waiter): boolean {
    if (!waiter.armed) return false;
    const wasHead = this.#heap.peek() === waiter;
    this.#heap.remove(waiter);
    if (waiter.keepsAlive) this.#changeRef(-1);
    if (wasHead && !this.#inPass) this.#rearmHost();
    return true;
  }

  /**
   * Re-arms a waiter at an absolute deadline whether or not it fired (Akaros `reset_alarm_abs`).
   * @returns what {@link TimerChain.cancel} returned.
   */
  rearmAbsolute(waiter: Waiter, deadlineNs: number): boolean {
    const removed = this.cancel(waiter);
    waiter.deadlineNs = deadlineNs;
    this.arm(waiter);
    return removed;
  }

  /** Re-arms the host for the current head (after something the chain cannot see changed, e.g. the lethal policy's inputs). */
  refreshHost(): void {
    this.#rearmHost();
  }

  /** Changes whether an armed or unarmed waiter keeps the process alive. */
  setRef(waiter: Waiter, ref: boolean): void {
    if (waiter.keepsAlive === ref) return;
    waiter.keepsAlive = ref;
    if (waiter.armed) this.#changeRef(ref ? 1 : -1);
  }

  /**
   * Runs one pass: every waiter due now, in deadline order. Called by the backend on expiry;
   * harmless when nothing is due.
   */
  runPass(): void {
    if (this.#inPass) return; // a wake-up during a pass is a poke: the pass re-arms at its end
    this.#pass(this.now());
    this.#rearmHost();
  }

  #pass(nowNs: number): void {
    this.stats.passes++;
    const due: Waiter[] = [];
    for (let head = this.#heap.peek(); head && head.deadlineNs <= nowNs; head = this.#heap.peek()) {
      this.#heap.remove(head);
      if (head.keepsAlive) this.#changeRef(-1);
      due.push(head);
    }
    if (due.length === 0) {
      this.stats.pokes++;
      return;
    }
    this.#inPass = true;
    const errors: unknown[] = [];
    for (const waiter of due) {
      this.#running = waiter;
      this.stats.fired++;
      try {
        waiter.fire(nowNs);
      } catch (error) {
        errors.push(error);
      }
    }
    this.#running = null;
    this.#inPass = false;
    rethrowLater(errors);
    this.#watchRunaway(nowNs);
  }

  #watchRunaway(nowNs: number): void {
    const head = this.#heap.peek();
    this.#duePasses = head && head.deadlineNs <= nowNs ? this.#duePasses + 1 : 0;
    if (this.#duePasses >= RUNAWAY_PASSES && !this.#warnedRunaway) {
      this.#warnedRunaway = true;
      process.emitWarning(
        `${RUNAWAY_PASSES} timer passes in a row found timers already due: a callback is probably re-arming itself into the past`,
        { code: 'ITIMER_RUNAWAY_TIMERS' },
      );
    }
  }

  #rearmHost(): void {
    const backend = this.#backend;
    if (!backend || backend.name === 'virtual') return;
    const head = this.#heap.peek();
    if (!head) {
      if (this.#hostArmed) {
        this.stats.rearms++;
        backend.disarm();
      }
      this.#hostArmed = false;
      return;
    }
    this.stats.rearms++;
    const nowNs = this.now();
    const deltaNs = Math.max(head.deadlineNs - nowNs, this.rearmFloorNs, 0);
    this.#hostArmed = true;
    const lethalAt = backend.name === 'unix' ? this.lethalDeadline?.() : undefined;
    if (lethalAt !== undefined) (backend as UnixBackend).rearmLethal(deltaNs, Math.max(lethalAt - nowNs, 0));
    else backend.rearm(nowNs + deltaNs, deltaNs);
  }

  #changeRef(delta: number): void {
    const before = this.#refCount;
    this.#refCount += delta;
    if (before === 0 && this.#refCount > 0) this.#holdAlive();
    else if (before > 0 && this.#refCount === 0) this.#keepAlive?.unref();
  }

  /** Refs the keep-alive handle, creating it if a stop released it. */
  #holdAlive(): void {
    // While a startup snapshot is built, timers are for the process that will deserialise
    // it: nothing may keep the builder's event loop from draining.
    if (startupSnapshot.isBuildingSnapshot()) return;
    this.#keepAlive ??= setInterval(() => {}, 2 ** 31 - 1);
    this.#keepAlive.ref();
  }

  // ---- driving virtual time ----

  #virtual(operation: string): VirtualBackend {
    const backend = this.#backend;
    if (backend?.name !== 'virtual') {
      const error = new Error(`${operation}() drives virtual time: the chain runs on '${backend?.name ?? 'no backend'}', not 'virtual'`);
      throw Object.assign(error, { code: 'ERR_ITIMER_NOT_VIRTUAL' });
    }
    return backend as VirtualBackend;
  }

  /**
   * Advances virtual time by `deltaNs`, running every waiter that falls due on the way, each
   * pass at its own deadline.
   * @param loopLimit Maximum passes before giving up (a timer re-arming itself forever).
   * @returns the number of passes run.
   */
  tick(deltaNs: number, loopLimit = 1000): number {
    const backend = this.#virtual('tick');
    const target = backend.nowNs + deltaNs;
    let passes = 0;
    for (let head = this.#heap.peek(); head && head.deadlineNs <= target; head = this.#heap.peek()) {
      if (++passes > loopLimit) throw loopLimitError(loopLimit, 'timer passes');
      backend.nowNs = Math.max(backend.nowNs, head.deadlineNs);
      this.#pass(backend.nowNs);
    }
    backend.nowNs = target;
    return passes;
  }

  /**
   * Advances virtual time to the earliest deadline and runs that pass.
   * @returns false when nothing is armed.
   */
  next(): boolean {
    const backend = this.#virtual('next');
    const head = this.#heap.peek();
    if (!head) return false;
    backend.nowNs = Math.max(backend.nowNs, head.deadlineNs);
    this.#pass(backend.nowNs);
    return true;
  }

  /**
   * Runs passes until nothing is armed.
   * @param loopLimit Maximum passes (fake-timers' guard against timers that re-arm forever).
   * @returns the number of passes run.
   */
  runAll(loopLimit = 1000): number {
    this.#virtual('runAll');
    let passes = 0;
    while (this.#heap.size > 0) {
      if (++passes > loopLimit) throw loopLimitError(loopLimit, 'timer passes');
      this.next();
    }
    return passes;
  }

  /** Zeroes the counters. */
  resetStats(): void {
    Object.assign(this.stats, { rearms: 0, passes: 0, pokes: 0, fired: 0 });
  }
}
