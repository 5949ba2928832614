/**
 * execvp(3) and execve(2) through the library, with the hygiene a Node process needs
 * before it becomes another program.
 *
 * In order:
 * 1. the atfork `before` handlers run (reverse registration order; the timer chain's own
 *    handler, registered first, runs last: it stops its backend — QEMU `quit_timers` — and
 *    hands a virtual ITIMER_REAL to the kernel, which keeps itimers across execve);
 * 2. the signal dispositions Node changed are restored: Node ignores SIGPIPE and SIGXFSZ,
 *    and ignored signals stay ignored across exec, so they go back to SIG_DFL (unless set
 *    to SIG_IGN with {@link sigaction}, which is kept). Signals with handlers (libuv's for
 *    `process.on`) return to SIG_DFL by the kernel's own rule;
 * 3. stdin, stdout and stderr are made fit for the new program: FD_CLOEXEC is cleared (Node
 *    sets it on fds 0–2 — measured here — so an exec would otherwise start the program with
 *    no stdio at all) and so is O_NONBLOCK (Node sets it on pipes; the new program would get
 *    EAGAIN and lose output);
 * 4. the call. If it returns, it failed: the flags and dispositions are put back, the
 *    `afterInParent` handlers run (the chain restarts with every timer intact), and the
 *    errno error is thrown.
 * @module
 */
import { constants } from 'node:os';
import { host, syscallError } from '../host/index.js';
import { runAtFork } from './atfork.js';
import { forgetUserIgnored, ignoredByUser, sigaction } from './signals.js';
import { cString, cStringArray, invalidArgType, requireMainThread } from './validate.js';

const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;

/** Clears `bit` in the flags read and written by `get`/`set` on `fd`; returns the old flags if changed. */
function clearFlag(fd: number, get: number, set: number, bit: number): number | undefined {
  const current = host().fcntl(fd, get, 0);
  if (current < 0 || !(current & bit)) return undefined;
  host().fcntl(fd, set, current & ~bit);
  return current;
}
/** The signals Node sets to SIG_IGN at startup. */
const NODE_IGNORED: NodeJS.Signals[] = ['SIGPIPE', 'SIGXFSZ'];

function environment(env: unknown): string[] {
  if (Array.isArray(env)) return cStringArray(env, 'env');
  if (typeof env !== 'object' || env === null) throw invalidArgType('env', 'an object or an array of "NAME=value" strings', env);
  return Object.entries(env as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => cString(`${key}=${String(value)}`, `env.${key}`));
}

/** Prepares the process image for exec; returns how to undo it if the exec fails. */
function prepare(): () => void {
  runAtFork('before');
  const restored: NodeJS.Signals[] = [];
  for (const signal of NODE_IGNORED) {
    if (sigaction(signal).disposition === 'ignore' && !ignoredByUser(signal)) {
      sigaction(signal, 'SIG_DFL');
      restored.push(signal);
    }
  }
  const changed: [fd: number, set: number, old: number][] = [];
  for (const fd of [0, 1, 2]) {
    for (const [get, set, bit] of [
      [F_GETFD, F_SETFD, FD_CLOEXEC],
      [F_GETFL, F_SETFL, O_NONBLOCK],
    ] as const) {
      const old = clearFlag(fd, get, set, bit);
      if (old !== undefined) changed.push([fd, set, old]);
    }
  }
  return () => {
    for (const [fd, set, old] of changed) host().fcntl(fd, set, old);
    for (const signal of restored) {
      sigaction(signal, 'SIG_IGN');
      forgetUserIgnored(signal);
    }
    runAtFork('afterInParent');
  };
}

function exec(syscall: string, call: () => number): never {
  const undo = prepare();
  call(); // returns only on failure
  const errno = host().errno();
  undo();
  throw syscallError(errno || constants.errno.EINVAL, syscall);
}

/**
 * Replaces the process with `file`, searched in PATH like a shell does, as execvp(3).
 * @param file The program: a name searched in PATH, or a path if it contains a slash.
 * @param argv the whole argument vector, `argv[0]` included (as C and Node 23's
 *   `process.execve` take it).
 * @throws Error the errno error if the exec fails, with syscall `execvp`: `ENOENT` if no such
 *   file is found in PATH, `EACCES` if one is found but cannot be executed, or execve(2)'s own
 *   (E2BIG, ENOMEM, ETXTBSY, …). The process is then intact: dispositions and fd flags are put
 *   back and the `afterInParent` handlers have run.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker, before anything is changed.
 * @throws TypeError ERR_INVALID_ARG_TYPE if file is not a string, or argv is not an array of
 *   strings (an element's error names it: `argv[1]`).
 * @throws TypeError ERR_INVALID_ARG_VALUE if file is empty, or file or an element of argv has a
 *   NUL byte (C would cut it short).
 * @example
 * ```js
 * import { execvp } from 'itimer';
 * execvp('echo', ['echo', 'this process is now echo']); // does not return
 * ```
 */
export function execvp(file: string, argv: readonly string[]): never {
  requireMainThread('execvp()');
  cString(file, 'file', true);
  const args = cStringArray(argv, 'argv');
  return exec('execvp', () => host().execvp(file, args));
}

/**
 * Replaces the process with the program at `path`, with `argv` and environment `env`, as
 * execve(2). `env` is an object (like `process.env`; undefined values are left out) or an
 * array of `NAME=value` strings.
 * @param path The program's path (not searched in PATH).
 * @param argv The whole argument vector, `argv[0]` included.
 * @param env The environment; default `process.env`.
 * @throws Error the errno error if the exec fails, with syscall `execve` (ENOENT, EACCES,
 *   ENOEXEC, E2BIG, ENOTDIR, ELOOP, ETXTBSY, ENOMEM, …). The process is then intact:
 *   dispositions and fd flags are put back and the `afterInParent` handlers have run.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker, before anything is changed.
 * @throws TypeError ERR_INVALID_ARG_TYPE if path is not a string, argv is not an array of
 *   strings, or env is neither an object nor an array of strings.
 * @throws TypeError ERR_INVALID_ARG_VALUE if path is empty, or path, an element of argv or an
 *   environment entry has a NUL byte (C would cut it short).
 */
export function execve(path: string, argv: readonly string[], env: NodeJS.ProcessEnv | readonly string[] = process.env): never {
  requireMainThread('execve()');
  cString(path, 'path', true);
  const args = cStringArray(argv, 'argv');
  const envStrings = environment(env);
  return exec('execve', () => host().execve(path, args, envStrings));
}
