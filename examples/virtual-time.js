// Deterministic tests with virtual time: the same timer API, but time moves only when
// driven, and every callback runs exactly at its deadline.
//
//   node examples/virtual-time.js     (or any program with ITIMER_CLOCK=virtual)
import { chainNow, configureAlarms, setTimer, sleep, virtualTime } from 'itimer';

configureAlarms('virtual');

/**
 * A debounce helper under test: calls `fn` once `waitMs` after the last call.
 * @param {() => void} fn
 * @param {number} waitMs
 */
function debounce(fn, waitMs) {
  /** @type {import('itimer').Timer | undefined} */
  let timer;
  return () => {
    timer?.cancel();
    timer = setTimer(fn, waitMs);
  };
}

/** @type {number[]} */
const calls = [];
const debounced = debounce(() => calls.push(chainNow() / 1e6), 100);
debounced();
virtualTime.tick(50);
debounced(); // at 50 ms: pushes the call to 150 ms
virtualTime.tick(99);
console.log(`at ${chainNow() / 1e6} ms: ${calls.length} calls`);
virtualTime.tick(1);
console.log(`at ${chainNow() / 1e6} ms: called at ${calls.join(', ')} ms`);

/** @type {string[]} */
const order = [];
sleep(30).then(() => order.push('sleep 30'));
setTimer(() => order.push('timer 20'), 20);
virtualTime.runAll();
await Promise.resolve(); // let the promise reaction run
console.log(`order: ${order.join(', ')}; virtual now ${chainNow() / 1e6} ms`);
