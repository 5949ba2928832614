/**
 * The one owner of ITIMER_REAL and SIGALRM while the chain runs on a backend whose host timer
 * *is* ITIMER_REAL (a backend that declares `adoptsItimerReal`: `unix`).
 *
 * There the user's ITIMER_REAL becomes a waiter in the chain (a virtual ITIMER_REAL) with the
 * kernel's semantics — the same validation and errno, the same remaining-time rounding
 * (truncated to the microsecond, at least 1 µs while pending), periodic re-arming from the
 * previous expiry (`hrtimer_forward`) — and this module decides everything about SIGALRM:
 *
 * - **Delivery.** The user's SIGALRM handler installed with `sigaction` is kept here, off
 *   `process` (posix/signals' disposition emulation), and called exactly for the user's
 *   SIGALRMs: each expiry of the virtual ITIMER_REAL (once per elapsed period, as the kernel
 *   signals every expiry, even when JavaScript was busy), and each SIGALRM the backend did not arm
 *   for (a `kill -ALRM`, or a kernel expiry still in libuv's pipe from before the hand-over).
 *   Raw `process.on('SIGALRM')` listeners get every SIGALRM the process receives, the chain's
 *   own wake-ups included (adding one warns `ITIMER_SIGALRM_SHARED`); they are not called a
 *   second time. With no handler of either kind, a user's SIGALRM ends the process at its
 *   default action, as the kernel would.
 * - **Lethal arming.** A pending alarm with no handler must end the process on time even if
 *   JavaScript is stuck: this module gives the chain the alarm's deadline as its lethal
 *   deadline (`TimerChain.setLethalPolicy`), and a backend that declares `lethal` arms the
 *   kernel so that SIGALRM at its default action ends the process then unless the chain
 *   re-arms first (see backends/unix). Any change of the user's handlers re-decides it
 *   synchronously (`refreshHost`).
 * - **Hand-over.** Moving onto such a backend adopts the kernel's current ITIMER_REAL (read
 *   and disarmed before the backend's first arming overwrites it); moving off it, a failed
 *   start, an exec or a snapshot hands the virtual one back to the kernel. The emulation of
 *   the user's disposition starts only once the backend's own listener is attached and ends
 *   before it is removed, so libuv's SIGALRM watcher never closes across a hand-over: a signal
 *   already in its pipe is delivered, once, to the user's handler.
 *
 * On every other backend none of this applies: the public calls go straight to the kernel.
 * @module
 */
import { constants } from 'node:os';
import { onForeignAlarm } from '../backends/unix.js';
import { syscallError } from '../host/index.js';
import type { Itimerval, ItimervalInput } from '../posix/index.js';
import * as posix from '../posix/index.js';
import { dieBySignal, emulateDisposition, emulatedHandler, endEmulation, isLibraryListener, userListeners } from '../posix/signals.js';
import { toTimeval } from '../posix/structs.js';
import { validateObject } from '../posix/validate.js';
import type { TimerChain } from './chain.js';
import { chainStarted, getChain, onBackendSwitch, onQuit } from './process-chain.js';
import { Waiter } from './waiter.js';

/** Whether the chain's backend adopts ITIMER_REAL. */
function adopts(chain: TimerChain): boolean {
  return chain.backend?.adoptsItimerReal === true;
}

let intervalNs = 0;
const realTimer = new Waiter(expire);
realTimer.keepsAlive = false; // like the kernel's: a pending alarm does not keep the event loop alive

/**
 * True while the chain serves ITIMER_REAL (its backend adopts it: `unix`).
 * @returns true while the chain runs on a backend whose host timer is ITIMER_REAL, so that
 *   alarm, ualarm and setitimer / getitimer of ITIMER_REAL are served by the chain; false
 *   otherwise, also before the chain has started.
 */
export function chainOwnsItimerReal(): boolean {
  return chainStarted() && adopts(getChain());
}

/**
 * A SIGALRM that is the user's: to the sigaction handler; with no handler of any kind, the
 * default action. (Raw process.on listeners have had it from the signal itself.)
 */
function deliverToUser(): void {
  const handler = emulatedHandler('SIGALRM');
  if (handler) handler.call(process, 'SIGALRM');
  else if (userListeners('SIGALRM').length === 0) dieBySignal('SIGALRM');
}

/**
 * An expiry of the virtual ITIMER_REAL: one SIGALRM for each period that has elapsed, as the
 * kernel sends one per expiry (libuv's handler takes each), then re-armed on its grid.
 */
function expire(nowNs: number): void {
  let periods = 1;
  if (intervalNs > 0) {
    // hrtimer_forward: the next expiry after now, on the original grid.
    periods = Math.floor((nowNs - realTimer.dueNs) / intervalNs) + 1;
    realTimer.dueNs += periods * intervalNs;
    getChain().arm(realTimer);
  }
  for (let i = 0; i < periods && (realTimer.armed || i === 0); i++) deliverToUser();
}

/** The virtual ITIMER_REAL's setting now, as getitimer reports it. */
export function remaining(chain = getChain()): Itimerval {
  let valueNs = 0;
  if (realTimer.armed) valueNs = Math.max(realTimer.dueNs - chain.now(), 1000);
  const toTimevalNs = (ns: number) => ({ sec: Math.floor(ns / 1e9), usec: Math.floor((ns % 1e9) / 1000) });
  return { value: toTimevalNs(valueNs), interval: toTimevalNs(intervalNs) };
}

/** The kernel's check (`timeval_valid`): seconds >= 0, 0 <= usec < 1e6. */
function validTimeval(tv: { sec: number; usec: number }): boolean {
  return tv.sec >= 0 && tv.usec >= 0 && tv.usec < 1e6;
}

/** setitimer(ITIMER_REAL) on the virtual ITIMER_REAL, with the kernel's checks and errno. */
export function setVirtual(input: ItimervalInput | undefined): Itimerval {
  if (input !== undefined) validateObject(input, 'value');
  const value = toTimeval(input?.value, 'value.value');
  const interval = toTimeval(input?.interval, 'value.interval');
  if (!validTimeval(value) || !validTimeval(interval)) throw syscallError(constants.errno.EINVAL, 'setitimer');
  const old = remaining();
  const chain = getChain();
  chain.cancel(realTimer);
  const valueNs = value.sec * 1e9 + value.usec * 1e3;
  intervalNs = valueNs > 0 ? interval.sec * 1e9 + interval.usec * 1e3 : 0;
  if (valueNs > 0) chain.rearmAbsolute(realTimer, chain.now() + valueNs);
  chain.refreshHost(); // the lethal deadline may have moved even if the head did not
  return old;
}

/**
 * Gives the chain's ITIMER_REAL back to the kernel: off the adopting backend, before exec or
 * a snapshot, and when that backend fails to start after the kernel's setting was adopted.
 * The user's handler goes back onto `process` first, while the backend still listens.
 */
function giveBack(chain: TimerChain): void {
  endEmulation('SIGALRM');
  const current = remaining(chain);
  const wasArmed = chain.cancel(realTimer);
  intervalNs = 0;
  chain.stop(); // the backend disarms ITIMER_REAL on stop; then the kernel gets ours back
  if (wasArmed) posix.setitimer('real', current);
}

// Before exec or a snapshot: the kernel keeps itimers across execve, so it must hold ours.
onQuit((chain) => {
  if (adopts(chain)) giveBack(chain);
});

// A SIGALRM the backend did not arm for is the user's, as with the kernel.
onForeignAlarm(deliverToUser);

// The hand-over when the chain changes backend (see the module notes).
onBackendSwitch((chain, from, to) => {
  chain.setLethalPolicy(lethalPolicy);
  const fromAdopting = from !== undefined && adopts(chain);
  const toAdopting = to.adoptsItimerReal === true;
  if (fromAdopting && !toAdopting) giveBack(chain);
  if (!toAdopting || fromAdopting) return undefined;
  const kernel = posix.setitimer('real', {});
  const valueNs = kernel.value.sec * 1e9 + kernel.value.usec * 1e3;
  if (valueNs > 0) {
    intervalNs = kernel.interval.sec * 1e9 + kernel.interval.usec * 1e3;
    chain.rearmAbsolute(realTimer, chain.now() + valueNs);
  }
  return {
    started: () => emulateDisposition('SIGALRM', onHandlerChange),
    undo: () => giveBack(chain),
  };
});

/**
 * The lethal deadline: the alarm's, while one is pending and the user has no handler (a
 * listener being added counts as one: 'newListener' is emitted before it is in place).
 */
const lethalPolicy = {
  lethalDeadlineNs: (): number | undefined =>
    realTimer.armed && !listenerBeingAdded && userListeners('SIGALRM').length === 0 ? realTimer.dueNs : undefined,
};

/** Re-decides lethal arming at once. */
function onHandlerChange(): void {
  if (chainOwnsItimerReal()) getChain().refreshHost();
}

let listenerBeingAdded = false;
process.on('newListener', (event, listener) => {
  if (event !== 'SIGALRM' || !chainOwnsItimerReal() || isLibraryListener('SIGALRM', listener)) return;
  process.emitWarning(
    "process.on('SIGALRM') listeners also see the timer chain's own SIGALRMs while it runs on the 'unix' backend; " +
      "use sigaction('SIGALRM', handler) to receive only alarm(2)/ITIMER_REAL expiries",
    { code: 'ITIMER_SIGALRM_SHARED' },
  );
  listenerBeingAdded = true;
  getChain().refreshHost();
  process.nextTick(() => {
    listenerBeingAdded = false;
  });
});
process.on('removeListener', (event, listener) => {
  if (event === 'SIGALRM' && !isLibraryListener('SIGALRM', listener)) onHandlerChange();
});
