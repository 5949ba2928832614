/**
 * `itimer exec`: arm the kernel's alarm / interval timers, then exec a command in place —
 * a zero-overhead `timeout`: the command dies by SIGALRM, SIGVTALRM or SIGPROF unless it
 * handles them (the kernel keeps itimers across execve).
 * @module
 */
import { parseArgs } from 'node:util';
import * as posix from '../../posix/index.js';
import { isSyscallError } from '../../host/index.js';
import { C_LIMITS } from '../../posix/validate.js';
import { EXIT, UsageError } from '../usage.js';

export const EXEC_USAGE = `Usage: itimer exec [--alarm SECONDS] [--itimer WHICH=VALUE[,INTERVAL]]... -- COMMAND [ARGS...]

Arms the timers, then replaces itself with COMMAND (searched in PATH). The command
inherits them: it is ended by SIGALRM (real), SIGVTALRM (virtual) or SIGPROF (prof) when
they expire, unless it handles those signals.

  --alarm SECONDS              alarm(2): whole seconds of real time.
  --itimer real=VALUE[,INT]    setitimer(ITIMER_REAL): VALUE and INTERVAL in seconds
  --itimer virtual=VALUE[,INT]   (fractions allowed, to the microsecond); ITIMER_VIRTUAL counts
  --itimer prof=VALUE[,INT]      user CPU time, ITIMER_PROF user + system CPU time.

Exit status: the command's own; 126 if it cannot be executed; 127 if it is not found;
2 for a usage error.`;

const WHICH = { real: posix.ITIMER_REAL, virtual: posix.ITIMER_VIRTUAL, prof: posix.ITIMER_PROF } as const;

/** The largest time, in seconds, that `exec` and `spawnWithTimers` take: alarm(2)'s `unsigned int`. */
export const EXEC_SECONDS_MAX = C_LIMITS.UINT_MAX;

function seconds(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > EXEC_SECONDS_MAX) throw new UsageError(`${what} must be a number of seconds from 0 to ${EXEC_SECONDS_MAX}, not '${text}'`, EXEC_USAGE);
  return value;
}

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

/** Builds the `itimer exec` argument list for `timers`, then `--`, `command`, `args`. */
export function execArguments(timers: ExecTimers, command: string, args: readonly string[]): string[] {
  const out: string[] = ['exec'];
  if (timers.alarm !== undefined) out.push('--alarm', String(timers.alarm));
  for (const [which, spec] of Object.entries(timers.itimers ?? {})) {
    if (spec) out.push('--itimer', `${which}=${spec[0]}${spec[1] === undefined ? '' : `,${spec[1]}`}`);
  }
  return [...out, '--', command, ...args];
}

export function execCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { alarm: { type: 'string' }, itimer: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${EXEC_USAGE}\n`);
    return 0;
  }
  const [command, ...commandArgs] = positionals;
  if (!command) throw new UsageError('no command to run', EXEC_USAGE);
  const settings: [which: number, value: number, interval: number][] = [];
  for (const spec of values.itimer ?? []) {
    const match = /^(real|virtual|prof)=([^,]+)(?:,(.+))?$/.exec(spec);
    if (!match) throw new UsageError(`--itimer takes WHICH=VALUE[,INTERVAL] with WHICH real, virtual or prof; not '${spec}'`, EXEC_USAGE);
    settings.push([WHICH[match[1] as keyof typeof WHICH], seconds(match[2]!, `--itimer ${match[1]} value`), match[3] === undefined ? 0 : seconds(match[3], `--itimer ${match[1]} interval`)]);
  }
  let alarmSeconds: number | undefined;
  if (values.alarm !== undefined) {
    alarmSeconds = seconds(values.alarm, '--alarm');
    if (!Number.isInteger(alarmSeconds)) throw new UsageError(`--alarm takes whole seconds (alarm(2)); use --itimer real=${values.alarm} for fractions`, EXEC_USAGE);
  }
  for (const [which, value, interval] of settings) posix.setitimer(which, { value, interval });
  if (alarmSeconds !== undefined) posix.alarm(alarmSeconds);
  try {
    posix.execvp(command, [command, ...commandArgs]);
  } catch (error) {
    if (!isSyscallError(error)) throw error;
    process.stderr.write(`itimer: ${command}: ${error.message}\n`);
    return error.code === 'ENOENT' || error.code === 'ENOTDIR' ? EXIT.NOT_FOUND : EXIT.CANNOT_EXECUTE;
  }
}
