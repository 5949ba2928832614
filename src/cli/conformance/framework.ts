/**
 * The conformance-case model shared by `itimer conformance` and the test suite.
 *
 * A case states what the man page or the Linux Test Project expects of a call and
 * reports what this host and library actually did, both as short strings: the case
 * passes when they are equal. Cases that can signal or kill a process put that part in
 * `child`, which runs in a fresh Node process; the parent reads its exit status,
 * terminating signal and standard output.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';

/** How a child process ended and what it printed. */
export interface ChildOutcome {
  /** Exit code, or null when a signal ended it. */
  status: number | null;
  /** The terminating signal, or null. */
  signal: NodeJS.Signals | null;
  /** Everything written to standard output. */
  stdout: string;
  /** Everything written to standard error. */
  stderr: string;
}

/** Options for running a case's child. */
export interface ChildOptions {
  /** Kill the child (SIGKILL) after this many milliseconds; default 20 000. */
  timeoutMs?: number;
  /** Arguments passed to the case's `child` body. */
  args?: readonly string[];
  /** Called with each line the child prints, and its pid, while it runs. */
  onLine?: (line: string, pid: number) => void | Promise<void>;
}

/** What a case's `run` gets from the runner. */
export interface CaseContext {
  /** Runs the case's `child` body in a fresh Node process. */
  runChild(options?: ChildOptions): Promise<ChildOutcome>;
}

/** What a case reports: it passes when `got === expected`. */
export interface CaseResult {
  /** What the man page / LTP / kernel says should happen. */
  expected: string;
  /** What happened here. */
  got: string;
  /** Anything host-specific worth showing beside the result (e.g. clocks this host lacks). */
  note?: string;
  /**
   * Set when the case cannot run here (e.g. a development tool it needs is not installed):
   * the reason. A skipped case is counted apart and never fails the run.
   */
  skipped?: string;
}

/** Where an expectation comes from. */
export interface Reference {
  /** The reference: a man page, the Linux Test Project, a source tree, another suite. */
  readonly suite: 'man' | 'LTP' | 'Linux' | 'glibc' | 'QEMU' | 'Node' | 'CPython' | 'FreeBSD' | 'itimer';
  /** The page, test or function: `alarm(2)`, `alarm02`, `alarm_setitimer`. */
  readonly id: string;
  /** The section, quote or aspect that states the expectation. */
  readonly detail?: string;
  /** The file in its repository, where there is one (LTP: under testcases/kernel/syscalls). */
  readonly file?: string;
}

/** A man page reference: `man('alarm(2)', 'RETURN VALUE')`. */
export function man(page: string, detail?: string): Reference {
  return detail === undefined ? { suite: 'man', id: page } : { suite: 'man', id: page, detail };
}

/** An LTP test by id (`alarm02`), with its file in the LTP tree. */
export function ltp(id: string, detail?: string): Reference {
  const file = `testcases/kernel/syscalls/${id.replace(/\d+$/, '')}/${id}.c`;
  return detail === undefined ? { suite: 'LTP', id, file } : { suite: 'LTP', id, detail, file };
}

/** Any other reference: a function in a source tree, another project's tests, itimer's own design. */
export function source(suite: Reference['suite'], id: string, detail?: string, file?: string): Reference {
  return { suite, id, ...(detail === undefined ? {} : { detail }), ...(file === undefined ? {} : { file }) };
}

/** References as one line: `alarm(2) RETURN VALUE; LTP alarm02`. */
export function formatReferences(references: readonly Reference[]): string {
  return references
    .map((r) => `${r.suite === 'man' ? '' : `${r.suite} `}${r.id}${r.detail ? ` (${r.detail})` : ''}`)
    .join('; ');
}

/** One conformance case. */
export interface ConformanceCase {
  /** Unique id, `call/what`, e.g. `alarm/boundary-values`. */
  readonly id: string;
  /** What is checked, in a few words. */
  readonly title: string;
  /** Where the expectation comes from: man pages, LTP tests, other reference suites or sources. */
  readonly references: readonly Reference[];
  /** Code run in a fresh child process (for anything that signals or kills). */
  readonly child?: (args: readonly string[]) => void | Promise<void>;
  /** True when `run` changes process-wide timer state in the current process: run such cases one at a time. */
  readonly serial?: boolean;
  /**
   * True when the case checks ITIMER_REAL (alarm, ualarm, setitimer/getitimer 'real', pause
   * with alarms) only through the public functions, so it also holds the chain's virtual
   * ITIMER_REAL to the kernel's behaviour: `itimer conformance --clock unix` runs these.
   */
  readonly itimerReal?: boolean;
  /** Computes the result, in this process or by calling `ctx.runChild()`. */
  run(ctx: CaseContext): CaseResult | Promise<CaseResult>;
}

/** A case's outcome. */
export interface CaseReport extends CaseResult {
  /** The case id. */
  id: string;
  /** Its title. */
  title: string;
  /** Its references, as one line (see {@link formatReferences}). */
  reference: string;
  /** Its references, structured. */
  references: readonly Reference[];
  /** True when `got === expected` (and the case was not skipped). */
  pass: boolean;
  /** Wall time taken, in milliseconds. */
  ms: number;
}

const childEntry = fileURLToPath(new URL(`./child${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/** Runs the `child` body of case `id` in a new Node process with the same flags and environment. */
export function runChild(id: string, options: ChildOptions = {}): Promise<ChildOutcome> {
  const { timeoutMs = 20_000, onLine, args = [] } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, childEntry, id, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (onLine) Promise.resolve(onLine(line, child.pid!)).catch(reject);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Runs one case and times it. A case that throws fails with the error as `got`. */
export async function runCase(testCase: ConformanceCase): Promise<CaseReport> {
  const started = performance.now();
  let result: CaseResult;
  try {
    result = await testCase.run({ runChild: (options) => runChild(testCase.id, options) });
  } catch (error) {
    result = { expected: '(no exception)', got: `threw ${String(error)}` };
  }
  return {
    id: testCase.id,
    title: testCase.title,
    reference: formatReferences(testCase.references),
    references: testCase.references,
    ...result,
    pass: result.skipped === undefined && result.got === result.expected,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Runs cases: serial ones one at a time, the rest up to `concurrency` at once (they
 * mostly wait on children). Reports come back in case order.
 */
export async function runCases(
  cases: readonly ConformanceCase[],
  concurrency = 4,
  onReport?: (report: CaseReport, done: number, total: number) => void,
): Promise<CaseReport[]> {
  const reports: CaseReport[] = new Array(cases.length);
  let done = 0;
  const record = (index: number, report: CaseReport) => {
    reports[index] = report;
    onReport?.(report, ++done, cases.length);
  };
  const indexed = cases.map((c, index) => ({ c, index }));
  for (const { c, index } of indexed.filter(({ c }) => c.serial)) record(index, await runCase(c));
  const queue = indexed.filter(({ c }) => !c.serial);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) record(next.index, await runCase(next.c));
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return reports;
}

// ---- helpers for writing cases ----

/** How a child ended, in words: `exit 0` or `killed by SIGALRM`. */
export function ending(outcome: ChildOutcome): string {
  return outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.status}`;
}

/** A child's output lines and ending, joined: `a; b | exit 0`. Standard error is appended when the child failed unexpectedly. */
export function childResult(outcome: ChildOutcome): string {
  const lines = outcome.stdout.trim().split('\n').filter(Boolean).join('; ');
  const tail = outcome.status !== 0 && !outcome.signal && outcome.stderr ? ` [stderr: ${outcome.stderr.trim().split('\n').slice(-3).join(' / ')}]` : '';
  return `${lines} | ${ending(outcome)}${tail}`;
}

/** A case `run` that runs the child and expects `expected` from {@link childResult}. */
export function expectChild(expected: string, options?: ChildOptions): ConformanceCase['run'] {
  return async ({ runChild }) => ({ expected, got: childResult(await runChild(options)) });
}

/** What calling `fn` did, in words: `returns 3`, `EINVAL`, or `RangeError ERR_OUT_OF_RANGE`. */
export function outcomeOf(fn: () => unknown): string {
  try {
    return `returns ${JSON.stringify(fn())}`;
  } catch (error) {
    const { code, name } = error as { code?: string; name?: string };
    if (code && /^E[A-Z0-9]+$/.test(code)) return code;
    return `${name ?? 'Error'} ${code ?? String(error)}`;
  }
}

/** `label` when `value` is within [low, high], else the value with the bounds. */
export function within(value: number, low: number, high: number, label = `in [${low}, ${high}]`): string {
  return value >= low && value <= high ? label : `${value} (not ${label})`;
}

/** Prints a line to standard output (synchronous on Linux pipes, so it survives a kill). */
export function print(...parts: unknown[]): void {
  process.stdout.write(`${parts.map(String).join(' ')}\n`);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` without using CPU (like sleep(3); signals do not wake it). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Burns CPU until this process has used `ms` more milliseconds of user CPU time (however loaded the machine is). */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < ms * 1000) busyFor(1);
}

/** Burns CPU for `ms` milliseconds of wall time. */
export function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * Waits, letting signal listeners run, until `done()` is true or `timeoutMs` passes;
 * burns CPU between checks when `burn` is set (so CPU-time timers advance).
 * @returns whether `done()` became true.
 */
export async function until(done: () => boolean, timeoutMs: number, burn = false): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) return false;
    if (burn) busyFor(2);
    await new Promise((resolve) => setTimeout(resolve, burn ? 0 : 1));
  }
  return true;
}
