// Per-call cost of the host layer: raw libc calls through each FFI driver, the public API
// on top, and Node's own native clock as the floor. Prints ns per call and ratios.
//
//   npm run bench:calls      (builds first)
import { ffiNapiDriver } from '../dist/host/ffi-napi-driver.js';
import { koffiDriver } from '../dist/host/koffi-driver.js';
import { clockGettime, getitimer, setitimer } from '../dist/index.js';

const CLOCK_MONOTONIC = 1;
const koffi = koffiDriver().bind('libc.so.6');
const ffiNapi = ffiNapiDriver().bind('libc.so.6');
const ts = Buffer.alloc(16);
const itv = Buffer.alloc(32);

/**
 * Median ns per call of `fn` over 7 rounds, after a warm-up.
 * @param {() => unknown} fn
 * @param {number} calls
 */
function measure(fn, calls) {
  for (let i = 0; i < calls / 10; i++) fn();
  const rounds = [];
  for (let round = 0; round < 7; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - start) / calls);
  }
  return rounds.sort((a, b) => a - b)[3] ?? 0;
}

const rows = [
  ['process.hrtime.bigint() (Node, native)', () => process.hrtime.bigint(), 1_000_000],
  ['clock_gettime via koffi (raw)', () => koffi.clock_gettime(CLOCK_MONOTONIC, ts), 1_000_000],
  ['clock_gettime via ffi-napi (raw)', () => ffiNapi.clock_gettime(CLOCK_MONOTONIC, ts), 50_000],
  ['clockGettime() (itimer API, koffi)', () => clockGettime(CLOCK_MONOTONIC), 1_000_000],
  ['getitimer via koffi (raw)', () => koffi.getitimer(0, itv), 1_000_000],
  ['getitimer() (itimer API, koffi)', () => getitimer('real'), 1_000_000],
  ['setitimer() disarm (itimer API, koffi)', () => setitimer('real', {}), 500_000],
];

const results = rows.map(([name, fn, calls]) => {
  process.stderr.write(`measuring ${name}…\n`);
  return { name, ns: measure(/** @type {() => unknown} */ (fn), /** @type {number} */ (calls)) };
});
const floor = results[0]?.ns ?? 1;
const koffiRaw = results[1]?.ns ?? 1;
console.log(`| call | ns per call | × Node native | × koffi raw clock_gettime |`);
console.log(`|---|---:|---:|---:|`);
for (const { name, ns } of results) console.log(`| ${name} | ${ns.toFixed(0)} | ${(ns / floor).toFixed(1)} | ${(ns / koffiRaw).toFixed(1)} |`);
console.log(`\nNode ${process.version}, ${process.arch}; median of 7 rounds.`);
