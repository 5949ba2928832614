/**
 * `itimer exec`: arm the kernel's alarm / interval timers, then exec a command in place —
 * a zero-overhead `timeout`: the command dies by SIGALRM, SIGVTALRM or SIGPROF unless it
 * handles them (the kernel keeps itimers across execve). It is also the trampoline of
 * `spawnWithTimers`, which starts it without the caller's preloads and hands it the caller's
 * `NODE_OPTIONS` with `--env`, for the command. Its own failures (an `ITIMER_FFI` naming no
 * driver) are one line on stderr and exit status 125, as timeout(1) and env(1) report theirs.
 * @module
 */
import { parseArgs } from 'node:util';
import * as posix from '../../posix/index.js';
import { isSyscallError } from '../../host/index.js';
import { EXEC_SECONDS_MAX } from '../../posix/spawn.js';
import { EXIT, UsageError } from '../usage.js';

export const EXEC_USAGE = `Usage: itimer exec [--alarm SECONDS] [--itimer WHICH=VALUE[,INTERVAL]]... [--env NAME=VALUE]... -- COMMAND [ARGS...]

Arms the timers, then replaces itself with COMMAND (searched in PATH). The command
inherits them: it is ended by SIGALRM (real), SIGVTALRM (virtual) or SIGPROF (prof) when
they expire, unless it handles those signals.

  --alarm SECONDS              alarm(2): whole seconds of real time.
  --itimer real=VALUE[,INT]    setitimer(ITIMER_REAL): VALUE and INTERVAL in seconds
  --itimer virtual=VALUE[,INT]   (fractions allowed, to the microsecond); ITIMER_VIRTUAL counts
  --itimer prof=VALUE[,INT]      user CPU time, ITIMER_PROF user + system CPU time.
  --env NAME=VALUE             set NAME in COMMAND's environment only (spawnWithTimers passes
                               NODE_OPTIONS so, and starts this trampoline without it).

Exit status: the command's own; 126 if it cannot be executed; 127 if it is not found;
125 if itimer itself failed before running it (e.g. ITIMER_FFI names no driver);
2 for a usage error.`;

const WHICH = { real: posix.ITIMER_REAL, virtual: posix.ITIMER_VIRTUAL, prof: posix.ITIMER_PROF } as const;

function seconds(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > EXEC_SECONDS_MAX) throw new UsageError(`${what} must be a number of seconds from 0 to ${EXEC_SECONDS_MAX}, not '${text}'`, EXEC_USAGE);
  return value;
}

/** What the command line asks for, checked before anything is armed. */
interface ExecPlan {
  itimers: [which: number, value: number, interval: number][];
  alarm: number | undefined;
  env: [name: string, value: string][];
  command: string;
  args: string[];
}

function plan(args: string[]): ExecPlan | undefined {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { alarm: { type: 'string' }, itimer: { type: 'string', multiple: true }, env: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return undefined;
  const [command, ...commandArgs] = positionals;
  if (!command) throw new UsageError('no command to run', EXEC_USAGE);
  const itimers: ExecPlan['itimers'] = [];
  for (const spec of values.itimer ?? []) {
    const match = /^(real|virtual|prof)=([^,]+)(?:,(.+))?$/.exec(spec);
    if (!match) throw new UsageError(`--itimer takes WHICH=VALUE[,INTERVAL] with WHICH real, virtual or prof; not '${spec}'`, EXEC_USAGE);
    itimers.push([WHICH[match[1] as keyof typeof WHICH], seconds(match[2]!, `--itimer ${match[1]} value`), match[3] === undefined ? 0 : seconds(match[3], `--itimer ${match[1]} interval`)]);
  }
  let alarm: number | undefined;
  if (values.alarm !== undefined) {
    alarm = seconds(values.alarm, '--alarm');
    if (!Number.isInteger(alarm)) throw new UsageError(`--alarm takes whole seconds (alarm(2)); use --itimer real=${values.alarm} for fractions`, EXEC_USAGE);
  }
  const env: ExecPlan['env'] = [];
  for (const setting of values.env ?? []) {
    const at = setting.indexOf('=');
    if (at <= 0) throw new UsageError(`--env takes NAME=VALUE with a NAME; not '${setting}'`, EXEC_USAGE);
    env.push([setting.slice(0, at), setting.slice(at + 1)]);
  }
  return { itimers, alarm, env, command, args: commandArgs };
}

export function execCommand(args: string[]): number {
  const todo = plan(args);
  if (!todo) {
    process.stdout.write(`${EXEC_USAGE}\n`);
    return EXIT.OK;
  }
  const { command } = todo;
  try {
    for (const [which, value, interval] of todo.itimers) posix.setitimer(which, { value, interval });
    if (todo.alarm !== undefined) posix.alarm(todo.alarm);
    for (const [name, value] of todo.env) process.env[name] = value; // setenv(3): execvp passes environ on
    posix.execvp(command, [command, ...todo.args]);
  } catch (error) {
    if (isSyscallError(error) && error.syscall === 'execvp') {
      process.stderr.write(`itimer: ${command}: ${error.message}\n`);
      return error.code === 'ENOENT' || error.code === 'ENOTDIR' ? EXIT.NOT_FOUND : EXIT.CANNOT_EXECUTE;
    }
    // The trampoline's own failure (an ITIMER_FFI naming no driver, a driver that cannot load):
    // one line, as a command-line tool reports, and a status of its own — not a stack trace.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') throw error;
    process.stderr.write(`itimer: exec: ${(error as Error).name} [${code}]: ${(error as Error).message.split('\n')[0]}\n`);
    return EXIT.EXEC_FAILED;
  }
}
