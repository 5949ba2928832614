/**
 * The public POSIX API: Linux semantics, validated input.
 * @module
 */
export * from './constants.js';
export { alarm, ualarm, setitimer, getitimer, alarmSeconds, type ItimerWhich } from './itimer.js';
export { timerCreate, PosixTimer, type TimerEvent } from './timer.js';
export { clockGettime, clockGetres, setTimerSlack, getTimerSlack, type ClockInput } from './clock.js';
export { sigaction, signalNumber, type SignalInput, type SignalHandler, type SignalDisposition } from './signals.js';
export { sigprocmask, sigtimedwait, SI_CODES, pause, SIGRTMAX, type SignalInfo } from './sigwait.js';
export {
  toSeconds,
  type Timeval,
  type Timespec,
  type Itimerval,
  type Itimerspec,
  type TimevalInput,
  type TimespecInput,
  type ItimervalInput,
  type ItimerspecInput,
} from './structs.js';
export type { CodedError } from './validate.js';
export { registerAtFork, type AtForkHandlers, type AtForkPhase } from './atfork.js';
export { execve, execvp } from './exec.js';
export { spawnWithTimers, type ExecItimers, type ExecTimers, type ItimerSeconds } from './spawn.js';
