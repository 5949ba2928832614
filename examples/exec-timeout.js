// A command with its own time limits. child_process children never inherit timers (the
// kernel clears them at fork), so spawnWithTimers starts the command through
// `itimer exec`, which arms them and execs the command in place: a zero-overhead timeout.
//
//   node examples/exec-timeout.js
import { once } from 'node:events';
import { spawnWithTimers } from 'itimer';

/**
 * @param {string} label
 * @param {import('node:child_process').ChildProcess} child
 */
async function report(label, child) {
  const [status, signal] = await once(child, 'exit');
  console.log(`${label}: ${signal ? `ended by ${signal}` : `exit ${status}`}`);
}

// Wall-clock limit: alarm(1) in the child; `sleep 10` is ended by SIGALRM.
await report('sleep 10 with --alarm 1', spawnWithTimers('sleep', ['10'], { alarm: 1 }));

// CPU-time limit: 0.3 s of user CPU (ITIMER_VIRTUAL); a busy loop is ended by SIGVTALRM.
await report('busy loop with 0.3 s of CPU', spawnWithTimers('sh', ['-c', 'while :; do :; done'], { itimers: { virtual: [0.3] } }));

// A command that finishes in time keeps its own exit status.
await report('exit 3 within the limit', spawnWithTimers('sh', ['-c', 'exit 3'], { alarm: 5 }));
