/**
 * The alarm-backend contract, after QEMU's `struct qemu_alarm_timer`.
 * @module
 */

/** The names of the backends. */
export type BackendName = 'timerfd' | 'dynticks' | 'unix' | 'libuv' | 'virtual';

/**
 * A host alarm: one host timer the chain re-arms for its soonest deadline.
 *
 * Invariants: `rearm`/`disarm` are only called between a successful `start` and `stop`;
 * `onAlarm` may be called spuriously (the chain treats a wake-up with nothing due as a
 * poke); no backend's own handles keep the event loop alive.
 */
export interface AlarmBackend {
  /** The name used in config strings. */
  readonly name: BackendName;
  /** One line for `itimer backends` / `help`. */
  readonly description: string;
  /**
   * True when `rearm` uses only `targetNs` (an absolute deadline): the chain may then pass
   * a clock reading it already has instead of reading the clock again.
   */
  readonly absolute?: boolean;
  /** The signal the backend delivers by, if any. */
  readonly signal?: NodeJS.Signals;
  /**
   * Acquires the host timer and arranges for `onAlarm` to run on the event loop when it
   * expires. Throws when the backend cannot work on this host.
   */
  start(onAlarm: () => void): void;
  /** Releases the host timer; `onAlarm` is not called afterwards. */
  stop(): void;
  /**
   * Arms the host timer to expire at `targetNs` on the chain's time base, which is `deltaNs`
   * after the time the chain read (both already clamped to the rearm floor). Never early.
   * Called on every host re-arm: it allocates nothing (the libuv backend excepted).
   */
  rearm(targetNs: number, deltaNs: number): void;
  /** Disarms the host timer (the chain is empty). */
  disarm(): void;
}
