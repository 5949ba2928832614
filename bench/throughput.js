// Arm+cancel throughput and memory per pending timer, for one implementation, one pattern
// and one pending count, in a fresh process (run by bench/run.js):
//   node --expose-gc bench/throughput.js chain|node random|head PENDING
// random: far-future random delays with PENDING timers armed (the new timer is rarely the
//   head); head: the only timer, armed then cancelled (one timeout per request, cancelled
//   on reply: the new timer is always the head). Prints one JSON line.
import { configureAlarms, getChain, setTimer } from '../dist/index.js';

const [impl = 'chain', pattern = 'random', pendingText = '1000'] = process.argv.slice(2);
const pending = pattern === 'head' ? 0 : Number(pendingText);
const gc = /** @type {() => void} */ (globalThis.gc);
const noop = () => {};
/** Far-future delays in ms (1000–2000 s), so nothing fires while measuring. */
const delay = pattern === 'head' ? () => 30_000 : () => 1e6 + Math.random() * 1e6;

if (impl === 'chain') {
  configureAlarms('timerfd');
  getChain();
}
const arm = impl === 'chain' ? () => setTimer(noop, delay()) : () => setTimeout(noop, delay());
const cancel = impl === 'chain' ? (/** @type {any} */ t) => t.cancel() : (/** @type {any} */ t) => clearTimeout(t);

gc();
const before = process.memoryUsage().heapUsed;
const held = new Array(pending);
for (let i = 0; i < pending; i++) held[i] = arm();
gc();
const bytesPerTimer = pending ? (process.memoryUsage().heapUsed - before) / pending : undefined;

const pairs = 200_000;
// Batches of pairs separated by event-loop turns, as requests would be: the chain's deferred
// host re-arm (a microtask) and Node's own bookkeeping run between batches.
const BATCH = 1000;
const turn = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 20_000; i++) cancel(arm()); // warm-up
await turn();
if (impl === 'chain') getChain().resetStats();
let busyNs = 0n;
for (let done = 0; done < pairs; done += BATCH) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) cancel(arm());
  busyNs += process.hrtime.bigint() - start;
  await turn();
}
const seconds = Number(busyNs) / 1e9;
const hostRearms = impl === 'chain' ? getChain().stats.rearms : undefined;

let rearmsPer1e5;
if (impl === 'chain' && pattern === 'random') {
  // Host re-arms while 1e5 random timers are armed into an otherwise idle chain.
  for (const t of held) cancel(t);
  await turn();
  const chain = getChain();
  chain.resetStats();
  const fresh = [];
  for (let i = 0; i < 100_000; i++) fresh.push(arm());
  await turn();
  rearmsPer1e5 = chain.stats.rearms;
  for (const t of fresh) cancel(t);
} else for (const t of held) cancel(t);

console.log(JSON.stringify({ impl, pattern, pending, bytesPerTimer, pairsPerSecond: pairs / seconds, hostRearms, rearmsPer1e5 }));
