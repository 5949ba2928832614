// Arm+cancel throughput and memory per pending timer, for one implementation and one
// pending count, in a fresh process (run by bench/run.js):
//   node --expose-gc bench/throughput.js chain|node PENDING
// Prints one JSON line.
import { configureAlarms, getChain, setTimer } from '../dist/index.js';

const [impl = 'chain', pendingText = '1000'] = process.argv.slice(2);
const pending = Number(pendingText);
const gc = /** @type {() => void} */ (globalThis.gc);
const noop = () => {};
/** Far-future delays in ms (1000–2000 s), so nothing fires while measuring. */
const delay = () => 1e6 + Math.random() * 1e6;

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
const bytesPerTimer = (process.memoryUsage().heapUsed - before) / pending;

const pairs = 200_000;
for (let i = 0; i < 20_000; i++) cancel(arm()); // warm-up
const start = process.hrtime.bigint();
for (let i = 0; i < pairs; i++) cancel(arm());
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

let rearmsPer1e5;
if (impl === 'chain') {
  // Host re-arms while 1e5 random timers are armed into an otherwise idle chain.
  for (const t of held) cancel(t);
  const chain = getChain();
  chain.resetStats();
  const fresh = [];
  for (let i = 0; i < 100_000; i++) fresh.push(arm());
  rearmsPer1e5 = chain.stats.rearms;
  for (const t of fresh) cancel(t);
} else for (const t of held) cancel(t);

console.log(JSON.stringify({ impl, pending, bytesPerTimer, pairsPerSecond: pairs / seconds, rearmsPer1e5 }));
