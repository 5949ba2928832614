// QEMU's clocks: a virtual clock that stands still while disabled, next to the realtime
// clock; both on the one timer chain.
//
//   node examples/qemu-clocks.js
import { ClockTimer, realtimeClock, SCALE_MS, virtualClock } from 'itimer';

const startReal = realtimeClock.ns;
const startVirtual = virtualClock.ns;
/** @param {number} ns */
const ms = (ns) => Math.round(ns / 1e6 / 10) * 10; // to the nearest 10 ms, for stable output

// A guest timer due after 60 ms of *virtual* time.
const guest = new ClockTimer(virtualClock, SCALE_MS, () => {
  console.log(`guest timer: virtual +${ms(virtualClock.ns - startVirtual)} ms, real +${ms(realtimeClock.ns - startReal)} ms`);
});
guest.modify(Math.round(startVirtual / 1e6) + 60);

// Pause the "guest" for 100 ms of real time after 20 ms: the guest timer waits.
new ClockTimer(realtimeClock, SCALE_MS, () => {
  virtualClock.enable(false);
  console.log(`paused the virtual clock at virtual +${ms(virtualClock.ns - startVirtual)} ms`);
}).modify(Math.round(startReal / 1e6) + 20);
new ClockTimer(realtimeClock, SCALE_MS, () => {
  virtualClock.enable(true);
  console.log(`resumed it at real +${ms(realtimeClock.ns - startReal)} ms`);
}).modify(Math.round(startReal / 1e6) + 120);
