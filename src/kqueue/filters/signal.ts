/**
 * EVFILT_SIGNAL (FreeBSD `filt_sigattach`): `ident` is a signal number; each delivery to the
 * process adds one to `data`, reported and reset on retrieval (EV_CLEAR is implied, as
 * `filt_sigattach` sets it). Deliveries are counted through `process.on(signal)` (libuv's
 * signal pipe: one callback per delivered signal), as a library listener: watching a signal
 * never changes its disposition — a signal set to SIG_IGN stays ignored once the watch ends
 * (FreeBSD: EVFILT_SIGNAL "has a lower precedence" than sigaction). SIGKILL, SIGSTOP and
 * numbers with no name are EINVAL. Main thread only (the queue refuses an EV_ADD in a Worker
 * before any change is applied).
 * @module
 */
import { constants } from 'node:os';
import { syscallError } from '../../host/index.js';
import { addLibraryListener, removeLibraryListener, signalName } from '../../posix/signals.js';
import { EV_CLEAR } from '../constants.js';
import type { FilterOps } from '../knote.js';
import { counted, processCount } from '../knote.js';

/** EVFILT_SIGNAL's operations; the hook is the knote's signal listener. */
export const signalFilter: FilterOps<(() => void) | undefined> = {
  attach(kn) {
    const name = signalName(kn.ident);
    if (name === undefined) throw syscallError(constants.errno.EINVAL, 'kevent');
    const listener = () => {
      kn.data += 1;
      kn.kq.activate(kn);
    };
    try {
      addLibraryListener(name, listener); // Node refuses SIGKILL and SIGSTOP
    } catch {
      throw syscallError(constants.errno.EINVAL, 'kevent');
    }
    kn.hook = listener;
    kn.flags |= EV_CLEAR;
  },
  detach(kn) {
    if (kn.hook) removeLibraryListener(signalName(kn.ident)!, kn.hook);
  },
  event: counted,
  touch() {},
  process: processCount,
};
