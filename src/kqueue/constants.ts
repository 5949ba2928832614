/**
 * kqueue's constants, with FreeBSD's names and values (`sys/sys/event.h`): the filters, the
 * `EV_*` flags of a change and of a returned event, and each filter's `NOTE_*` fflags.
 * `EVFILT_ALARM` is itimer's own (the `#alarm` device's expirations), outside FreeBSD's range.
 * @module
 */

/** Filter: timers. `ident` is yours; `data` is the period (or absolute time). */
export const EVFILT_TIMER = -7;
/** Filter: signal deliveries, counted. `ident` is the signal number. */
export const EVFILT_SIGNAL = -6;
/** Filter: user-triggered events. */
export const EVFILT_USER = -11;
/** Filter (itimer extension): expirations of an `#alarm` device alarm bound to this queue; `ident` is the alarm id. */
export const EVFILT_ALARM = -100;

/** Add the event, or modify it if present. */
export const EV_ADD = 0x0001;
/** Delete the event. */
export const EV_DELETE = 0x0002;
/** Enable the event (report it when it triggers). */
export const EV_ENABLE = 0x0004;
/** Disable the event (keep it, do not report it). */
export const EV_DISABLE = 0x0008;
/** Force EV_ONESHOT on an existing knote (FreeBSD; accepted and stripped here). */
export const EV_FORCEONESHOT = 0x0100;
/** Keep the knote's udata on modification (FreeBSD). */
export const EV_KEEPUDATA = 0x0200;
/** Report once, then delete. */
export const EV_ONESHOT = 0x0010;
/** Reset the event's state after it is retrieved. */
export const EV_CLEAR = 0x0020;
/** Report the result of every change as an EV_ERROR entry (data 0 on success). */
export const EV_RECEIPT = 0x0040;
/** Disable the event after it is retrieved. */
export const EV_DISPATCH = 0x0080;
/** Filter-specific end of file. */
export const EV_EOF = 0x8000;
/** On return: the entry reports an error (`data` is the errno), or a receipt. */
export const EV_ERROR = 0x4000;

/** EVFILT_TIMER: `data` is in seconds. */
export const NOTE_SECONDS = 0x00000001;
/** EVFILT_TIMER: `data` is in milliseconds (the default). */
export const NOTE_MSECONDS = 0x00000002;
/** EVFILT_TIMER: `data` is in microseconds. */
export const NOTE_USECONDS = 0x00000004;
/** EVFILT_TIMER: `data` is in nanoseconds. */
export const NOTE_NSECONDS = 0x00000008;
/** EVFILT_TIMER: `data` is an absolute time (since the Unix epoch, CLOCK_REALTIME); one-shot. */
export const NOTE_ABSTIME = 0x00000010;
/** EVFILT_USER: trigger the event. */
export const NOTE_TRIGGER = 0x01000000;
/** EVFILT_USER: leave the stored fflags alone. */
export const NOTE_FFNOP = 0x00000000;
/** EVFILT_USER: AND the given fflags into the stored ones. */
export const NOTE_FFAND = 0x40000000;
/** EVFILT_USER: OR the given fflags into the stored ones. */
export const NOTE_FFOR = 0x80000000;
/** EVFILT_USER: replace the stored fflags. */
export const NOTE_FFCOPY = 0xc0000000;
/** EVFILT_USER: the control bits of fflags. */
export const NOTE_FFCTRLMASK = 0xc0000000;
/** EVFILT_USER: the user-defined bits of fflags. */
export const NOTE_FFLAGSMASK = 0x00ffffff;

/** EVFILT_TIMER: the unit bits of fflags (at most one may be given; none is milliseconds). */
export const NOTE_TIMER_PRECMASK = NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | NOTE_NSECONDS;
/** Flags that act on a change and are not stored in the knote (FreeBSD `kqueue_register`). */
export const EV_CHANGE_ONLY = EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT | EV_KEEPUDATA;
