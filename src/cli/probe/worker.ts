/**
 * The measuring process: `node worker.js PLAN_JSON` runs one {@link Plan} (measure.ts) and
 * prints its {@link Run} as JSON on stdout; progress goes to stderr as `progress DONE TOTAL`
 * lines, and a failure as its message alone (exit status 1). Started by child.ts, so that each
 * measurement begins in a fresh process that loads nothing but the harness, the host layer (for
 * the bare watcher) and the package's entries.
 * @module
 */
import type { Plan } from './measure.js';
import { runPlan } from './measure.js';

try {
  const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
  const run = await runPlan(plan, (done, total) => process.stderr.write(`progress ${done} ${total}\n`));
  process.stdout.write(`${JSON.stringify(run)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
