/**
 * The three kinds of QEMU clock as strategies — one object per clock holding what its kind
 * does differently, so the clock itself ({@link QemuClock}) has no switch on its type:
 *
 * | kind | reads | enable(false) | by hand | reset notifiers |
 * |---|---|---|---|---|
 * | `realtime` (QEMU `rt_clock`) | CLOCK_MONOTONIC, the chain's time base | timers wait | refused | refused |
 * | `host` (`host_clock`) | CLOCK_REALTIME; a read that goes back is a reset | timers wait | refused | on every set of the wall clock, and on a read that goes back |
 * | `virtual` (`vm_clock`) | time accumulated while enabled | time stands still too | tick / next / runAll | refused |
 *
 * A refusal is the kind's own coded error (`ERR_INVALID_ARG_VALUE`, naming the clock), so a
 * refused call changes nothing. The virtual kind's time is `baseNs` plus the monotonic time
 * since it last resumed; driven by hand, or disabled, it is `baseNs` alone. The host kind
 * remembers its last reading to see the clock go back, and watches for sets (a timerfd,
 * {@link watchClockSet}) only while it has notifiers.
 * @module
 */
import { AsyncResource } from 'node:async_hooks';
import { invalidArgValue, requireMainThread } from '../posix/validate.js';
import { betweenCallbacks, runListener } from '../runtime/dispatch.js';
import { CLOCK_REALTIME, clockGettime } from '../posix/index.js';
import { monotonicNowNs } from '../backends/index.js';
import type { ClockSetWatch } from './reset-watch.js';
import { watchClockSet } from './reset-watch.js';

/** The kinds of QEMU clock. */
export type ClockType = 'realtime' | 'host' | 'virtual';

/** Called with the new clock value (ns) when a host clock jumps. */
export type ResetNotifier = (nowNs: number) => void;

/** What differs between the kinds of clock; the defaults are the realtime kind's. */
export abstract class ClockKind {
  /** The kind's name, the clock's `type`. */
  abstract readonly type: ClockType;

  /** The clock's current time in ns. */
  abstract now(): number;

  /** True while the clock moves only by hand: its waiter is then off the chain. */
  get byHand(): boolean {
    return false;
  }

  /** The clock was enabled or disabled (already checked to be a change). */
  setEnabled(_enabled: boolean): void {}

  /**
   * Drives the clock by hand, or lets it follow real time again (from where it stands, if
   * the clock is `enabled`). @returns true if that changed anything.
   * @throws TypeError ERR_INVALID_ARG_VALUE but on the virtual kind.
   */
  driveByHand(_byHand: boolean, _enabled: boolean): boolean {
    throw invalidArgValue('clock', this.type, 'cannot be driven by hand (only the virtual clock can)');
  }

  /**
   * Registers a reset notifier.
   * @throws TypeError ERR_INVALID_ARG_VALUE but on the host kind.
   */
  onReset(_notifier: ResetNotifier): void {
    throw invalidArgValue('clock', this.type, 'has no reset notifiers (only the host clock does)');
  }

  /** Unregisters a reset notifier; anything else is ignored. */
  offReset(_notifier: ResetNotifier): void {}
}

/** `realtime`: CLOCK_MONOTONIC, the chain's own time base. */
class RealtimeKind extends ClockKind {
  readonly type = 'realtime';

  now(): number {
    return monotonicNowNs();
  }
}

/**
 * `host`: CLOCK_REALTIME, with reset notifiers. Invariant: the set watch is open exactly
 * while there are notifiers.
 */
class HostKind extends ClockKind {
  readonly type = 'host';
  #lastNs = Number.NEGATIVE_INFINITY;
  /** The notifiers, each with the async resource of its registration (the context it runs in). */
  readonly #notifiers = new Map<ResetNotifier, AsyncResource>();
  #watch: ClockSetWatch | undefined;
  /** The clock's reaction to a jump, before the notifiers: its timers map to new deadlines. */
  readonly #onJump: () => void;

  constructor(onJump: () => void) {
    super();
    this.#onJump = onJump;
  }

  now(): number {
    const ns = wallNowNs();
    const last = this.#lastNs;
    this.#lastNs = ns;
    if (ns < last) this.#reset(ns);
    return ns;
  }

  /**
   * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker; the errno error of the first
   *   notifier's timerfd (nothing registered then, no fd left open).
   */
  override onReset(notifier: ResetNotifier): void {
    requireMainThread('A host clock reset notifier (it polls a timerfd)');
    this.#watch ??= watchClockSet(() => {
      this.#lastNs = wallNowNs();
      this.#reset(this.#lastNs);
    });
    if (!this.#notifiers.has(notifier)) this.#notifiers.set(notifier, new AsyncResource('ItimerResetNotifier'));
  }

  override offReset(notifier: ResetNotifier): void {
    this.#notifiers.delete(notifier);
    if (this.#notifiers.size > 0 || !this.#watch) return;
    this.#watch.close();
    this.#watch = undefined;
  }

  /**
   * The clock jumped: its timers move first, then each notifier runs through the dispatch path
   * (runtime/dispatch), in the context it was registered in; a throw is reported as uncaught
   * and the next notifier still runs, after the queues are drained.
   */
  #reset(nowNs: number): void {
    this.#onJump();
    let first = true;
    for (const [notifier, resource] of [...this.#notifiers]) {
      if (!first) betweenCallbacks();
      first = false;
      if (this.#notifiers.has(notifier)) runListener(resource, notifier, nowNs);
    }
  }
}

/**
 * `virtual`: time that runs only while enabled, or moves only by hand. Invariant:
 * `#resumedAtNs` is the monotonic time it last resumed while it follows real time, and
 * undefined while it stands still (disabled); driven by hand, only `#baseNs` counts.
 */
export class VirtualKind extends ClockKind {
  readonly type = 'virtual';
  #baseNs = 0;
  #resumedAtNs: number | undefined = monotonicNowNs();
  #byHand = false;

  now(): number {
    return this.#resumedAtNs === undefined || this.#byHand ? this.#baseNs : this.#baseNs + monotonicNowNs() - this.#resumedAtNs;
  }

  override get byHand(): boolean {
    return this.#byHand;
  }

  override setEnabled(enabled: boolean): void {
    if (this.#byHand) return;
    if (enabled) this.#resumedAtNs = monotonicNowNs();
    else {
      this.#baseNs = this.now();
      this.#resumedAtNs = undefined;
    }
  }

  override driveByHand(byHand: boolean, enabled: boolean): boolean {
    if (byHand === this.#byHand) return false;
    if (byHand) {
      this.#baseNs = this.now();
      this.#byHand = true;
    } else {
      this.#byHand = false;
      this.#resumedAtNs = enabled ? monotonicNowNs() : undefined;
    }
    return true;
  }

  /** Moves hand-driven time forward to `ns` (never back). */
  advanceTo(ns: number): void {
    this.#baseNs = Math.max(this.#baseNs, ns);
  }
}

/** CLOCK_REALTIME in ns, as a double (today about 1.8e18: exact to 256 ns). */
function wallNowNs(): number {
  const now = clockGettime(CLOCK_REALTIME);
  return now.sec * 1e9 + now.nsec;
}

const KINDS: Record<ClockType, (onJump: () => void) => ClockKind> = {
  realtime: () => new RealtimeKind(),
  host: (onJump) => new HostKind(onJump),
  virtual: () => new VirtualKind(),
};

/**
 * A new strategy object of kind `type`, for one clock.
 * @param onJump Called when a host clock jumps, before its notifiers.
 * @throws TypeError ERR_INVALID_ARG_VALUE if type is not `'realtime'`, `'host'` or `'virtual'`.
 */
export function clockKind(type: unknown, onJump: () => void): ClockKind {
  if (typeof type !== 'string' || !Object.hasOwn(KINDS, type)) throw invalidArgValue('type', type, "must be 'realtime', 'host' or 'virtual'");
  return KINDS[type as ClockType](onJump);
}
