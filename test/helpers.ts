import { execFile } from 'node:child_process';
import type { ExecutionContext } from 'ava';

/** Asserts that `fn` throws the fs-style syscall error `code` from `syscall`. */
export function throwsSyscall(t: ExecutionContext, fn: () => unknown, code: string, syscall: string): void {
  const error = t.throws(fn) as (Error & { code?: string; syscall?: string; errno?: number }) | undefined;
  t.is(error?.code, code);
  t.is(error?.syscall, syscall);
  t.true((error?.errno ?? 0) < 0, 'errno is negative, as in Node');
  t.is(error?.message.startsWith(`${code}: `), true);
}

/** How a child process ended and what it printed. */
export interface ChildRun {
  /** Exit code, or null when a signal ended it. */
  status: number | null;
  /** The terminating signal, or null. */
  signal: NodeJS.Signals | null;
  /** Standard output, trimmed. */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** Wall time from spawn to exit, seconds. */
  seconds: number;
  /** Date.now() when it exited. */
  endedAtMs: number;
}

/**
 * Runs `code` as an ES module in a fresh Node (with this process's loader flags), after
 * `import * as itimer from './src/index.ts'`, from the project directory.
 */
export function runItimerScript(code: string, env: Record<string, string> = {}, timeoutMs = 20_000, nodeArgs: string[] = []): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const proc = execFile(
      process.execPath,
      [...process.execArgv, ...nodeArgs, '--input-type=module', '-e', `import * as itimer from './src/index.ts'; ${code}`],
      { cwd: new URL('..', import.meta.url), encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs },
      (_error, stdout, stderr) =>
        resolve({ status: proc.exitCode, signal: proc.signalCode, stdout: stdout.trim(), stderr, seconds: (performance.now() - started) / 1000, endedAtMs: Date.now() }),
    );
  });
}
