/**
 * `itimer/posix`: the kernel's timer and signal calls with Linux semantics and validated
 * input — alarm(2), ualarm(3), setitimer(2) / getitimer(2), POSIX timers, clocks, sigaction(2),
 * sigprocmask(2), sigtimedwait(2), pause(2), execve(2) / execvp(3), the atfork registry,
 * `spawnWithTimers` — and the choice of FFI driver.
 *
 * ```ts
 * import { alarm, sigaction } from 'itimer/posix';
 * sigaction('SIGALRM', () => console.log('SIGALRM'));
 * alarm(1);
 * ```
 *
 * ITIMER_REAL is shared with the timer chain when the chain runs on the `unix` backend: alarm,
 * ualarm, setitimer, getitimer and pause here are the root entry's, which go through the chain
 * then, so the two never fight over the one timer.
 * @module
 */
export * from './posix/index.js';
export { alarm, getitimer, pause, setitimer, ualarm } from './chain/index.js';
export { selectFfiDriver, ffiDriverName, isSyscallError, type SyscallError, type FfiDriverName } from './host/index.js';
