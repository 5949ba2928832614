/**
 * itimer: Linux alarms, interval timers, POSIX timers and signal dispositions for Node.js,
 * with the kernel's own semantics; a userspace timer chain multiplexing many precise timers
 * onto one host timer, with QEMU-style backends and clocks.
 *
 * ```ts
 * import { alarm, setTimer } from 'itimer';
 * alarm(5); // SIGALRM in 5 s; with no listener the process dies by SIGALRM, even in a busy loop
 * setTimer(() => console.log('250 µs later'), { us: 250 });
 * ```
 *
 * Everything is here; each area is also its own entry point, with the same objects (one copy
 * of the chain, whichever entries a program imports): `itimer/posix` (the kernel's calls),
 * `itimer/kqueue`, `itimer/clocks`, `itimer/devalarm`, and Node's timer modules on the chain,
 * `itimer/timers` and `itimer/promises`.
 * @module
 */
export * from './posix/index.js';
export * from './chain/index.js';
// ITIMER_REAL goes through the chain while it owns it (the 'unix' backend): these explicit
// exports shadow the kernel-only ones of posix/.
export { alarm, getitimer, pause, setitimer, ualarm } from './chain/index.js';
export * from './clocks/index.js';
export * from './kqueue/index.js';
export * from './devalarm/index.js';
export { describeBackends, type AlarmBackend, type BackendName } from './backends/index.js';
export {
  selectFfiDriver,
  ffiDriverName,
  isSyscallError,
  ITIMER_ERRORS,
  type SyscallError,
  type ItimerError,
  type ItimerErrorCode,
  type FfiDriverName,
} from './host/index.js';
