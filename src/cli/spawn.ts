/**
 * Starting a command with its own alarm or CPU-time limits. Children started by
 * `child_process` never inherit itimers or POSIX timers (the kernel clears them at fork),
 * so the command is started through `itimer exec`, which arms them and execs in place.
 * @module
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ExecTimers } from './commands/exec.js';
import { execArguments } from './commands/exec.js';

export type { ExecItimers, ExecTimers, ItimerSeconds } from './commands/exec.js';

/** The CLI's own file; computed on use, so that importing itimer into a bundle works. */
function cliPath(): string {
  const here = (import.meta as { url?: string }).url;
  if (!here) {
    const error = new Error('spawnWithTimers() runs the itimer CLI file, which a bundle does not have: install itimer as a package to use it');
    throw Object.assign(error, { code: 'ERR_ITIMER_NO_CLI' });
  }
  return fileURLToPath(new URL(`./main${here.endsWith('.ts') ? '.ts' : '.js'}`, here));
}

/**
 * Spawns `command` with `args` like `child_process.spawn`, with `timers` armed in it: e.g.
 * `{ alarm: 5 }` (ended by SIGALRM after 5 s) or `{ itimers: { virtual: [2] } }` (after 2 s
 * of user CPU time, SIGVTALRM). The child's exit status is the command's, or 127 if it is
 * not found, 126 if it cannot be executed.
 */
export function spawnWithTimers(command: string, args: readonly string[], timers: ExecTimers, options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, cliPath(), ...execArguments(timers, command, args)], options);
}
