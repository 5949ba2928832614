/**
 * EVFILT_USER (FreeBSD `filt_userattach`, `filt_usertouch`): an event the program triggers
 * itself. NOTE_TRIGGER activates it; NOTE_FFNOP, NOTE_FFAND, NOTE_FFOR and NOTE_FFCOPY
 * combine the low 24 bits (NOTE_FFLAGSMASK) of the change's fflags into the stored ones,
 * which are returned; `data` is copied as given (DragonFly: "we just happen to copy this
 * value as well"). Without EV_CLEAR a triggered event stays triggered and is reported on
 * every scan; EV_CLEAR given as a modification resets it, and a stored EV_CLEAR resets it
 * after each retrieval. A new knote applies its change as a modification of an empty one.
 * @module
 */
import { EV_ADD, EV_CLEAR, NOTE_FFAND, NOTE_FFCOPY, NOTE_FFCTRLMASK, NOTE_FFLAGSMASK, NOTE_FFOR, NOTE_TRIGGER } from '../constants.js';
import type { Kevent } from '../kevent.js';
import type { FilterOps, Knote } from '../knote.js';
import { eventOf } from '../knote.js';

/** Applies a change (`filt_usertouch`, EVENT_REGISTER). The hook is "triggered" (`kn_hookid`). */
function touch(kn: Knote<boolean>, { flags, fflags, data }: Kevent): void {
  const bits = fflags & NOTE_FFLAGSMASK;
  switch ((fflags & NOTE_FFCTRLMASK) >>> 0) {
    case NOTE_FFAND:
      kn.fflags &= bits;
      break;
    case NOTE_FFOR:
      kn.fflags |= bits;
      break;
    case NOTE_FFCOPY:
      kn.fflags = bits;
      break;
  }
  kn.data = data;
  if (flags & EV_CLEAR && !(flags & EV_ADD)) {
    kn.hook = false;
    kn.data = 0;
    kn.kq.deactivate(kn);
  }
  if (fflags & NOTE_TRIGGER) {
    kn.hook = true;
    kn.kq.activate(kn);
  }
}

/** EVFILT_USER's operations; the hook is true while triggered. */
export const userFilter: FilterOps<boolean> = {
  attach(kn, change) {
    kn.hook = false;
    touch(kn, change);
  },
  detach() {},
  event: (kn) => kn.hook,
  touch,
  process(kn) {
    const event = eventOf(kn, kn.fflags & NOTE_FFLAGSMASK);
    if (kn.flags & EV_CLEAR) {
      kn.hook = false;
      kn.data = 0;
    }
    return event;
  },
};
