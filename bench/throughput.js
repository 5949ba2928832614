// Arm + cancel throughput and memory per pending timer, for one implementation, one pattern
// and one count, in a fresh process (run by bench/run.js, interleaved with the others):
//   node --expose-gc bench/throughput.js chain|node head|random|burst COUNT
// head: the only timer, armed then cancelled (one timeout per request, cancelled on the reply:
//   the new timer is always the head); COUNT is ignored.
// random: far-future random delays (1000–2000 s, never shared) with COUNT timers pending, so the
//   new timer is rarely the head; 200 000 pairs in batches of 1000 separated by event-loop turns.
// burst: COUNT timers armed with random whole-millisecond delays of 1–60 s (as a server arms a
//   timeout per request), an event-loop turn, then all of them cancelled.
// Timed: the synchronous loops and the microtasks they queued (the chain defers its host re-arm
// to one), never the turns between them. Prints one JSON line.
import { setTimeout as nodeSetTimeout, clearTimeout as nodeClearTimeout } from 'node:timers';
import { configureAlarms, getChain, setTimer } from '../dist/index.js';

const [impl = 'chain', pattern = 'random', countText = '1000'] = process.argv.slice(2);
const count = pattern === 'head' ? 0 : Number(countText);
const gc = /** @type {() => void} */ (globalThis.gc);
if (!gc) throw new Error('run with node --expose-gc');
const noop = () => {};
const hrNs = () => Number(process.hrtime.bigint());
const turn = () => new Promise((resolve) => setImmediate(resolve));

if (impl === 'chain') {
  configureAlarms('timerfd');
  getChain();
}
const arm = impl === 'chain' ? (/** @type {number} */ ms) => setTimer(noop, ms) : (/** @type {number} */ ms) => nodeSetTimeout(noop, ms);
const cancel = impl === 'chain' ? (/** @type {any} */ t) => t.cancel() : (/** @type {any} */ t) => nodeClearTimeout(t);
/** Far-future delays in ms (1000–2000 s), so nothing fires while measuring. */
const farDelay = pattern === 'head' ? () => 30_000 : () => 1e6 + Math.random() * 1e6;

for (let i = 0; i < 20_000; i++) cancel(arm(farDelay())); // warm-up
await turn();

let pairs;
let busyNs = 0;
let bytesPerTimer;
if (pattern === 'burst') {
  const delays = Array.from({ length: count }, () => 1000 + Math.floor(Math.random() * 59_001));
  const held = new Array(count);
  gc();
  let start = hrNs();
  for (let i = 0; i < count; i++) held[i] = arm(/** @type {number} */ (delays[i]));
  await null;
  busyNs += hrNs() - start;
  await turn();
  start = hrNs();
  for (let i = 0; i < count; i++) cancel(held[i]);
  await null;
  busyNs += hrNs() - start;
  pairs = count;
} else {
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = new Array(count);
  for (let i = 0; i < count; i++) held[i] = arm(farDelay());
  gc();
  bytesPerTimer = count ? (process.memoryUsage().heapUsed - before) / count : undefined;
  await turn();
  pairs = 200_000;
  const BATCH = 1000;
  for (let done = 0; done < pairs; done += BATCH) {
    const start = hrNs();
    for (let i = 0; i < BATCH; i++) cancel(arm(farDelay()));
    await null;
    busyNs += hrNs() - start;
    await turn();
  }
  for (const t of held) cancel(t);
}

console.log(JSON.stringify({ impl, pattern, count, pairsPerSecond: pairs / (busyNs / 1e9), bytesPerTimer }));
