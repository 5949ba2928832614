/**
 * QEMU's clocks on the timer chain: `realtime` (CLOCK_MONOTONIC), `host` (CLOCK_REALTIME,
 * with reset notifiers when wall time jumps) and `virtual` (runs only while enabled, or is
 * driven by hand), each with its own timers in a scale (ns, µs, ms).
 *
 * Each clock keeps its timers in the chain's own timer-list core (`chain/timer-list`: the
 * same heap, pass and keep-alive accounting) and puts one waiter on the chain for its
 * earliest timer, mapped to the monotonic time base; so the one host alarm is armed for the
 * soonest deadline across all enabled clocks. A disabled clock's waiter is off the chain.
 * When a clock's waiter fires, the clock runs one pass of its list at the clock's current
 * time: every due timer is collected before any callback runs (QEMU `qemu_run_timers`),
 * a `delete()` of a collected timer that has not run yet wins, and a timer re-armed into
 * the past runs in the next round.
 *
 * Invariants: a clock's waiter is armed exactly when the clock is enabled, not driven by
 * hand, and has timers; its deadline is the head timer's expiry mapped to now; it keeps the
 * process alive exactly when one of the clock's pending timers does (O(1), toggled 0↔1).
 * @module
 */
import { getChain } from '../chain/process-chain.js';
import { loopLimitError, validateLoopLimit } from '../chain/drive.js';
import { Waiter } from '../chain/waiter.js';
import { AsyncResource } from 'node:async_hooks';
import { IDLE, TimerList } from '../chain/timer-list.js';
import { itimerError } from '../host/errors.js';
import { checked, host, watchReadable } from '../host/index.js';
import type { PollWatcher } from '../host/index.js';
import { CLOCK_REALTIME, clockGettime, TIMER_ABSTIME } from '../posix/index.js';
import { structBuffer, writeItimerspec } from '../posix/structs.js';
import { invalidArgType, invalidArgValue, outOfRange, requireMainThread, validateInteger } from '../posix/validate.js';
import { monotonicNowNs } from '../backends/index.js';

/** Timer scale: nanoseconds. */
export const SCALE_NS = 1;
/** Timer scale: microseconds. */
export const SCALE_US = 1000;
/** Timer scale: milliseconds. */
export const SCALE_MS = 1_000_000;

/** The kinds of QEMU clock. */
export type ClockType = 'realtime' | 'host' | 'virtual';

/** Called with the new clock value (ns) when a host clock jumps. */
export type ResetNotifier = (nowNs: number) => void;

/**
 * A QEMU clock. Read it with {@link QemuClock.ns}; arm timers on it with {@link ClockTimer}.
 */
export class QemuClock {
  /** Which clock this is. */
  readonly type: ClockType;
  #enabled = true;
  readonly #list: TimerList<ClockTimer> = new TimerList(
    () => this.ns,
    (held) => getChain().setRef(this.#waiter, held),
  );
  readonly #waiter: Waiter;
  // virtual clock state: time accumulated while enabled, and where it last resumed.
  #virtualBaseNs = 0;
  #resumedAtNs: number | undefined = 0;
  #byHand = false;
  // host clock state
  #lastNs = Number.NEGATIVE_INFINITY;
  readonly #notifiers = new Set<ResetNotifier>();
  #cancelWatch: { fd: number; watcher: PollWatcher } | undefined;

  /** @hidden Use the exported clocks. */
  constructor(type: ClockType) {
    this.type = type;
    this.#waiter = new Waiter(() => this.#runTimers());
    this.#waiter.keepsAlive = false; // set by the list's keep-alive accounting
    if (type === 'virtual') this.#resumedAtNs = monotonicNowNs();
  }

  /** The current time of the clock in ns (QEMU `qemu_get_clock_ns`). */
  get ns(): number {
    switch (this.type) {
      case 'realtime':
        return monotonicNowNs();
      case 'host': {
        const now = clockGettime(CLOCK_REALTIME);
        const ns = now.sec * 1e9 + now.nsec;
        const last = this.#lastNs;
        this.#lastNs = ns;
        if (ns < last) this.#notifyReset(ns);
        return ns;
      }
      case 'virtual':
        return this.#resumedAtNs === undefined || this.#byHand ? this.#virtualBaseNs : this.#virtualBaseNs + monotonicNowNs() - this.#resumedAtNs;
    }
  }

  /** Whether the clock runs (QEMU `qemu_clock_enable`). A disabled virtual clock stands still. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * Enables or disables the clock; timers of a disabled clock do not run.
   * @param enabled true to run the clock's timers (and, for the virtual clock, its time),
   *   false to stop them.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` unless `enabled` is a boolean.
   */
  enable(enabled: boolean): void {
    if (typeof enabled !== 'boolean') throw invalidArgType('enabled', 'of type boolean', enabled);
    if (enabled === this.#enabled) return;
    if (this.type === 'virtual' && !this.#byHand) {
      if (enabled) this.#resumedAtNs = monotonicNowNs();
      else {
        this.#virtualBaseNs = this.ns;
        this.#resumedAtNs = undefined;
      }
    }
    this.#enabled = enabled;
    this.#schedule();
  }

  /**
   * True when the clock has pending timers (QEMU `qemu_clock_has_timers`).
   * @returns true if at least one timer is waiting on this clock (armed, and not yet collected
   *   by a running round), whether or not the clock is enabled.
   */
  hasTimers(): boolean {
    return this.#list.size > 0;
  }

  /**
   * True when the earliest timer is overdue (QEMU 1.x `qemu_clock_expired`).
   * @returns true if the earliest timer's expiry is strictly before the clock's current time,
   *   as QEMU 1.x's `qemu_clock_expired` compares; a timer due exactly now is not counted here,
   *   though a round runs it and {@link ClockTimer.expired} counts it (`qemu_timer_expired`,
   *   `qemu_run_timers`: at or before).
   */
  expired(): boolean {
    const head = this.#list.head;
    return head !== undefined && head.dueNs < this.ns;
  }

  /**
   * Nanoseconds to the earliest timer, 0 if due, 2^31-1 if none (QEMU `qemu_clock_deadline`).
   * @returns the nanoseconds from the clock's current time to its earliest timer's expiry, 0
   *   if that is now or past, 2 147 483 647 if the clock has no timers.
   */
  deadline(): number {
    const head = this.#list.head;
    return head ? Math.max(head.dueNs - this.ns, 0) : 2 ** 31 - 1;
  }

  // ---- host clock reset notifiers ----

  /**
   * Registers a notifier called when the host clock jumps (backwards on read, or any set of the wall clock).
   * @param notifier Called with the clock's new value, in nanoseconds since the epoch: from the
   *   event loop when the wall clock is set, or inside the read of {@link QemuClock.ns} that
   *   finds it went back. Registering the same function twice registers it once.
   * @throws TypeError ERR_INVALID_ARG_TYPE if notifier is not a function.
   * @throws TypeError ERR_INVALID_ARG_VALUE on a clock other than {@link hostClock}.
   * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker (the notifier polls a timerfd).
   * @throws Error `EMFILE`, `ENFILE` or `ENOMEM` (timerfd_create) if the first notifier's
   *   timerfd cannot be created, or the error of `timerfd_settime` if it cannot be armed; the
   *   notifier is then not registered and no fd is left open.
   */
  onReset(notifier: ResetNotifier): void {
    if (typeof notifier !== 'function') throw invalidArgType('notifier', 'of type function', notifier);
    if (this.type !== 'host') throw invalidArgValue('clock', this.type, 'has no reset notifiers (only the host clock does)');
    requireMainThread('A host clock reset notifier (it polls a timerfd)');
    this.#watchClockSet();
    this.#notifiers.add(notifier);
  }

  /**
   * Unregisters a reset notifier.
   * @param notifier The function given to {@link QemuClock.onReset}; the last one's removal
   *   closes the timerfd.
   * @throws Never: a value that is not a registered notifier is ignored.
   */
  offReset(notifier: ResetNotifier): void {
    this.#notifiers.delete(notifier);
    if (this.#notifiers.size === 0 && this.#cancelWatch) {
      this.#cancelWatch.watcher.close();
      host().close(this.#cancelWatch.fd);
      this.#cancelWatch = undefined;
    }
  }

  /**
   * A CLOCK_REALTIME timerfd armed far in the future with TFD_TIMER_CANCEL_ON_SET: reading
   * it fails with ECANCELED whenever the wall clock is set, forwards or backwards. All or
   * nothing: if arming or watching it fails, the fd is closed before the error propagates.
   */
  #watchClockSet(): void {
    if (this.#cancelWatch) return;
    const TFD_NONBLOCK = 0o4000;
    const TFD_CLOEXEC = 0o2000000;
    const TFD_TIMER_CANCEL_ON_SET = 2;
    const fd = checked(host().timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC), 'timerfd_create');
    const spec = structBuffer('itimerspec');
    const arm = () => {
      writeItimerspec(spec, { value: { sec: 2 ** 40 } }, 'spec');
      checked(host().timerfd_settime(fd, TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, spec, null), 'timerfd_settime');
    };
    const scratch = Buffer.alloc(8);
    try {
      arm();
      const watcher = watchReadable(fd, () => {
        host().read(fd, scratch, 8); // ECANCELED: the clock was set
        arm();
        const now = clockGettime(CLOCK_REALTIME);
        this.#lastNs = now.sec * 1e9 + now.nsec;
        this.#notifyReset(this.#lastNs);
      });
      this.#cancelWatch = { fd, watcher };
    } catch (error) {
      host().close(fd);
      throw error;
    }
  }

  #notifyReset(nowNs: number): void {
    this.#schedule(); // host timers map to new monotonic deadlines
    for (const notifier of this.#notifiers) notifier(nowNs);
  }

  // ---- driving the virtual clock by hand ----

  /**
   * Stops (or resumes) the virtual clock following real time: driven by hand, it moves only
   * with {@link QemuClock.tick}, {@link QemuClock.next} and {@link QemuClock.runAll}.
   * @param byHand true (the default) to drive the clock by hand, false to let it follow real
   *   time again from where it stands.
   * @throws TypeError ERR_INVALID_ARG_TYPE if byHand is not a boolean.
   * @throws TypeError ERR_INVALID_ARG_VALUE on a clock other than {@link virtualClock}.
   */
  driveByHand(byHand = true): void {
    if (typeof byHand !== 'boolean') throw invalidArgType('byHand', 'of type boolean', byHand);
    if (this.type !== 'virtual') throw invalidArgValue('clock', this.type, 'cannot be driven by hand (only the virtual clock can)');
    if (byHand === this.#byHand) return;
    if (byHand) {
      this.#virtualBaseNs = this.ns;
      this.#byHand = true;
    } else {
      this.#byHand = false;
      this.#resumedAtNs = this.#enabled ? monotonicNowNs() : undefined;
    }
    this.#schedule();
  }

  #handDriven(operation: string): void {
    if (!this.#byHand) {
      throw itimerError('ERR_ITIMER_NOT_VIRTUAL', `${operation}() needs the virtual clock driven by hand: call driveByHand() first`);
    }
  }

  /**
   * Advances the hand-driven virtual clock by `deltaNs`, running each timer that falls due,
   * at its own expiry time. Nothing runs while the clock is disabled, but time still moves.
   * @param deltaNs Nanoseconds to advance: an integer from 0 to 2^53 − 1 minus the clock's
   *   current value.
   * @param loopLimit The most rounds (expiry times) the call may run, an integer from 1 to
   *   2^31 − 1 (default 1000), as the chain's `tick`.
   * @returns the number of timers run.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL unless the clock is driven by hand (checked first).
   * @throws TypeError ERR_INVALID_ARG_TYPE if deltaNs or loopLimit is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if deltaNs or loopLimit is not an integer in its range.
   * @throws Error ERR_ITIMER_LOOP_LIMIT if, after loopLimit rounds, another falls due before
   *   the target (checked before each round, so no more than loopLimit run); the rounds run
   *   stay run and the clock stands at the last one's expiry time.
   */
  tick(deltaNs: number, loopLimit = 1000): number {
    this.#handDriven('tick');
    validateInteger(deltaNs, 'deltaNs', 0, Number.MAX_SAFE_INTEGER - this.#virtualBaseNs);
    validateLoopLimit(loopLimit);
    const target = this.#virtualBaseNs + deltaNs;
    let ran = 0;
    let rounds = 0;
    for (let head = this.#list.head; this.#enabled && head && head.dueNs <= target; head = this.#list.head) {
      if (++rounds > loopLimit) throw loopLimitError(loopLimit, 'rounds');
      this.#virtualBaseNs = Math.max(this.#virtualBaseNs, head.dueNs);
      ran += this.#runTimers();
    }
    this.#virtualBaseNs = target;
    return ran;
  }

  /**
   * Advances the hand-driven clock to its earliest timer and runs what is due then.
   * @returns true if it ran a round; false if the clock has no timers or is disabled.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL unless the clock is driven by hand.
   */
  next(): boolean {
    this.#handDriven('next');
    const head = this.#list.head;
    if (!head || !this.#enabled) return false;
    this.#virtualBaseNs = Math.max(this.#virtualBaseNs, head.dueNs);
    this.#runTimers();
    return true;
  }

  /**
   * Runs the hand-driven clock until it has no timers.
   * @param loopLimit The most rounds the call may run, an integer from 1 to 2^31 − 1
   *   (default 1000).
   * @returns the number of rounds (expiry times) run; 0 for a disabled clock, whose timers stay.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL unless the clock is driven by hand (checked first).
   * @throws TypeError ERR_INVALID_ARG_TYPE if loopLimit is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if loopLimit is not an integer from 1 to 2^31 − 1.
   * @throws Error ERR_ITIMER_LOOP_LIMIT if timers remain after loopLimit rounds (a timer keeps
   *   re-arming itself), as the chain's `runAll`: checked before each round, so no more than
   *   loopLimit run, and a last round that empties the clock is no error. The rounds run stay run.
   */
  runAll(loopLimit = 1000): number {
    this.#handDriven('runAll');
    validateLoopLimit(loopLimit);
    let rounds = 0;
    while (this.#enabled && this.#list.size > 0) {
      if (++rounds > loopLimit) throw loopLimitError(loopLimit, 'rounds');
      this.next();
    }
    return rounds;
  }

  // ---- timers ----

  /** @internal */
  _insert(timer: ClockTimer): void {
    if (this.#list.insert(timer)) this.#schedule();
  }

  /** @internal @returns true if the timer was pending (in the heap, or collected and not run). */
  _remove(timer: ClockTimer): boolean {
    const wasHead = this.#list.head === timer;
    const removed = this.#list.remove(timer);
    if (wasHead) this.#schedule();
    return removed;
  }

  /** @internal */
  _setRef(timer: ClockTimer, ref: boolean): void {
    this.#list.setRef(timer, ref);
  }

  /** Runs one pass of this clock's timers at its current time; @returns how many ran. */
  #runTimers(): number {
    if (!this.#enabled) return 0;
    const firedBefore = this.#list.stats.fired;
    this.#list.runPass(this.ns);
    this.#schedule();
    return this.#list.stats.fired - firedBefore;
  }

  /** Puts this clock's waiter on the chain for its head, or takes it off. */
  #schedule(): void {
    const chain = getChain();
    const head = this.#list.head;
    if (!head || !this.#enabled || this.#byHand) {
      chain.cancel(this.#waiter);
      return;
    }
    // Saturated: a clock time further away than the chain's range never comes in this process.
    const deadlineNs = Math.min(Math.round(chain.now() + Math.max(head.dueNs - this.ns, 0)), Number.MAX_SAFE_INTEGER);
    chain.rearmAbsolute(this.#waiter, deadlineNs);
  }
}

/** `CLOCK_MONOTONIC`: QEMU's `rt_clock`. */
export const realtimeClock = new QemuClock('realtime');
/** `CLOCK_REALTIME`, wall time: QEMU's `host_clock`. */
export const hostClock = new QemuClock('host');
/** Time that runs only while enabled (or moves by hand): QEMU's `vm_clock`. */
export const virtualClock = new QemuClock('virtual');

/**
 * A timer on a QEMU clock, in a scale of ns, µs or ms (QEMU `qemu_new_timer`).
 * Invariant: pending exactly while in its clock's heap.
 */
export class ClockTimer extends AsyncResource {
  /** @internal Expiry in ns on the clock. */
  dueNs = 0;
  /** @internal */
  seq = 0;
  /** @internal */
  heapIndex = IDLE;
  /** @internal Clock timers never spin. */
  readonly spinMarginNs = 0;
  /** @internal Whether the timer keeps the process alive while pending. */
  refed = true;
  /** @internal The list it is (or was last) armed on. */
  list: object | undefined = undefined;
  /** The clock. */
  readonly clock: QemuClock;
  /**
   * The unit of {@link ClockTimer.modify} and {@link ClockTimer.expired}, in ns: {@link SCALE_NS},
   * {@link SCALE_US} or {@link SCALE_MS} (QEMU `qemu_mod_timer`). {@link ClockTimer.expireTime}
   * and {@link ClockTimer.modifyNs} are in nanoseconds whatever the scale.
   */
  readonly scale: number;
  readonly #callback: () => void;

  /**
   * A timer on `clock` calling `callback` at expiry; not pending.
   * @param clock The clock: {@link realtimeClock}, {@link hostClock} or {@link virtualClock}.
   * @param scale The unit of {@link ClockTimer.modify} and {@link ClockTimer.expired} in
   *   nanoseconds: {@link SCALE_NS}, {@link SCALE_US} or {@link SCALE_MS}.
   * @param callback Called with no arguments when the timer expires, during its clock's round;
   *   an error it throws is rethrown from `process.nextTick`, after the round.
   * @throws TypeError ERR_INVALID_ARG_TYPE if clock is not a {@link QemuClock} or callback is
   *   not a function.
   * @throws TypeError ERR_INVALID_ARG_VALUE if scale is not one of the three scales.
   */
  constructor(clock: QemuClock, scale: number, callback: () => void) {
    if (!(clock instanceof QemuClock)) throw invalidArgType('clock', 'a QemuClock', clock);
    if (scale !== SCALE_NS && scale !== SCALE_US && scale !== SCALE_MS) throw invalidArgValue('scale', scale, 'must be SCALE_NS, SCALE_US or SCALE_MS');
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    super('ItimerClockTimer', { requireManualDestroy: true });
    this.clock = clock;
    this.scale = scale;
    this.#callback = callback;
  }

  /** @internal Runs the callback (called by the clock's pass). */
  fire(): void {
    this.#callback();
  }

  /**
   * (Re)arms the timer to expire at `expireTime` in its scale, on its clock (QEMU `qemu_mod_timer`).
   * @param expireTime The expiry on the clock's time, in units of the timer's scale (a
   *   fraction is rounded to the nearest nanosecond).
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` unless the
   *   time is a finite number; a refused time leaves the timer as it was.
   */
  modify(expireTime: number): void {
    this.modifyNs(this.#scaledNs(expireTime, 'expireTime'));
  }

  /**
   * (Re)arms the timer at `expireNs` on its clock (QEMU `qemu_mod_timer_ns`).
   * @param expireNs The expiry on the clock's time ({@link QemuClock.ns}), in nanoseconds.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / RangeError `ERR_OUT_OF_RANGE` unless
   *   `expireNs` is a finite integer (the host clock's values exceed 2^53, so doubles of
   *   that size are accepted as they are); a refused time leaves the timer as it was.
   */
  modifyNs(expireNs: number): void {
    if (typeof expireNs !== 'number') throw invalidArgType('expireNs', 'of type number', expireNs);
    if (!Number.isInteger(expireNs)) throw outOfRange('expireNs', 'a finite integer', expireNs);
    this.clock._remove(this);
    this.dueNs = expireNs;
    this.clock._insert(this);
  }

  /**
   * Stops the timer; it stays usable (QEMU `qemu_del_timer`). A timer collected by the
   * running round and not run yet does not run.
   */
  delete(): void {
    this.clock._remove(this);
  }

  /**
   * True while armed (QEMU `qemu_timer_pending`).
   * @returns true from `modify` until the timer runs or is deleted (also while collected by a
   *   running round and not yet run).
   */
  pending(): boolean {
    return this.heapIndex !== IDLE;
  }

  /**
   * True when pending and due at `currentTime` (in the timer's scale) (QEMU `qemu_timer_expired`).
   * @param currentTime A time on the timer's clock, in units of its scale.
   * @returns true if the timer is pending and its expiry is at or before `currentTime`,
   *   converted to ns as {@link ClockTimer.modify} converts (rounded to the nearest ns).
   * @throws TypeError ERR_INVALID_ARG_TYPE if currentTime is not a number.
   * @throws RangeError ERR_OUT_OF_RANGE if currentTime is NaN, or not finite in nanoseconds.
   */
  expired(currentTime: number): boolean {
    const currentNs = this.#scaledNs(currentTime, 'currentTime'); // checked whether or not pending
    return this.pending() && this.dueNs <= currentNs;
  }

  /**
   * A time in this timer's scale, in whole ns (rounded to the nearest): the same conversion
   * for modify and expired, so `expired(t)` holds at the `t` given to `modify(t)` even when
   * `t * scale` is not exact in floating point.
   */
  #scaledNs(time: unknown, name: string): number {
    if (typeof time !== 'number') throw invalidArgType(name, 'of type number', time);
    const ns = Math.round(time * this.scale);
    if (!Number.isFinite(ns)) throw outOfRange(name, 'a finite time', time);
    return ns;
  }

  /**
   * The expiry in ns, or -1 when not pending (QEMU `qemu_timer_expire_time_ns`).
   * @returns the expiry on the clock's time in nanoseconds, whatever the timer's scale; -1 when
   *   not pending.
   */
  expireTime(): number {
    return this.pending() ? this.dueNs : -1;
  }

  /**
   * Keeps the process alive while pending (default).
   * @returns this timer.
   */
  ref(): this {
    this.clock._setRef(this, true);
    return this;
  }

  /**
   * Lets the process exit while this timer is pending.
   * @returns this timer.
   */
  unref(): this {
    this.clock._setRef(this, false);
    return this;
  }

  /**
   * Whether the timer keeps the process alive while pending.
   * @returns true unless {@link ClockTimer.unref} was called (and not undone by `ref`).
   */
  hasRef(): boolean {
    return this.refed;
  }
}
