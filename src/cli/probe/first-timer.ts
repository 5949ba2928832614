/**
 * The first timer of a process: in fresh `node` processes, each importing itimer by its
 * package name and arming one 1 ms timer — (a) at top level, right after the import, or (b)
 * after 50 ms of idle (a Node timer, then nothing) — with `setTimer`, or with Node's
 * `setTimeout` as the reference. The reference process imports itimer too, so the two differ
 * only in the arming call. Lateness is from the clock read immediately before that call, as in
 * the interleaved harness; the cases are interleaved, in a shuffled order every round, so the
 * machine's drift is spread over all of them.
 * @module
 */
import { runNode } from './child.js';
import { shuffled } from './measure.js';

/** One case: what arms the first timer, and when. */
export interface FirstTimerCase {
  /** `setTimer` (itimer) or Node's `setTimeout` (the reference). */
  mechanism: 'setTimer' | 'setTimeout';
  /** At top level right after the import, or after 50 ms of idle. */
  armed: 'top-level' | 'idle';
}

/** The cases, in the order tables list them. */
export const FIRST_TIMER_CASES: readonly FirstTimerCase[] = [
  { mechanism: 'setTimer', armed: 'top-level' },
  { mechanism: 'setTimeout', armed: 'top-level' },
  { mechanism: 'setTimer', armed: 'idle' },
  { mechanism: 'setTimeout', armed: 'idle' },
];

/** The lateness of a case's first timer in each process, ns (in run order). */
export interface FirstTimerResult extends FirstTimerCase {
  /** Lateness in each fresh process, ns from the call + 1 ms. */
  lateNs: number[];
}

/** The program a fresh process runs for `c` (an ES module given to `node -e`). */
export function firstTimerScript(c: FirstTimerCase): string {
  return [
    `import { setTimer } from ${JSON.stringify(import.meta.resolve('itimer'))};`,
    "import { setTimeout } from 'node:timers';",
    c.armed === 'idle' ? 'await new Promise((resolve) => setTimeout(resolve, 50));' : '',
    'const startNs = process.hrtime.bigint();',
    `${c.mechanism}(() => process.stdout.write(String(Number(process.hrtime.bigint() - startNs) - 1e6)), 1);`,
  ].join('\n');
}

/**
 * Measures every case in `runs` fresh processes each, interleaved.
 * @param runs processes per case.
 * @param options `clock`: the processes' `ITIMER_CLOCK` (default: inherited); `onProgress`:
 *   called after each process with the processes done and the total.
 * @returns one result per case, in {@link FIRST_TIMER_CASES}' order.
 * @throws Error (as a rejection) when a process fails.
 */
export async function measureFirstTimers(runs: number, options: { clock?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<FirstTimerResult[]> {
  const env = options.clock === undefined ? process.env : { ...process.env, ITIMER_CLOCK: options.clock };
  const results = FIRST_TIMER_CASES.map((c) => ({ ...c, lateNs: [] as number[] }));
  const total = runs * results.length;
  let done = 0;
  for (let round = 0; round < runs; round++) {
    for (const result of shuffled(results)) {
      result.lateNs.push(Number(await runNode(['--input-type=module', '-e', firstTimerScript(result)], { env })));
      options.onProgress?.(++done, total);
    }
  }
  return results;
}
