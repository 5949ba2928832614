// A watchdog for synchronous work. Each step re-arms alarm(2) before it starts; a step
// that overruns its budget ends the process by SIGALRM, even though JavaScript never
// returns to the event loop (no setTimeout could fire here).
//
//   node examples/alarm-watchdog.js           # the third step hangs: killed by SIGALRM
//   node examples/alarm-watchdog.js --no-hang # every step finishes: exit 0
import { alarm } from 'itimer';

const budgetSeconds = 1;
const steps = [
  { name: 'parse', ms: 50 },
  { name: 'compute', ms: 200 },
  { name: 'hang', ms: process.argv.includes('--no-hang') ? 100 : Infinity },
];

/** Synchronous work that keeps the CPU (and the event loop) busy for `ms`.
 * @param {number} ms */
function work(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

for (const step of steps) {
  const left = alarm(budgetSeconds); // pet the watchdog; returns what was left of the last budget
  console.log(`step ${step.name} (previous budget had ${left} s left)`);
  work(step.ms);
}
alarm(0);
console.log('all steps done');
