/**
 * Fresh processes for the measurements: each {@link Plan} runs in its own `node` (worker.ts),
 * reporting progress on stderr and its samples as JSON on stdout, so a measurement never
 * inherits the state of the one before it (a chain on another backend, a warm JIT, a heap
 * grown by another test) and the process that shows the progress bar measures nothing itself.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Plan, Run } from './measure.js';
import { WARMUP_ROUNDS } from './measure.js';

const worker = fileURLToPath(new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/**
 * Runs `node ...args` and resolves with its stdout; lines `progress DONE TOTAL` on its stderr
 * go to `onProgress`, the rest is the error text.
 * @param args node's arguments (flags, script, the script's arguments).
 * @param options `env` of the child (default: this process's); `timeoutMs` after which it is
 *   killed (default 60 s); `onProgress`: called for each progress line.
 * @returns the child's stdout.
 * @throws Error (as a rejection) when the child exits with a non-zero status or a signal (its
 *   stderr is the message), or is killed at the timeout.
 */
export function runNode(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<string> {
  const { env = process.env, timeoutMs = 60_000, onProgress } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let errors = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const progress = /^progress (\d+) (\d+)$/.exec(line);
        if (progress) onProgress?.(Number(progress[1]), Number(progress[2]));
        else errors += `${line}\n`;
      }
    });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (status === 0) resolve(stdout);
      else reject(new Error((errors + partial).trim() || (signal === 'SIGTERM' ? `killed after ${timeoutMs} ms` : `exited with ${signal ?? status}`)));
    });
  });
}

/**
 * Runs `plan` in a fresh process.
 * @param plan what to measure.
 * @param onProgress called after each round with the rounds done and the total.
 * @returns the worker's samples.
 * @throws Error (as a rejection) when the worker fails, e.g. the chain cannot start on the plan's backend.
 */
export async function runInChild(plan: Plan, onProgress?: (done: number, total: number) => void): Promise<Run> {
  // A minute, plus twenty times the delays the plan waits for: generous on a loaded machine,
  // yet a chain that stopped firing ends the measurement instead of hanging it.
  const waitMs = (plan.rounds + (plan.warmupRounds ?? WARMUP_ROUNDS)) * plan.mechanisms.length * plan.delaysMs.reduce((sum, d) => sum + d, 0);
  return JSON.parse(await runNode([...process.execArgv, worker, JSON.stringify(plan)], { timeoutMs: 60_000 + 20 * waitMs, onProgress })) as Run;
}
