// A program that knows nothing of itimer: Node's timer globals and node:timers/promises, as
// any program or dependency uses them. Run it as it is, then on the timer chain:
//
//   node examples/register-app.js                       (Node's timers)
//   node --import itimer/register examples/register-app.js
//   npx itimer run examples/register-app.js
//
// It arms five 2.5 ms timeouts (Node truncates 2.5 to 2 and may fire up to 1 ms early; the
// chain keeps 2.5 and never fires early) and reports how many fired before their 2.5 ms were
// up, then awaits a 1.5 ms timers/promises timeout the same way.
import { setTimeout as wait } from 'node:timers/promises';

/** @type {boolean[]} */
const early = [];
await Promise.all(
  Array.from({ length: 5 }, () => {
    const start = performance.now();
    return new Promise((resolve) =>
      setTimeout(() => {
        early.push(performance.now() - start < 2.5);
        resolve(undefined);
      }, 2.5),
    );
  }),
);
const start = performance.now();
await wait(1.5);
const waitedMs = performance.now() - start;
// itimer's Timeout has the chain's operations beside Node's shape; Node's does not.
const registered = 'rearmAbsolute' in setTimeout(() => {}, 0);
console.log(`timers: ${registered ? "itimer's (registered)" : "Node's"}`);
console.log(`setTimeout(cb, 2.5) fired early ${early.filter(Boolean).length} of 5 times`);
console.log(`timers/promises setTimeout(1.5) ${waitedMs < 1.5 ? 'resolved early' : 'waited its 1.5 ms'}`);
