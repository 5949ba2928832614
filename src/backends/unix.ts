/**
 * `unix`: setitimer(ITIMER_REAL), one-shot, delivering SIGALRM (QEMU's portable backend).
 *
 * While it runs, the chain owns ITIMER_REAL and SIGALRM: the public alarm / ualarm /
 * setitimer('real') / getitimer('real') are served by the chain (see chain/itimer-real).
 * To let a due alarm end the process on time even while JavaScript is stuck, the backend
 * can arm *lethally*: ITIMER_REAL set for the alarm's deadline and the chain's SIGALRM
 * listener removed, so the kernel delivers SIGALRM at its default action.
 * @module
 */
import { checked, host } from '../host/index.js';
import { ITIMER_REAL } from '../posix/index.js';
import { structBuffer, writeItimerval } from '../posix/structs.js';
import type { AlarmBackend } from './types.js';

/** The unix backend, with its lethal arming. */
export interface UnixBackend extends AlarmBackend {
  /** Always SIGALRM. */
  readonly signal: 'SIGALRM';
  /**
   * Arms ITIMER_REAL for `deltaNs` with SIGALRM at its default action: unless re-armed by
   * `rearm` first, the process ends by SIGALRM then, whatever JavaScript is doing.
   */
  armLethal(deltaNs: number): void;
}

/** Creates the unix backend. */
export function unixBackend(): UnixBackend {
  let listener: (() => void) | undefined;
  let listening = false;
  const value = structBuffer('itimerval');
  const arm = (deltaNs: number) => {
    // Round up to the microsecond: never early.
    const usec = Math.ceil(deltaNs / 1000);
    writeItimerval(value, { value: { sec: Math.floor(usec / 1e6), usec: usec % 1e6 } }, 'value');
    checked(host().setitimer(ITIMER_REAL, value, null), 'setitimer');
  };
  const listen = (on: boolean) => {
    if (on === listening || !listener) return;
    if (on) process.on('SIGALRM', listener);
    else process.removeListener('SIGALRM', listener);
    listening = on;
  };
  return {
    name: 'unix',
    description: 'setitimer(ITIMER_REAL), one-shot, SIGALRM; the chain then serves alarm/setitimer(ITIMER_REAL) itself',
    signal: 'SIGALRM',
    start(onAlarm) {
      listener = onAlarm;
      listen(true);
    },
    stop() {
      arm(0);
      listen(false);
      listener = undefined;
    },
    rearm(_targetNs, deltaNs) {
      listen(true); // before arming: the expiry must find the listener
      arm(deltaNs);
    },
    armLethal(deltaNs) {
      arm(Math.max(deltaNs, 1)); // after this returns, an earlier SIGALRM has been delivered
      listen(false);
    },
    disarm() {
      arm(0);
      listen(true);
    },
  };
}
