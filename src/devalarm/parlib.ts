/**
 * Akaros parlib's alarm helpers (`parlib/alarm.c`'s `devalarm_*`), as a thin API over the
 * device's files: each is the open/write/close sequence a parlib program does, so they
 * behave — and fail — exactly as those file operations.
 * @module
 */
import { invalidArgType, invalidArgValue, isPlainObject, outOfRange } from '../posix/validate.js';
import { AlarmFile, openAlarmFile } from './files.js';
import type { AlarmEvent, AlarmEventQueue } from './queues.js';
import { registerEventQueue } from './queues.js';

function alarmFile(value: unknown, name: string): AlarmFile {
  if (!(value instanceof AlarmFile)) throw invalidArgType(name, 'an AlarmFile', value);
  return value;
}

/** What {@link devalarmGetFds} returns. */
export interface AlarmFds {
  /** The alarm's ctl, open. */
  ctl: AlarmFile;
  /** The alarm's timer, open. */
  timer: AlarmFile;
  /** The alarm id. */
  id: number;
}

/**
 * `devalarm_get_fds`: a new alarm, with its ctl and timer open.
 * @returns the new alarm's id and its ctl and timer handles, opened `'rw'`; the alarm lives
 *   until both are closed.
 */
export function devalarmGetFds(): AlarmFds {
  const ctl = openAlarmFile('#alarm/clone');
  const id = Number(ctl.read());
  const timer = openAlarmFile(`#alarm/a${id}/timer`);
  return { ctl, timer, id };
}

/**
 * `devalarm_set_evq`: expirations of the alarm behind `file` go to `queue`.
 * @param file A handle on the alarm's ctl or timer.
 * @param queue Where its expirations go: an open {@link Kqueue} or {@link AlarmEvents}
 *   (registered with {@link registerEventQueue} if it is not yet).
 * @throws TypeError ERR_INVALID_ARG_TYPE if file is not an {@link AlarmFile}, or queue has no
 *   `postAlarm` method.
 * @throws TypeError ERR_INVALID_ARG_VALUE if file is a directory (`#alarm` or `#alarm/aN`: on
 *   no alarm), or queue is closed.
 * @throws Error `ENOENT` (open) if the alarm no longer exists (its last handle was closed).
 */
export function devalarmSetEvq(file: AlarmFile, queue: AlarmEventQueue): void {
  const id = alarmFile(file, 'file').alarmId;
  if (id === undefined) throw invalidArgValue('file', file.path, 'must be an alarm ctl or timer');
  const ctl = openAlarmFile(`#alarm/a${id}/ctl`, 'w');
  try {
    ctl.write(`evq ${registerEventQueue(queue)}`);
  } finally {
    ctl.close();
  }
}

/**
 * `devalarm_set_time`: arms (or re-arms) at absolute `timeNs` on the chain's time base.
 * @param timer A handle on the alarm's timer file.
 * @param timeNs The expiry in nanoseconds on the chain's time base (see {@link chainNow}), from 1 to
 *   2^53 − 1.
 * @throws TypeError ERR_INVALID_ARG_TYPE if timer is not an {@link AlarmFile} or timeNs is not a number.
 * @throws RangeError ERR_OUT_OF_RANGE if timeNs is not an integer from 1 to 2^53 − 1.
 * @throws Error `EBADF` (write) if the handle is closed or read-only, `EPERM` if it is a
 *   directory, `ENOSYS` if it is a ctl (the time is taken as a command).
 */
export function devalarmSetTime(timer: AlarmFile, timeNs: number): void {
  alarmFile(timer, 'timer');
  if (typeof timeNs !== 'number') throw invalidArgType('timeNs', 'of type number', timeNs);
  if (!Number.isSafeInteger(timeNs) || timeNs <= 0) throw outOfRange('timeNs', `an integer >= 1 && <= ${Number.MAX_SAFE_INTEGER} (0 disarms: use devalarmDisable)`, timeNs);
  timer.write(timeNs.toString(16));
}

/**
 * `devalarm_get_id`: the alarm id an event reports.
 * @param event A kevent from a {@link Kqueue} (EVFILT_ALARM) or an event of {@link AlarmEvents}.
 * @returns the event's own `ident` if it has one, else its own `id`.
 * @throws TypeError ERR_INVALID_ARG_TYPE if event is not a plain object.
 * @throws TypeError ERR_INVALID_ARG_VALUE if that `ident` or `id` is not a number.
 */
export function devalarmGetId(event: { ident: number } | AlarmEvent): number {
  const fields: unknown = event;
  if (!isPlainObject(fields)) throw invalidArgType('event', 'a kevent or an AlarmEvent (a plain object)', event);
  const id = Object.hasOwn(fields, 'ident') ? fields['ident'] : fields['id'];
  if (typeof id !== 'number') throw invalidArgValue('event', event, 'must have a numeric ident (kevent) or id (AlarmEvent)');
  return id;
}

/**
 * `devalarm_disable`: disarms the alarm (writes 0 to its timer).
 * @param timer A handle on the alarm's timer file.
 * @throws TypeError ERR_INVALID_ARG_TYPE if timer is not an {@link AlarmFile}.
 * @throws Error `EBADF` (write) if the handle is closed or read-only, `EPERM` if it is a
 *   directory, `ENOSYS` if it is a ctl (`0` is taken as a command).
 */
export function devalarmDisable(timer: AlarmFile): void {
  alarmFile(timer, 'timer').write('0');
}
