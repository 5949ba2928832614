/**
 * The timer chain: any number of timers multiplexed onto one host timer.
 *
 * ## How
 *
 * Waiters live in the shared timer-list core (`timer-list.ts`): a 4-ary min-heap keyed by
 * (wake time, insertion sequence), where the wake time is the deadline, or the deadline
 * minus a spin margin for a waiter that spins. The host alarm — one backend from QEMU's
 * table: timerfd, dynticks, unix, libuv or virtual — is armed for the head's wake time only.
 * When it expires the chain runs a *pass*: one clock reading; every due waiter is collected
 * into a ready list *before* any callback runs; then they run in (deadline, sequence) order,
 * each through the dispatch path (runtime/dispatch): in the async context it was created in,
 * with nextTick callbacks and promise jobs drained before the next one and a throw reported
 * as uncaught before the next one — what Node's `listOnTimeout` does around its timers.
 *
 * - **Cancel wins.** Cancelling a collected waiter that has not run yet takes it out of the
 *   pass and returns true — as libuv's `uv_timer_stop` empties its ready queue, and as Node,
 *   Akaros `__trigger_tchain` (one waiter at a time) and QEMU do. A waiter armed or re-armed
 *   inside a callback goes to the heap and runs in a later pass, even if already due, so a
 *   callback re-arming itself into the past cannot starve the event loop.
 * - **Lazy host re-arm.** A new head marks the host dirty; one re-arm happens in a microtask,
 *   before control returns to the event loop, so a burst of arms costs one syscall. The
 *   chain remembers what it armed the host for and skips the syscall when the host already
 *   fires at or before the new target (QEMU dynticks' check, generalised and without the
 *   `timer_gettime`). Cancelling the head leaves the host armed: the early wake-up finds
 *   nothing due (a *poke*) and re-arms for the new head, as Node's own timer lists do (a
 *   cancelled list's libuv timer is left to fire). The host is never armed for less than the
 *   rearm floor (QEMU `MIN_TIMER_REARM_NS`, 250 µs by default) from now. The one synchronous
 *   re-arm is {@link TimerChain.refreshHost}: a backend's *lethal* arming (the unix backend's
 *   ITIMER_REAL for a user's alarm with no handler) must be in the kernel before the caller's
 *   next statement, which may be a loop that never yields.
 * - **Spin tail.** A waiter with a spin margin is woken that margin early and the pass
 *   busy-waits on CLOCK_MONOTONIC to its deadline ("native sleep as far as it can be
 *   trusted, then spin", Rust `spin_sleep`): precision below the kernel's wake-up latency,
 *   at the price of a blocked event loop for up to the margin. The automatic margin is
 *   calibrated from the chain's own wake-ups (chain/spin-calibration). No pass busy-waits
 *   beyond {@link SPIN_MARGIN_MAX_NS} past its clock reading.
 * - **A failing host.** A backend whose re-arm throws (its fd closed under it, say) leaves
 *   the chain consistent: nothing is lost from the heap, the host counts as unarmed, and the
 *   chain's `onHostFailure` decides (the process chain moves to the next backend that starts
 *   and warns; a private chain reports the error as uncaught).
 *
 * Deadlines are integer nanoseconds of CLOCK_MONOTONIC, as plain numbers counted from a
 * process-local origin (see backends/time): exact for 104 days of process life, no BigInt
 * on the hot path. On the `virtual` backend the same numbers count virtual time, which
 * moves only when driven (`tick`, `next`, `runAll`); nothing spins there (time jumps to
 * each deadline) and virtual timers never keep the process alive.
 *
 * ## Cost of each operation (n waiters armed)
 *
 * - arm: O(log n); a host re-arm (one syscall, deferred to a microtask, shared by a burst)
 *   only when it becomes the head *and* the host would otherwise fire later.
 * - cancel: O(log n) in the heap, O(1) from a pass's ready list; never a syscall.
 * - re-arm (absolute): cancel + arm — also how an armed waiter's deadline moves (a deadline is
 *   part of the heap key, never changed in place).
 * - spin change of an armed waiter ({@link TimerChain.setSpin}): O(log n), re-keyed in place
 *   of the heap, keeping its place among equal deadlines.
 * - a pass running k waiters: O(k log n), one clock reading (plus the busy-wait's) that the
 *   host re-arm reuses, at most one host re-arm, and per callback one `runInAsyncScope` and
 *   one drain of Node's queues (inside a native wake-up).
 * - memory: the waiter object itself (its heap slot is one array element).
 *
 * ## Tie-break rules
 *
 * Equal deadlines run in the order they were armed (FIFO; "the newer one goes last"),
 * whatever their spin margins. A waiter due exactly at the pass's clock reading is due
 * (deadline <= now). A callback that throws does not stop the pass: its error is reported
 * as uncaught (before the next callback, inside a native wake-up) and the other waiters run.
 *
 * ## Invariants
 *
 * - A waiter is in the heap, in a running pass's ready list, or idle (see timer-list); the
 *   chain's list is its owner while it is armed.
 * - The keep-alive handle is ref'd exactly when some armed waiter keeps the process alive
 *   and the backend is not `virtual` (the release waits for the deferred flush).
 * - `#hostTargetNs` is the time the host alarm will fire (Infinity: it will not, or it
 *   already has); the host is armed no later than the head's wake time once the microtask
 *   queue has drained.
 * - No waiter runs before its deadline: a pass runs only waiters with deadline <= now, a
 *   spinner after its busy-wait, and the backends never fire early.
 * @module
 */
import type { AlarmBackend, BackendName, VirtualBackend } from '../backends/index.js';
import { monotonicNowNs } from '../backends/index.js';
import { itimerError } from '../host/errors.js';
import { invalidArgType, validateInteger } from '../posix/validate.js';
import { betweenCallbacks, guardWake, reportUncaught } from '../runtime/dispatch.js';
import { nodeQueueMicrotask } from '../runtime/node-timers.js';
import { DEFAULT_LOOP_LIMIT } from './drive.js';
import type { VirtualDriving } from './virtual-drive.js';
import { nextVirtual, runAllVirtual, stepVirtual, tickVirtual } from './virtual-drive.js';
import { wakeNs } from './heap.js';
import { KeepAlive } from './keep-alive.js';
import { RunawayWatch } from './runaway.js';
import { SpinCalibration } from './spin-calibration.js';
import type { PassStats } from './timer-list.js';
import { alreadyArmedError, foreignTimerError, TimerList } from './timer-list.js';
import { checkDeadline, checkSpinRequest, SPIN_MARGIN_MAX_NS, Waiter } from './waiter.js';

/** QEMU's `MIN_TIMER_REARM_NS`: the default rearm floor. */
export const MIN_TIMER_REARM_NS = 250_000;

/** The chain's methods take only its own entries: anything else is refused before any change. */
function checkWaiter(waiter: unknown): asserts waiter is Waiter {
  if (!(waiter instanceof Waiter)) throw invalidArgType('waiter', 'a Waiter (or Timer)', waiter);
}

/** Counters for benchmarks and diagnostics. */
export interface ChainStats extends PassStats {
  /** Host re-arm syscalls made (a skipped or deferred re-arm is not counted). */
  rearms: number;
}

/** Options of a chain. */
export interface ChainOptions {
  /** Smallest delta the host is armed for, in ns; default {@link MIN_TIMER_REARM_NS}. */
  rearmFloorNs?: number;
}

/** @internal What a chain asks of the code that owns ITIMER_REAL and SIGALRM (chain/sigalrm). */
export interface LethalPolicy {
  /**
   * The deadline (chain time base) at which SIGALRM at its default action must end the
   * process even if the chain cannot run — a user's alarm with no handler — or undefined.
   */
  lethalDeadlineNs(): number | undefined;
}

/**
 * The chain. One per process in normal use (see `getChain`), but constructible for tests.
 */
export class TimerChain {
  /** Counters, reset with `resetStats`. */
  readonly stats: ChainStats = { rearms: 0, passes: 0, pokes: 0, fired: 0, spins: 0, spinNs: 0 };
  readonly #list: TimerList<Waiter> = new TimerList<Waiter>(
    () => this.now(),
    (held) => this.#keepAlive(held),
    this.stats,
    this,
  );
  #backend: AlarmBackend | undefined;
  /** The backend again when it is `virtual` (its clock is the chain's). */
  #virtualTime: VirtualBackend | undefined;
  readonly #handle = new KeepAlive();
  /** When the host alarm will fire, on the chain's time base; Infinity when it will not. */
  #hostTargetNs = Number.POSITIVE_INFINITY;
  #dirty = false;
  readonly #flush = () => {
    if (this.#dirty) this.#rearmHost(false);
    if (this.#handle.held && this.#list.refCount === 0) this.#handle.release();
  };
  readonly #onWake = guardWake(() => this.#wake());
  readonly #runaway = new RunawayWatch();
  readonly #calibration = new SpinCalibration();
  #lethal: LethalPolicy | undefined;
  /** The rearm floor in ns. */
  rearmFloorNs: number;
  /**
   * @internal What to do when the backend's re-arm throws: the process chain moves to
   * another backend; by default the error is reported as uncaught. Called after the chain
   * has marked its host unarmed.
   */
  onHostFailure: (error: unknown) => void = reportUncaught;

  /**
   * A chain with no backend; call {@link TimerChain.start}.
   * @param options `rearmFloorNs`: the smallest delay the host is armed for, an integer number
   *   of ns from 0 to 1e9 (default {@link MIN_TIMER_REARM_NS}).
   * @throws TypeError ERR_INVALID_ARG_TYPE if options is not an object, or options.rearmFloorNs is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if options.rearmFloorNs is not an integer from 0 to 1e9.
   */
  constructor(options: ChainOptions = {}) {
    if (typeof options !== 'object' || options === null) throw invalidArgType('options', 'of type object', options);
    this.rearmFloorNs = options.rearmFloorNs === undefined ? MIN_TIMER_REARM_NS : validateInteger(options.rearmFloorNs, 'options.rearmFloorNs', 0, 1e9);
  }

  /** The backend in use, if started. */
  get backend(): AlarmBackend | undefined {
    return this.#backend;
  }

  /** The name of the backend in use, if started. */
  get backendName(): BackendName | undefined {
    return this.#backend?.name;
  }

  /** Number of armed waiters (not counting those collected by a running pass). */
  get size(): number {
    return this.#list.size;
  }

  /** The armed waiter with the earliest wake time. */
  get head(): Waiter | undefined {
    return this.#list.head;
  }

  /** The waiter whose callback is running, if any. */
  get running(): Waiter | null {
    return this.#list.running;
  }

  /** @internal Whether the chain holds the event loop open now (a ref'd timer is armed). */
  get holdsEventLoop(): boolean {
    return this.#handle.held;
  }

  /** The automatic spin margin now, in ns (see chain/spin-calibration for the rule). */
  get autoSpinMarginNs(): number {
    return this.#calibration.marginNs;
  }

  /** @internal Sets the policy for lethal arming (the one owner of ITIMER_REAL and SIGALRM). */
  setLethalPolicy(policy: LethalPolicy | undefined): void {
    this.#lethal = policy;
  }

  /**
   * Now on the chain's time base: CLOCK_MONOTONIC ns since the origin, or virtual time.
   * @returns the current time in nanoseconds: whole nanoseconds of CLOCK_MONOTONIC since the
   *   process's origin, or the virtual time while the backend is `virtual`.
   */
  now(): number {
    return this.#virtualTime ? this.#virtualTime.nowNs : monotonicNowNs();
  }

  /**
   * Starts `backend` (QEMU `start`), then arms it for the current head (`rearm`) — also how
   * the chain moves to another backend or re-initialises after a snapshot (`reinit_timers`).
   * Throws what `backend.start` throws, leaving the chain without a backend.
   * @param backend an {@link AlarmBackend}: an object with `start`, `stop`, `rearm` and `disarm` methods.
   * @throws TypeError ERR_INVALID_ARG_TYPE if backend lacks one of those methods; the chain is then unchanged.
   * @throws Error whatever `backend.start` throws (e.g. ERR_ITIMER_MAIN_THREAD_ONLY in a Worker,
   *   or the errno error of timerfd_create); the chain is then left without a backend.
   * @throws Error the errno error of the backend's first `rearm`, if it fails (the backend then stays in place).
   */
  start(backend: AlarmBackend): void {
    const shaped = typeof backend === 'object' && backend !== null && (['start', 'stop', 'rearm', 'disarm'] as const).every((m) => typeof backend[m] === 'function');
    if (!shaped) throw invalidArgType('backend', 'an alarm backend (start, stop, rearm, disarm)', backend);
    this.stop();
    backend.start(this.#onWake);
    this.#backend = backend;
    this.#virtualTime = backend.drivenByHand ? (backend as VirtualBackend) : undefined;
    this.#keepAlive(this.#list.refCount > 0);
    this.#rearmHost(true, undefined, true);
  }

  /** Stops the backend (QEMU `quit_timers`); waiters stay armed but nothing runs them. */
  stop(): void {
    const backend = this.#backend;
    this.#backend = undefined;
    this.#virtualTime = undefined;
    this.#hostTargetNs = Number.POSITIVE_INFINITY;
    backend?.stop();
    // No handle may outlive a stop: an exec or a snapshot follows it; start() re-creates it.
    this.#handle.stop();
  }

  /**
   * Arms a waiter that is not armed (Akaros `set_alarm`), resolving its spin margin.
   * @param waiter an unarmed {@link Waiter} (or {@link Timer}) whose `deadlineNs` is set.
   * @throws TypeError ERR_INVALID_ARG_TYPE if waiter is not a Waiter.
   * @throws Error ERR_ITIMER_ALREADY_ARMED if it is armed on this chain, ERR_ITIMER_FOREIGN_TIMER
   *   if it is armed on another. A refused call changes nothing (an automatic spin margin is
   *   resolved only once the arm is accepted).
   */
  arm(waiter: Waiter): void {
    checkWaiter(waiter);
    if (waiter.armed) throw this.#list.owns(waiter) ? alreadyArmedError() : foreignTimerError();
    if (waiter.spinMarginNs < 0) waiter.spinMarginNs = -this.#calibration.marginNs;
    if (this.#list.insert(waiter) && !this.#list.inPass) this.#markDirty();
  }

  /** Schedules the deferred work (host re-arm, keep-alive release) for before the event loop runs. */
  #markDirty(): void {
    if (this.#dirty) return;
    this.#dirty = true;
    nodeQueueMicrotask(this.#flush);
  }

  /**
   * Disarms a waiter (Akaros `unset_alarm`). Never a syscall: if it was the head, the host
   * stays armed and its wake-up is a poke.
   * @returns true if it was removed before running — also when a running pass had
   *   collected it and not run it yet (the cancel wins); false if it already ran, is running
   *   (even when called from its own callback), or was never armed.
   * @param waiter the {@link Waiter} (or {@link Timer}) to disarm.
   * @throws TypeError ERR_INVALID_ARG_TYPE if waiter is not a Waiter.
   * @throws Error ERR_ITIMER_FOREIGN_TIMER if it is armed on another chain (nothing changes).
   */
  cancel(waiter: Waiter): boolean {
    checkWaiter(waiter);
    return this.#list.remove(waiter);
  }

  /**
   * Re-arms a waiter at an absolute deadline whether or not it fired (Akaros `reset_alarm_abs`).
   * @param waiter the {@link Waiter} (or {@link Timer}) to re-arm.
   * @param deadlineNs the new deadline in ns on the chain's time base (see {@link TimerChain.now}).
   * @returns what {@link TimerChain.cancel} returned.
   * @throws TypeError ERR_INVALID_ARG_TYPE if waiter is not a Waiter or deadlineNs is not a
   *   number; the waiter is then left as it was.
   * @throws RangeError ERR_OUT_OF_RANGE if deadlineNs is NaN or infinite; the waiter is then left as it was.
   * @throws Error ERR_ITIMER_FOREIGN_TIMER if the waiter is armed on another chain (nothing changes).
   */
  rearmAbsolute(waiter: Waiter, deadlineNs: number): boolean {
    checkWaiter(waiter);
    checkDeadline(deadlineNs, 'deadlineNs');
    const removed = this.#list.remove(waiter);
    waiter.dueNs = deadlineNs;
    this.arm(waiter);
    return removed;
  }

  /**
   * Re-arms the host for the current head now, synchronously — for inputs the chain cannot
   * see (the lethal policy), and before blocking calls such as pause().
   */
  refreshHost(): void {
    this.#rearmHost(true);
    try {
      this.#backend?.sync?.();
    } catch (error) {
      this.#hostTargetNs = Number.POSITIVE_INFINITY;
      this.onHostFailure(error);
    }
  }

  /**
   * Changes whether an armed or unarmed waiter keeps the process alive.
   * @param waiter the {@link Waiter} (or {@link Timer}) to change.
   * @param ref true to keep the process alive while it is armed, false to let the process exit.
   * @throws TypeError ERR_INVALID_ARG_TYPE if waiter is not a Waiter or ref is not a boolean.
   * @throws Error ERR_ITIMER_FOREIGN_TIMER if the waiter is armed on another chain (nothing changes).
   */
  setRef(waiter: Waiter, ref: boolean): void {
    checkWaiter(waiter);
    if (typeof ref !== 'boolean') throw invalidArgType('ref', 'of type boolean', ref);
    this.#list.setRef(waiter, ref);
  }

  /**
   * Changes the spin tail of an armed or unarmed waiter (see {@link Waiter.spin}). A waiter
   * in the heap is re-keyed at once, in O(log n): it wakes at its new margin before its
   * deadline (an automatic margin resolved to the chain's current one) and keeps its place
   * among equal deadlines; one collected by a running pass is still busy-waited to its
   * deadline in that pass.
   * @param waiter the {@link Waiter} (or {@link Timer}) to change.
   * @param spin 0 for none, a negative number for the automatic margin, or a fixed margin:
   *   an integer number of ns from 0 to {@link SPIN_MARGIN_MAX_NS}.
   * @throws TypeError ERR_INVALID_ARG_TYPE if waiter is not a Waiter or spin is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if spin is not negative and not an integer from 0 to
   *   {@link SPIN_MARGIN_MAX_NS}. A refused call changes nothing.
   * @throws Error ERR_ITIMER_FOREIGN_TIMER if the waiter is armed on another chain (nothing changes).
   */
  setSpin(waiter: Waiter, spin: number): void {
    checkWaiter(waiter);
    checkSpinRequest(spin, 'spin');
    if (this.#list.setSpinMargin(waiter, spin < 0 ? -this.#calibration.marginNs : spin) && !this.#list.inPass) this.#markDirty();
  }

  /**
   * Runs one pass: every waiter due now, in deadline order, then re-arms the host. Called
   * by code that knows the host has fired (pause() after a signal); harmless when nothing
   * is due. A call from inside a running pass does nothing (the running pass re-arms at its end).
   */
  runPass(): void {
    if (this.#list.inPass) return;
    this.#rearmHost(false, this.#pass(this.now()));
  }

  /** The backend's expiry (guarded: see runtime/dispatch): the host has fired, so it is no longer armed. */
  #wake(): void {
    const targetNs = this.#hostTargetNs;
    this.#hostTargetNs = Number.POSITIVE_INFINITY;
    if (this.#list.inPass) return;
    const nowNs = this.now();
    if (targetNs !== Number.POSITIVE_INFINITY) this.#calibration.record(nowNs - targetNs);
    const endNs = this.#pass(nowNs);
    // With absolute deadlines the re-arm needs no fresh clock reading: the last callback's
    // nextTicks and promise jobs (an `await` resuming) run first, and what they arm is in
    // the one re-arm. A relative backend re-arms first, from the pass's reading.
    if (this.#backend?.absolute) betweenCallbacks();
    this.#rearmHost(false, endNs);
  }

  /** Runs a pass at `nowNs`; @returns the clock reading at its end. */
  #pass(nowNs: number): number {
    const endNs = this.#list.runPass(nowNs, this.#virtualTime ? 0 : SPIN_MARGIN_MAX_NS);
    this.#runaway.observe(this.#list.head, endNs);
    return endNs;
  }

  /**
   * Arms the host for the head's wake time, no sooner than the rearm floor from now.
   * @param force re-arm even when the host already fires sooner, and disarm when nothing is
   *   armed (the synchronous path of {@link TimerChain.refreshHost}).
   * @param passNowNs the clock reading of the pass that just ran, reused: the host is armed
   *   from a reading at most a pass old, so it fires no earlier than asked (a pass reads the
   *   clock once).
   * @param rethrow throw a backend failure to the caller (start) instead of handling it.
   */
  #rearmHost(force: boolean, passNowNs?: number, rethrow = false): void {
    this.#dirty = false;
    if (this.#handle.held && this.#list.refCount === 0) this.#handle.release();
    const backend = this.#backend;
    if (!backend || this.#virtualTime) return;
    const head = this.#list.head;
    try {
      if (!head) {
        if (force && this.#hostTargetNs !== Number.POSITIVE_INFINITY) {
          this.stats.rearms++;
          this.#hostTargetNs = Number.POSITIVE_INFINITY;
          backend.disarm();
        }
        return;
      }
      const nowNs = passNowNs ?? this.now();
      const targetNs = Math.max(wakeNs(head), nowNs + this.rearmFloorNs);
      const lethalAt = backend.lethal ? this.#lethal?.lethalDeadlineNs() : undefined;
      if (lethalAt === undefined && !force && this.#hostTargetNs <= targetNs) return; // fires sooner already
      this.stats.rearms++;
      this.#hostTargetNs = targetNs;
      if (lethalAt !== undefined) backend.rearmLethal!(targetNs - nowNs, Math.max(lethalAt - nowNs, 0));
      else backend.rearm(targetNs, targetNs - nowNs);
    } catch (error) {
      this.#hostTargetNs = Number.POSITIVE_INFINITY; // nothing is known to be armed
      if (rethrow) throw error;
      this.onHostFailure(error);
    }
  }

  /**
   * Holds the keep-alive handle when the first keep-alive waiter is armed (never on virtual
   * time); when the last one goes, the release waits for the deferred flush, so the
   * arm-then-cancel of one timer does not toggle the handle twice.
   */
  #keepAlive(held: boolean): void {
    if (!held) {
      if (this.#handle.held) this.#markDirty();
      return;
    }
    if (this.#virtualTime || !this.#backend) return;
    this.#handle.hold();
  }

  // ---- driving virtual time (the steps themselves: chain/virtual-drive) ----

  /** What the virtual-time driver needs of this chain. */
  readonly #driving: VirtualDriving<Waiter> = {
    list: this.#list,
    virtual: (operation) => {
      const backend = this.#virtualTime;
      if (!backend) {
        throw itimerError('ERR_ITIMER_NOT_VIRTUAL', `${operation}() drives virtual time: the chain runs on '${this.#backend?.name ?? 'no backend'}', not 'virtual'`);
      }
      return backend;
    },
    pass: (nowNs) => this.#pass(nowNs),
  };

  /**
   * The earliest deadline armed, if any (on any backend).
   * @returns the earliest deadline among the waiters in the heap, in ns on the chain's time
   *   base (waiters collected by a running pass are not counted), or undefined when none is armed.
   */
  earliestDeadlineNs(): number | undefined {
    return this.#list.earliestDeadlineNs();
  }

  /**
   * One step of driving virtual time toward `targetNs`: if a waiter is due by then, moves
   * time to the earliest deadline (never backwards) and runs that pass; otherwise moves time
   * to `targetNs`. The building block of `tick` here and of the asynchronous drivers of
   * `virtualTime`.
   * @param targetNs the virtual time to move toward, in ns; a target in the past does not move time back.
   * @param one run only the first waiter due at that deadline (the others stay armed for the
   *   next step), as `@sinonjs/fake-timers` fires one timer per step of its asynchronous drivers.
   * @returns true if a pass ran.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL on any other backend (checked first). (Errors thrown
   *   by callbacks are reported as uncaught, not thrown here.)
   * @throws TypeError ERR_INVALID_ARG_TYPE if targetNs is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if targetNs is NaN or infinite. A refused call changes nothing.
   */
  stepVirtual(targetNs: number, one = false): boolean {
    return stepVirtual(this.#driving, targetNs, one);
  }

  /**
   * Advances virtual time by `deltaNs`, running every waiter that falls due on the way, each
   * pass at its own deadline.
   * @param deltaNs a non-negative integer.
   * @param loopLimit Maximum passes before giving up (a timer re-arming itself forever).
   * @returns the number of passes run.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL on any other backend (checked first).
   * @throws TypeError ERR_INVALID_ARG_TYPE if deltaNs or loopLimit is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if deltaNs is not an integer from 0 to 2^53-1 minus the
   *   virtual time now, or loopLimit is not an integer from 1 to 2^31-1.
   * @throws Error ERR_ITIMER_LOOP_LIMIT if more than loopLimit passes fall due before the
   *   target; the passes already run stay run and time stays at the last one.
   */
  tick(deltaNs: number, loopLimit = DEFAULT_LOOP_LIMIT): number {
    return tickVirtual(this.#driving, deltaNs, loopLimit);
  }

  /**
   * Advances virtual time to the earliest deadline and runs that pass.
   * @returns false when nothing is armed.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL on any other backend.
   */
  next(): boolean {
    return nextVirtual(this.#driving);
  }

  /**
   * Runs passes until nothing is armed.
   * @param loopLimit Maximum passes (fake-timers' guard against timers that re-arm forever).
   * @returns the number of passes run.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL on any other backend.
   * @throws TypeError ERR_INVALID_ARG_TYPE if loopLimit is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if loopLimit is not an integer from 1 to 2^31-1.
   * @throws Error ERR_ITIMER_LOOP_LIMIT if waiters are still armed after loopLimit passes.
   */
  runAll(loopLimit = DEFAULT_LOOP_LIMIT): number {
    return runAllVirtual(this.#driving, loopLimit);
  }

  /**
   * @internal The waiters armed now (a copy, in no particular order): what virtual time's
   * uninstall cancels.
   */
  armedWaiters(): Waiter[] {
    return this.#list.entries();
  }

  /**
   * Checks the invariants of the chain's heap and keep-alive count (Go's `timers.verify`).
   * @throws Error naming the first invariant that does not hold.
   */
  verify(): void {
    this.#list.verify();
  }

  /** Zeroes the counters. */
  resetStats(): void {
    Object.assign(this.stats, { rearms: 0, passes: 0, pokes: 0, fired: 0, spins: 0, spinNs: 0 });
  }
}

