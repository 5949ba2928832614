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
import { cString, cStringArray, invalidArgType, invalidArgValue, isPlainObject, requireMainThread } from './validate.js';

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

/**
 * @internal An environment object's variables as `[name, value]` strings, by child_process's rules
 * (`child_process.spawn`'s `options.env`): a variable whose value is `undefined` is left out;
 * any other value becomes a string as a template literal makes it (`1` → `'1'`, `null` →
 * `'null'`); a name or value with a NUL byte is refused. Where child_process throws an uncoded
 * TypeError (a Symbol value, or a value whose conversion throws, like `[1, Symbol()]`) or
 * takes what it cannot use (a `Map` reads as no variables at all), this refuses with a code.
 * Names are the object's own enumerable keys: an environment is a plain object or
 * `process.env` itself.
 * @throws TypeError ERR_INVALID_ARG_TYPE if env is not a plain object nor process.env, or a value is a Symbol.
 * @throws TypeError ERR_INVALID_ARG_VALUE if a name or value has a NUL byte, or a value cannot be converted to a string.
 */
export function environmentVariables(env: unknown, name: string, expected = 'a plain object (or process.env)'): [name: string, value: string][] {
  if (env !== process.env && !isPlainObject(env)) throw invalidArgType(name, expected, env);
  const variables: [string, string][] = [];
  for (const key of Object.keys(env)) {
    const value: unknown = (env as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const entry = `${name}.${key}`;
    if (typeof value === 'symbol') throw invalidArgType(entry, 'convertible to a string (a symbol is not)', value);
    let text: string;
    try {
      text = `${value as string}`;
    } catch (error) {
      throw Object.assign(invalidArgValue(entry, value, 'cannot be converted to a string'), { cause: error });
    }
    variables.push([cString(key, entry), cString(text, entry)]);
  }
  return variables;
}

/** execve's `env`: an array of `NAME=value` strings, or an object by {@link environmentVariables}. */
function environment(env: unknown): string[] {
  if (Array.isArray(env)) return cStringArray(env, 'env');
  return environmentVariables(env, 'env', 'a plain object (or process.env) or an array of "NAME=value" strings').map(([key, value]) => `${key}=${value}`);
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
 * execve(2). `env` is `process.env`, a plain object whose values are made strings as
 * `child_process.spawn` makes them (undefined values are left out; `1` becomes `'1'`), or an
 * array of `NAME=value` strings.
 * @param path The program's path (not searched in PATH).
 * @param argv The whole argument vector, `argv[0]` included.
 * @param env The environment; default `process.env`.
 * @throws Error the errno error if the exec fails, with syscall `execve` (ENOENT, EACCES,
 *   ENOEXEC, E2BIG, ENOTDIR, ELOOP, ETXTBSY, ENOMEM, …). The process is then intact:
 *   dispositions and fd flags are put back and the `afterInParent` handlers have run.
 * @throws Error ERR_ITIMER_MAIN_THREAD_ONLY in a Worker, before anything is changed.
 * @throws TypeError ERR_INVALID_ARG_TYPE if path is not a string, argv is not an array of
 *   strings, env is neither process.env, a plain object nor an array of strings, or a value of
 *   env is a Symbol (named by its variable: `env.A`).
 * @throws TypeError ERR_INVALID_ARG_VALUE if path is empty; if path, an element of argv or an
 *   environment variable's name or value has a NUL byte (C would cut it short); or if a value
 *   of env cannot be made a string (its conversion threw: the error is the `cause`).
 */
export function execve(path: string, argv: readonly string[], env: NodeJS.ProcessEnv | readonly string[] = process.env): never {
  requireMainThread('execve()');
  cString(path, 'path', true);
  const args = cStringArray(argv, 'argv');
  const envStrings = environment(env);
  return exec('execve', () => host().execve(path, args, envStrings));
}
