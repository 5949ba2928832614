/**
 * QEMU's clocks on the timer chain: `realtime` (CLOCK_MONOTONIC), `host` (CLOCK_REALTIME,
 * with reset notifiers when wall time jumps) and `virtual` (runs only while enabled, or is
 * driven by hand), each with its own timers ({@link ClockTimer}). What the kinds do
 * differently lives in their strategy objects (`kinds.ts`); this module is what they share.
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
import { DEFAULT_LOOP_LIMIT, drive, validateLoopLimit } from '../chain/drive.js';
import { TimerList } from '../chain/timer-list.js';
import { Waiter } from '../chain/waiter.js';
import { itimerError } from '../host/errors.js';
import { invalidArgType, validateInteger } from '../posix/validate.js';
import type { ClockTimer } from './clock-timer.js';
import type { ClockKind, ClockType, ResetNotifier } from './kinds.js';
import { clockKind, VirtualKind } from './kinds.js';

/**
 * A QEMU clock. Read it with {@link QemuClock.ns}; arm timers on it with {@link ClockTimer}.
 */
export class QemuClock {
  /** Which clock this is. */
  readonly type: ClockType;
  #enabled = true;
  readonly #kind: ClockKind;
  readonly #list: TimerList<ClockTimer> = new TimerList(
    () => this.ns,
    (held) => getChain().setRef(this.#waiter, held),
    undefined,
    this,
  );
  readonly #waiter: Waiter;

  /**
   * @hidden Use the exported clocks.
   * @param type `'realtime'`, `'host'` or `'virtual'`.
   * @throws TypeError ERR_INVALID_ARG_VALUE for any other type.
   */
  constructor(type: ClockType) {
    this.#kind = clockKind(type, () => this.#schedule());
    this.type = this.#kind.type;
    this.#waiter = new Waiter(() => this.#runTimers());
    this.#waiter.keepsAlive = false; // set by the list's keep-alive accounting
  }

  /** The current time of the clock in ns (QEMU `qemu_get_clock_ns`). */
  get ns(): number {
    return this.#kind.now();
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
    this.#kind.setEnabled(enabled);
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
    this.#kind.onReset(notifier);
  }

  /**
   * Unregisters a reset notifier.
   * @param notifier The function given to {@link QemuClock.onReset}; the last one's removal
   *   closes the timerfd.
   * @throws Never: a value that is not a registered notifier is ignored.
   */
  offReset(notifier: ResetNotifier): void {
    this.#kind.offReset(notifier);
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
    if (this.#kind.driveByHand(byHand, this.#enabled)) this.#schedule();
  }

  /** The virtual kind, if the clock is driven by hand. @throws Error ERR_ITIMER_NOT_VIRTUAL otherwise. */
  #handDriven(operation: string): VirtualKind {
    const kind = this.#kind;
    if (!(kind instanceof VirtualKind) || !kind.byHand) {
      throw itimerError('ERR_ITIMER_NOT_VIRTUAL', `${operation}() needs the virtual clock driven by hand: call driveByHand() first`);
    }
    return kind;
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
  tick(deltaNs: number, loopLimit = DEFAULT_LOOP_LIMIT): number {
    const hand = this.#handDriven('tick');
    const target = hand.now() + validateInteger(deltaNs, 'deltaNs', 0, Number.MAX_SAFE_INTEGER - hand.now());
    validateLoopLimit(loopLimit);
    let ran = 0;
    drive(
      () => this.#enabled && this.#list.head !== undefined && this.#list.head.dueNs <= target,
      () => {
        hand.advanceTo(this.#list.head!.dueNs);
        ran += this.#runTimers();
      },
      loopLimit,
      'rounds',
    );
    hand.advanceTo(target);
    return ran;
  }

  /**
   * Advances the hand-driven clock to its earliest timer and runs what is due then.
   * @returns true if it ran a round; false if the clock has no timers or is disabled.
   * @throws Error ERR_ITIMER_NOT_VIRTUAL unless the clock is driven by hand.
   */
  next(): boolean {
    const hand = this.#handDriven('next');
    const head = this.#list.head;
    if (!head || !this.#enabled) return false;
    hand.advanceTo(head.dueNs);
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
  runAll(loopLimit = DEFAULT_LOOP_LIMIT): number {
    this.#handDriven('runAll');
    validateLoopLimit(loopLimit);
    return drive(() => this.#enabled && this.#list.size > 0, () => this.next(), loopLimit, 'rounds');
  }

  // ---- timers ----

  /** @internal @returns true if the timer was pending (in the heap, or collected and not run). */
  _remove(timer: ClockTimer): boolean {
    const wasHead = this.#list.head === timer;
    const removed = this.#list.remove(timer);
    if (wasHead) this.#schedule();
    return removed;
  }

  /** @internal (Re)arms a timer at `expireNs`: one heap move, and one schedule only if the head changed. */
  _modify(timer: ClockTimer, expireNs: number): void {
    const wasHead = this.#list.head === timer;
    this.#list.remove(timer);
    timer.dueNs = expireNs;
    if (this.#list.insert(timer) || wasHead) this.#schedule();
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
    if (!head || !this.#enabled || this.#kind.byHand) {
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
