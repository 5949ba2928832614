/**
 * Starting a command with its own alarm or CPU-time limits. Children started by
 * `child_process` never inherit itimers or POSIX timers (the kernel clears them at fork),
 * so the command is started through the CLI's `itimer exec`, which arms them and execs in
 * place: the child's pid and exit status are the command's.
 *
 * The library does not load the CLI to do this: it finds the CLI's file by path (in the itimer
 * package this module belongs to) and runs it in the child. The CLI sits above every layer;
 * the library entry stays free of it.
 *
 * The trampoline is started without the caller's preloads. A module preloaded with `--import`
 * or `--require` (on the command line or in `NODE_OPTIONS`) that calls `spawnWithTimers` would
 * otherwise run again in the trampoline and spawn again, without end. So the trampoline gets
 * none of this process's node flags (`process.execArgv` also holds the program itself under
 * `node -e`), and `NODE_OPTIONS` is taken out of its environment and handed to `itimer exec
 * --env`, which puts it back for the command: the command gets exactly the environment the
 * caller gave. The one flag added is the TypeScript loader, when itimer runs from its sources.
 * @module
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { itimerError } from '../host/index.js';
import { environmentVariables } from './exec.js';
import { C_LIMITS, cString, cStringArray, invalidArgType, invalidArgValue, outOfRange, validateObject } from './validate.js';

/** Timers to arm in a command started through `itimer exec` (see `spawnWithTimers`). */
export interface ExecTimers {
  /** alarm(2): whole seconds of real time. */
  alarm?: number;
  /** setitimer(2) per timer: `[value, interval?]` in seconds (fractions to the microsecond). */
  itimers?: ExecItimers;
}

/** The interval timers of {@link ExecTimers}. */
export interface ExecItimers {
  /** ITIMER_REAL: real time; SIGALRM. */
  readonly real?: ItimerSeconds;
  /** ITIMER_VIRTUAL: user CPU time; SIGVTALRM. */
  readonly virtual?: ItimerSeconds;
  /** ITIMER_PROF: user + system CPU time; SIGPROF. */
  readonly prof?: ItimerSeconds;
}

/** An interval timer setting in seconds: the first expiry, then the period (default 0: one-shot). */
export type ItimerSeconds = readonly [value: number, interval?: number];

/** The largest time, in seconds, that `itimer exec` and `spawnWithTimers` take: alarm(2)'s `unsigned int`. */
export const EXEC_SECONDS_MAX = C_LIMITS.UINT_MAX;

/** The environment variable the trampoline must start without, and hands to the command. */
const PRELOADS = 'NODE_OPTIONS';

/** The `name` of the package.json at `path`, if it is one. */
function packageName(path: string): unknown {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * How to run the CLI: its file, found from the itimer package this module belongs to (the
 * nearest package.json named itimer, above it) — `dist/cli/main.js`, or `src/cli/main.ts`
 * with the TypeScript loader when run from source. Computed on use, so that importing itimer
 * into a bundle works: a bundle of the user's (CommonJS: no `import.meta.url`; ESM: no itimer
 * package around it) has no CLI.
 */
function cliCommand(): string[] {
  const meta = import.meta as { url?: string; resolve?: (specifier: string) => string };
  const here = meta.url;
  if (here !== undefined) {
    const fromSource = here.endsWith('.ts');
    for (let dir = dirname(fileURLToPath(here)); ; dir = dirname(dir)) {
      if (packageName(join(dir, 'package.json')) === 'itimer') {
        const path = join(dir, fromSource ? 'src/cli/main.ts' : 'dist/cli/main.js');
        if (existsSync(path)) return fromSource && meta.resolve ? ['--import', meta.resolve('tsx'), path] : [path];
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  throw itimerError('ERR_ITIMER_NO_CLI', 'spawnWithTimers() runs the itimer CLI file, which a bundle does not have: install itimer as a package to use it');
}

/** Builds the `itimer exec` argument list for `timers` and the command's `env` settings, then `--`, `command`, `args`. */
function execArguments(timers: ExecTimers, env: readonly [string, string][], command: string, args: readonly string[]): string[] {
  const out: string[] = ['exec'];
  if (timers.alarm !== undefined) out.push('--alarm', String(timers.alarm));
  for (const [which, spec] of Object.entries(timers.itimers ?? {})) {
    if (spec) out.push('--itimer', `${which}=${spec[0]}${spec[1] === undefined ? '' : `,${spec[1]}`}`);
  }
  for (const [name, value] of env) out.push('--env', `${name}=${value}`);
  return [...out, '--', command, ...args];
}

function validateSeconds(value: unknown, name: string, integer: boolean): void {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isFinite(value) || value < 0 || value > EXEC_SECONDS_MAX || (integer && !Number.isInteger(value))) {
    throw outOfRange(name, integer ? `an integer from 0 to ${EXEC_SECONDS_MAX}` : `a finite number of seconds from 0 to ${EXEC_SECONDS_MAX}`, value);
  }
}

/** Checks spawnWithTimers' timers up front (the child would otherwise report them as a usage error). */
function validateTimers(timers: unknown): void {
  validateObject(timers, 'timers');
  const { alarm, itimers } = timers as ExecTimers;
  if (alarm !== undefined) validateSeconds(alarm, 'timers.alarm', true);
  if (itimers === undefined) return;
  validateObject(itimers, 'timers.itimers');
  for (const [which, spec] of Object.entries(itimers)) {
    if (!['real', 'virtual', 'prof'].includes(which)) throw invalidArgValue('timers.itimers', which, 'has an unknown timer (use real, virtual, prof)');
    if (!Array.isArray(spec) || spec.length < 1 || spec.length > 2) throw invalidArgType(`timers.itimers.${which}`, 'a [value, interval?] array of seconds', spec);
    spec.forEach((seconds, i) => validateSeconds(seconds, `timers.itimers.${which}[${i}]`, false));
  }
}

/**
 * Spawns `command` with `args` like `child_process.spawn`, with `timers` armed in it: e.g.
 * `{ alarm: 5 }` (ended by SIGALRM after 5 s) or `{ itimers: { virtual: [2] } }` (after 2 s
 * of user CPU time, SIGVTALRM). The child's exit status is the command's, or 127 if it is
 * not found, 126 if it cannot be executed, 125 if the trampoline itself failed before running
 * it (e.g. an `ITIMER_FFI` naming no driver in the child's environment; one line on stderr).
 * The trampoline starts without this process's preloads (`--import`, `--require`, `NODE_OPTIONS`);
 * the command gets `options.env` (default `process.env`), `NODE_OPTIONS` included.
 * @param command The program, searched in PATH (execvp(3)).
 * @param args Its arguments, after `argv[0]` (which is `command`).
 * @param timers `alarm`: whole seconds for alarm(2); `itimers`: `[value, interval?]` in
 *   seconds for each of `real`, `virtual` and `prof`.
 * @param options Options of `child_process.spawn` (`stdio`, `env`, `cwd`, …), as a plain
 *   object, without `shell` and `argv0`; `env`, if given, a plain object or `process.env`,
 *   its values made strings by child_process's rules (undefined ones left out).
 * @returns the child, as `child_process.spawn` returns it: Node running the itimer CLI, which
 *   arms the timers and execs `command` in place, so the pid and the exit status are the
 *   command's.
 * @throws TypeError ERR_INVALID_ARG_TYPE if command is not a string, args not an array of
 *   strings, timers, `timers.itimers` or options not a plain object, a time not a number, an
 *   `itimers` entry not an array of one or two numbers, `options.env` neither a plain object
 *   nor process.env, or a value of it a Symbol; before anything is spawned.
 * @throws TypeError ERR_INVALID_ARG_VALUE if command is empty, command or an element of args
 *   has a NUL byte (named by its index: `args[1]`), `timers.itimers` has a key other than
 *   `real`, `virtual` and `prof`, a variable of `options.env` has a NUL byte or a value that
 *   cannot be made a string, or `options.shell` or `options.argv0` is given (they would apply
 *   to the trampoline, not the command).
 * @throws RangeError ERR_OUT_OF_RANGE if a time is not finite or outside 0 to 4 294 967 295
 *   seconds, or `timers.alarm` is not an integer.
 * @throws Error ERR_ITIMER_NO_CLI if the itimer CLI file is missing (inside a bundle).
 * @throws TypeError what `child_process.spawn` throws for options it refuses
 *   (ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE).
 */
export function spawnWithTimers(command: string, args: readonly string[], timers: ExecTimers, options: SpawnOptions = {}): ChildProcess {
  cString(command, 'command', true);
  cStringArray(args, 'args');
  validateTimers(timers);
  validateObject(options, 'options');
  // Both would apply to the trampoline, not the command: a shell would re-split the
  // trampoline's argument list, argv0 would name the Node process that execs the command.
  const unsupported = options.shell !== undefined && options.shell !== false ? 'shell' : options.argv0 !== undefined ? 'argv0' : undefined;
  if (unsupported) throw invalidArgValue(`options.${unsupported}`, options[unsupported], 'is not supported: the command is executed directly (for a shell, run command "sh" with args ["-c", script])');
  const env = options.env ?? process.env;
  const variables = environmentVariables(env, 'options.env');
  const trampolineEnv: Record<string, string> = Object.create(null);
  const forCommand: [string, string][] = [];
  for (const [name, value] of variables) {
    if (name === PRELOADS) forCommand.push([name, value]);
    else trampolineEnv[name] = value;
  }
  const cli = cliCommand();
  return spawn(process.execPath, [...cli, ...execArguments(timers, forCommand, command, args)], { ...options, env: trampolineEnv });
}
