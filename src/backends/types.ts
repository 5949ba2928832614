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
  /**
   * True when the backend has no host timer: time is its own counter (`nowNs`), moved only
   * by the chain's hand-driving calls (the `virtual` backend).
   */
  readonly drivenByHand?: boolean;
  /** The signal the backend delivers by, if any. */
  readonly signal?: NodeJS.Signals;
  /**
   * True when the backend's host timer *is* the process's ITIMER_REAL (the `unix`
   * backend): while it runs, the chain must serve the user's alarm / setitimer(ITIMER_REAL)
   * itself and own SIGALRM (chain/sigalrm).
   */
  readonly adoptsItimerReal?: boolean;
  /**
   * True when the backend can arm *lethally* ({@link AlarmBackend.rearmLethal}): so that
   * SIGALRM at its default action ends the process at a deadline even if the chain cannot run.
   */
  readonly lethal?: boolean;
  /**
   * Acquires the host timer and arranges for `onAlarm` to run on the event loop when it
   * expires. Throws when the backend cannot work on this host.
   * @param onAlarm called on the event loop (never inside a signal handler) after each expiry
   *   of the host timer; it may also be called spuriously.
   * @throws Error when the backend cannot work here: the built-in timerfd, dynticks and unix
   *   throw ERR_ITIMER_MAIN_THREAD_ONLY in a Worker, and timerfd and dynticks the errno error
   *   of timerfd_create or timer_create (e.g. EMFILE).
   */
  start(onAlarm: () => void): void;
  /** Releases the host timer; `onAlarm` is not called afterwards. */
  stop(): void;
  /**
   * Arms the host timer to expire at `targetNs` on the chain's time base, which is `deltaNs`
   * after the time the chain read (both already clamped to the rearm floor). Never early.
   * Called on every host re-arm: it allocates nothing (the libuv backend excepted).
   * @param targetNs the expiry time, in ns on the chain's time base (what an `absolute` backend uses).
   * @param deltaNs the same expiry as a delay in ns from the chain's clock reading (what a
   *   relative backend uses); at least the chain's rearm floor, so 0 only when that floor is 0
   *   — and then the host must fire at once (its smallest arming), never be disarmed.
   * @throws Error the errno error of the host call if the kernel refuses it (timerfd_settime,
   *   timer_settime or setitimer); the libuv and virtual backends never throw.
   */
  rearm(targetNs: number, deltaNs: number): void;
  /** Disarms the host timer (the chain is empty). */
  disarm(): void;
  /**
   * Present when the backend may defer an arming to a later turn of the event loop (`unix`,
   * right after it starts): applies it now, for a caller about to block (pause).
   * @throws Error the errno error of the host call, as `rearm`.
   */
  sync?(): void;
  /**
   * Present when {@link AlarmBackend.lethal}: arms for the chain's head `deltaNs` from now,
   * and so that SIGALRM at its default action ends the process `lethalDeltaNs` from now
   * unless the chain re-arms first.
   * @param deltaNs the head's expiry as a delay in ns from the chain's clock reading.
   * @param lethalDeltaNs when the process must die unless the chain re-arms, in ns from that reading.
   * @throws Error the errno error of setitimer or sigaction if the kernel refuses it.
   */
  rearmLethal?(deltaNs: number, lethalDeltaNs: number): void;
}
