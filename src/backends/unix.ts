/**
 * `unix`: setitimer(ITIMER_REAL), one-shot, delivering SIGALRM (QEMU's portable backend).
 *
 * Its host timer is ITIMER_REAL itself (`adoptsItimerReal`): while it runs, the chain owns
 * ITIMER_REAL and SIGALRM, and the public alarm / ualarm / setitimer('real') /
 * getitimer('real') are served by the chain (see chain/sigalrm, the one owner of both). The
 * backend itself only tells its own expiries from other SIGALRMs (a `kill -ALRM`, a user's
 * expiry still in libuv's pipe from before the hand-over) and gives the latter to the owner.
 * Until the first check phase after it starts, every SIGALRM is the user's (libuv empties its
 * signal pipe in the poll phase before it) and the backend's first non-lethal arming waits
 * for that moment — microseconds, never early — so no expiry of its own can be mistaken for
 * the user's, nor the reverse.
 *
 * A user's alarm with no SIGALRM handler must end the process on time even when
 * JavaScript is stuck and the chain cannot run. The backend arms *lethally* for that:
 * - the alarm is the earliest deadline: ITIMER_REAL is set for it and the chain's
 *   listener is removed, so the kernel delivers SIGALRM at its default action;
 * - an earlier chain deadline comes first: ITIMER_REAL is set for that deadline with an
 *   interval reaching the alarm's, and libuv's SIGALRM handler is re-installed with
 *   SA_RESETHAND. The first expiry wakes the chain and resets SIGALRM to its default; if
 *   the chain runs, it re-arms (and re-installs the handler); if it cannot, the interval's
 *   expiry ends the process at the alarm's deadline.
 * @module
 */
import { checked, host, hotPathCalls, layoutsFor } from '../host/index.js';
import { ITIMER_REAL, SA_FLAGS } from '../posix/index.js';
import { addLibraryListener, removeLibraryListener } from '../posix/signals.js';
import { structBuffer, writeItimerRaw } from '../posix/structs.js';
import { requireMainThread } from '../posix/validate.js';
import { nodeClearImmediate, nodeSetImmediate } from '../runtime/node-timers.js';
import { monotonicNowNs } from './time.js';
import type { AlarmBackend } from './types.js';

const SIGALRM = 14;

/** The unix backend, with its lethal arming. */
export interface UnixBackend extends AlarmBackend {
  /** Always SIGALRM. */
  readonly signal: 'SIGALRM';
  /** Always true: its host timer is ITIMER_REAL. */
  readonly adoptsItimerReal: true;
  /** Always true. */
  readonly lethal: true;
  /** See {@link AlarmBackend.rearmLethal}. */
  rearmLethal(deltaNs: number, lethalDeltaNs: number): void;
}

let foreignAlarm: () => void = () => {};

/**
 * @internal Sets what a SIGALRM that is not the backend's own expiry does (an external
 * `kill -ALRM`): the chain's ITIMER_REAL layer delivers it to the user's handler, or ends the
 * process by SIGALRM when there is none — the kernel's default, as on every other backend.
 */
export function onForeignAlarm(handler: () => void): void {
  foreignAlarm = handler;
}

/** Creates the unix backend. */
export function unixBackend(): UnixBackend {
  let listener: (() => void) | undefined;
  /**
   * When the kernel timer armed here expires next (CLOCK_MONOTONIC ns since the chain's
   * origin), and its period; undefined when not armed. ITIMER_REAL never fires early, so a
   * SIGALRM seen before this time is not ours.
   */
  let expiresAtNs: number | undefined;
  let periodNs = 0;
  /**
   * Expiries of earlier armings that had happened when the timer was re-armed: their
   * SIGALRM may still be on its way through libuv's signal pipe, and is ours.
   */
  let expiredBeforeRearm = 0;
  let listening = false;
  /** libuv's sigaction for SIGALRM as it installed it, while we have changed it. */
  let libuvAction: Buffer | undefined;
  const value = structBuffer('itimerval');
  const usecOf = (ns: number) => Math.ceil(ns / 1000); // round up: never early
  /** Sets ITIMER_REAL `deltaNs` from now (0 disarms it), then every `intervalNs` (0: one-shot). */
  const arm = (deltaNs: number, intervalNs = 0) => {
    const usec = usecOf(deltaNs);
    const intervalUsec = usecOf(intervalNs);
    const nowNs = monotonicNowNs();
    if (expiresAtNs !== undefined && nowNs >= expiresAtNs) expiredBeforeRearm++;
    expiresAtNs = usec === 0 ? undefined : nowNs + usec * 1000;
    periodNs = intervalUsec * 1000;
    writeItimerRaw(value, Math.floor(usec / 1e6), usec % 1e6, Math.floor(intervalUsec / 1e6), intervalUsec % 1e6);
    const calls = hotPathCalls();
    checked(calls.setitimer(ITIMER_REAL, value, null), 'setitimer', calls);
  };
  const restoreLibuvAction = () => {
    if (!libuvAction) return;
    checked(host().sigaction(SIGALRM, libuvAction, null), 'sigaction');
    libuvAction = undefined;
  };
  const listen = (on: boolean) => {
    if (on === listening || !listener) return;
    if (on) addLibraryListener('SIGALRM', listener);
    else {
      libuvAction = undefined; // libuv restores SIG_DFL itself when its last listener goes
      removeLibraryListener('SIGALRM', listener);
    }
    listening = on;
  };
  /**
   * From start until the first check phase after it, every SIGALRM is foreign: one the user's
   * kernel ITIMER_REAL sent before the hand-over may still be in libuv's pipe, and libuv
   * empties the pipe in the poll phase that comes first. The backend's own arming waits for
   * that phase to pass (to `deferredTargetNs`, never early), unless it is lethal.
   */
  let settling = false;
  let settled: NodeJS.Immediate | undefined;
  let deferredTargetNs: number | undefined;
  const endSettling = () => {
    settling = false;
    nodeClearImmediate(settled);
    settled = undefined;
  };
  const settle = () => {
    endSettling();
    const targetNs = deferredTargetNs;
    deferredTargetNs = undefined;
    if (targetNs === undefined || !listener) return;
    listen(true);
    restoreLibuvAction();
    arm(Math.max(targetNs - monotonicNowNs(), 1));
  };
  return {
    name: 'unix',
    description: 'setitimer(ITIMER_REAL), one-shot, SIGALRM; the chain then serves alarm/setitimer(ITIMER_REAL) itself',
    signal: 'SIGALRM',
    adoptsItimerReal: true,
    lethal: true,
    start(onAlarm) {
      requireMainThread(`The 'unix' backend`);
      listener = () => {
        if (settling) foreignAlarm();
        else if (expiredBeforeRearm > 0) {
          expiredBeforeRearm--;
          onAlarm();
        } else if (expiresAtNs !== undefined && monotonicNowNs() >= expiresAtNs) {
          expiresAtNs = periodNs > 0 ? expiresAtNs + periodNs : undefined;
          onAlarm();
        } else foreignAlarm();
      };
      try {
        listen(true);
      } catch (error) {
        listener = undefined; // a failed start leaves nothing behind
        throw error;
      }
      settling = true;
      settled = nodeSetImmediate(settle);
    },
    stop() {
      endSettling();
      arm(0);
      restoreLibuvAction();
      listen(false);
      listener = undefined;
    },
    rearm(targetNs, deltaNs) {
      if (settling) {
        deferredTargetNs = targetNs;
        return;
      }
      listen(true); // before arming: the expiry must find the handler
      restoreLibuvAction();
      arm(Math.max(deltaNs, 1)); // a delta of 0 (a rearm floor of 0, a deadline due) fires in 1 µs: 0 would disarm
    },
    rearmLethal(deltaNs, lethalDeltaNs) {
      // No user handler, so nothing of the user's can be in libuv's pipe: settled at once.
      endSettling();
      deltaNs = Math.max(deltaNs, 1); // as in rearm: never 0, which would disarm
      if (lethalDeltaNs <= deltaNs) {
        // Disarm first: a SIGALRM the old setting already generated is delivered (to libuv's
        // handler) as this call returns, and none can be generated before the re-arm. Only
        // then the default action, then the alarm — armed last, so that even a deadline
        // already due cannot expire while libuv's handler is still installed.
        arm(0);
        listen(false);
        arm(Math.max(lethalDeltaNs, 1));
        return;
      }
      arm(0); // as above: nothing from the old setting may hit the one-shot handler
      listen(true);
      if (!libuvAction) {
        const current = structBuffer('sigaction');
        checked(host().sigaction(SIGALRM, null, current), 'sigaction');
        libuvAction = current;
      }
      const oneShot = Buffer.from(libuvAction);
      const flagsAt = layoutsFor().sigaction.fields.sa_flags.offset;
      oneShot.writeUInt32LE((oneShot.readUInt32LE(flagsAt) | SA_FLAGS.SA_RESETHAND) >>> 0, flagsAt);
      checked(host().sigaction(SIGALRM, oneShot, null), 'sigaction');
      arm(deltaNs, lethalDeltaNs - deltaNs);
    },
    sync() {
      if (settling) settle();
    },
    disarm() {
      deferredTargetNs = undefined;
      arm(0);
      listen(true);
      restoreLibuvAction();
    },
  };
}
