/**
 * The harness: lateness where the user's code resumes, every mechanism interleaved sample by
 * sample in one process.
 *
 * One sample arms one timer and waits for it. The deadline is the user's: `process.hrtime`
 * read immediately before the arming call, plus the delay — so whatever the call itself costs
 * before the mechanism reads its own clock counts, as it does for the program. Lateness is read
 * in the callback (callback mechanisms) and after `await` (every mechanism: the promise the
 * callback resolved, or the mechanism's own promise); negative means early. Where an adapter
 * reports its own deadline, the sample also records the lateness from it (the mechanism's own
 * frame, e.g. the chain's `now() − deadlineNs`) and how far into the call that deadline was
 * taken: diagnostics, never the headline.
 *
 * A round measures every (mechanism, delay) pair once, in an order shuffled at random every
 * round (Fisher–Yates on `Math.random`). A rotation would keep each mechanism behind the same
 * neighbour, and this kind of VM runs slowly for a while after a CPU-burning one (nanotimer,
 * the busy-wait); shuffling spreads that over all of them. The first rounds warm up (the JIT,
 * the spin tail's margin, first calls) and are not recorded.
 *
 * CPU % is `process.cpuUsage()` (user + system of the whole process) read around each sample
 * and summed over that mechanism's samples only, over the wall time of those samples — never
 * counting process start-up, the warm-up, or the other mechanisms.
 *
 * This module runs in a worker process (see worker.ts) so that a measurement starts from a
 * fresh process and the chain runs on the backend the plan names.
 * @module
 */
import type { BackendName } from '../../backends/index.js';
import type { Mechanism, MechanismId, SkippedMechanism } from './mechanisms.js';
import { activeBackend, hrNs, openMechanisms } from './mechanisms.js';

/** What one worker process measures. */
export interface Plan {
  /** The chain's backends, a list with `configureAlarms` semantics; undefined: `ITIMER_CLOCK`, else the default order. */
  clock?: string;
  /** The mechanisms, interleaved. */
  mechanisms: MechanismId[];
  /** The delays, ms; interleaved with the mechanisms. */
  delaysMs: number[];
  /** Recorded rounds: samples per (mechanism, delay). */
  rounds: number;
  /** Unrecorded rounds first (default {@link WARMUP_ROUNDS}). */
  warmupRounds?: number;
}

/** Unrecorded rounds before the measured ones, unless the plan says otherwise. */
export const WARMUP_ROUNDS = 5;

/** Raw samples of one mechanism at one delay, in ns; the arrays are in sample order. */
export interface Series {
  /** The mechanism. */
  id: MechanismId;
  /** The delay, ms. */
  delayMs: number;
  /** Lateness read in the callback; empty for a promise mechanism. */
  callbackNs: number[];
  /** Lateness read after `await`. */
  awaitNs: number[];
  /** Lateness from the mechanism's own deadline, read in the callback (when it reports one). */
  ownFrameNs: number[];
  /** The mechanism's own deadline minus the user's: how long into the call it read its clock. */
  armLagNs: number[];
  /** CPU time of the process during this series' samples. */
  cpuNs: number;
  /** Wall time of this series' samples. */
  wallNs: number;
}

/** What a worker reports. */
export interface Run {
  /** The plan it ran. */
  plan: Plan;
  /** The backend the chain ran on. */
  backend: BackendName | undefined;
  /** One series per (opened mechanism, delay). */
  series: Series[];
  /** The mechanisms that could not be opened (nanotimer not installed). */
  skipped: SkippedMechanism[];
}

/** A copy of `items` in a uniformly random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Measures one sample of `mechanism` and adds it to `series` (when given). */
async function sample(mechanism: Mechanism, delayMs: number, series: Series | undefined): Promise<void> {
  const delayNs = delayMs * 1e6;
  let callbackAt = Number.NaN;
  let ownDeadlineNs: number | undefined;
  let startNs: number;
  const wallStart = hrNs();
  const cpuBefore = process.cpuUsage();
  if (mechanism.kind === 'callback') {
    let resolve!: () => void;
    const resumed = new Promise<void>((r) => (resolve = r));
    const callback = () => {
      callbackAt = hrNs();
      resolve();
    };
    startNs = hrNs();
    ownDeadlineNs = mechanism.arm(delayMs, callback);
    await resumed;
  } else {
    startNs = hrNs();
    await mechanism.wait(delayMs);
  }
  const awaitAt = hrNs();
  const cpu = process.cpuUsage(cpuBefore);
  const wallEnd = hrNs();
  if (!series) return;
  const deadlineNs = startNs + delayNs;
  if (mechanism.kind === 'callback') series.callbackNs.push(callbackAt - deadlineNs);
  series.awaitNs.push(awaitAt - deadlineNs);
  if (ownDeadlineNs !== undefined) {
    series.ownFrameNs.push(callbackAt - ownDeadlineNs);
    series.armLagNs.push(ownDeadlineNs - deadlineNs);
  }
  series.cpuNs += (cpu.user + cpu.system) * 1000;
  series.wallNs += wallEnd - wallStart;
}

/**
 * Runs `plan` in this process.
 * @param plan what to measure.
 * @param onProgress called after each round with the rounds done and the total (warm-up included).
 * @returns the raw samples.
 * @throws Error when the chain cannot start on the plan's backend.
 */
export async function runPlan(plan: Plan, onProgress?: (done: number, total: number) => void): Promise<Run> {
  const { mechanisms, skipped } = await openMechanisms(plan.mechanisms, plan.clock);
  const cells = plan.delaysMs.flatMap((delayMs) =>
    mechanisms.map((mechanism) => ({ mechanism, series: { id: mechanism.id, delayMs, callbackNs: [], awaitNs: [], ownFrameNs: [], armLagNs: [], cpuNs: 0, wallNs: 0 } as Series })),
  );
  const warmup = plan.warmupRounds ?? WARMUP_ROUNDS;
  const total = warmup + plan.rounds;
  try {
    for (let round = 0; round < total; round++) {
      for (const { mechanism, series } of shuffled(cells)) await sample(mechanism, series.delayMs, round < warmup ? undefined : series);
      onProgress?.(round + 1, total);
    }
  } finally {
    for (const mechanism of mechanisms) mechanism.close();
  }
  return { plan, backend: await activeBackend(), series: cells.map((c) => c.series), skipped };
}
