/**
 * itimer: Linux alarms, interval timers, POSIX timers and signal dispositions for Node.js,
 * with the kernel's own semantics.
 *
 * ```ts
 * import { alarm, setitimer, timerCreate, CLOCK_MONOTONIC } from 'itimer';
 * alarm(5); // SIGALRM in 5 s; with no listener the process dies by SIGALRM, even in a busy loop
 * ```
 * @module
 */
export * from './posix/index.js';
export { selectFfiDriver, ffiDriverName, isSyscallError, type SyscallError, type FfiDriverName } from './host/index.js';
