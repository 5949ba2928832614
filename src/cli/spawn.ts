/**
 * Starting a command with its own alarm or CPU-time limits. Children started by
 * `child_process` never inherit itimers or POSIX timers (the kernel clears them at fork),
 * so the command is started through `itimer exec`, which arms them and execs in place.
 * @module
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { itimerError } from '../host/index.js';
import { cString, cStringArray, invalidArgType, invalidArgValue, outOfRange, validateObject } from '../posix/validate.js';
import type { ExecTimers } from './commands/exec.js';
import { EXEC_SECONDS_MAX, execArguments } from './commands/exec.js';

export type { ExecItimers, ExecTimers, ItimerSeconds } from './commands/exec.js';

/** The `name` of the package.json at `path`, if it is one. */
function packageName(path: string): unknown {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * The CLI's own file, found from the itimer package this module belongs to (the nearest
 * package.json named itimer, above it): `dist/cli/main.js`, or `src/cli/main.ts` when run
 * from source. Computed on use, so that importing itimer into a bundle works: a bundle of
 * the user's (CommonJS: no `import.meta.url`; ESM: no itimer package around it) has no CLI.
 */
function cliPath(): string {
  const here = (import.meta as { url?: string }).url;
  if (here !== undefined) {
    for (let dir = dirname(fileURLToPath(here)); ; dir = dirname(dir)) {
      if (packageName(join(dir, 'package.json')) === 'itimer') {
        const path = join(dir, here.endsWith('.ts') ? 'src/cli/main.ts' : 'dist/cli/main.js');
        if (existsSync(path)) return path;
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  throw itimerError('ERR_ITIMER_NO_CLI', 'spawnWithTimers() runs the itimer CLI file, which a bundle does not have: install itimer as a package to use it');
}

/** Flags of this process that the trampoline needs too (loaders); with a value when `=` is not used. */
const KEPT_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C', '--no-warnings', '--enable-source-maps']);

/**
 * The node flags for the trampoline: only those that load code (`--import`, `--require`,
 * `--loader`, …). Never the program itself: under `node -e CODE` (or `-p`, `--input-type`,
 * `--test`) `process.execArgv` holds the program, and passing it on would run it again
 * instead of the trampoline, recursively.
 */
export function trampolineFlags(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const name = flag.split('=')[0]!;
    if (!KEPT_FLAGS.has(name)) continue;
    kept.push(flag);
    if (!flag.includes('=') && name !== '--no-warnings' && name !== '--enable-source-maps' && i + 1 < execArgv.length) kept.push(execArgv[++i]!);
  }
  return kept;
}

function validateSeconds(value: unknown, name: string, integer: boolean): void {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isFinite(value) || value < 0 || value > EXEC_SECONDS_MAX || (integer && !Number.isInteger(value))) {
    throw outOfRange(name, integer ? `an integer from 0 to ${EXEC_SECONDS_MAX}` : `a finite number of seconds from 0 to ${EXEC_SECONDS_MAX}`, value);
  }
}

/** Checks spawnWithTimers' arguments up front (the child would otherwise report them as a usage error). */
function validateSpawn(command: unknown, args: unknown, timers: unknown, options: unknown): void {
  cString(command, 'command', true);
  cStringArray(args, 'args');
  validateObject(timers, 'timers');
  const { alarm, itimers } = timers as ExecTimers;
  if (alarm !== undefined) validateSeconds(alarm, 'timers.alarm', true);
  if (itimers !== undefined) {
    validateObject(itimers, 'timers.itimers');
    for (const [which, spec] of Object.entries(itimers)) {
      if (!['real', 'virtual', 'prof'].includes(which)) throw invalidArgValue('timers.itimers', which, "has an unknown timer (use real, virtual, prof)");
      if (!Array.isArray(spec) || spec.length < 1 || spec.length > 2) throw invalidArgType(`timers.itimers.${which}`, 'a [value, interval?] array of seconds', spec);
      spec.forEach((seconds, i) => validateSeconds(seconds, `timers.itimers.${which}[${i}]`, false));
    }
  }
  validateObject(options, 'options');
}

/**
 * Spawns `command` with `args` like `child_process.spawn`, with `timers` armed in it: e.g.
 * `{ alarm: 5 }` (ended by SIGALRM after 5 s) or `{ itimers: { virtual: [2] } }` (after 2 s
 * of user CPU time, SIGVTALRM). The child's exit status is the command's, or 127 if it is
 * not found, 126 if it cannot be executed.
 * @param command The program, searched in PATH (execvp(3)).
 * @param args Its arguments, after `argv[0]` (which is `command`).
 * @param timers `alarm`: whole seconds for alarm(2); `itimers`: `[value, interval?]` in
 *   seconds for each of `real`, `virtual` and `prof`.
 * @param options Options of `child_process.spawn` (`stdio`, `env`, `cwd`, …).
 * @returns the child, as `child_process.spawn` returns it: Node running the itimer CLI, which
 *   arms the timers and execs `command` in place, so the pid and the exit status are the
 *   command's.
 * @throws TypeError ERR_INVALID_ARG_TYPE if command is not a string, args not an array of
 *   strings, timers, `timers.itimers` or options not a plain object, a time not a number, or an
 *   `itimers` entry not an array of one or two numbers; before anything is spawned.
 * @throws TypeError ERR_INVALID_ARG_VALUE if command is empty, command or an element of args
 *   has a NUL byte (named by its index: `args[1]`), or `timers.itimers` has a key other than
 *   `real`, `virtual` and `prof`.
 * @throws RangeError ERR_OUT_OF_RANGE if a time is not finite or outside 0 to 4 294 967 295
 *   seconds, or `timers.alarm` is not an integer.
 * @throws Error ERR_ITIMER_NO_CLI if the itimer CLI file is missing (inside a bundle).
 * @throws TypeError what `child_process.spawn` throws for options it refuses
 *   (ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE).
 */
export function spawnWithTimers(command: string, args: readonly string[], timers: ExecTimers, options: SpawnOptions = {}): ChildProcess {
  validateSpawn(command, args, timers, options);
  return spawn(process.execPath, [...trampolineFlags(process.execArgv), cliPath(), ...execArguments(timers, command, args)], options);
}
