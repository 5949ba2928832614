/**
 * EVFILT_TIMER (FreeBSD `filt_timerattach`, `filt_timervalidate`, `timer2sbintime`,
 * `filt_timertouch`): `data` is the period in NOTE_MSECONDS (the default), NOTE_SECONDS,
 * NOTE_USECONDS or NOTE_NSECONDS — or, with NOTE_ABSTIME, an absolute CLOCK_REALTIME time
 * since the epoch, one-shot. Periodic unless EV_ONESHOT; a periodic 0 is one unit. Each
 * expiration (overruns included: a late pass counts every period it covered) adds to `data`,
 * reported and reset on retrieval.
 *
 * Every timer knote owns one chain timer (unref'd: registered timers alone do not keep the
 * process alive), and the timer knotes across all queues never exceed the queue's limit
 * (DragonFly's `kq_calloutmax`): EV_ADD of one more is ENOMEM. A relative timer gets EV_CLEAR
 * (as `filt_timerattach` sets it); a NOTE_ABSTIME one does not, so once fired it stays
 * triggered until deleted or re-added. Re-adding restarts the timer and drops expirations not
 * yet retrieved.
 *
 * Huge values: `data` is an int64, so a timer can be set for up to 2^63 − 1 of its unit —
 * far beyond the chain's 52 days. FreeBSD's `timer2sbintime` saturates such a value at
 * SBT_MAX (about 68 years): the timer is added and, in practice, never fires; libkqueue's
 * `test_kevent_timer_huge_interval` asks exactly that (added, or EINVAL; never an immediate
 * expiry). Here the timer is added and expires at its true time, however far: beyond the
 * chain's range it runs in hops ({@link LongTimer}), never early and never saturated to 52
 * days.
 * @module
 */
import { constants } from 'node:os';
import { syscallError } from '../../host/index.js';
import { CLOCK_REALTIME, clockGettime } from '../../posix/index.js';
import { EV_ADD, EV_CLEAR, EV_ONESHOT, NOTE_ABSTIME, NOTE_MSECONDS, NOTE_NSECONDS, NOTE_SECONDS, NOTE_TIMER_PRECMASK, NOTE_USECONDS } from '../constants.js';
import type { Kevent } from '../kevent.js';
import type { FilterOps, Knote } from '../knote.js';
import { counted, processCount } from '../knote.js';
import { LongTimer } from '../long-timer.js';

const UNIT_NS: Record<number, number> = { [NOTE_SECONDS]: 1e9, [NOTE_MSECONDS]: 1e6, [NOTE_USECONDS]: 1e3, [NOTE_NSECONDS]: 1 };

/** Timer knotes across all queues. */
let timersInUse = 0;

/** A validated timer: its first delay and its period (0: one-shot) in ns, and its fflags. */
interface TimerPlan {
  delayNs: number;
  periodNs: number;
  fflags: number;
}

/**
 * FreeBSD's `filt_timervalidate` and `timer2sbintime`: the unit bits and NOTE_ABSTIME only,
 * one unit at most, data >= 0; a periodic 0 is one unit; an absolute time already past is
 * due now.
 * @param knoteFlags the knote's stored flags (EV_ONESHOT as given at EV_ADD).
 * @throws the EINVAL syscall error.
 */
function timerPlan(fflags: number, data: number, knoteFlags: number): TimerPlan {
  const units = fflags & NOTE_TIMER_PRECMASK;
  if (fflags & ~(NOTE_TIMER_PRECMASK | NOTE_ABSTIME) || (units & (units - 1)) !== 0 || data < 0) throw syscallError(constants.errno.EINVAL, 'kevent');
  const unitNs = UNIT_NS[units] ?? 1e6;
  if (fflags & NOTE_ABSTIME) {
    const wall = clockGettime(CLOCK_REALTIME);
    return { delayNs: Math.max(data * unitNs - (wall.sec * 1e9 + wall.nsec), 0), periodNs: 0, fflags };
  }
  if (knoteFlags & EV_ONESHOT) return { delayNs: data * unitNs, periodNs: 0, fflags };
  const periodNs = Math.max(data, 1) * unitNs;
  return { delayNs: periodNs, periodNs, fflags };
}

/** (Re)starts a timer knote from a validated plan: restarting drops undelivered expirations. */
function start(kn: Knote<LongTimer>, plan: TimerPlan): void {
  kn.data = 0;
  kn.kq.deactivate(kn);
  kn.fflags = plan.fflags;
  kn.hook.start(plan.delayNs, plan.periodNs);
}

/** EVFILT_TIMER's operations; the hook is the knote's timer (unref'd). */
export const timerFilter: FilterOps<LongTimer> = {
  attach(kn, change: Kevent) {
    const plan = timerPlan(change.fflags, change.data, kn.flags);
    if (timersInUse >= kn.kq.maxTimers) throw syscallError(constants.errno.ENOMEM, 'kevent');
    if (!(change.fflags & NOTE_ABSTIME)) kn.flags |= EV_CLEAR;
    timersInUse++;
    kn.hook = new LongTimer((count) => {
      kn.data += count;
      kn.kq.activate(kn);
    }, false);
    start(kn, plan);
  },
  detach(kn) {
    kn.hook.cancel();
    timersInUse--;
  },
  event: counted,
  touch(kn, change) {
    if (change.flags & EV_ADD) start(kn, timerPlan(change.fflags, change.data, kn.flags));
  },
  process: processCount,
};
