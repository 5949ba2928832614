/**
 * Usage texts and the error type for bad command lines (exit status 2).
 * @module
 */

/** A bad command line: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  /** The usage text to print after the message. */
  readonly usage: string;
  /** A usage error with its message and the usage of the command concerned. */
  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

/** Exit statuses, documented in `itimer --help` and the README. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A conformance case failed. */
  FAILED: 1,
  /** Bad usage. */
  USAGE: 2,
  /** exec: itimer itself failed before running the command (a bad ITIMER_FFI, no FFI driver), as timeout(1) and env(1) use. */
  EXEC_FAILED: 125,
  /** exec: the command was found but could not be run (EACCES, ENOEXEC, …), as shells use. */
  CANNOT_EXECUTE: 126,
  /** exec: the command was not found, as shells use. */
  NOT_FOUND: 127,
} as const;

export const MAIN_USAGE = `Usage: itimer <command> [options]

Commands:
  backends      The alarm backends in order of precedence; which start here, which is active.
  probe         Measure where timers resume your code on this host, per mechanism
                and per backend, against setTimeout.
  conformance   Run the conformance cases (alarm, setitimer, timer_*, sigaction, pause,
                exec, atfork…) on this host and report them.
  exec          Arm alarm / interval timers, then exec a command in place.
  run           Run a Node program with its timers on the timer chain (itimer/register).

Run 'itimer help <command>' (or 'itimer <command> --help') for a command's options. --clock LIST (backends, probe,
conformance) also comes from ITIMER_CLOCK; --ffi DRIVER from ITIMER_FFI.

Exit status: 0 success; 1 a conformance case failed; 2 usage error;
exec: 125 itimer failed before running the command, 126 command not executable,
127 command not found, else the command's own; run: the program's own.`;
