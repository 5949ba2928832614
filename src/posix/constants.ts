/**
 * Linux constant values (identical on x86_64 and aarch64).
 * @module
 */

/** `clock_gettime(2)` clock: settable wall-clock time. */
export const CLOCK_REALTIME = 0;
/** Monotonic time since an unspecified point (boot); does not count suspend. */
export const CLOCK_MONOTONIC = 1;
/** CPU time consumed by this process (all threads). */
export const CLOCK_PROCESS_CPUTIME_ID = 2;
/** CPU time consumed by the calling thread. */
export const CLOCK_THREAD_CPUTIME_ID = 3;
/** Monotonic time not subject to NTP frequency adjustment. No timers on this clock. */
export const CLOCK_MONOTONIC_RAW = 4;
/** Fast, tick-resolution CLOCK_REALTIME. No timers on this clock. */
export const CLOCK_REALTIME_COARSE = 5;
/** Fast, tick-resolution CLOCK_MONOTONIC. No timers on this clock. */
export const CLOCK_MONOTONIC_COARSE = 6;
/** CLOCK_MONOTONIC plus time spent in suspend. */
export const CLOCK_BOOTTIME = 7;
/** CLOCK_REALTIME that wakes a suspended system (timers need CAP_WAKE_ALARM). */
export const CLOCK_REALTIME_ALARM = 8;
/** CLOCK_BOOTTIME that wakes a suspended system (timers need CAP_WAKE_ALARM). */
export const CLOCK_BOOTTIME_ALARM = 9;
/** International Atomic Time. */
export const CLOCK_TAI = 11;

/** The clock names accepted wherever a clock id is. */
export const CLOCKS = {
  CLOCK_REALTIME,
  CLOCK_MONOTONIC,
  CLOCK_PROCESS_CPUTIME_ID,
  CLOCK_THREAD_CPUTIME_ID,
  CLOCK_MONOTONIC_RAW,
  CLOCK_REALTIME_COARSE,
  CLOCK_MONOTONIC_COARSE,
  CLOCK_BOOTTIME,
  CLOCK_REALTIME_ALARM,
  CLOCK_BOOTTIME_ALARM,
  CLOCK_TAI,
} as const;

/** A clock by its constant name. */
export type ClockName = keyof typeof CLOCKS;

/** Interval timer counting real (wall-clock) time; delivers SIGALRM. Shared with `alarm()`. */
export const ITIMER_REAL = 0;
/** Interval timer counting user CPU time of the process; delivers SIGVTALRM. */
export const ITIMER_VIRTUAL = 1;
/** Interval timer counting user + system CPU time of the process; delivers SIGPROF. */
export const ITIMER_PROF = 2;

/** `timer_settime(2)` / `timerfd_settime(2)` flag: the value is an absolute time on the timer's clock. */
export const TIMER_ABSTIME = 1;

/** `sigev_notify`: deliver `sigev_signo` to the process. */
export const SIGEV_SIGNAL = 0;
/** `sigev_notify`: no notification; poll with `gettime()`. */
export const SIGEV_NONE = 1;
/** `sigev_notify`: run a function on a new thread (not supported by itimer: it cannot run JavaScript there). */
export const SIGEV_THREAD = 2;
/** `sigev_notify`: deliver `sigev_signo` to the thread `sigev_notify_thread_id` (Linux-specific). */
export const SIGEV_THREAD_ID = 4;

/** `sigprocmask(2)` how: add the set to the mask. */
export const SIG_BLOCK = 0;
/** `sigprocmask(2)` how: remove the set from the mask. */
export const SIG_UNBLOCK = 1;
/** `sigprocmask(2)` how: replace the mask with the set. */
export const SIG_SETMASK = 2;

/** `sa_flags` bits of `sigaction(2)`, by name. */
export const SA_FLAGS = {
  /** SIGCHLD: no notice when children stop or continue. */
  SA_NOCLDSTOP: 0x1,
  /** SIGCHLD: children do not become zombies. */
  SA_NOCLDWAIT: 0x2,
  /** The handler takes three arguments (siginfo). */
  SA_SIGINFO: 0x4,
  /** Set by libc on x86_64: `sa_restorer` returns from the handler. */
  SA_RESTORER: 0x04000000,
  /** Run the handler on the alternate signal stack. */
  SA_ONSTACK: 0x08000000,
  /** Restart interruptible system calls after the handler (libuv sets it). */
  SA_RESTART: 0x10000000,
  /** Do not block the signal while its handler runs. */
  SA_NODEFER: 0x40000000,
  /** Reset to SIG_DFL when the handler is entered. */
  SA_RESETHAND: 0x80000000,
} as const;

/** `prctl(2)` option: set the calling thread's timer slack in nanoseconds. */
export const PR_SET_TIMERSLACK = 29;
/** `prctl(2)` option: get the calling thread's timer slack. */
export const PR_GET_TIMERSLACK = 30;
